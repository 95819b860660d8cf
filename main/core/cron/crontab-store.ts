// Reading and writing the user's crontab through crontab(1), with backups and undo.
//
// Relies on Debian cron 3.0pl1 (PLATFORM-NOTES):
// - `crontab -l` with no crontab prints "no crontab for USER" and exits 1, exactly like a real
//   error; LC_ALL=C keeps the message matchable. No crontab is an empty document.
// - `crontab -` installs stdin, refusing bad lines and a missing final newline (so a crontab
//   whose last line has none gets one on the next write: the only byte an edit adds elsewhere).
// - There is no locking against a concurrent `crontab -e`: before installing, the crontab is read
//   again and compared with what the edit started from; if it changed, nothing is written and the
//   caller gets a `conflict`. (A change in the few milliseconds between that re-read and the
//   install cannot be detected; crontab(1) offers nothing better.)
// - The crontab command is an argv prefix, injectable, so tests can run the real binary inside a
//   private mount namespace (`nsenter --mount=... -- crontab`) and never touch a real crontab.
// Every replaced crontab is kept as a JSON backup (before and after) in the data directory; the
// last few are kept, and undo() restores the newest one if the crontab is still what it wrote.
// A crontab may hold bytes that are not UTF-8 (Latin-1 comments, junk): it is read and written
// through lossless-text.ts, so lines the app does not own go back byte for byte.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { AppError, Result } from '../model/domain.js';
import { appError, fail, ok, toAppError } from '../errors.js';
import { t } from '../../../i18n/index.js';
import type { Host } from '../host/host.js';
import { createLocalHost } from '../host/local-host.js';
import { decodeLossless, encodeLossless } from '../lossless-text.js';
import { appDirs } from '../xdg.js';

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CrontabStoreOptions {
  /** The machine whose crontab this is; default this one, in `env`. */
  host?: Host;
  /** How to run crontab(1): an argv prefix. Default `['crontab']`. */
  crontab?: readonly string[];
  /** For the default host. */
  env?: NodeJS.ProcessEnv;
  /** Where backups go; default `$XDG_DATA_HOME/daemon-deck/cron-backups`. */
  backupDir?: string;
  /** How many backups to keep. */
  keepBackups?: number;
  timeoutMs?: number;
  /** Runs after an edit's read and before the re-read-and-compare (tests inject a change here). */
  beforeCommit?: () => Promise<void>;
  /**
   * The spool folder crontab(1) installs into, as this process sees it (readCached() trusts a
   * read while it did not change). Default: the system's, for the default crontab(1) on this
   * machine only; with another crontab argv (a sandbox) or another host, none unless given.
   */
  spool?: string | null;
}

export interface CrontabBackup {
  id: string;
  createdAt: string;
  /** What the change was, in words ("add @reboot line", "undo"...). */
  reason: string;
  before: string;
  after: string;
}

/** The store lock every Daemon Deck process takes around a read-modify-write of the crontab. */
export const CRONTAB_LOCK = 'crontab';

const notInstalled = (): AppError => appError('unsupported', t('errors:cron.noCrontab'));

const exitStatus = (code: number | null): string => t('errors:cron.exitStatus', { code });

/** Where Debian's crontab(1) installs, then cronie's. */
const SYSTEM_SPOOLS = ['/var/spool/cron/crontabs', '/var/spool/cron'];

/**
 * A spool stamp is trusted only when its newest mtime is at least this old: two installs within
 * one timestamp tick (a jiffy; a second or two on coarse filesystems) could leave the same mtime.
 */
const SETTLED_MS = 2000;

export class CrontabStore {
  private readonly host: Host;
  private readonly argv: readonly string[];
  private readonly env: NodeJS.ProcessEnv;
  readonly backupDir: string;
  private readonly keep: number;
  private readonly timeoutMs: number;
  private readonly beforeCommit: (() => Promise<void>) | undefined;
  /** The spool folder, once known (undefined: not looked for yet; null: none). */
  private spool: string | null | undefined;
  /** The last text read, with the spool's stamp taken just before that read. */
  private lastRead: { stamp: string; text: string } | null = null;

