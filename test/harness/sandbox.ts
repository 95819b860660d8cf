// A hermetic systemd --user + D-Bus session for tests.
//
// Relies on: /usr/lib/systemd/systemd --user starting when /run/systemd/system exists (PID 1 need
// not be systemd; PLATFORM-NOTES), and its dbus.socket socket-activating a session bus at
// $XDG_RUNTIME_DIR/bus. Everything lives in a fresh mkdtemp directory: its own HOME,
// XDG_RUNTIME_DIR, XDG_CONFIG_HOME and XDG_DATA_HOME, so the invoking user's session, units,
// crontab and autostart folder are never touched. It refuses to run if any path it would hand
// out points outside that directory.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile, rename } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';

const execFileP = promisify(execFile);

const SYSTEMD = '/usr/lib/systemd/systemd';

export interface RunResult {
  stdout: string;
  stderr: string;
  code: number;
}

export interface Sandbox {
  root: string;
  home: string;
  runtimeDir: string;
  configHome: string;
  /** ~/.config/systemd/user inside the sandbox. */
  unitDir: string;
  busAddress: string;
  /** The environment a child process needs to see only the sandbox. */
  env: NodeJS.ProcessEnv;
  /** PID of the sandbox's systemd --user (-1 while it is killed). */
  readonly managerPid: number;
  systemctl(...args: string[]): Promise<RunResult>;
  busctl(...args: string[]): Promise<RunResult>;
  run(file: string, args: string[], opts?: { timeoutMs?: number }): Promise<RunResult>;
  /** Write a unit file atomically into unitDir; call daemonReload() after. */
  writeUnit(name: string, text: string): Promise<string>;
  daemonReload(): Promise<void>;
  /**
   * Kill the manager with SIGKILL and then everything in its cgroup subtree (its units and the
   * session bus), as PID 1 does when user@.service's main process dies.
   */
  killManager(): Promise<void>;
  /** Start a fresh manager on the same runtime dir and HOME; resolves once it owns its bus name. */
  startManager(): Promise<void>;
  /** PID of the session bus daemon, or null when it is not running. */
  busDaemonPid(): number | null;
  stop(): Promise<void>;
}

export class SandboxError extends Error {}

/** The sandbox's crontab(1) argv (a path that does not exist unless a test set a private one). */
export function sandboxCrontab(sb: { env: NodeJS.ProcessEnv }): string[] {
  const raw = sb.env.DAEMON_DECK_CRONTAB_ARGV;
  if (raw === undefined) throw new SandboxError('the sandbox names no crontab');
  return JSON.parse(raw) as string[];
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** PIDs of every process whose environment names this sandbox's runtime dir. */
export function sandboxPids(runtimeDir: string): number[] {
  const needle = Buffer.from(`XDG_RUNTIME_DIR=${runtimeDir}\0`);
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const environ = readFileSync(`/proc/${name}/environ`);
      if (environ.includes(needle)) pids.push(Number(name));
    } catch {
      // The process ended while we looked, or is not ours to read: not part of the sandbox.
      continue;
    }
  }
  return pids.filter((p) => p !== process.pid);
}

function commName(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return null;
  }
}

/** The cgroup hierarchies systemd tracks processes in (hybrid: name=systemd and unified; or pure v2). */
export function trackingHierarchies(): string[] {
  const hybrid = ['/sys/fs/cgroup/unified', '/sys/fs/cgroup/systemd'].filter((d) =>
    existsSync(join(d, 'cgroup.procs')),
  );
  if (hybrid.length > 0) return hybrid;
  return existsSync('/sys/fs/cgroup/cgroup.procs') ? ['/sys/fs/cgroup'] : [];
}

/** Create NAME/init.scope in each tracking hierarchy; [] where we may not (not root: shared tree). */
export function ownCgroups(name: string): string[] {
  const made: string[] = [];
  for (const h of trackingHierarchies()) {
    const dir = join(h, name, 'init.scope');
    try {
      mkdirSync(dir, { recursive: true });
      made.push(dir);
    } catch {
      continue;
    }
  }
  return made;
}

/** PIDs in a cgroup and all its children. */
export function cgroupTreePids(dir: string): number[] {
  const out: number[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  try {
    for (const l of readFileSync(join(dir, 'cgroup.procs'), 'utf8').split('\n'))
      if (/^\d+$/.test(l)) out.push(Number(l));
  } catch {
    // removed while we looked
  }
  for (const n of names) {
    try {
      if (statSync(join(dir, n)).isDirectory()) out.push(...cgroupTreePids(join(dir, n)));
    } catch {
      continue;
    }
  }
  return out;
}

/** SIGKILL every pid `pids` lists, a few rounds (children forked meanwhile are listed next time). */
export async function killTree(pids: () => number[], rounds = 3): Promise<void> {
  for (let round = 0; round < rounds; round++) {
    const left = pids();
    if (left.length === 0) break;
    for (const pid of left) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
        continue;
      }
    }
    await sleep(100);
  }
}

