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
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { AppError, Result } from '../model/domain.js';
import { writeFileAtomic } from '../atomic-write.js';
import { appError, fail, ok, toAppError } from '../errors.js';
import { decodeLossless, encodeLossless } from '../lossless-text.js';

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CrontabStoreOptions {
  /** How to run crontab(1): an argv prefix. Default `['crontab']`. */
  crontab?: readonly string[];
  env?: NodeJS.ProcessEnv;
  /** Where backups go; default `$XDG_DATA_HOME/daemon-deck/cron-backups`. */
  backupDir?: string;
  /** How many backups to keep. */
  keepBackups?: number;
  timeoutMs?: number;
  /** Runs after an edit's read and before the re-read-and-compare (tests inject a change here). */
  beforeCommit?: () => Promise<void>;
}

export interface CrontabBackup {
  id: string;
  createdAt: string;
  /** What the change was, in words ("add @reboot line", "undo"...). */
  reason: string;
  before: string;
  after: string;
}

export function defaultDataDir(env: NodeJS.ProcessEnv): string {
  const base =
    env.XDG_DATA_HOME && env.XDG_DATA_HOME.startsWith('/')
      ? env.XDG_DATA_HOME
      : join(env.HOME ?? homedir(), '.local', 'share');
  return join(base, 'daemon-deck');
}

export function run(
  argv: readonly string[],
  opts: { env: NodeJS.ProcessEnv; input?: string; timeoutMs?: number },
): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const [file, ...args] = argv;
    if (file === undefined) {
      reject(new Error('empty command'));
      return;
    }
    const child = spawn(file, args, { env: opts.env, stdio: ['pipe', 'pipe', 'pipe'] });
    // Output is kept as bytes and decoded once, losslessly (see the header).
    const stdout: Buffer[] = [];
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 15_000);
    child.stdout.on('data', (d: Buffer) => stdout.push(d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        code: code ?? (signal ? 128 : 1),
        stdout: decodeLossless(Buffer.concat(stdout)),
        stderr,
      });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(encodeLossless(opts.input ?? ''));
  });
}

const NOT_INSTALLED = appError(
  'unsupported',
  'cron is not installed: there is no crontab command. Install the cron package to use @reboot entries.',
);

export class CrontabStore {
  private readonly argv: readonly string[];
  private readonly env: NodeJS.ProcessEnv;
  readonly backupDir: string;
  private readonly keep: number;
  private readonly timeoutMs: number;
  private readonly beforeCommit: (() => Promise<void>) | undefined;

  constructor(opts: CrontabStoreOptions = {}) {
    const env = opts.env ?? process.env;
    this.argv = opts.crontab ?? ['crontab'];
    this.env = { ...env, LC_ALL: 'C', LANG: 'C' };
    this.backupDir = opts.backupDir ?? join(defaultDataDir(env), 'cron-backups');
    this.keep = opts.keepBackups ?? 5;
    this.timeoutMs = opts.timeoutMs ?? 15_000;
    this.beforeCommit = opts.beforeCommit;
  }

  private async crontab(args: string[], input?: string): Promise<ExecResult | AppError> {
    try {
      return await run([...this.argv, ...args], {
        env: this.env,
        timeoutMs: this.timeoutMs,
        ...(input !== undefined ? { input } : {}),
      });
    } catch (err) {
      if ((err as { code?: unknown }).code === 'ENOENT') return NOT_INSTALLED;
      return appError('internal', `crontab could not be run: ${String(err)}`);
    }
  }

  /** The crontab's text; an empty string when there is none. */
  async read(): Promise<Result<string>> {
    const r = await this.crontab(['-l']);
    if ('message' in r) return { ok: false, error: r };
    if (r.code === 0) return ok(r.stdout);
    if (/^no crontab for /m.test(r.stderr)) return ok('');
    return fail(
      r.code === 127 ? 'unsupported' : 'internal',
      `crontab -l failed: ${firstLine(r.stderr) || `exit status ${r.code}`}`,
      r.stderr,
    );
  }

