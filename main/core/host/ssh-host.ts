// Another machine as a Host, over the user's own OpenSSH client (issue 17): their config, keys,
// agent and known_hosts. One multiplexed connection per host (ControlMaster, its socket in the
// app's runtime folder), never a password prompt (BatchMode). Every effect goes through run(),
// which sends one command line built by shellCommand() (shell-quote.ts) from an argument vector;
// the file operations are fixed scripts of this file that take their inputs as quoted positional
// arguments. The session bus is `systemd-stdio-bridge` on the far side, spawned here, its stdio
// handed to dbus-next as a stream (bus-stream.ts).
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Duplex, Transform } from 'node:stream';
import type dbus from 'dbus-next';
import { t } from '../../../i18n/index.js';
import { hostDestinationSchema } from '../../../contract/settings-schemas.js';
import type { AppError } from '../model/domain.js';
import { AppFailure, appError, fileError } from '../errors.js';
import { lockPathFor } from '../store/file-store.js';
import { xdgDirs } from '../xdg.js';
import { messageBusOverStream } from './bus-stream.js';
import type { DetachedOptions, FileInfo, Host, RunOptions, RunResult } from './host.js';
import { runLocal } from './local-host.js';
import { quoteArg, shellCommand } from './shell-quote.js';

export type HostState = 'connecting' | 'connected' | 'unreachable';

export interface SshHostOptions {
  /** The host's name in settings. */
  name: string;
  /** The SSH destination as the user's ~/.ssh/config knows it (alias, user@host...). */
  destination: string;
  /** This machine's environment: where the ssh client runs, and its runtime folder. */
  localEnv: NodeJS.ProcessEnv;
  /** The ssh client argv prefix; default ['ssh'] (tests add `-F THEIR_CONFIG`). */
  sshArgv?: readonly string[];
  /** How long the master connection outlives its last use, in seconds (default 60). */
  controlPersistS?: number;
  /** At most this many sessions at once on the connection (sshd's MaxSessions is 10). */
  maxSessions?: number;
  /** How long connecting may take, in seconds (default 10). */
  connectTimeoutS?: number;
}

export interface SshHost extends Host {
  readonly destination: string;
  readonly state: HostState;
  /** Why the host is unreachable (or was last), in words. */
  readonly lastError: AppError | null;
  /** The far user's uid. */
  readonly uid: number;
  onState(listener: (state: HostState) => void): () => void;
  /** A new MessageBus on the far user's session bus (one systemd-stdio-bridge each). */
  openBus(): dbus.MessageBus;
  /** Ends the master connection (ssh -O exit). */
  close(): Promise<void>;
  /** What went over the connection so far (for the benchmark of one poll). */
  readonly traffic: Readonly<SshTraffic>;
  /**
   * Every /proc/PID/stat, cmdline and cgroup of the far side, with each /proc/PID's owner, in
   * one round trip (SCRIPTS.proc); far-processes.ts parses it.
   */
  readProcesses(): Promise<Buffer>;
}

/** Counters of what went over a host's connection. */
export interface SshTraffic {
  /** ssh invocations: each is one session (a round trip) on the master connection. */
  sessions: number;
  /** Bytes sent: command lines and stdin (the bus's messages in busBytesOut). */
  bytesOut: number;
  /** Bytes received: stdout and stderr (the bus's in busBytesIn). */
  bytesIn: number;
  busBytesOut: number;
  busBytesIn: number;
}

/** ssh's own status for its failures (the far command's status otherwise). */
const SSH_FAILED = 255;
/** What the fixed scripts below exit with when the path does not exist. */
const MISSING = 44;

/**
 * The fixed scripts run on the far side (`sh -c SCRIPT sh ARGS...`). Constants: no input is ever
 * spliced into them; paths and modes come as "$1", "$2".
 */
