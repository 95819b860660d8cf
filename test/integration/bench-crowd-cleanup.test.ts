// The benchmarks' crowd of processes leaves nothing behind when its starter dies (issue 16):
// the starter (test/bench/support/crowd-child.ts, startCrowd) is killed midway, while it is still
// starting the crowd and once it is up, with SIGKILL (no handler runs) and SIGTERM (its handler
// runs), and every process of the crowd is counted until none is left. The crowd's sleeps carry a
// duration no other process uses, so they can be counted by their command line.
// Also: the task limit the scale benchmark sizes itself by (support/task-limit.ts).
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { bundleScript } from '../bench/support/core-child-runner.js';
import {
  ASSUMED_LIMIT,
  readTaskLimit,
  taskBudget,
  type TaskLimitFs,
} from '../bench/support/task-limit.js';
import { ProcessScanner } from '../../main/core/processes/proc-scanner.js';
import { waitFor } from '../helpers/units.js';

const scanner = new ProcessScanner();
let spawned: number[] = [];

/** Processes whose command line says `sleep SECONDS`, and crowd shells that start them. */
function left(seconds: number): number[] {
  return scanner
    .scan()
    .processes.filter(
      (p) =>
        (p.argv[0] === 'sleep' && p.argv[1] === String(seconds)) ||
        (p.argv[0] === 'sh' && (p.argv[2] ?? '').includes(`sleep ${seconds} &`)),
    )
    .map((p) => p.pid);
}

afterEach(() => {
  // Whatever happens, nothing of ours stays: the test process kills what it can still see.
  for (const pid of spawned) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  spawned = [];
});

async function killMidway(signal: 'SIGKILL' | 'SIGTERM', when: 'starting' | 'up', seconds: number) {
  const file = await bundleScript('crowd-child');
  const count = 150;
  const starter = spawn(process.execPath, [file], {
    env: { ...process.env, DD_CROWD: JSON.stringify({ count, seconds }) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  spawned.push(starter.pid!);
  let out = '';
  starter.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise((r) => starter.once('exit', r));
  if (when === 'starting') {
    await waitFor(() => left(seconds).length >= 20, 'the crowd under way', 30_000);
    expect(out).toBe(''); // not all up yet: midway
  } else {
    await waitFor(() => out.includes('started'), 'the crowd up', 60_000);
    expect(left(seconds).length).toBeGreaterThanOrEqual(count);
  }
  spawned.push(...left(seconds));
  starter.kill(signal);
  await exited;
  await waitFor(() => left(seconds).length === 0, 'no process of the crowd left', 30_000);
  expect(left(seconds)).toEqual([]);
}

describe('the benchmarks crowd', () => {
  it('is gone when its starter is killed (SIGKILL) while it is still starting', async () => {
    await killMidway('SIGKILL', 'starting', 77_011);
  }, 90_000);

  it('is gone when its starter is killed (SIGKILL) once it is up', async () => {
    await killMidway('SIGKILL', 'up', 77_012);
  }, 90_000);

  it('is gone when its starter is terminated (SIGTERM) once it is up', async () => {
    await killMidway('SIGTERM', 'up', 77_013);
  }, 90_000);
});

describe('the task limit the scale benchmark sizes itself by', () => {
  const fake = (files: Record<string, string>, env: NodeJS.ProcessEnv = {}): TaskLimitFs => ({
    read: (p) => files[p] ?? null,
    env,
    tasks: () => 700,
  });

  it('takes the smallest pids.max up the cgroup v1 chain, with its pids.current', () => {
    const limit = readTaskLimit(
      fake({
        '/proc/self/cgroup': '9:name=systemd:/\n8:pids:/ci/job\n0::/\n',
        '/sys/fs/cgroup/pids/ci/job/pids.max': 'max\n',
        '/sys/fs/cgroup/pids/ci/pids.max': '4915\n',
        '/sys/fs/cgroup/pids/ci/pids.current': '1200\n',
        '/proc/sys/kernel/threads-max': '192735\n',
        '/proc/self/limits':
          'Max processes             96367                96367                processes\n',
      }),
    );
    expect(limit).toMatchObject({
      limit: 4915,
      source: '/sys/fs/cgroup/pids/ci/pids.max',
      inUse: 1200,
    });
    expect(taskBudget(limit)).toBe(928);
  });

  it('reads cgroup v2 and ulimit -u, and assumes a limit where no pids.max is readable', () => {
    const v2 = readTaskLimit(
      fake({
        '/proc/self/cgroup': '0::/user.slice/session-2.scope\n',
        '/sys/fs/cgroup/user.slice/pids.max': '10000\n',
        '/proc/self/limits':
          'Max processes             3000                 3000                 processes\n',
      }),
    );
    expect(v2).toMatchObject({ limit: 3000, source: 'ulimit -u', inUse: 700 });
    const hidden = readTaskLimit(fake({ '/proc/self/cgroup': '8:pids:/\n0::/\n' }));
    expect(hidden.limit).toBe(ASSUMED_LIMIT);
    expect(hidden.source).toMatch(/assumed/);
    const told = readTaskLimit(
      fake({ '/proc/self/cgroup': '0::/\n' }, { DD_BENCH_TASK_LIMIT: '2000' }),
    );
    expect(told).toMatchObject({ limit: 2000, source: 'DD_BENCH_TASK_LIMIT' });
  });

  it('on this machine, leaves most of what is free', () => {
    const limit = readTaskLimit();
    expect(limit.limit).toBeGreaterThan(0);
    expect(taskBudget(limit)).toBeLessThan(limit.limit - limit.inUse);
  });
});
