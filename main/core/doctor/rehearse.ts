// A rehearsal: run one entry now as it would run at login or boot, watch it for a few seconds and
// say whether it came up, stayed up, and what it printed. Only on request; what it started it
// stops again, so the machine is left as it was.
//
// Relies on:
// - units: `systemctl --user start --no-block` returns before the start job ends, so a start that
//   never finishes (a oneshot or notify service that hangs) is seen as ActiveState=activating;
//   Result=, ExecMainStatus= and ExecMainCode= say how it ended (systemd 252);
// - @reboot lines: cron runs `/bin/sh -c COMMAND` with PATH=/usr/bin:/bin, SHELL=/bin/sh, HOME,
//   LOGNAME and the crontab's NAME=value lines, in $HOME, the `%` part as stdin (crontab(5));
// - autostart: the session runs Exec's argv with its own environment in Path= or $HOME;
// - a process still running at the end of the watch is "hung" when the kernel says it is blocked
//   waiting for input or stopped (/proc/PID/stat state T/t/D; /proc/PID/wchan such as
//   wait_for_partner or n_tty_read), else "up".
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import type { Rehearsal, RehearsalOutcome } from '../model/doctor.js';

export interface WatchedRun {
  /** Exited within the watch: its status or signal. */
  exited: { code: number | null; signal: string | null } | null;
  spawnError: string | null;
  /** The process was blocked waiting for input, or stopped, at the end of the watch. */
  blocked: boolean;
  output: string;
}

export type ProcessWatcher = (
  argv: readonly string[],
  opts: { env: NodeJS.ProcessEnv; cwd: string; input: string | null; watchMs: number },
) => Promise<WatchedRun>;

const BLOCKED_WCHAN = /wait_for_partner|fifo|pipe_read|n_tty_read|tty_read|do_signal_stop/;
const MAX_OUTPUT = 64 * 1024;

async function blockedNow(pid: number): Promise<boolean> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0] ?? '';
    if (/^[TtD]$/.test(state)) return true;
    const wchan = await readFile(`/proc/${pid}/wchan`, 'utf8').catch(() => '');
    return BLOCKED_WCHAN.test(wchan);
  } catch {
    // Gone between the check and the read: it exited, so it was not blocked.
    return false;
  }
}

/** The process and its descendants (a shell waiting for its command is not what blocks). */
async function tree(pid: number, depth = 0): Promise<number[]> {
  const kids = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '');
  const out = [pid];
  if (depth < 8)
    for (const k of kids.split(' ').filter((x) => /^\d+$/.test(x)))
      out.push(...(await tree(Number(k), depth + 1)));
  return out;
}

async function anyBlocked(pid: number): Promise<boolean> {
  for (const p of await tree(pid)) if (await blockedNow(p)) return true;
  return false;
}

/**
 * This machine's watcher: the program in a process group of its own, its output kept (the last
 * 64 KiB), watched for `watchMs`, then the whole group ended (TERM, KILL a second later).
 */
export const watchLocal: ProcessWatcher = (argv, opts) =>
  new Promise((resolve) => {
    const [file, ...args] = argv;
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-MAX_OUTPUT);
    };
    const child = spawn(file!, args, {
      env: opts.env,
      cwd: opts.cwd,
      detached: true,
      stdio: [opts.input === null ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.stdin?.on('error', () => undefined);
    if (opts.input !== null) child.stdin?.end(opts.input);
    let exited: WatchedRun['exited'] = null;
    let spawnError: string | null = null;
    const group = (signal: NodeJS.Signals) => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, signal);
      } catch {
        // The group is gone already.
        return;
      }
    };
    const finish = (blocked: boolean) => {
      clearTimeout(timer);
      resolve({ exited, spawnError, blocked, output });
    };
    child.on('error', (err: NodeJS.ErrnoException) => {
      spawnError = err.code ?? String(err);
      finish(false);
    });
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      // Let the pipes drain, then end what it left behind in its group.
      setTimeout(() => {
        group('SIGKILL');
        finish(false);
      }, 50);
    });
    const timer = setTimeout(() => {
      void (async () => {
        const blocked = child.pid !== undefined && (await anyBlocked(child.pid));
        child.removeAllListeners('exit');
        group('SIGTERM');
        setTimeout(() => group('SIGKILL'), 1000).unref();
        finish(blocked);
      })();
    }, opts.watchMs);
  });

/** The outcome of a watched process run. */
export function processOutcome(
  run: WatchedRun,
): Pick<Rehearsal, 'outcome' | 'cameUp' | 'stayedUp' | 'exitCode' | 'signal'> {
  if (run.spawnError !== null)
    return { outcome: 'not-started', cameUp: false, stayedUp: false, exitCode: null, signal: null };
  if (run.exited === null)
    return {
      outcome: run.blocked ? 'hung' : 'up',
      cameUp: true,
      stayedUp: true,
      exitCode: null,
      signal: null,
    };
  const { code, signal } = run.exited;
  // A shell that could not find or run the program says so with 127 / 126.
  const outcome: RehearsalOutcome =
    code === 0 ? 'done' : code === 127 || code === 126 ? 'not-started' : 'failed';
  return { outcome, cameUp: outcome !== 'not-started', stayedUp: false, exitCode: code, signal };
}

/** The outcome of a unit watched after `start --no-block`, from its last `systemctl show`. */
export function unitOutcome(
  last: Record<string, string>,
  seenUp: boolean,
): Pick<Rehearsal, 'outcome' | 'cameUp' | 'stayedUp' | 'exitCode' | 'signal'> {
  const active = last.ActiveState ?? 'inactive';
  const status = Number(last.ExecMainStatus ?? '0');
  const code = last.ExecMainCode ?? '0';
  // ExecMainCode 1 is CLD_EXITED (status is the exit status); 2 and 3 a signal.
  const exitCode = code === '1' ? status : null;
  const signal = code === '2' || code === '3' ? `signal ${status}` : null;
  if (active === 'active' || active === 'reloading')
    return { outcome: 'up', cameUp: true, stayedUp: true, exitCode: null, signal: null };
  if (active === 'activating')
    return { outcome: 'hung', cameUp: true, stayedUp: true, exitCode: null, signal: null };
  const ok = (last.Result ?? 'success') === 'success' && active !== 'failed';
  // 203 (EXIT_EXEC): systemd could not run the program at all.
  return {
    outcome: ok ? 'done' : exitCode === 203 ? 'not-started' : 'failed',
    cameUp: seenUp || ok,
    stayedUp: false,
    exitCode,
    signal,
  };
}