const SCRIPTS = {
  read: '[ -e "$1" ] || [ -L "$1" ] || exit 44; exec cat -- "$1"',
  stat:
    'if [ -L "$1" ]; then k=link; elif [ -d "$1" ]; then k=dir; elif [ -f "$1" ]; then k=file; ' +
    'elif [ -e "$1" ]; then k=other; else exit 44; fi; printf "%s " "$k"; exec stat -c "%f %s %Y" -- "$1"',
  readdir:
    'cd -- "$1" 2>/dev/null || exit 0; for f in * .*; do case $f in .|..) continue;; esac; ' +
    '[ -e "$f" ] || [ -L "$f" ] || continue; printf "%s\\0" "$f"; done',
  write:
    'set -e; d=$(dirname -- "$1"); mkdir -p -- "$d"; t=$(mktemp "$d/.dd-write-XXXXXXXX"); ' +
    'trap \'rm -f -- "$t"\' EXIT; cat > "$t"; chmod -- "$2" "$t"; sync -- "$t" 2>/dev/null || true; ' +
    'mv -f -- "$t" "$1"; trap - EXIT',
  remove: 'exec rm -f -- "$1"',
  lock:
    'mkdir -p -- "$(dirname -- "$1")" || exit 1; ' +
    'exec flock -w "$2" "$1" sh -c \'echo locked; exec cat >/dev/null\'',
  detached: 'setsid "$@" </dev/null >/dev/null 2>&1 & echo $!',
  // One poll's /proc reads in one round trip: every stat, cmdline and cgroup line prefixed by
  // its path (grep -H), the owner of each /proc/PID, and the reading shell's pid.
  proc:
    'cd /proc || exit 1; echo "@self $$"; grep -a -s -H -e "" -- uptime [0-9]*/stat [0-9]*/cmdline ' +
    '[0-9]*/cgroup; echo @uid; stat -c "%u %n" -- [0-9]* 2>/dev/null; exit 0',
  bridge:
    'if command -v systemd-stdio-bridge >/dev/null; then exec systemd-stdio-bridge "$1"; fi; ' +
    'exec /lib/systemd/systemd-stdio-bridge "$1"',
} as const;

/** The probe: the far uid, then the far environment, NUL-separated. A constant. */
const PROBE = 'id -u && exec env -0';

/** The folder for the control sockets: the app's runtime folder (private to the user). */
export function controlDir(localEnv: NodeJS.ProcessEnv): string {
  const runtime = xdgDirs(localEnv).runtime;
  const uid = process.getuid?.() ?? 0;
  return runtime !== null ? join(runtime, 'daemon-deck') : join(tmpdir(), `daemon-deck-${uid}`);
}

/** What ssh's stderr says went wrong, in words that say what to do. */
export function sshFailure(name: string, destination: string, stderr: string): AppError {
  const said =
    stderr
      .trim()
      .split('\n')
      .filter((l) => l !== '')
      .slice(-1)[0] ?? '';
  if (/Permission denied|Too many authentication failures|no mutual signature/i.test(stderr))
    return appError('host-unreachable', t('hosts:errors.auth', { name, destination }), said);
  if (/Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED/i.test(stderr))
    return appError('host-unreachable', t('hosts:errors.hostKey', { name, destination }), said);
  if (/Could not resolve hostname/i.test(stderr))
    return appError('host-unreachable', t('hosts:errors.noSuchHost', { name, destination }), said);
  return appError(
    'host-unreachable',
    t('hosts:errors.unreachable', {
      name,
      reason: said === '' ? t('hosts:errors.noAnswer') : said,
    }),
    said,
  );
}

/** A far command's failure on `path` as the same AppError a local one gives (by errno). */
function farFileError(
  path: string,
  op: 'read' | 'open' | 'write' | 'remove',
  r: RunResult,
): AppFailure {
  const text = r.stderr;
  const code = /No such file|not found/i.test(text)
    ? 'ENOENT'
    : /Permission denied|Operation not permitted/i.test(text)
      ? 'EACCES'
      : /No space left|Disk quota/i.test(text)
        ? 'ENOSPC'
        : /Read-only file system/i.test(text)
          ? 'EROFS'
          : /Is a directory/i.test(text)
            ? 'EISDIR'
            : /Not a directory/i.test(text)
              ? 'ENOTDIR'
              : null;
  const err =
    code === null
      ? null
      : fileError(Object.assign(new Error(text), { code, syscall: op, path }), path, op);
  return new AppFailure(err ?? appError('internal', `${path}: ${text.trim() || `exit ${r.code}`}`));
}

