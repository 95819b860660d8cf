// This machine as a Host: child_process with argument vectors, node:fs, the store layer's lock.
import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access, lstat, readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../atomic-write.js';
import { t } from '../../../i18n/index.js';
import { AppFailure, appError, fileError } from '../errors.js';
import { createFile, readOrNull, updateFile, withLock } from '../store/file-store.js';
import { xdgDirs } from '../xdg.js';
import { programCandidates } from './find-program.js';
import type { DetachedOptions, FileInfo, Host, RunOptions, RunResult } from './host.js';

const MAX_OUTPUT = 64 * 1024 * 1024;

/**
 * Whether `file` certainly names nothing, as the spawn would look for it (programCandidates): no
 * candidate exists. Then the spawn's ENOENT is known without a fork (and without loading
 * child_process): a crontab(1) or tmux that is not installed costs a stat or a few. A relative
 * candidate (a relative path, an empty or relative PATH entry) is left to the spawn, which
 * resolves it in the child's working folder.
 */
async function surelyMissing(file: string, env: NodeJS.ProcessEnv): Promise<boolean> {
  const absent = (path: string) =>
    stat(path).then(
      () => false,
      (err: NodeJS.ErrnoException) => err.code === 'ENOENT',
    );
  const candidates = programCandidates(file, env.PATH);
  if (!candidates.every((c) => c.startsWith('/'))) return false;
  for (const c of candidates) if (!(await absent(c))) return false;
  return true;
}

/** The one process runner: argv only, output collected, a spawn failure is code 127 with its errno. */
export async function runLocal(argv: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  const [file, ...args] = argv;
  if (file === undefined || file === '') throw new Error('run: empty argv');
  if (await surelyMissing(file, opts.env ?? process.env))
    return {
      code: 127,
      signal: null,
      stdout: '',
      stderr: `${file}: not found`,
      stdoutBytes: Buffer.alloc(0),
      spawnError: 'ENOENT',
      timedOut: false,
    };
  return new Promise((resolve) => {
    const child = spawn(file, args, {
      env: opts.env ?? process.env,
      ...(opts.cwd !== undefined ? { cwd: opts.cwd } : {}),
      stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let size = 0;
    let timedOut = false;
    let spawnError: string | null = null;
    const collect = (into: Buffer[]) => (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_OUTPUT) into.push(chunk);
      else child.kill('SIGTERM');
    };
    child.stdout?.on('data', collect(out));
    child.stderr?.on('data', collect(err));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
    }, opts.timeoutMs ?? 30_000);
    if (opts.input !== undefined && child.stdin !== null) {
      // EPIPE when the program exits without reading: its exit status says what happened.
      child.stdin.on('error', () => undefined);
      child.stdin.end(opts.input);
    }
    child.on('error', (e: NodeJS.ErrnoException) => {
      spawnError = e.code ?? 'EUNKNOWN';
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const stdoutBytes = Buffer.concat(out);
      const stderr = Buffer.concat(err).toString('utf8');
      resolve({
        code: spawnError !== null ? 127 : (code ?? 128),
        signal: signal ?? null,
        stdout: stdoutBytes.toString('utf8'),
        stderr:
          spawnError !== null && stderr === ''
            ? `${file}: ${spawnError === 'ENOENT' ? 'not found' : spawnError === 'EACCES' ? 'permission denied' : spawnError}`
            : stderr,
        stdoutBytes,
        spawnError,
        timedOut,
      });
    });
  });
}

/** A program started and left running on its own (see Host.spawnDetached). */
export function spawnDetachedLocal(
  argv: readonly string[],
  opts: DetachedOptions = {},
): Promise<number> {
  const [file, ...args] = argv;
  if (file === undefined || file === '') return Promise.reject(new Error('run: empty argv'));
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      env: opts.env ?? process.env,
      ...(opts.cwd !== undefined ? { cwd: opts.cwd } : {}),
      detached: true,
      stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'ignore', 'ignore'],
    });
    child.once('error', (err) =>
      reject(
        new AppFailure(
          fileError(err) ??
            appError('internal', t('errors:program.couldNotStart', { file, reason: String(err) })),
        ),
      ),
    );
    child.once('spawn', () => {
      if (opts.input !== undefined && child.stdin !== null) {
        child.stdin.on('error', () => undefined);
        child.stdin.end(opts.input);
      }
      child.unref();
      resolve(child.pid!);
    });
  });
}

export function createLocalHost(env: NodeJS.ProcessEnv): Host {
  const store = { env };
  return {
    name: 'local',
    env,
    xdg: xdgDirs(env),
    run: (argv, opts = {}) => runLocal(argv, { env, ...opts }),
    spawnDetached: (argv, opts = {}) => spawnDetachedLocal(argv, { env, ...opts }),
    async readFile(path) {
      try {
        return await readFile(path);
      } catch (err) {
        throw new AppFailure(
          fileError(err, path, 'read') ??
            appError('internal', t('errors:host.couldNotRead', { path })),
        );
      }
    },
    readOrNull,
    async stat(path): Promise<FileInfo | null> {
      try {
        const s = await lstat(path);
        const kind = s.isSymbolicLink()
          ? 'link'
          : s.isFile()
            ? 'file'
            : s.isDirectory()
              ? 'dir'
              : 'other';
        return { kind, mode: s.mode, size: s.size, mtimeMs: s.mtimeMs };
      } catch (err) {
        if ((err as { code?: unknown }).code === 'ENOENT') return null;
        throw new AppFailure(
          fileError(err, path, 'read') ??
            appError('internal', t('errors:host.couldNotRead', { path })),
        );
      }
    },
    canExecute: (path) =>
      access(path, constants.X_OK).then(
        () => true,
        () => false,
      ),
    async readdir(path) {
      try {
        return await readdir(path);
      } catch (err) {
        const code = (err as { code?: unknown }).code;
        if (code === 'ENOENT' || code === 'ENOTDIR') return [];
        throw new AppFailure(
          fileError(err, path, 'read') ??
            appError('internal', t('errors:host.couldNotRead', { path })),
        );
      }
    },
    writeFileAtomic: (path, data, mode) => writeFileAtomic(path, data, mode),
    async remove(path) {
      try {
        await rm(path, { force: true });
      } catch (err) {
        throw new AppFailure(
          fileError(err, path, 'remove') ??
            appError('internal', t('errors:host.couldNotRemove', { path })),
        );
      }
    },
    withLock: (target, fn) => withLock(store, target, fn),
    createFile: (path, data, mode, what) => createFile(store, path, data, mode, what),
    updateFile: (path, change, mode) => updateFile(store, path, change, mode),
    sessionBusAddress() {
      const addr = env.DBUS_SESSION_BUS_ADDRESS;
      if (addr !== undefined && addr !== '') return addr;
      const runtime = xdgDirs(env).runtime;
      return runtime === null ? null : `unix:path=${join(runtime, 'bus')}`;
    },
  };
}
