// Starting and stopping background processes.
//
// Launch relies on: spawn with `detached: true` calling setsid() in the child (own session and
// process group, no controlling terminal: a closing terminal's SIGHUP never reaches it, which
// is what nohup is for), stdin from /dev/null ('ignore'), stdout and stderr appended to a log
// file opened O_APPEND here, and `unref()` so the launcher (the CLI) may exit at once. Node
// cannot set SIGHUP to ignored in the child; setsid makes that moot. A missing program shows up
// as an 'error' event after spawn returns, so launch waits for 'spawn' or 'error'.
// Stop relies on: kill(2) with TERM, polling /proc for the (pid, starttime) identity (a zombie
// counts as gone), KILL after the timeout (another host's processes: the same steps through
// StopSignals, far-control.ts). Signals go only to the identity the caller saw, and never to
// PID 1, a kernel thread, Daemon Deck or this process (protected-processes.ts).
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, statSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import type { LaunchResult, StopReport, StopStep } from '../model/processes.js';
import { t } from '../../../i18n/index.js';
import { AppFailure, appError } from '../errors.js';
import { appDirs } from '../xdg.js';
import type { ProcessScanner } from './proc-scanner.js';
import { assertMaySignal } from './protected-processes.js';

const SIGNALS = osConstants.signals as Record<string, number>;

/** `TERM`, `SIGTERM`, `term` or `15` to a signal number; throws AppFailure for anything else. */
export function parseSignal(signal: string): number {
  const s = signal.trim();
  if (/^\d+$/.test(s)) {
    const n = Number(s);
    if (n >= 0 && n <= 64) return n;
  } else {
    const name = s.toUpperCase().startsWith('SIG') ? s.toUpperCase() : `SIG${s.toUpperCase()}`;
    const n = SIGNALS[name];
    if (n !== undefined) return n;
  }
  throw new AppFailure(appError('invalid-input', t('errors:control.badSignal', { signal })));
}

export function killError(err: unknown, pid: number): AppFailure {
  const code = (err as { code?: unknown }).code;
  if (code === 'ESRCH')
    return new AppFailure(appError('conflict', t('errors:control.exited', { pid })));
  if (code === 'EPERM')
    return new AppFailure(appError('access-denied', t('errors:control.notYours', { pid })));
  return new AppFailure(
    appError('internal', t('errors:control.couldNotSignal', { pid, reason: String(err) })),
  );
}

/** Send a signal to the process with this identity (starttime null: whatever has the pid). */
export function signalProcess(
  scanner: ProcessScanner,
  pid: number,
  starttime: number | null,
  signal: string,
): void {
  const sig = parseSignal(signal);
  assertMaySignal(pid);
  if (starttime !== null && !scanner.alive(pid, starttime))
    throw new AppFailure(appError('conflict', t('errors:control.exitedReused', { pid })));
  try {
    process.kill(pid, sig);
  } catch (err) {
    throw killError(err, pid);
  }
}

export interface StopOptions {
  timeoutMs?: number;
  /** How long to wait for KILL to take effect. */
  killWaitMs?: number;
  pollMs?: number;
  onStep?: (step: StopStep) => void;
}

/** One process as the caller saw it: the pair names it (a pid alone may have been reused). */
export interface StopTarget {
  pid: number;
  starttime: number;
}

/** Where a target stands now: still that process, ended, or its pid now another process's. */
export type TargetState = 'alive' | 'gone' | 'reused';

/**
 * How a stop reaches the processes of one machine: here through /proc and kill(2)
 * (localSignals), on another host in one round trip per look (far-control.ts).
 */
export interface StopSignals {
  /** Throws an `access-denied` AppFailure saying why, when the pid is never to be signalled. */
  assertMay(pid: number): void;
  /** Each target's state now (a zombie has ended). */
  check(targets: readonly StopTarget[]): TargetState[] | Promise<TargetState[]>;
  /**
   * Sends the signal to each target that is still the same process, its identity checked in the
   * same step: never to a pid that another process has now.
   */
  send(signal: 'TERM' | 'KILL', targets: readonly StopTarget[]): void | Promise<void>;
  /** How often to look again while waiting (default: opts.pollMs, else 50 ms). */
  pollMs?: number;
}

