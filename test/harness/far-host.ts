// A real far host on loopback for the SSH tests (issue 17): a second local user with key login,
// an sshd of our own on 127.0.0.1 (its own config, host key and pid file; no PAM), and that
// user's own `systemd --user` with its session bus at /run/user/UID/bus, in a cgroup subtree
// made for it and chowned to it (PLATFORM-NOTES "Other hosts over SSH").
//
// Needs root (it creates a user and starts sshd) and openssh-server/-client. It never skips:
// when anything cannot start, startFarHost() throws with what failed. The test's ssh reads the
// config file this writes (`ssh -F`), so the invoking user's ~/.ssh is never read or written.
// stop() kills everything it started (by pid), removes the user, its runtime folder and files.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  closeSync,
  existsSync,
  openSync,
  readFileSync,
  readdirSync,
  statSync,
} from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  cgroupTreePids,
  killTree,
  ownCgroups,
  removeCgroupTree,
  sandboxPids,
  type RunResult,
} from './sandbox.js';

const SYSTEMD = '/usr/lib/systemd/systemd';
const SSHD = '/usr/sbin/sshd';

export class FarHostError extends Error {}

export interface FarHost {
  /** The Host alias the ssh config file names ("far"). */
  alias: string;
  /** The far user's name, uid and home. */
  user: string;
  uid: number;
  home: string;
  port: number;
  /** The ssh config file (Host far ...): pass it with `ssh -F`. */
  sshConfig: string;
  /** The ssh client argv prefix that uses only that config: ['ssh', '-F', sshConfig]. */
  sshArgv: string[];
  /** The far user's unit folder (~/.config/systemd/user). */
  unitDir: string;
  /** The far user's bus address (on the far side). */
  busAddress: string;
  /** Runs argv as the far user over ssh (each argument quoted for its shell by the caller). */
  ssh(command: string, opts?: { timeoutMs?: number; input?: string }): Promise<RunResult>;
  /** `systemctl --user ARGS` as the far user, over ssh (arguments are fixed words in tests). */
  systemctl(...args: string[]): Promise<RunResult>;
  /** Writes a unit file as the far user (owned by it) and reloads its manager (unless false). */
  writeUnit(name: string, text: string, reload?: boolean): Promise<void>;
  /** Kills the sshd (drills); startSshd() brings it back on the same port. */
  stopSshd(): Promise<void>;
  startSshd(): Promise<void>;
  /** Kills every open SSH connection to the far user (the sshd of each session). */
  dropSshSessions(): Promise<void>;
  /** Stops the far user's systemd --user (SIGTERM: it stops its units) and starts it again. */
  restartManager(): Promise<void>;
  /** The pid of the app's ssh master for the far host (`ssh -O check` on its control path), or -1. */
  masterPid(env: NodeJS.ProcessEnv): Promise<number>;
  stop(): Promise<void>;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

async function run(
  file: string,
  args: string[],
  opts: { timeoutMs?: number; input?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = execFile(
      file,
      args,
      {
        timeout: opts.timeoutMs ?? 30_000,
        maxBuffer: 64 * 1024 * 1024,
        ...(opts.env !== undefined ? { env: opts.env } : {}),
      },
      (err, stdout, stderr) => {
        const code = err === null ? 0 : typeof err.code === 'number' ? err.code : 1;
        resolve({ stdout, stderr: err !== null && stderr === '' ? err.message : stderr, code });
      },
    );
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });
}

async function must(file: string, args: string[], what: string): Promise<string> {
  const r = await run(file, args);
  if (r.code !== 0) throw new FarHostError(`${what} failed (${r.code}): ${r.stderr.trim()}`);
  return r.stdout;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Every pid whose real uid is `uid` (the far user's processes, whoever started them). */
function pidsOfUid(uid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const status = readFileSync(`/proc/${name}/status`, 'latin1');
      const m = /^Uid:\s+(\d+)/m.exec(status);
      if (m !== null && Number(m[1]) === uid) out.push(Number(name));
    } catch {
      continue;
    }
  }
  return out;
}

/** The per-connection sshd processes of `user`'s sessions. */
function sshdSessionPids(user: string): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cmd = readFileSync(`/proc/${name}/cmdline`, 'latin1').split('\0')[0] ?? '';
      if (cmd.startsWith(`sshd: ${user}`)) out.push(Number(name));
    } catch {
      continue;
    }
  }
  return out;
}

