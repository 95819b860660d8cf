// A private mount namespace for the failure drills: a read-only folder or a full disk that only
// the test sees, never the machine.
//
// Like cron-sandbox.ts, a holder process (`unshare -m --propagation private`, then sleep) keeps the
// namespace open; mounts are made inside it with `nsenter --mount=/proc/PID/ns/mnt`. Programs run
// inside it the same way (the CLI meets the fault as a user would), and the test process, which
// stays outside, reaches the namespace's view of any path through /proc/PID/root/PATH (path
// lookup there continues in the holder's mount namespace), so an in-process core pointed at
// such a path writes through the read-only or full mount too. CI runs as root, which ignores mode
// bits, so "not writable" has to be a read-only mount. Needs root and util-linux unshare/nsenter.
// No input reaches a shell: mount arguments are argument vectors.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cp, open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { runFile, type Run } from '../helpers/cli.js';

export type NsRun = Run;

export interface MountNamespace {
  /** PID of the holder (its /proc/PID/ns/mnt is the namespace). */
  pid: number;
  /** argv prefix that runs a program inside the namespace. */
  prefix: string[];
  exec(argv: string[], opts?: { env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<NsRun>;
  /** `path` as the namespace sees it, reachable from outside (through /proc/PID/root). */
  view(path: string): string;
  /** Make `dir` read-only inside the namespace (a read-only bind mount of itself). */
  readOnly(dir: string): Promise<void>;
  /**
   * Mount a tmpfs of `bytes` over `dir` inside the namespace, holding a copy of what was there
   * (read from `from`, by default `dir` as the test process sees it).
   */
  tmpfs(dir: string, bytes: number, from?: string): Promise<void>;
  /** Fill the filesystem holding `dir` (inside the namespace) with `name` until it is full. */
  fill(dir: string, name?: string): Promise<void>;
  /** Undo a mount made over `dir`. */
  unmount(dir: string): Promise<void>;
  stop(): Promise<void>;
}

export class MountNamespaceError extends Error {}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * Start a process that holds a private mount namespace open: `unshare -m --propagation private`
 * running `sh -c SCRIPT sh ARGS...`, where SCRIPT ends with `echo ready && exec sleep 100000`.
 * Resolves once it sleeps (its namespace then is the private one, mounts made); throws with its
 * stderr when it does not get there.
 */
export async function holdNamespace(
  script: string,
  args: string[] = [],
): Promise<{ pid: number; holder: ChildProcess }> {
  const holder: ChildProcess = spawn(
    'unshare',
    ['-m', '--propagation', 'private', '--', 'sh', '-c', script, 'sh', ...args],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  holder.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const ready = await new Promise<boolean>((resolve) => {
    holder.stdout?.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) resolve(true);
    });
    holder.on('exit', () => resolve(false));
    setTimeout(() => resolve(false), 10_000);
  });
  const pid = holder.pid;
  const comm = () => {
    try {
      return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    } catch {
      return null;
    }
  };
  // `echo ready` comes just before `exec sleep`: wait for the exec so the holder is settled.
  for (let i = 0; i < 100 && ready && comm() !== 'sleep'; i++) await sleep(20);
  if (!ready || pid === undefined || comm() !== 'sleep') {
    holder.kill('SIGKILL');
    throw new MountNamespaceError(`could not open a private mount namespace: ${stderr.trim()}`);
  }
  return { pid, holder };
}

export async function startMountNamespace(): Promise<MountNamespace> {
  for (const bin of ['/usr/bin/unshare', '/usr/bin/nsenter', '/usr/bin/mount'])
    if (!existsSync(bin)) throw new MountNamespaceError(`${bin} is missing: install util-linux.`);
  if (process.getuid?.() !== 0)
    throw new MountNamespaceError('the drills need root to mount inside a private namespace.');
  const { pid, holder } = await holdNamespace('echo ready && exec sleep 100000');
  return attachMountNamespace(pid, async () => {
    holder.kill('SIGKILL');
    await new Promise<void>((resolve) => {
      if (holder.exitCode !== null || holder.signalCode !== null) resolve();
      else holder.once('exit', () => resolve());
    });
  });
}

/**
 * The mount helpers on a namespace some other holder keeps open (e.g. the cron sandbox's).
 * `stop` is what stop() does: nothing unless given.
 */
export function attachMountNamespace(
  pid: number,
  stop: () => Promise<void> = () => Promise.resolve(),
): MountNamespace {
  const prefix = ['nsenter', `--mount=/proc/${pid}/ns/mnt`, '--'];
  const exec: MountNamespace['exec'] = (argv, opts = {}) =>
    runFile(prefix[0]!, [...prefix.slice(1), ...argv], opts.env ?? process.env, opts.timeoutMs);
  const must = async (argv: string[]) => {
    const r = await exec(argv);
    if (r.code !== 0)
      throw new MountNamespaceError(`${argv.join(' ')} failed in the namespace: ${r.stderr}`);
  };
  const view = (path: string) => `/proc/${pid}/root${path}`;

  return {
    pid,
    prefix,
    exec,
    view,
    async readOnly(dir) {
      await must(['mount', '--bind', dir, dir]);
      await must(['mount', '-o', 'remount,bind,ro', dir]);
    },
    async tmpfs(dir, bytes, from = dir) {
      // What the folder held, copied from `from` as the test process sees it (by default the
      // same path outside the namespace), since the namespace shows the empty tmpfs there now.
      const names = await readdir(from);
      await must(['mount', '-t', 'tmpfs', '-o', `size=${bytes},mode=0755`, 'tmpfs', dir]);
      if (names.length > 0)
        await cp(from, view(dir), { recursive: true, preserveTimestamps: true });
    },
    async fill(dir, name = 'zz-filler') {
      const fh = await open(join(view(dir), name), 'w');
      const chunk = Buffer.alloc(4096, 0x78);
      try {
        for (;;) await fh.write(chunk);
      } catch (err) {
        if ((err as { code?: unknown }).code !== 'ENOSPC') throw err;
      } finally {
        await fh.close();
      }
      // A last partial page may still fit: write single bytes until that fails too.
      const tail = await open(join(view(dir), name), 'a');
      try {
        for (;;) await tail.write(Buffer.from('x'));
      } catch (err) {
        if ((err as { code?: unknown }).code !== 'ENOSPC') throw err;
      } finally {
        await tail.close();
      }
    },
    async unmount(dir) {
      await must(['umount', dir]);
    },
    stop,
  };
}
