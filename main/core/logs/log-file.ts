// A log file a background command writes (Run in background, a watch rule's log): its size and
// growth, and rotation that loses no line.
//
// The rotation rule. A process started by Daemon Deck (or with `>>`) writes its log through an
// fd opened with O_APPEND: every write(2) lands at the file's end as it is at that moment.
// - rename(2) alone rotates nothing: the writer keeps its fd on the renamed inode and goes on
//   writing into the old file; the new name stays empty.
// - copytruncate (copy, then truncate) loses every line written between the end of the copy and
//   the truncate: they are in neither file.
// - So: copy the bulk while the writers run, then stop every process that has the file open for
//   writing (SIGSTOP; a stopped process is in no write(2): a write in progress completes before
//   the stop takes effect, and its state reads T only once it is stopped), copy the rest, put
//   the copy in place (fsync, rename), truncate the file to 0 and continue the writers (SIGCONT).
//   Every byte written before the stop is in the copy; every byte written after it lands at the
//   new end of the truncated file, which with O_APPEND is offset 0, not a hole. The writers are
//   stopped only for the copy of the tail (milliseconds). A writer the user had stopped stays
//   stopped.
// - A writer whose fd lacks O_APPEND (`>` rather than `>>`) would go on writing at its old
//   offset after the truncate, leaving a hole of NUL bytes: such a file is not rotated, and the
//   reason says which process.
// - Writers are found in /proc/PID/fd (the same device and inode) and their flags in
//   /proc/PID/fdinfo; only the user's own processes are visible. A child forked while its parent
//   was being stopped is caught by looking at the stopped ones' children until none is new.
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { open, readFile, rename, rm, stat, truncate } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { t } from '../../../i18n/index.js';
import type { LogFileInfo, RotateOutcome } from '../model/logs.js';
import { AppFailure, appError, fileError, toAppError } from '../errors.js';

export type { LogFileInfo, RotateOutcome };

const WINDOW_MS = 5 * 60_000;

/** Size samples per file, for growth. */
export class GrowthMeter {
  readonly #samples = new Map<string, Array<{ at: number; size: number }>>();
  constructor(private readonly now: () => number = Date.now) {}