/** A config file: one line per setting. */
function writeLines(path: string, lines: string[]): Promise<void> {
  return writeFile(path, `${lines.join('\n')}\n`);
}

/** chown a delegated cgroup folder and the files a manager writes (systemd's delegation rules). */
function delegate(dir: string, uid: number, gid: number): void {
  chownSync(dir, uid, gid);
  for (const f of ['cgroup.procs', 'cgroup.subtree_control', 'cgroup.threads', 'tasks'])
    if (existsSync(join(dir, f))) chownSync(join(dir, f), uid, gid);
}

export async function startFarHost(opts: { label?: string } = {}): Promise<FarHost> {
  if (process.getuid?.() !== 0)
    throw new FarHostError('the far host harness needs root (it creates a user and runs sshd)');
  for (const bin of [SSHD, '/usr/bin/ssh', '/usr/bin/ssh-keygen', SYSTEMD, '/usr/bin/setpriv'])
    if (!existsSync(bin))
      throw new FarHostError(`${bin} is missing: install openssh-server openssh-client systemd`);
  if (!existsSync('/run/systemd/system')) await mkdir('/run/systemd/system', { recursive: true });
  await mkdir('/run/sshd', { recursive: true, mode: 0o755 });

  const root = await mkdtemp(join(tmpdir(), `dd-far-${opts.label ?? 'test'}-`));
  await chmod(root, 0o755);
  const user = `ddfar${randomBytes(3).toString('hex')}`;
  const home = join(root, 'home');
  const alias = 'far';
  let sshd: ChildProcess | null = null;
  let manager: ChildProcess | null = null;
  let uid = -1;
  let cgroups: string[] = [];
  let runtimeDir = '';
  let userMade = false;

  const stop = async () => {
    if (sshd !== null && sshd.exitCode === null) sshd.kill('SIGKILL');
    sshd = null;
    if (manager !== null && manager.exitCode === null) manager.kill('SIGTERM');
    for (let i = 0; i < 40 && manager !== null && manager.exitCode === null; i++) await sleep(50);
    if (uid > 0) await killTree(() => pidsOfUid(uid));
    await killTree(() => cgroups.flatMap((c) => cgroupTreePids(dirname(c))));
    for (const dir of cgroups) removeCgroupTree(dirname(dir));
    // The far user's crontab (the system's spool, not the invoking user's) goes with the user.
    if (userMade) await run('crontab', ['-r', '-u', user]);
    if (userMade) await run('userdel', ['-f', user]);
    if (runtimeDir !== '') await rm(runtimeDir, { recursive: true, force: true });
    await rm(root, { recursive: true, force: true, maxRetries: 3 });
  };

  try {
    await must(
      'useradd',
      ['-M', '-d', home, '-s', '/bin/sh', '-U', '-p', '*', user],
      `useradd ${user}`,
    );
    userMade = true;
    uid = Number((await must('id', ['-u', user], 'id -u')).trim());
    const gid = Number((await must('id', ['-g', user], 'id -g')).trim());
    const sshDir = join(home, '.ssh');
    const unitDir = join(home, '.config', 'systemd', 'user');
    await mkdir(sshDir, { recursive: true });
    await mkdir(unitDir, { recursive: true });
    await must('chown', ['-R', `${uid}:${gid}`, home], 'chown home');

    // Keys: the client's (its public half authorised for the far user) and the server's own.
    const clientKey = join(root, 'client_key');
    const hostKey = join(root, 'host_key');
    await must('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', clientKey], 'ssh-keygen');
    await must('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', hostKey], 'ssh-keygen');
    const authorized = join(sshDir, 'authorized_keys');
    await writeFile(authorized, readFileSync(`${clientKey}.pub`));
    await chown(authorized, uid, gid);
    await chmod(authorized, 0o600);

    const port = await freePort();
    const sshdConfig = join(root, 'sshd_config');
    await writeLines(sshdConfig, [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${hostKey}`,
      `PidFile ${join(root, 'sshd.pid')}`,
      'UsePAM no',
      'StrictModes no',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PubkeyAuthentication yes',
      `AllowUsers ${user}`,
      'MaxSessions 20',
      'LogLevel ERROR',
    ]);
    const knownHosts = join(root, 'known_hosts');
    const hostPub = readFileSync(`${hostKey}.pub`, 'utf8').trim().split(' ').slice(0, 2).join(' ');
    await writeFile(knownHosts, `[127.0.0.1]:${port} ${hostPub}\n`);
    const sshConfig = join(root, 'ssh_config');
    await writeLines(sshConfig, [
      `Host ${alias}`,
      '  HostName 127.0.0.1',
      `  Port ${port}`,
      `  User ${user}`,
      // Every other destination too (tests of refused logins) uses only these files.
      'Host *',
      `  IdentityFile ${clientKey}`,
      '  IdentitiesOnly yes',
      '  IdentityAgent none',
      `  UserKnownHostsFile ${knownHosts}`,
      '  GlobalKnownHostsFile /dev/null',
      '  StrictHostKeyChecking yes',
      '  PreferredAuthentications publickey',
      '  LogLevel ERROR',
    ]);
    const sshArgv = ['ssh', '-F', sshConfig];
    const sshdLog = join(root, 'sshd.log');

    const ssh = (command: string, o: { timeoutMs?: number; input?: string } = {}) =>
      run(
        'ssh',
        ['-F', sshConfig, '-o', 'BatchMode=yes', '-o', 'ControlMaster=no', alias, command],
        o,
      );

    const startSshd = async () => {
      const child = spawn(SSHD, ['-D', '-f', sshdConfig, '-E', sshdLog], { stdio: 'ignore' });
      sshd = child;
      const deadline = Date.now() + 15_000;
      for (;;) {
        if (child.exitCode !== null) {
          const log = existsSync(sshdLog) ? readFileSync(sshdLog, 'utf8') : '';
          throw new FarHostError(`sshd exited with ${child.exitCode}: ${log.slice(-2000)}`);
        }
        const r = await ssh('true', { timeoutMs: 5000 });
        if (r.code === 0) return;
        if (Date.now() > deadline)
          throw new FarHostError(`ssh to the far host did not work in 15 s: ${r.stderr.trim()}`);
        await sleep(100);
      }
    };
    await startSshd();

    // The far user's own manager: its runtime folder, a cgroup subtree it may write, its env.
    runtimeDir = `/run/user/${uid}`;
    await mkdir(runtimeDir, { recursive: true, mode: 0o700 });
    await chown(runtimeDir, uid, gid);
    chmodSync(runtimeDir, 0o700);
    cgroups = ownCgroups(`dd-far-${user}`);
    if (cgroups.length === 0) throw new FarHostError('could not create a cgroup for the far user');
    for (const scope of cgroups) {
      delegate(dirname(scope), uid, gid);
      delegate(scope, uid, gid);
    }
    const log = join(root, 'systemd.log');
    const busAddress = `unix:path=${runtimeDir}/bus`;
    const systemctl = (...args: string[]) =>
      ssh(
        ['env', `XDG_RUNTIME_DIR=${runtimeDir}`, 'systemctl', '--user', '--no-pager', ...args].join(
          ' ',
        ),
      );
    const startManager = async () => {
      const logFd = openSync(log, 'a');
      // The shell moves itself into each cgroup named before `--`, then becomes the far user's
      // manager. Nothing is interpolated: paths and the command come as arguments.
      const child = spawn(
        '/bin/sh',
        [
          '-c',
          'while [ "$1" != -- ]; do echo $$ > "$1" || exit 97; shift; done; shift; exec "$@"',
          'dd-far',
          ...cgroups.map((c) => join(c, 'cgroup.procs')),
          '--',
          'setpriv',
          `--reuid=${uid}`,
          `--regid=${gid}`,
          '--init-groups',
          'env',
          '-i',
          `HOME=${home}`,
          `USER=${user}`,
          `LOGNAME=${user}`,
          'PATH=/usr/local/bin:/usr/bin:/bin',
          'LANG=C.UTF-8',
          `XDG_RUNTIME_DIR=${runtimeDir}`,
          SYSTEMD,
          '--user',
          '--log-target=console',
          '--log-level=warning',
        ],
        { cwd: home, detached: true, stdio: ['ignore', logFd, logFd] },
      );
      manager = child;
      closeSync(logFd);
      child.unref();
      const deadline = Date.now() + 20_000;
      for (;;) {
        if (child.exitCode !== null) {
          const text = existsSync(log) ? readFileSync(log, 'utf8') : '';
          throw new FarHostError(
            `the far user's systemd --user exited with ${child.exitCode}: ${text.slice(-2000)}`,
          );
        }
        if (existsSync(join(runtimeDir, 'bus'))) {
          const r = await ssh(
            `env XDG_RUNTIME_DIR=${runtimeDir} busctl --user call org.freedesktop.DBus /org/freedesktop/DBus org.freedesktop.DBus NameHasOwner s org.freedesktop.systemd1`,
            { timeoutMs: 5000 },
          );
          if (r.code === 0 && r.stdout.trim() === 'b true') break;
        }
        if (Date.now() > deadline)
          throw new FarHostError("the far user's systemd --user did not reach its bus in 20 s");
        await sleep(100);
      }
    };
    await startManager();

    return {
      alias,
      user,
      uid,
      home,
      port,
      sshConfig,
      sshArgv,
      unitDir,
      busAddress,
      ssh,
      systemctl,
      async writeUnit(name, text, reload = true) {
        const path = join(unitDir, name);
        await writeFile(`${path}.tmp`, text);
        await chown(`${path}.tmp`, uid, gid);
        await must('mv', ['-f', `${path}.tmp`, path], 'mv unit');
        if (!reload) return;
        const r = await systemctl('daemon-reload');
        if (r.code !== 0) throw new FarHostError(`daemon-reload failed: ${r.stderr}`);
      },
      async stopSshd() {
        const s = sshd;
        sshd = null;
        if (s === null || s.exitCode !== null) return;
        s.kill('SIGKILL');
        for (let i = 0; i < 40 && s.exitCode === null; i++) await sleep(25);
      },
      startSshd,
      async dropSshSessions() {
        // The per-connection sshd processes ("sshd: USER [priv]", "sshd: USER@notty").
        await killTree(() => sshdSessionPids(user));
      },
      async restartManager() {
        const m = manager;
        if (m !== null && m.exitCode === null) {
          m.kill('SIGTERM');
          for (let i = 0; i < 200 && m.exitCode === null; i++) await sleep(25);
          if (m.exitCode === null) m.kill('SIGKILL');
        }
        await startManager();
      },
      async masterPid(env) {
        const { controlDir } = await import('../../main/core/host/ssh-host.js');
        const r = await run(
          'ssh',
          [
            '-F',
            sshConfig,
            '-o',
            `ControlPath=${join(controlDir(env), 'ssh-%C')}`,
            '-O',
            'check',
            alias,
          ],
          { env },
        );
        return Number(/pid=(\d+)/.exec(r.stderr)?.[1] ?? -1);
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err instanceof FarHostError ? err : new FarHostError(String(err));
  }
}

