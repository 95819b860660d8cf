// A private crontab spool and cron daemon for tests.
//
// CI runs as root, so a plain `crontab` would edit root's real crontab. This holds a private mount
// namespace open (`unshare -m --propagation private`, then a sleeping process) in which empty temp
// directories are bind-mounted over /var/spool/cron/crontabs, /run (so /run/crond.reboot and
// /run/crond.pid are ours, never the host's) and /etc/cron.d, and an empty file over /etc/crontab
// (so no system job runs during a test). `crontab` and `cron -f` run inside it via
// `nsenter --mount=/proc/PID/ns/mnt --`. Needs root (mount), util-linux unshare/nsenter and cron.
// The mount script is a constant; paths reach it as positional arguments, never interpolated.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { holdNamespace } from './mount-ns.js';

const execFileP = promisify(execFile);

const MOUNT_SCRIPT =
  'mount --bind "$1" /var/spool/cron/crontabs && mount --bind "$2" /run && ' +
  'mount --bind "$3" /etc/cron.d && mount --bind "$4" /etc/crontab && echo ready && exec sleep 100000';

export interface CronDaemon {
  pid: number;
  stop(): Promise<void>;
}

export interface CronSandbox {
  root: string;
  /** PID of the process holding the private mount namespace open. */
  holderPid: number;
  /** The private spool: root's crontab file appears here as `root`. */
  spool: string;
  /** The private /run. */
  run: string;
  /** argv prefix that runs crontab(1) inside the namespace. */
  crontab: string[];
  /** Run a command inside the namespace. */
  exec(argv: string[], input?: string): Promise<{ code: number; stdout: string; stderr: string }>;
  /** `crontab -l` as bytes (for crontabs that are not UTF-8). */
  crontabBytes(): Promise<Buffer>;
  /** Start `cron -f` inside the namespace (after removing the private /run/crond.reboot). */
  startCron(): Promise<CronDaemon>;
  stop(): Promise<void>;
}

export class CronSandboxError extends Error {}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export async function startCronSandbox(): Promise<CronSandbox> {
  for (const bin of ['/usr/bin/crontab', '/usr/sbin/cron', '/usr/bin/unshare', '/usr/bin/nsenter'])
    if (!existsSync(bin)) throw new CronSandboxError(`${bin} is missing: install cron/util-linux.`);
  if (process.getuid?.() !== 0)
    throw new CronSandboxError('the cron sandbox needs root (it bind-mounts a private spool).');
  const root = await mkdtemp(join(tmpdir(), 'dd-cron-'));
  const spool = join(root, 'spool');
  const run = join(root, 'run');
  const crond = join(root, 'cron.d');
  const etcCrontab = join(root, 'crontab');
  for (const d of [spool, run, crond]) await mkdir(d);
  await writeFile(etcCrontab, '');

  let held: Awaited<ReturnType<typeof holdNamespace>>;
  try {
    held = await holdNamespace(MOUNT_SCRIPT, [spool, run, crond, etcCrontab]);
  } catch (err) {
    await rm(root, { recursive: true, force: true });
    throw new CronSandboxError(`could not set up the private cron namespace: ${String(err)}`);
  }
  const { pid, holder } = held;
  // The holder is `sh` exec'd into sleep: its mount namespace is the private one.
  const ns = `/proc/${pid}/ns/mnt`;
  const nsenter = ['nsenter', `--mount=${ns}`, '--'];

  const exec = (argv: string[], input?: string) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      const child = execFile(
        nsenter[0]!,
        [...nsenter.slice(1), ...argv],
        { env: { ...process.env, LC_ALL: 'C' }, timeout: 15_000 },
        (err, stdout, stderr) => {
          const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
          resolve({ code, stdout, stderr });
        },
      );
      // crontab -l never reads stdin: a closed pipe is not an error here.
      child.stdin?.on('error', () => undefined);
      child.stdin?.end(input ?? '');
    });

  const daemons = new Set<ChildProcess>();
  return {
    root,
    holderPid: pid,
    spool,
    run,
    crontab: [...nsenter, 'crontab'],
    exec,
    crontabBytes: () =>
      new Promise<Buffer>((resolve, reject) => {
        execFile(
          nsenter[0]!,
          [...nsenter.slice(1), 'crontab', '-l'],
          { env: { ...process.env, LC_ALL: 'C' }, encoding: 'buffer', timeout: 15_000 },
          (err, stdout, stderr) =>
            err === null ? resolve(stdout) : reject(new Error(`crontab -l: ${stderr.toString()}`)),
        );
      }),
    async startCron() {
      await rm(join(run, 'crond.reboot'), { force: true });
      await rm(join(run, 'crond.pid'), { force: true });
      const child = spawn(nsenter[0]!, [...nsenter.slice(1), 'cron', '-f'], {
        stdio: 'ignore',
        env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LC_ALL: 'C' },
      });
      daemons.add(child);
      const cpid = child.pid;
      if (cpid === undefined) throw new CronSandboxError('could not start cron -f');
      let exited = false;
      child.on('exit', () => (exited = true));
      return {
        pid: cpid,
        async stop() {
          if (!exited) child.kill('SIGTERM');
          for (let i = 0; i < 100 && !exited; i++) await sleep(20);
          if (!exited) child.kill('SIGKILL');
          daemons.delete(child);
        },
      };
    },
    async stop() {
      for (const d of daemons) d.kill('SIGKILL');
      // The jobs cron started (an @reboot `sleep`, say) outlive cron, reparented to init: every
      // process still in the private mount namespace goes with it.
      await killNamespace(ns, pid);
      holder.kill('SIGKILL');
      await sleep(50);
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** SIGKILL every process but `keep` whose mount namespace is the one at `ns`. */
async function killNamespace(ns: string, keep: number): Promise<void> {
  const target = await readlink(ns).catch(() => null);
  if (target === null) return;
  for (const name of await readdir('/proc')) {
    const p = Number(name);
    if (!Number.isInteger(p) || p === keep || p === process.pid) continue;
    if ((await readlink(`/proc/${p}/ns/mnt`).catch(() => null)) !== target) continue;
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      // Gone already.
    }
  }
}

/** The invoking user's own crontab as `crontab -l` shows it outside any namespace. */
export async function hostCrontab(): Promise<string> {
  try {
    const { stdout } = await execFileP('crontab', ['-l'], { env: { ...process.env, LC_ALL: 'C' } });
    return stdout;
  } catch (err) {
    const e = err as { stderr?: string };
    return `(exit) ${e.stderr ?? String(err)}`;
  }
}