  /** Records `size` now and answers bytes per minute since the oldest sample in the window. */
  sample(path: string, size: number | null): number | null {
    const at = this.now();
    if (size === null) {
      this.#samples.delete(path);
      return null;
    }
    const kept = (this.#samples.get(path) ?? []).filter((s) => at - s.at <= WINDOW_MS);
    // Rotated or truncated: the growth starts again.
    const last = kept.at(-1);
    const list = last !== undefined && size < last.size ? [] : kept;
    list.push({ at, size });
    this.#samples.set(path, list);
    const first = list[0]!;
    if (list.length < 2 || at - first.at < 1000) return null;
    return ((size - first.size) / (at - first.at)) * 60_000;
  }
}

export async function logFileInfo(
  path: string,
  limit: number,
  meter: GrowthMeter,
): Promise<LogFileInfo> {
  let size: number | null = null;
  try {
    size = (await stat(path)).size;
  } catch (err) {
    if ((err as { code?: unknown }).code !== 'ENOENT') throw err;
  }
  const growthPerMin = meter.sample(path, size);
  return { path, size, growthPerMin, limit, overLimit: size !== null && size > limit };
}

interface Writer {
  pid: number;
  append: boolean;
}

const O_ACCMODE = 0o3;
const O_APPEND = 0o2000;

/** The processes with `path`'s inode open for writing, and whether with O_APPEND; among `pids`
 *  when given, else among all. Synchronous: thousands of tiny /proc reads are many times faster
 *  so than through the thread pool, and the rotation's pause waits for the rescan. */
export function findWriters(path: string, procRoot = '/proc', pids?: readonly number[]): Writer[] {
  const target = statSync(path);
  const writers = new Map<number, Writer>();
  const all =
    pids ??
    readdirSync(procRoot)
      .filter((d) => /^\d+$/.test(d))
      .map(Number);
  for (const pid of all) {
    if (pid === process.pid) continue;
    let fds: string[];
    try {
      fds = readdirSync(join(procRoot, String(pid), 'fd'));
    } catch {
      continue; // gone, or not ours
    }
    for (const fd of fds) {
      try {
        const s = statSync(join(procRoot, String(pid), 'fd', fd));
        if (s.ino !== target.ino || s.dev !== target.dev) continue;
        const info = readFileSync(join(procRoot, String(pid), 'fdinfo', fd), 'utf8');
        const flags = parseInt(/^flags:\s*([0-7]+)/m.exec(info)?.[1] ?? '0', 8);
        if ((flags & O_ACCMODE) === 0) continue; // read-only: a reader, not a writer
        const append = (flags & O_APPEND) !== 0;
        const seen = writers.get(pid);
        writers.set(pid, { pid, append: append && (seen?.append ?? true) });
      } catch {
        continue; // the fd closed meanwhile
      }
    }
  }
  return [...writers.values()];
}

/** The children of `pids` (threads included), where a fork made while stopping would be. */
function childrenOf(pids: readonly number[], procRoot: string): number[] {
  const out: number[] = [];
  for (const pid of pids) {
    try {
      for (const task of readdirSync(join(procRoot, String(pid), 'task'))) {
        const list = readFileSync(join(procRoot, String(pid), 'task', task, 'children'), 'utf8');
        out.push(...list.split(/\s+/).filter(Boolean).map(Number));
      }
    } catch {
      continue;
    }
  }
  return out;
}

async function procState(pid: number, procRoot: string): Promise<string | null> {
  try {
    const s = await readFile(join(procRoot, String(pid), 'stat'), 'utf8');
    return s.slice(s.lastIndexOf(')') + 2, s.lastIndexOf(')') + 3);
  } catch {
    return null;
  }
}

async function copyRange(from: string, to: string, start: number, end: number): Promise<void> {
  const src = await open(from, 'r');
  const dst = await open(to, 'a', 0o600);
  try {
    const buf = Buffer.alloc(1 << 20);
    for (let pos = start; pos < end;) {
      const { bytesRead } = await src.read(buf, 0, Math.min(buf.length, end - pos), pos);
      if (bytesRead === 0) break;
      await dst.write(buf, 0, bytesRead);
      pos += bytesRead;
    }
    await dst.sync();
  } finally {
    await src.close();
    await dst.close();
  }
}

async function freeName(base: string): Promise<string> {
  for (let i = 1; ; i++) {
    const name = i === 1 ? base : `${base}-${i}`;
    try {
      await stat(name);
    } catch {
      return name;
    }
  }
}

export interface RotateOptions {
  now?: Date;
  procRoot?: string;
  kill?: (pid: number, signal: NodeJS.Signals) => void;
}

/** Rotates `path` to PATH.YYYYMMDD-HHMMSS without losing a byte its writers write (see above). */
export async function rotateLogFile(
  path: string,
  opts: RotateOptions = {},
): Promise<RotateOutcome> {
  const procRoot = opts.procRoot ?? '/proc';
  const kill = opts.kill ?? ((pid, sig) => process.kill(pid, sig));
  let first: number;
  try {
    first = (await stat(path)).size;
  } catch (err) {
    throw new AppFailure(fileError(err, path) ?? toAppError(err));
  }
  const stamp = (opts.now ?? new Date()).toISOString().replace(/[-:]/g, '').replace('T', '-');
  const dest = await freeName(`${path}.${stamp.slice(0, 15)}`);
  const tmp = join(dirname(path), `.${basename(path)}.rotate-${randomBytes(6).toString('hex')}`);
  const stopped: number[] = [];
  let resumed = false;
  const resume = () => {
    if (resumed) return;
    resumed = true;
    for (const pid of stopped) {
      try {
        kill(pid, 'SIGCONT');
      } catch {
        // gone meanwhile
      }
    }
  };
  try {
    const writers = findWriters(path, procRoot);
    const blind = writers.find((w) => !w.append);
    if (blind !== undefined)
      throw new AppFailure(
        appError('invalid-input', t('logs:rotate.notAppend', { pid: blind.pid, path })),
      );
    await copyRange(path, tmp, 0, first);
    const pausedAt = performance.now();
    // Stop every writer; look again until no new one appears (a fork meanwhile).
    for (let round = 0; round < 5; round++) {
      const now =
        round === 0 ? writers : findWriters(path, procRoot, childrenOf(stopped, procRoot));
      const fresh = now.filter((w) => !stopped.includes(w.pid));
      if (fresh.length === 0) break;
      for (const w of fresh) {
        if (!w.append)
          throw new AppFailure(
            appError('invalid-input', t('logs:rotate.notAppend', { pid: w.pid, path })),
          );
        const before = await procState(w.pid, procRoot);
        if (before === null) continue;
        if (before === 'T' || before === 't') continue; // stopped by the user: leave it so
        kill(w.pid, 'SIGSTOP');
        stopped.push(w.pid);
      }
      for (const pid of stopped) {
        const deadline = Date.now() + 2000;
        for (;;) {
          const s = await procState(pid, procRoot);
          if (s === null || s === 'T' || s === 't' || s === 'Z' || s === 'X') break;
          if (Date.now() > deadline)
            throw new AppFailure(appError('timeout', t('logs:rotate.noStop', { pid })));
          await new Promise((r) => setTimeout(r, 1));
        }
      }
    }
    const end = (await stat(path)).size;
    await copyRange(path, tmp, first, end);
    await rename(tmp, dest);
    await truncate(path, 0);
    resume();
    const pausedMs = stopped.length > 0 ? performance.now() - pausedAt : 0;
    return { path, rotatedTo: dest, bytes: end, writers: [...stopped], pausedMs };
  } catch (err) {
    await rm(tmp, { force: true });
    throw err instanceof AppFailure ? err : new AppFailure(fileError(err, path) ?? toAppError(err));
  } finally {
    resume();
  }
}