  constructor(opts: CrontabStoreOptions = {}) {
    this.host = opts.host ?? createLocalHost(opts.env ?? process.env);
    this.argv = opts.crontab ?? ['crontab'];
    this.env = { ...this.host.env, LC_ALL: 'C', LANG: 'C' };
    this.backupDir = opts.backupDir ?? join(appDirs(this.host.env).data, 'cron-backups');
    this.keep = opts.keepBackups ?? 5;
    this.timeoutMs = opts.timeoutMs ?? 15_000;
    this.beforeCommit = opts.beforeCommit;
    this.spool =
      opts.spool !== undefined
        ? opts.spool
        : opts.crontab === undefined && this.host.name === 'local'
          ? undefined
          : null;
  }

  /**
   * Runs `fn` (a read, then commit()) holding the crontab's store lock, so Daemon Deck's own
   * processes take turns; the re-read-and-compare in commit() still guards against the tools
   * that take no lock (crontab -e).
   */
  locked<T>(fn: () => Promise<T>): Promise<T> {
    return this.host.withLock(CRONTAB_LOCK, fn);
  }

  private async crontab(args: string[], input?: string): Promise<ExecResult | AppError> {
    const r = await this.host.run([...this.argv, ...args], {
      env: this.env,
      timeoutMs: this.timeoutMs,
      ...(input !== undefined ? { input: encodeLossless(input) } : {}),
    });
    if (r.spawnError === 'ENOENT') return notInstalled();
    if (r.spawnError !== null)
      return appError(
        'internal',
        t('errors:cron.couldNotRunCrontab', { reason: r.stderr }),
        r.spawnError,
      );
    if (r.timedOut)
      return appError('timeout', t('errors:cron.timeout', { seconds: this.timeoutMs / 1000 }));
    // Output is kept as bytes and decoded once, losslessly (see the header).
    return { code: r.code, stdout: decodeLossless(r.stdoutBytes), stderr: r.stderr };
  }

  /** The crontab's text; an empty string when there is none. */
  async read(): Promise<Result<string>> {
    // Taken before the read: a change during the read shows as a changed stamp next time.
    const stamp = await this.spoolStamp();
    const r = await this.readNow();
    this.lastRead = r.ok && stamp !== null ? { stamp, text: r.value } : null;
    return r;
  }

  /**
   * The crontab's text as the last read() saw it while cron's spool says nothing was installed
   * since; else read() (a `crontab -l`).
   *
   * The trade-off: `crontab -l` costs a process (15-45 ms through a sandbox's nsenter), a stat of
   * the spool folder well under 1 ms. crontab(1) installs by renaming a temporary file into the
   * spool folder and then touches the folder (Debian's poke_daemon), and `crontab -r` unlinks:
   * each sets the folder's mtime, which is what cron itself looks at to reload crontabs. So a
   * crontab changed by anyone through crontab(1) is read again. Not seen: a file written into
   * the spool by hand without touching the folder (cron misses it too, unless we can stat the
   * file itself: as root we can, and its stamp counts), and an mtime set back on purpose or a
   * clock stepped back by more than SETTLED_MS. A stamp whose newest mtime is less than
   * SETTLED_MS old is never trusted, so two installs within one timestamp tick cannot hide the
   * second. Without a known spool (another host, a crontab(1) we do not know) it always reads.
   */
  async readCached(): Promise<Result<string>> {
    const kept = this.lastRead;
    if (kept !== null && (await this.spoolStamp()) === kept.stamp) return ok(kept.text);
    return this.read();
  }

  /** Forget the text kept by the last read (the next readCached() reads). */
  forget(): void {
    this.lastRead = null;
  }

  /** The spool folder's (and the user's crontab file's, when visible) stamp; null: not trusted. */
  private async spoolStamp(): Promise<string | null> {
    try {
      if (this.spool === undefined) {
        this.spool = null;
        for (const dir of SYSTEM_SPOOLS)
          if ((await this.host.stat(dir))?.kind === 'dir') {
            this.spool = dir;
            break;
          }
      }
      if (this.spool === null) return null;
      const user = this.env.USER ?? this.env.LOGNAME ?? '';
      const now = Date.now();
      const [dir, file] = await Promise.all([
        this.host.stat(this.spool),
        user === '' ? null : this.host.stat(join(this.spool, user)).catch(() => null),
      ]);
      if (dir?.kind !== 'dir') return null;
      const newest = Math.max(dir.mtimeMs, file?.mtimeMs ?? 0);
      if (now - newest < SETTLED_MS) return null;
      return JSON.stringify([dir.mtimeMs, dir.size, file?.mtimeMs ?? null, file?.size ?? null]);
    } catch {
      return null;
    }
  }

