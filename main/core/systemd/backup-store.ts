// Backups of every byte a unit change replaces, and the Undo token that puts them back.
//
// Backups live in $XDG_DATA_HOME/daemon-deck/backups/<token>/ (a manifest plus the old bytes), so
// an Undo works from another process too (the CLI and the app share them). Every file error here
// names the file and its cause (fileError): a missing backup is "missing", never a bus problem.
import { createHash, randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { UndoToken } from '../model/authoring.js';
import { t } from '../../../i18n/index.js';
import { AppFailure, appError } from '../errors.js';
import type { Host } from '../host/host.js';
import { appDirs } from '../xdg.js';

/** $XDG_DATA_HOME/daemon-deck/backups. */
export function backupDir(env: NodeJS.ProcessEnv): string {
  return join(appDirs(env).data, 'backups');
}

export const sha256 = (b: Buffer | null): string | null =>
  b === null ? null : createHash('sha256').update(b).digest('hex');

export interface ManifestFile {
  path: string;
  /** The backup file name inside the token directory, or null when the path did not exist. */
  before: string | null;
  mode: number | null;
  /** sha256 of what we left there (null: we removed it), to refuse an Undo over later edits. */
  afterHash: string | null;
}

/**
 * What an action did, kept as a catalog key and its values rather than as words: the undo record
 * outlives the language of the moment, so it is put into words when it is shown (saidText).
 */
export interface Said {
  key: string;
  params?: Record<string, string | number>;
}

/** The words of `said` in the current language (or in `lng`). */
export function saidText(said: Said, lng?: string): string {
  return t(said.key, lng === undefined ? said.params : { ...said.params, lng });
}

export interface Manifest {
  id: string;
  /** What was done, in English: the record's plain words (and all that older records have). */
  summary: string;
  /** What was done as a key and values, shown in the language of whoever reads it. */
  said?: Said;
  createdAt: string;
  files: ManifestFile[];
  /** Units to stop and disable before the files are put back (those the action created). */
  stopFirst: string[];
  /** Units to enable and start after the files are put back (those the action deleted). */
  enableAfter: string[];
  startAfter: string[];
}

/** Backups of replaced files and the Undo that puts them back. */
export class BackupStore {
  constructor(
    readonly dir: string,
    readonly host: Host,
  ) {}

  /** Save the current bytes of `paths`; finish() after writing records what was left there. */
  async begin(said: Said, paths: string[]): Promise<BackupTxn> {
    const id = `${Date.now().toString(36)}-${randomBytes(5).toString('hex')}`;
    const files: ManifestFile[] = [];
    try {
      for (const [i, path] of paths.entries()) {
        const bytes = await this.host.readOrNull(path);
        let mode: number | null = null;
        let before: string | null = null;
        if (bytes !== null) {
          mode = ((await this.host.stat(path))?.mode ?? 0o644) & 0o7777;
          before = `${i}.bak`;
          // writeFileAtomic makes the folders it needs and names the file in its errors.
          await this.host.writeFileAtomic(join(this.dir, id, before), bytes, 0o600);
        }
        files.push({ path, before, mode, afterHash: null });
      }
    } catch (err) {
      // No half backup is left to offer an Undo that cannot work (a full disk, say).
      await this.discard(id).catch(() => undefined);
      throw err;
    }
    return new BackupTxn(this, id, said, files);
  }

  async writeManifest(m: Manifest): Promise<void> {
    await this.host.writeFileAtomic(
      join(this.dir, m.id, 'manifest.json'),
      JSON.stringify(m, null, 2),
      0o600,
    );
  }

  async read(token: string): Promise<Manifest | null> {
    if (!/^[0-9a-z]+-[0-9a-f]+$/.test(token)) return null;
    const raw = await this.host.readOrNull(join(this.dir, token, 'manifest.json'));
    if (raw === null) return null;
    try {
      return JSON.parse(raw.toString('utf8')) as Manifest;
    } catch {
      throw new AppFailure(
        appError(
          'invalid-input',
          t('errors:authoring.backupDamaged', { path: join(this.dir, token, 'manifest.json') }),
        ),
      );
    }
  }

  /** The saved bytes; a missing backup file is an error that names it. */
  async backupBytes(token: string, name: string): Promise<Buffer> {
    const path = join(this.dir, token, name);
    const bytes = await this.host.readOrNull(path);
    if (bytes === null)
      throw new AppFailure(
        appError('invalid-input', t('errors:authoring.backupMissing', { path })),
      );
    return bytes;
  }

  async discard(token: string): Promise<void> {
    // The Host has no folder removal yet (issue 17 adds one for SSH): the backups are local.
    await rm(join(this.dir, token), { recursive: true, force: true });
  }
}

export class BackupTxn {
  stopFirst: string[] = [];
  enableAfter: string[] = [];
  startAfter: string[] = [];
  constructor(
    readonly store: BackupStore,
    readonly id: string,
    readonly said: Said,
    readonly files: ManifestFile[],
  ) {}

  async finish(): Promise<UndoToken> {
    for (const f of this.files) f.afterHash = sha256(await this.store.host.readOrNull(f.path));
    const createdAt = new Date().toISOString();
    await this.store.writeManifest({
      id: this.id,
      summary: saidText(this.said, 'en'),
      said: this.said,
      createdAt,
      files: this.files,
      stopFirst: this.stopFirst,
      enableAfter: this.enableAfter,
      startAfter: this.startAfter,
    });
    // The token's summary is for showing now (the CLI's --json runs in English).
    return { id: this.id, summary: saidText(this.said), createdAt };
  }

  /** Put back the saved bytes of each file (or remove it when it did not exist). */
  async restoreFiles(files: readonly ManifestFile[] = this.files): Promise<void> {
    for (const f of files) {
      if (f.before === null) await this.store.host.remove(f.path);
      else
        await this.store.host.writeFileAtomic(
          f.path,
          await this.store.backupBytes(this.id, f.before),
          f.mode ?? 0o644,
        );
    }
  }

  /** Nothing was written after all: drop the backup. */
  abandon(): Promise<void> {
    return this.store.discard(this.id);
  }
}