/** A small counting semaphore: at most `n` sessions at once on the connection. */
function limiter(n: number): <T>(fn: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: Array<() => void> = [];
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    if (active >= n) await new Promise<void>((r) => waiting.push(r));
    active++;
    try {
      return await fn();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

/**
 * Connects (the probe makes the master connection) and resolves with the host; an unreachable
 * host rejects with an AppFailure (host-unreachable) that says why and what to do.
 */
export async function connectSshHost(opts: SshHostOptions): Promise<SshHost> {
  const { name, destination, localEnv } = opts;
  if (!hostDestinationSchema.safeParse(destination).success)
    throw new AppFailure(
      appError('invalid-input', t('hosts:errors.badDestination', { destination })),
    );
  const dir = controlDir(localEnv);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const sshArgv = opts.sshArgv ?? ['ssh'];
  const base = [
    ...sshArgv,
    '-o',
    'BatchMode=yes',
    '-o',
    'ControlMaster=auto',
    '-o',
    `ControlPath=${join(dir, 'ssh-%C')}`,
    '-o',
    `ControlPersist=${opts.controlPersistS ?? 60}`,
    '-o',
    `ConnectTimeout=${opts.connectTimeoutS ?? 10}`,
    '-o',
    'ServerAliveInterval=15',
    '-o',
    'ServerAliveCountMax=3',
    '--',
    destination,
  ];
  let state: HostState = 'connecting';
  let lastError: AppError | null = null;
  const listeners = new Set<(s: HostState) => void>();
  const traffic: SshTraffic = {
    sessions: 0,
    bytesOut: 0,
    bytesIn: 0,
    busBytesOut: 0,
    busBytesIn: 0,
  };
  /** Counts one ssh invocation sending `command`. */
  const counted = (command: string) => {
    traffic.sessions++;
    traffic.bytesOut += Buffer.byteLength(command);
  };
  const setState = (next: HostState, error: AppError | null = null) => {
    if (next === 'unreachable') lastError = error;
    if (next === state) return;
    state = next;
    for (const l of listeners) l(next);
  };
  /** One ssh session running `command` (a line shellCommand built, or a constant). */
  const session = async (command: string, o: RunOptions = {}): Promise<RunResult> => {
    counted(command);
    if (o.input !== undefined) traffic.bytesOut += Buffer.byteLength(o.input);
    const r = await runLocal([...base, command], {
      env: localEnv,
      ...(o.input !== undefined ? { input: o.input } : {}),
      timeoutMs: o.timeoutMs ?? 30_000,
    });
    traffic.bytesIn += r.stdoutBytes.length + Buffer.byteLength(r.stderr);
    if (
      r.code === SSH_FAILED &&
      /^(ssh|kex_|Connection|mux_client|Control socket)|Permission denied|Host key/im.test(r.stderr)
    )
      setState('unreachable', sshFailure(name, destination, r.stderr));
    else if (r.spawnError !== null)
      setState('unreachable', appError('host-unreachable', t('hosts:errors.noClient'), r.stderr));
    else setState('connected');
    return r;
  };

  const probe = await session(PROBE, { timeoutMs: ((opts.connectTimeoutS ?? 10) + 10) * 1000 });
  if (probe.code !== 0) {
    const error = lastError ?? sshFailure(name, destination, probe.stderr || `exit ${probe.code}`);
    throw new AppFailure(error);
  }
  const [uidLine, ...rest] = probe.stdoutBytes.toString('utf8').split('\n');
  const uid = Number(uidLine);
  const env: NodeJS.ProcessEnv = {};
  for (const pair of rest.join('\n').split('\0')) {
    const at = pair.indexOf('=');
    if (at > 0) env[pair.slice(0, at)] = pair.slice(at + 1);
  }
  // Without PAM there is no XDG_RUNTIME_DIR: the user manager's is /run/user/UID.
  env.XDG_RUNTIME_DIR ??= `/run/user/${uid}`;
  env.DBUS_SESSION_BUS_ADDRESS ??= `unix:path=${env.XDG_RUNTIME_DIR}/bus`;
  // What ssh told the far side about this connection is no part of a program's environment.
  for (const key of ['SSH_CLIENT', 'SSH_CONNECTION', 'SSH_TTY', 'MAIL', 'PWD', 'SHLVL', '_'])
    delete env[key];
  const busPath = `unix:path=${env.XDG_RUNTIME_DIR}/bus`;
  const limit = limiter(opts.maxSessions ?? 6);

  const run = (argv: readonly string[], o: RunOptions = {}): Promise<RunResult> => {
    if (argv.length === 0 || argv[0] === '') return Promise.reject(new Error('run: empty argv'));
    const pairs = Object.entries(o.env ?? env)
      .filter(
        (e): e is [string, string] => e[1] !== undefined && /^[A-Za-z_][A-Za-z0-9_]*$/.test(e[0]),
      )
      .map(([k, v]) => `${k}=${v}`);
    const line = `exec ${shellCommand(['env', '-i', ...pairs, ...argv])}`;
    const command = o.cwd !== undefined ? `cd ${quoteArg(o.cwd)} && ${line}` : line;
    return limit(() => session(command, o));
  };
  const script = (which: keyof typeof SCRIPTS, args: string[], o: RunOptions = {}) =>
    run(['sh', '-c', SCRIPTS[which], 'sh', ...args], o);
  const unreachable = (r: RunResult): AppFailure | null =>
    r.code === SSH_FAILED && lastError !== null && state === 'unreachable'
      ? new AppFailure(lastError)
      : null;

  const readOrNull = async (path: string): Promise<Buffer | null> => {
    const r = await script('read', [path]);
    if (r.code === 0) return r.stdoutBytes;
    if (r.code === MISSING) return null;
    throw unreachable(r) ?? farFileError(path, 'read', r);
  };
  const writeFileAtomic = async (path: string, data: string | Buffer, mode = 0o644) => {
    const r = await script('write', [path, mode.toString(8)], { input: data });
    if (r.code !== 0) throw unreachable(r) ?? farFileError(path, 'write', r);
  };
  const withLock = async <T>(target: string, fn: () => Promise<T>): Promise<T> => {
    const lockFile = `${lockPathFor(env, target)}.flock`;
    const lockLine = shellCommand(['sh', '-c', SCRIPTS.lock, 'sh', lockFile, '30']);
    counted(lockLine);
    const child = spawn(base[0]!, [...base.slice(1), lockLine], {
      env: localEnv,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.stdin.on('error', () => undefined);
    const got = await new Promise<boolean>((resolve) => {
      let out = '';
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString('utf8');
        if (out.includes('locked\n')) resolve(true);
      });
      child.once('error', () => resolve(false));
      child.once('close', () => resolve(false));
    });
    if (!got) {
      if (/^ssh|Permission denied|Connection/im.test(stderr))
        setState('unreachable', sshFailure(name, destination, stderr));
      throw new AppFailure(
        state === 'unreachable' && lastError !== null
          ? lastError
          : appError('conflict', t('hosts:errors.lockBusy', { target, name }), stderr.trim()),
      );
    }
    try {
      return await fn();
    } finally {
      const closed = new Promise((r) => child.once('close', r));
      child.stdin.end();
      await closed;
    }
  };

  const host: SshHost = {
    name,
    destination,
    env,
    xdg: xdgDirs(env),
    uid,
    get state() {
      return state;
    },
    get lastError() {
      return lastError;
    },
    traffic,
    async readProcesses() {
      const r = await script('proc', []);
      if (r.code !== 0) throw unreachable(r) ?? farFileError('/proc', 'read', r);
      return r.stdoutBytes;
    },
    onState(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    run,
    async spawnDetached(argv: readonly string[], o: DetachedOptions = {}) {
      if (o.input !== undefined)
        throw new AppFailure(appError('unsupported', t('hosts:errors.noInput', { name })));
      const r = await script('detached', [...argv], {
        ...(o.env !== undefined ? { env: o.env } : {}),
        ...(o.cwd !== undefined ? { cwd: o.cwd } : {}),
      });
      const pid = Number(r.stdout.trim());
      if (r.code !== 0 || !Number.isInteger(pid) || pid <= 0)
        throw (
          unreachable(r) ??
          new AppFailure(appError('internal', r.stderr.trim() || `exit ${r.code}`))
        );
      return pid;
    },
    async readFile(path) {
      const data = await readOrNull(path);
      if (data === null)
        throw farFileError(path, 'read', { ...NO_RESULT, stderr: 'No such file or directory' });
      return data;
    },
    readOrNull,
    async stat(path): Promise<FileInfo | null> {
      const r = await script('stat', [path]);
      if (r.code === MISSING) return null;
      const m = /^(file|dir|link|other) ([0-9a-f]+) (\d+) (\d+)/.exec(r.stdout);
      if (r.code !== 0 || m === null) throw unreachable(r) ?? farFileError(path, 'read', r);
      return {
        kind: m[1] as FileInfo['kind'],
        mode: parseInt(m[2]!, 16),
        size: Number(m[3]),
        mtimeMs: Number(m[4]) * 1000,
      };
    },
    async canExecute(path) {
      const r = await run(['test', '-x', path]);
      if (r.code === SSH_FAILED) throw unreachable(r) ?? farFileError(path, 'open', r);
      return r.code === 0;
    },
    async readdir(path) {
      const r = await script('readdir', [path]);
      if (r.code !== 0) throw unreachable(r) ?? farFileError(path, 'read', r);
      return r.stdout.split('\0').filter((n) => n !== '');
    },
    writeFileAtomic,
    async remove(path) {
      const r = await script('remove', [path]);
      if (r.code !== 0) throw unreachable(r) ?? farFileError(path, 'remove', r);
    },
    withLock,
    createFile: (path, data, mode, what = path.split('/').pop() ?? path) =>
      withLock(path, async () => {
        if ((await readOrNull(path)) !== null)
          throw new AppFailure(appError('conflict', `${what} already exists (${path}).`));
        await writeFileAtomic(path, data, mode);
      }),
    updateFile: (path, change, mode) =>
      withLock(path, async () => {
        const next = await change(await readOrNull(path));
        if (next !== undefined) await writeFileAtomic(path, next, mode);
        return next;
      }),
    sessionBusAddress: () => busPath,
    openBus() {
      const bridgeLine = shellCommand(['sh', '-c', SCRIPTS.bridge, 'sh', `--bus-path=${busPath}`]);
      counted(bridgeLine);
      const child = spawn(base[0]!, [...base.slice(1), bridgeLine], {
        env: localEnv,
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => {
        stderr = (stderr + c.toString('utf8')).slice(-4000);
      });
      // The bus's bytes counted both ways on their way through (the benchmark's figures).
      const toFar = byteCounter((n) => (traffic.busBytesOut += n));
      toFar.pipe(child.stdin);
      const stream = Duplex.from({
        readable: child.stdout.pipe(byteCounter((n) => (traffic.busBytesIn += n))),
        writable: toFar,
      });
      child.stdin.on('error', (err) => stream.destroy(err));
      child.once('error', (err) => stream.destroy(err));
      child.once('close', (code) => {
        if (code === SSH_FAILED) setState('unreachable', sshFailure(name, destination, stderr));
        if (!stream.destroyed)
          stream.destroy(new Error(stderr.trim() || t('hosts:errors.bridgeEnded', { name })));
      });
      stream.once('close', () => {
        if (child.exitCode === null) child.kill('SIGTERM');
      });
      return messageBusOverStream(stream);
    },
    async close() {
      await runLocal([...base.slice(0, -2), '-O', 'exit', '--', destination], {
        env: localEnv,
        timeoutMs: 5000,
      });
    },
  };
  return host;
}

/** A pass-through stream that tells `count` how many bytes went through it. */
function byteCounter(count: (n: number) => void): Transform {
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      count(chunk.length);
      done(null, chunk);
    },
  });
}

const NO_RESULT: RunResult = {
  code: 1,
  signal: null,
  stdout: '',
  stderr: '',
  stdoutBytes: Buffer.alloc(0),
  spawnError: null,
  timedOut: false,
};