/** Whether a file exists and is owned by `uid` (tests check the far side's files). */
export function ownedBy(path: string, uid: number): boolean {
  try {
    return statSync(path).uid === uid;
  } catch {
    return false;
  }
}

/** This machine's side of an SSH test: a private HOME, settings and runtime folder for the CLI. */
export interface LocalSide {
  /** The environment the CLI (or a core) runs in: its ssh uses only the far host's config. */
  env: NodeJS.ProcessEnv;
  /** Kills what ran with this runtime folder (the ssh master of ControlPersist), removes all. */
  stop(): Promise<void>;
}

export async function startLocalSide(far: FarHost): Promise<LocalSide> {
  const root = await mkdtemp(join(tmpdir(), 'dd-hosts-local-'));
  const runtime = join(root, 'run');
  await mkdir(runtime, { mode: 0o700 });
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: join(root, 'home'),
    LANG: 'C.UTF-8',
    XDG_RUNTIME_DIR: runtime,
    XDG_CONFIG_HOME: join(root, 'config'),
    XDG_STATE_HOME: join(root, 'state'),
    XDG_DATA_HOME: join(root, 'data'),
    XDG_CACHE_HOME: join(root, 'cache'),
    // This machine's crontab is never read: a path that does not exist.
    DAEMON_DECK_CRONTAB_ARGV: JSON.stringify([join(root, 'no-crontab')]),
    DAEMON_DECK_SSH_ARGV: JSON.stringify(far.sshArgv),
    ELECTRON_OVERRIDE_DIST_PATH: '/nonexistent',
  };
  return {
    env,
    async stop() {
      // The ssh master (ControlPersist) carries this runtime folder in its environment.
      await killTree(() => sandboxPids(runtime));
      await rm(root, { recursive: true, force: true });
    },
  };
}
