// How many tasks (processes and threads) a benchmark may start without taking the machine down
// (issue 16: a scale run started 5,000 extra processes where the CI cgroup allowed 4,915 tasks,
// and every process on the machine then failed to fork). The limit is the smallest of:
// - pids.max of this process's cgroup and each of its ancestors (cgroup v2: the `0::PATH` line of
//   /proc/self/cgroup under /sys/fs/cgroup; v1: the `N:pids:PATH` line under /sys/fs/cgroup/pids);
// - /proc/sys/kernel/threads-max and pid_max;
// - RLIMIT_NPROC (`ulimit -u`: "Max processes" in /proc/self/limits).
// A container whose limit is set outside it sees none of its pids.max (its cgroup reads as `/`);
// there the limit is assumed to be ASSUMED_LIMIT unless DD_BENCH_TASK_LIMIT says otherwise.
// What is in use is the limiting cgroup's pids.current, else the tasks visible in /proc.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The smallest task limit of the CI machines we know of (4,915 there), when none is readable. */
export const ASSUMED_LIMIT = 4096;

export interface TaskLimit {
  /** The smallest limit found (or assumed). */
  limit: number;
  /** Where it comes from, e.g. `/sys/fs/cgroup/pids/ci/pids.max`. */
  source: string;
  /** Tasks in use now under that limit. */
  inUse: number;
  /** Every limit read, for the printed line. */
  found: Array<{ what: string; value: number }>;
}

export interface TaskLimitFs {
  read(path: string): string | null;
  env: NodeJS.ProcessEnv;
  /** Tasks visible now (threads included). */
  tasks(): number;
}

function readOrNull(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** Threads of every process visible in /proc (field 20 of stat, num_threads). */
export function visibleTasks(): number {
  let n = 0;
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readOrNull(`/proc/${name}/stat`);
    if (stat === null) continue; // ended while we looked
    const threads = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[17]);
    n += Number.isFinite(threads) ? threads : 1;
  }
  return n;
}

const realFs: TaskLimitFs = { read: readOrNull, env: process.env, tasks: visibleTasks };

/** The pids.max files from a cgroup directory up to its hierarchy's root. */
function cgroupChain(root: string, path: string): string[] {
  const out: string[] = [];
  let dir = join(root, path);
  for (;;) {
    out.push(dir);
    if (dir === root || !dir.startsWith(root)) break;
    dir = dirname(dir);
  }
  return out;
}

export function readTaskLimit(fs: TaskLimitFs = realFs): TaskLimit {
  const found: TaskLimit['found'] = [];
  let best: { what: string; value: number; current: number | null } | null = null;
  const consider = (what: string, value: number, current: number | null = null) => {
    if (!Number.isFinite(value) || value <= 0) return;
    found.push({ what, value });
    if (best === null || value < best.value) best = { what, value, current };
  };
  const cgroup = fs.read('/proc/self/cgroup') ?? '';
  for (const line of cgroup.split('\n')) {
    const v2 = /^0::(\/.*)$/.exec(line);
    const v1 = /^\d+:(?:[^:]*,)?pids(?:,[^:]*)?:(\/.*)$/.exec(line);
    const root = v2 ? '/sys/fs/cgroup' : v1 ? '/sys/fs/cgroup/pids' : null;
    const path = v2?.[1] ?? v1?.[1];
    if (root === null || path === undefined) continue;
    for (const dir of cgroupChain(root, path)) {
      const max = fs.read(join(dir, 'pids.max'))?.trim();
      if (max === undefined || max === 'max') continue;
      const current = Number(fs.read(join(dir, 'pids.current'))?.trim());
      consider(join(dir, 'pids.max'), Number(max), Number.isFinite(current) ? current : null);
    }
  }
  const cgroupFound = found.length > 0;
  consider('threads-max', Number(fs.read('/proc/sys/kernel/threads-max')?.trim()));
  consider('pid_max', Number(fs.read('/proc/sys/kernel/pid_max')?.trim()));
  const nproc = /^Max processes\s+(\d+|unlimited)/m.exec(fs.read('/proc/self/limits') ?? '');
  if (nproc && nproc[1] !== 'unlimited') consider('ulimit -u', Number(nproc[1]));
  const override = Number(fs.env.DD_BENCH_TASK_LIMIT);
  if (Number.isFinite(override) && override > 0) consider('DD_BENCH_TASK_LIMIT', override);
  else if (!cgroupFound)
    consider(`assumed (no pids.max readable from inside this cgroup)`, ASSUMED_LIMIT);
  const chosen = best as { what: string; value: number; current: number | null } | null;
  if (chosen === null) throw new Error('no task limit could be read or assumed');
  return {
    limit: chosen.value,
    source: chosen.what,
    inUse: chosen.current ?? fs.tasks(),
    found,
  };
}

/**
 * How many more tasks a benchmark may start: `share` of what is free under the limit (a quarter
 * by default: the machine runs other work, which may grow while the benchmark runs).
 */
export function taskBudget(limit: TaskLimit, share = 0.25): number {
  return Math.max(0, Math.floor((limit.limit - limit.inUse) * share));
}

/** One line saying what was used and why. */
export function describeBudget(limit: TaskLimit, budget: number): string {
  const all = limit.found.map((f) => `${f.what} ${f.value}`).join(', ');
  return `task limit ${limit.limit} (${limit.source}; read: ${all}), ${limit.inUse} in use, this run may add ${budget}`;
}