  /**
   * Install `next` if the crontab still is `expected`; otherwise write nothing and answer
   * `conflict`. The replaced text is backed up first.
   */
  async commit(expected: string, next: string, reason: string): Promise<Result<CrontabBackup>> {
    if (this.beforeCommit) await this.beforeCommit();
    const current = await this.read();
    if (!current.ok) return current;
    if (current.value !== expected) {
      return fail(
        'conflict',
        'The crontab was changed by something else since Daemon Deck read it, so nothing was written. Look at it again and retry.',
      );
    }
    const text = next === '' || next.endsWith('\n') ? next : next + '\n';
    let backup: CrontabBackup;
    try {
      backup = await this.saveBackup({ reason, before: current.value, after: text });
    } catch (err) {
      const e = toAppError(err);
      return fail(
        e.code,
        `The crontab was not changed: Daemon Deck could not save its backup first. ${e.message}`,
        e.detail,
      );
    }
    const w = await this.crontab(['-'], text);
    if ('message' in w) return { ok: false, error: w };
    if (w.code !== 0) {
      await rm(join(this.backupDir, `${backup.id}.json`), { force: true });
      return fail(
        'invalid-input',
        `crontab refused the new crontab: ${firstLine(w.stderr) || `exit status ${w.code}`}`,
        w.stderr,
      );
    }
    return ok(backup);
  }

  /** Backups, newest first. */
  async backups(): Promise<CrontabBackup[]> {
    let names: string[];
    try {
      names = await readdir(this.backupDir);
    } catch (err) {
      if ((err as { code?: unknown }).code === 'ENOENT') return [];
      throw err;
    }
    const out: CrontabBackup[] = [];
    for (const name of names
      .filter((n) => n.endsWith('.json'))
      .sort()
      .reverse()) {
      try {
        out.push(JSON.parse(await readFile(join(this.backupDir, name), 'utf8')) as CrontabBackup);
      } catch {
        // A half-written or foreign file is not a backup we can offer.
        continue;
      }
    }
    return out;
  }

  /** Restore the crontab the newest backup replaced, if nothing changed it since. */
  async undo(): Promise<Result<CrontabBackup>> {
    const [latest] = await this.backups();
    if (!latest) return fail('invalid-input', 'There is no crontab change to undo.');
    const current = await this.read();
    if (!current.ok) return current;
    if (current.value !== latest.after) {
      return fail(
        'conflict',
        'The crontab was changed since Daemon Deck last wrote it, so undo would lose that change. Nothing was written.',
      );
    }
    const w = await this.crontab(['-'], latest.before);
    if ('message' in w) return { ok: false, error: w };
    if (w.code !== 0)
      return fail('internal', `crontab refused the backup: ${firstLine(w.stderr)}`, w.stderr);
    await rm(join(this.backupDir, `${latest.id}.json`), { force: true });
    return ok(latest);
  }

  private async saveBackup(b: Omit<CrontabBackup, 'id' | 'createdAt'>): Promise<CrontabBackup> {
    await mkdir(this.backupDir, { recursive: true, mode: 0o700 });
    const now = new Date();
    const id = `${now.toISOString().replace(/[:.]/g, '-')}-${randomBytes(3).toString('hex')}`;
    const backup: CrontabBackup = { id, createdAt: now.toISOString(), ...b };
    await writeFileAtomic(
      join(this.backupDir, `${id}.json`),
      JSON.stringify(backup, null, 2),
      0o600,
    );
    const names = (await readdir(this.backupDir)).filter((n) => n.endsWith('.json')).sort();
    for (const old of names.slice(0, Math.max(0, names.length - this.keep)))
      await rm(join(this.backupDir, old), { force: true });
    return backup;
  }
}

function firstLine(s: string): string {
  return s.trim().split('\n')[0] ?? '';
}