  private async readNow(): Promise<Result<string>> {
    const r = await this.crontab(['-l']);
    if ('message' in r) return { ok: false, error: r };
    if (r.code === 0) return ok(r.stdout);
    if (/^no crontab for /m.test(r.stderr)) return ok('');
    return fail(
      r.code === 127 ? 'unsupported' : 'internal',
      t('errors:cron.listFailed', { reason: firstLine(r.stderr) || exitStatus(r.code) }),
      r.stderr,
    );
  }

  /**
   * Install `next` if the crontab still is `expected`; otherwise write nothing and answer
   * `conflict`. The replaced text is backed up first. Call it inside locked(), with the read
   * that gave `expected`.
   */
  async commit(expected: string, next: string, reason: string): Promise<Result<CrontabBackup>> {
    if (this.beforeCommit) await this.beforeCommit();
    const current = await this.read();
    if (!current.ok) return current;
    if (current.value !== expected) {
      return fail('conflict', t('errors:cron.changedSinceRead'));
    }
    const text = next === '' || next.endsWith('\n') ? next : next + '\n';
    let backup: CrontabBackup;
    try {
      backup = await this.saveBackup({ reason, before: current.value, after: text });
    } catch (err) {
      const e = toAppError(err);
      return fail(e.code, t('errors:cron.noBackup', { reason: e.message }), e.detail);
    }
    const w = await this.crontab(['-'], text);
    this.lastRead = null;
    if ('message' in w) return { ok: false, error: w };
    if (w.code !== 0) {
      await this.host.remove(join(this.backupDir, `${backup.id}.json`));
      return fail(
        'invalid-input',
        t('errors:cron.refused', { reason: firstLine(w.stderr) || exitStatus(w.code) }),
        w.stderr,
      );
    }
    return ok(backup);
  }

  /** Backups, newest first. */
  async backups(): Promise<CrontabBackup[]> {
    const names = await this.host.readdir(this.backupDir);
    const out: CrontabBackup[] = [];
    for (const name of names
      .filter((n) => n.endsWith('.json'))
      .sort()
      .reverse()) {
      try {
        const bytes = await this.host.readOrNull(join(this.backupDir, name));
        if (bytes !== null) out.push(JSON.parse(bytes.toString('utf8')) as CrontabBackup);
      } catch {
        // A half-written or foreign file is not a backup we can offer.
        continue;
      }
    }
    return out;
  }

  /** Restore the crontab the newest backup replaced, if nothing changed it since. */
  undo(): Promise<Result<CrontabBackup>> {
    return this.locked(() => this.undoLocked()).catch((err: unknown): Result<CrontabBackup> => ({
      ok: false,
      error: toAppError(err),
    }));
  }

  private async undoLocked(): Promise<Result<CrontabBackup>> {
    const [latest] = await this.backups();
    if (!latest) return fail('invalid-input', t('errors:cron.nothingToUndo'));
    const current = await this.read();
    if (!current.ok) return current;
    if (current.value !== latest.after) {
      return fail('conflict', t('errors:cron.undoConflict'));
    }
    const w = await this.crontab(['-'], latest.before);
    this.lastRead = null;
    if ('message' in w) return { ok: false, error: w };
    if (w.code !== 0)
      return fail(
        'internal',
        t('errors:cron.refusedBackup', { reason: firstLine(w.stderr) }),
        w.stderr,
      );
    await this.host.remove(join(this.backupDir, `${latest.id}.json`));
    return ok(latest);
  }

  private async saveBackup(b: Omit<CrontabBackup, 'id' | 'createdAt'>): Promise<CrontabBackup> {
    const now = new Date();
    const id = `${now.toISOString().replace(/[:.]/g, '-')}-${randomBytes(3).toString('hex')}`;
    const backup: CrontabBackup = { id, createdAt: now.toISOString(), ...b };
    await this.host.writeFileAtomic(
      join(this.backupDir, `${id}.json`),
      JSON.stringify(backup, null, 2),
      0o600,
    );
    const names = (await this.host.readdir(this.backupDir))
      .filter((n) => n.endsWith('.json'))
      .sort();
    for (const old of names.slice(0, Math.max(0, names.length - this.keep)))
      await this.host.remove(join(this.backupDir, old));
    return backup;
  }
}

function firstLine(s: string): string {
  return s.trim().split('\n')[0] ?? '';
}
