// Small pieces the benchmarks share: a crowd of sleeping processes, the load average for each
// printed figure, and the systemctl listings the app's first load is compared with.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { promisify } from 'node:util';
import { ProcessScanner } from '../../../main/core/processes/proc-scanner.js';
import { waitFor } from '../../helpers/units.js';

const execFileP = promisify(execFile);

/** The 1, 5 and 15 minute load averages, as printed beside each measurement. */
export function loadAverage(): string {
  return loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
}

export interface Crowd {
  /** The shell that started them: their parent, and their process group. */
  pid: number;
  /**
   * Kill the whole group; resolves once none of it is left, reaped too (about 2 s for 1,000 here),
   * so the next benchmark does not count a crowd that is still going away.
   */
  stop(): Promise<void>;
}

/** Synchronous clean-ups still due: run on exit and on SIGINT/SIGTERM/SIGHUP, whatever happened. */
const cleanups = new Set<() => void>();
let handlersInstalled = false;

/**
 * Run `cleanup` when this process exits or is interrupted, unless the returned function is
 * called first (the benchmark cleaned up itself). It must be synchronous: kills, not awaits.
 */
export function onInterrupt(cleanup: () => void): () => void {
  if (!handlersInstalled) {
    handlersInstalled = true;
    const runAll = () => {
      for (const c of [...cleanups]) {
        cleanups.delete(c);
        c();
      }
    };
    process.on('exit', runAll);
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      process.once(signal, () => {
        runAll();
        process.kill(process.pid, signal); // then end as that signal would have
      });
    }
  }
  cleanups.add(cleanup);
  return () => void cleanups.delete(cleanup);
}

/**
 * `count` sleeping processes (`sleep SECONDS`) under one shell in a process group of its own, for
 * a clean kill; `first` is started before them (e.g. one distinct process a rule looks for);
 * `runAs` starts the shell through an argv prefix (e.g. setpriv, as another user).
 * Resolves once the scanner sees them all.
 *
 * Nothing outlives the starter: stop() and exit or signal handlers kill the group, and for a
 * starter killed outright (SIGKILL, a crash) the shell waits on a pipe from it once the crowd is
 * up and kills its group when the pipe closes, which the kernel does as the starter dies.
 */
export async function startCrowd(
  count: number,
  seconds: number,
  first: string | null = null,
  runAs: readonly string[] = [],
): Promise<Crowd> {
  const script =
    `${first !== null ? `${first} & ` : ''}i=0; while [ $i -lt ${count} ]; do sleep ${seconds} & i=$((i+1)); done; ` +
    // Blocks until the starter closes the pipe or dies, then takes the whole group down.
    'read _ ; kill -KILL 0';
  // runAs: an argv prefix that execs the shell as someone else (setpriv), keeping its pid.
  const argv = [...runAs, 'sh', '-c', script];
  const shell: ChildProcess = spawn(argv[0]!, argv.slice(1), {
    stdio: ['pipe', 'ignore', 'ignore'],
    detached: true,
  });
  const pid = shell.pid;
  if (pid === undefined) throw new Error('could not start the crowd');
  shell.stdin?.on('error', () => undefined); // the group is already gone
  const kill = () => {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  const forget = onInterrupt(kill);
  /** Whether any process of the group is left (a zombie not yet reaped counts). */
  const left = () => {
    try {
      process.kill(-pid, 0);
      return true;
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'EPERM'; // there, but not ours to signal
    }
  };
  const crowd: Crowd = {
    pid,
    stop: async () => {
      forget();
      kill();
      await waitFor(() => !left(), `the crowd's process group ${pid} to be gone`, 30_000);
    },
  };
  const scanner = new ProcessScanner();
  try {
    const want = count + (first !== null ? 1 : 0);
    await waitFor(
      () => scanner.scan().processes.filter((p) => p.ppid === pid).length >= want,
      `${want} extra processes`,
      240_000,
    );
  } catch (err) {
    await crowd.stop();
    throw err;
  } finally {
    scanner.close();
  }
  return crowd;
}

/** `systemctl --user list-units --all` then `list-unit-files`, as a user would run them. */
export async function systemctlListings(env: NodeJS.ProcessEnv): Promise<void> {
  for (const what of ['list-units', 'list-unit-files']) {
    await execFileP(
      'systemctl',
      ['--user', '--no-pager', what, ...(what === 'list-units' ? ['--all'] : [])],
      { env, maxBuffer: 1 << 26 },
    );
  }
}

/** Write a bench's figures to bench-results/NAME.json. */
export async function saveResults(name: string, results: Record<string, unknown>): Promise<void> {
  await mkdir('bench-results', { recursive: true });
  await writeFile(`bench-results/${name}.json`, JSON.stringify(results, null, 2) + '\n');
}

/** The p-th percentile (nearest rank) of `values`; NaN for none. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? NaN;
}

/** The median of `values`, the lower middle one for an even count; NaN for none. */
export function lowerMedian(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)] ?? NaN;
}

/**
 * A benchmark's results, `report`, which records one and prints its line, and `save`, which
 * writes them all to bench-results/NAME.json.
 */
export function benchResults(name: string): {
  results: Record<string, unknown>;
  report: (line: string, key: string, value: unknown) => void;
  save: () => Promise<void>;
} {
  const results: Record<string, unknown> = {};
  return {
    results,
    save: () => saveResults(name, results),
    report: (line, key, value) => {
      results[key] = value;
      console.log(`BENCH ${line}`);
    },
  };
}