/** rmdir a cgroup and its children, deepest first (cgroups are removed with rmdir once empty). */
export function removeCgroupTree(dir: string): void {
  let children: string[];
  try {
    children = readdirSync(dir).filter((n) => statSync(join(dir, n)).isDirectory());
  } catch {
    return;
  }
  for (const c of children) removeCgroupTree(join(dir, c));
  try {
    rmdirSync(dir);
  } catch {
    // still holds a process that is on its way out; the name is unique, so it harms no one
    return;
  }
}

export async function startSandbox(opts: { label?: string } = {}): Promise<Sandbox> {
  if (!existsSync(SYSTEMD)) throw new SandboxError(`${SYSTEMD} is missing: install systemd.`);
  if (!existsSync('/run/systemd/system')) {
    try {
      mkdirSync('/run/systemd/system', { recursive: true });
    } catch (err) {
      throw new SandboxError(
        `systemd --user needs /run/systemd/system to exist and it could not be created (${String(err)}). Run once as root: mkdir -p /run/systemd/system`,
      );
    }
  }
  const root = await mkdtemp(join(tmpdir(), `dd-sandbox-${opts.label ?? 'test'}-`));
  const home = join(root, 'home');
  const runtimeDir = join(root, 'run');
  const configHome = join(home, '.config');
  const dataHome = join(home, '.local', 'share');
  const stateHome = join(home, '.local', 'state');
  const cacheHome = join(home, '.cache');
  const unitDir = join(configHome, 'systemd', 'user');
  for (const d of [home, configHome, dataHome, stateHome, cacheHome, unitDir]) {
    await mkdir(d, { recursive: true });
  }
  await mkdir(runtimeDir, { mode: 0o700 });
  const busAddress = `unix:path=${join(runtimeDir, 'bus')}`;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: home,
    USER: process.env.USER ?? 'root',
    LOGNAME: process.env.USER ?? 'root',
    LANG: 'C.UTF-8',
    XDG_RUNTIME_DIR: runtimeDir,
    XDG_CONFIG_HOME: configHome,
    XDG_DATA_HOME: dataHome,
    XDG_STATE_HOME: stateHome,
    XDG_CACHE_HOME: cacheHome,
    DBUS_SESSION_BUS_ADDRESS: busAddress,
    ELECTRON_OVERRIDE_DIST_PATH: '/nonexistent',
    // The CLI's crontab(1) is a path that does not exist, so `daemon-deck list` and friends never
    // read the invoking user's real crontab; tests about cron put their private one here instead
    // (test/harness/cron-sandbox.ts).
    DAEMON_DECK_CRONTAB_ARGV: JSON.stringify([join(root, 'no-crontab-here')]),
  };
  // The guard: every location we hand out must be inside our own fresh directory.
  for (const key of ['HOME', 'XDG_RUNTIME_DIR', 'XDG_CONFIG_HOME', 'XDG_DATA_HOME'] as const) {
    const v = env[key];
    if (v === undefined || !v.startsWith(root + '/')) {
      throw new SandboxError(`refusing to run: ${key} would point outside the sandbox`);
    }
  }
  if (process.env.XDG_RUNTIME_DIR !== undefined && runtimeDir === process.env.XDG_RUNTIME_DIR) {
    throw new SandboxError('refusing to run against the invoking user session');
  }

  const logFile = join(root, 'systemd.log');
  const { openSync, closeSync } = await import('node:fs');
  // Each manager gets a cgroup subtree of its own. Without it, every sandbox's manager roots its
  // units at the same cgroup paths (/app.slice, /session.slice/dbus.service...), and stopping a
  // unit in one sandbox kills the same-named unit's processes in another running at the same time.
  const cgroups = ownCgroups(basename(root));
  let manager: { pid: number; exited: number | null } | null = null;
  // The manager must be in its cgroup before it starts (it reads its root at start-up), so a tiny
  // fixed shell script moves itself there and then execs systemd. No input is interpolated: the
  // cgroup.procs paths are passed as arguments.
  const launch = (): { pid: number; exited: number | null } => {
    const logFd = openSync(logFile, 'a');
    const child: ChildProcess = spawn(
      '/bin/sh',
      [
        '-c',
        'for f in "$@"; do echo $$ > "$f" || exit 97; done; exec /usr/lib/systemd/systemd --user --log-target=console --log-level=warning',
        'dd-sandbox',
        ...cgroups.map((dir) => join(dir, 'cgroup.procs')),
      ],
      {
        env,
        cwd: home,
        detached: true,
        stdio: ['ignore', logFd, logFd],
      },
    );
    closeSync(logFd);
    child.unref();
    if (child.pid === undefined) throw new SandboxError('could not start systemd --user');
    const m: { pid: number; exited: number | null } = { pid: child.pid, exited: null };
    child.on('exit', (code) => {
      m.exited = code ?? -1;
    });
    return m;
  };
  manager = launch();

  const run = async (
    file: string,
    args: string[],
    o: { timeoutMs?: number } = {},
  ): Promise<RunResult> => {
    try {
      const { stdout, stderr } = await execFileP(file, args, {
        env,
        timeout: o.timeoutMs ?? 30_000,
        maxBuffer: 64 * 1024 * 1024,
      });
      return { stdout, stderr, code: 0 };
    } catch (err) {
      const e = err as { stdout?: string; stderr?: string; code?: unknown };
      return {
        stdout: e.stdout ?? '',
        stderr: e.stderr ?? String(err),
        code: typeof e.code === 'number' ? e.code : 1,
      };
    }
  };
  const systemctl = (...args: string[]) => run('systemctl', ['--user', '--no-pager', ...args]);
  const busctl = (...args: string[]) => run('busctl', ['--user', '--no-pager', ...args]);

  const stop = async () => {
    const m = manager;
    if (m !== null && m.exited === null) {
      try {
        process.kill(m.pid, 'SIGTERM');
      } catch {
        m.exited = -1;
      }
      for (let i = 0; i < 100 && m.exited === null; i++) await sleep(50);
    }
    // Anything left that carries our runtime dir (units with setsid, the bus) goes too.
    await killTree(() => sandboxPids(runtimeDir));
    for (const dir of cgroups) removeCgroupTree(dirname(dir));
    await rm(root, { recursive: true, force: true, maxRetries: 3 });
  };

  /** Wait until the manager owns org.freedesktop.systemd1 on its (socket-activated) bus. */
  const waitForManager = async (m: { pid: number; exited: number | null }) => {
    const deadline = Date.now() + 20_000;
    let lastErr = '';
    for (;;) {
      if (m.exited !== null) {
        const log = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
        throw new SandboxError(
          `systemd --user exited with ${String(m.exited)}: ${log.slice(-2000)}`,
        );
      }
      if (existsSync(join(runtimeDir, 'bus'))) {
        const r = await run(
          'busctl',
          [
            '--user',
            'call',
            'org.freedesktop.DBus',
            '/org/freedesktop/DBus',
            'org.freedesktop.DBus',
            'NameHasOwner',
            's',
            'org.freedesktop.systemd1',
          ],
          { timeoutMs: 5000 },
        );
        if (r.code === 0 && r.stdout.trim() === 'b true') return;
        lastErr = r.stderr || r.stdout;
      }
      if (Date.now() > deadline) {
        throw new SandboxError(
          `the sandbox's systemd --user did not reach its bus in 20 s: ${lastErr}`,
        );
      }
      await sleep(50);
    }
  };

  try {
    await waitForManager(manager);
  } catch (err) {
    await stop();
    throw err;
  }

  /** Every process in the manager's cgroup subtree (its units and the bus), or the runtime dir's. */
  const managerTree = (): number[] => {
    if (cgroups.length === 0) return sandboxPids(runtimeDir);
    const pids = new Set<number>();
    for (const dir of cgroups) for (const pid of cgroupTreePids(dirname(dir))) pids.add(pid);
    return [...pids].filter((p) => p !== process.pid);
  };

  return {
    root,
    home,
    runtimeDir,
    configHome,
    unitDir,
    busAddress,
    env,
    get managerPid() {
      return manager?.pid ?? -1;
    },
    systemctl,
    busctl,
    run,
    async writeUnit(name, text) {
      const path = join(unitDir, name);
      const tmp = `${path}.tmp-${process.pid}`;
      await writeFile(tmp, text);
      await rename(tmp, path);
      return path;
    },
    async daemonReload() {
      const r = await systemctl('daemon-reload');
      if (r.code !== 0) throw new SandboxError(`daemon-reload failed: ${r.stderr}`);
    },
    async killManager() {
      const m = manager;
      if (m === null) return;
      manager = null;
      try {
        process.kill(m.pid, 'SIGKILL');
      } catch {
        m.exited = -1;
      }
      for (let i = 0; i < 100 && m.exited === null; i++) await sleep(20);
      await killTree(managerTree);
    },
    async startManager() {
      if (manager !== null) throw new SandboxError('the manager is already running');
      const m = launch();
      manager = m;
      await waitForManager(m);
    },
    busDaemonPid() {
      for (const pid of sandboxPids(runtimeDir)) {
        if (commName(pid) === 'dbus-daemon') return pid;
      }
      return null;
    },
    stop,
  };
}