/** This machine's signals: the scanner's reads of /proc, and kill(2). */
export function localSignals(scanner: ProcessScanner): StopSignals {
  return {
    assertMay: (pid) => assertMaySignal(pid),
    check: (targets) => targets.map((x) => (scanner.alive(x.pid, x.starttime) ? 'alive' : 'gone')),
    send: (signal, targets) => {
      for (const x of targets) {
        if (!scanner.alive(x.pid, x.starttime)) continue;
        try {
          process.kill(x.pid, `SIG${signal}`);
        } catch (err) {
          if ((err as { code?: unknown }).code !== 'ESRCH') throw killError(err, x.pid);
        }
      }
    },
  };
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * TERM every target, wait up to timeoutMs for all to exit, then KILL those left. A target whose
 * pid another process has by the first look is refused in words: nothing is signalled.
 */
export async function stopProcesses(
  signals: StopSignals,
  targets: StopTarget[],
  opts: StopOptions = {},
): Promise<StopReport> {
  const timeoutMs = opts.timeoutMs ?? 5000;
  const pollMs = opts.pollMs ?? signals.pollMs ?? 50;
  for (const x of targets) signals.assertMay(x.pid);
  const t0 = Date.now();
  const steps: StopStep[] = [];
  const alive = async (states?: TargetState[]) => {
    const now = states ?? (await signals.check(targets));
    return targets.filter((_, i) => now[i] === 'alive');
  };
  const step = (phase: StopStep['phase'], remaining: StopTarget[]) => {
    const s = { phase, atMs: Date.now() - t0, remaining: remaining.map((x) => x.pid) };
    steps.push(s);
    opts.onStep?.(s);
  };
  const first = await signals.check(targets);
  const reused = targets.filter((_, i) => first[i] === 'reused').map((x) => x.pid);
  if (reused.length > 0)
    throw new AppFailure(
      appError('conflict', t('errors:control.reusedNotSignalled', { pids: reused.join(', ') })),
    );
  let remaining = await alive(first);
  if (remaining.length === 0) {
    step('gone', []);
    return { pids: targets.map((x) => x.pid), escalated: false, steps };
  }
  await signals.send('TERM', remaining);
  step('term-sent', remaining);
  let lastReport = Date.now();
  while (remaining.length > 0 && Date.now() - t0 < timeoutMs) {
    await sleep(pollMs);
    remaining = await alive();
    if (remaining.length > 0 && Date.now() - lastReport >= 1000) {
      step('waiting', remaining);
      lastReport = Date.now();
    }
  }
  let escalated = false;
  if (remaining.length > 0) {
    escalated = true;
    await signals.send('KILL', remaining);
    step('kill-sent', remaining);
    const killDeadline = Date.now() + (opts.killWaitMs ?? 3000);
    while (remaining.length > 0 && Date.now() < killDeadline) {
      await sleep(pollMs);
      remaining = await alive();
    }
  }
  if (remaining.length > 0)
    throw new AppFailure(
      appError(
        'timeout',
        t('errors:control.survivedKill', { pids: remaining.map((x) => x.pid).join(', ') }),
      ),
    );
  step('exited', []);
  return { pids: targets.map((x) => x.pid), escalated, steps };
}

export interface LaunchOptions {
  argv: string[];
  cwd?: string | null;
  log?: string | null;
  env?: NodeJS.ProcessEnv;
  /** Used for the default log file name. */
  name?: string | null;
}

/** Where logs go when the caller names none: $XDG_STATE_HOME/daemon-deck/logs/NAME.log. */
export function defaultLogPath(env: NodeJS.ProcessEnv, name: string): string {
  return join(appDirs(env).state, 'logs', `${name.replace(/[^A-Za-z0-9._@-]/g, '_')}.log`);
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Start a command detached, as `setsid nohup CMD >>LOG 2>&1 </dev/null &` would. */
export async function launchDetached(
  scanner: ProcessScanner,
  opts: LaunchOptions,
): Promise<LaunchResult> {
  const env = opts.env ?? process.env;
  const [file, ...args] = opts.argv;
  if (file === undefined || file === '')
    throw new AppFailure(appError('invalid-input', t('errors:control.noCommand')));
  if (opts.argv.some((a) => a.includes('\0')))
    throw new AppFailure(appError('invalid-input', t('errors:control.nul')));
  const cwd = opts.cwd ?? env.HOME ?? '/';
  if (!isAbsolute(cwd))
    throw new AppFailure(appError('invalid-input', t('errors:control.cwdRelative', { cwd })));
  if (!isDirectory(cwd))
    throw new AppFailure(appError('invalid-input', t('errors:control.noDirectory', { cwd })));
  const log = opts.log ?? defaultLogPath(env, opts.name ?? file.split('/').pop() ?? 'command');
  if (!isAbsolute(log))
    throw new AppFailure(appError('invalid-input', t('errors:control.logRelative', { log })));
  // Only the app's own logs folder is created; a folder the user named must already exist.
  if (opts.log != null && !isDirectory(dirname(log)))
    throw new AppFailure(
      appError('invalid-input', t('errors:control.noLogFolder', { folder: dirname(log) })),
    );
  let fd: number;
  try {
    if (opts.log == null) mkdirSync(dirname(log), { recursive: true });
    fd = openSync(log, 'a', 0o600);
  } catch (err) {
    throw new AppFailure(
      appError(
        'invalid-input',
        t('errors:control.cannotOpenLog', { log, reason: (err as Error).message }),
      ),
    );
  }
  try {
    const child = spawn(file, args, {
      cwd,
      env,
      detached: true,
      stdio: ['ignore', fd, fd],
    });
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    }).catch((err: unknown) => {
      const code = (err as { code?: unknown }).code;
      throw new AppFailure(
        appError(
          'invalid-input',
          code === 'ENOENT'
            ? t('errors:control.noProgram', { file })
            : code === 'EACCES'
              ? t('errors:control.notAllowedToRun', { file })
              : t('errors:program.couldNotStart', { file, reason: String(err) }),
        ),
      );
    });
    child.unref();
    const pid = child.pid!;
    const info = scanner.scan().byPid.get(pid);
    return { pid, starttime: info?.starttime ?? -1, argv: opts.argv, cwd, log };
  } finally {
    closeSync(fd);
  }
}
