// Benchmark for issue 17 (Done-when 4), with the far host on loopback (test/harness/far-host.ts):
// - one poll of a far host with 1,000 processes of its user: its round trips (ssh sessions on
//   the master connection), bytes each way, and CPU here (this Node process, the ssh clients it
//   ran, the master connection) and there (the far user's sshd session with the commands it ran,
//   and its sshd monitor), from /proc of those pids before and after; the process table is read
//   by SshHost.readProcesses(), every /proc read of the poll in one far command;
// - connecting (ssh's handshake and the probe of the far environment: the master connection),
//   the first load of 40 units (20 running: systemd-stdio-bridge through the master, ListUnits,
//   the unit files, the properties shown) with its round trips and bytes, against
//   `systemctl --user list-units --all` run there on the same connection.
// Medians of 5, interleaved; reported, not asserted (timing on a shared machine is noisy).
//
// Sized to the machine (issue 16): the far user's 1,000 sleepers stay within half of the
// tasks free under the machine's limit (support/task-limit.ts) and are scaled down where they do
// not fit; the first BENCH line says what was used. They are killed by their process group when
// the bench ends, fails or is interrupted, and the far host's stop() kills every process of its
// user whatever else happened.
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FarProcessScanner } from '../../main/core/host/far-processes.js';
import { createSystemdMonitor } from '../../main/core/monitor/create-monitor.js';
import { openSshHost } from '../../main/core/host/hosts.js';
import type { SshHost, SshTraffic } from '../../main/core/host/ssh-host.js';
import { createMemoryBackend } from '../../main/core/settings/settings.js';
import { startFarHost, startLocalSide, type FarHost, type LocalSide } from '../harness/far-host.js';
import { sandboxPids } from '../harness/sandbox.js';
import { sleeperUnit } from '../helpers/units.js';
import {
  benchResults,
  loadAverage,
  lowerMedian,
  startCrowd,
  type Crowd,
} from './support/bench-kit.js';
import { describeBudget, readTaskLimit, taskBudget } from './support/task-limit.js';

const UNITS = 40;
const RUNS = 5;
const WANTED_PROCESSES = 1000;
const HZ = 100;
const ms = (n: number) => `${n.toFixed(0)} ms`;
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

function sized(): { processes: number; line: string } {
  const limit = readTaskLimit();
  // Half the free tasks (scale.bench takes a quarter for its 6,000): 1,000 sleepers fit where
  // 2,000 tasks are free, and the machine keeps the other half.
  const budget = taskBudget(limit, 0.5);
  const processes = Math.min(WANTED_PROCESSES, budget);
  return {
    processes,
    line: `far host poll sized to ${processes} processes of the far user (wanted ${WANTED_PROCESSES}): ${describeBudget(limit, budget)}`,
  };
}

/** utime + stime (+ cutime + cstime with `children`) of a pid in clock ticks; 0 when gone. */
function ticks(pid: number | 'self', children: boolean): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14-17 of stat are at 11-14 after the state (field 3).
    const own = Number(f[11]) + Number(f[12]);
    return children ? own + Number(f[13]) + Number(f[14]) : own;
  } catch {
    return 0;
  }
}

/** Field `n` (1-based, > 2) of a pid's stat, or null. */
function statField(pid: number, n: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[n - 3] ?? null;
  } catch {
    return null;
  }
}

const comm = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'latin1').trim();
  } catch {
    return '';
  }
};

/**
 * The far side's processes of the connection: the far user's processes that are not its crowd
 * (the sshd session, its shells; their reaped commands are in cutime/cstime), and the sshd
 * monitor above the session (root, privilege separation).
 */
function farSidePids(uid: number, crowdPgid: number): number[] {
  const out = new Set<number>();
  for (const name of execFileSync('ps', ['-o', 'pid=', '-u', String(uid)], { encoding: 'utf8' })
    .split('\n')
    .map((s) => Number(s.trim()))
    .filter((n) => n > 0)) {
    if (Number(statField(name, 5)) === crowdPgid) continue;
    if (comm(name) === 'systemd') continue; // the far user's manager: no part of a poll
    out.add(name);
    const parent = Number(statField(name, 4));
    if (comm(name) === 'sshd' && comm(parent) === 'sshd') out.add(parent);
  }
  return [...out];
}

interface PollFigures {
  wallMs: number;
  sessions: number;
  bytesOut: number;
  bytesIn: number;
  hereMs: number;
  thereMs: number;
}

describe('far host benchmark', () => {
  let far: FarHost;
  let local: LocalSide;
  let crowd: Crowd | undefined;
  const SIZE = sized();
  const { report, save } = benchResults('far-host');

  beforeAll(async () => {
    report(SIZE.line, 'size', SIZE);
    far = await startFarHost({ label: 'bench' });
    local = await startLocalSide(far);
    for (let i = 0; i < UNITS; i++)
      await far.writeUnit(`bench-${i}.service`, sleeperUnit(`bench ${i}`), i === UNITS - 1);
    for (let i = 0; i < UNITS / 2; i++) await far.systemctl('start', `bench-${i}.service`);
    const gid = execFileSync('id', ['-g', far.user], { encoding: 'utf8' }).trim();
    crowd = await startCrowd(SIZE.processes, 1800, null, [
      'setpriv',
      `--reuid=${far.uid}`,
      `--regid=${gid}`,
      '--init-groups',
    ]);
  }, 600_000);

  afterAll(async () => {
    await crowd?.stop();
    await local?.stop();
    await far?.stop();
    await save();
  });

  it('counts the round trips, bytes and CPU of one poll of a far host', async () => {
    const backend = createMemoryBackend({ hosts: [{ name: 'far', destination: far.alias }] });
    const host: SshHost = await openSshHost('far', { backend, env: local.env });
    try {
      const scanner = new FarProcessScanner(host);
      const crowdPgid = crowd!.pid;
      const table = await scanner.refresh();
      const mine = table.processes.filter((p) => p.pgid === crowdPgid);
      expect(mine.length).toBe(SIZE.processes + 1); // the sleepers and their shell
      expect(mine.every((p) => p.uid === far.uid)).toBe(true);
      expect(mine.filter((p) => p.argv.join(' ') === 'sleep 1800')).toHaveLength(SIZE.processes);
      // The master connection (ControlPersist) names this side's runtime folder.
      const master = sandboxPids(local.env.XDG_RUNTIME_DIR!);
      const polls: PollFigures[] = [];
      for (let i = 0; i < RUNS; i++) {
        const farPids = farSidePids(far.uid, crowdPgid);
        const before = { ...(host.traffic as SshTraffic) };
        const cpu0 = process.cpuUsage();
        const here0 = ticks('self', true) - ticks('self', false);
        const master0 = master.reduce((s, p) => s + ticks(p, true), 0);
        const there0 = farPids.reduce((s, p) => s + ticks(p, true), 0);
        const t = performance.now();
        const polled = await scanner.refresh();
        const wallMs = performance.now() - t;
        const cpu = process.cpuUsage(cpu0);
        const hereChildren = ticks('self', true) - ticks('self', false) - here0;
        const masterTicks = master.reduce((s, p) => s + ticks(p, true), 0) - master0;
        const thereTicks = farPids.reduce((s, p) => s + ticks(p, true), 0) - there0;
        expect(polled.processes.filter((p) => p.pgid === crowdPgid)).toHaveLength(
          SIZE.processes + 1,
        );
        polls.push({
          wallMs,
          sessions: host.traffic.sessions - before.sessions,
          bytesOut: host.traffic.bytesOut - before.bytesOut,
          bytesIn: host.traffic.bytesIn - before.bytesIn,
          hereMs: (cpu.user + cpu.system) / 1000 + ((hereChildren + masterTicks) * 1000) / HZ,
          thereMs: (thereTicks * 1000) / HZ,
        });
      }
      const med = (k: keyof PollFigures) => lowerMedian(polls.map((p) => p[k]));
      // One poll is one round trip: every /proc read of it in one far command.
      expect(polls.every((p) => p.sessions === 1)).toBe(true);
      report(
        `far host poll of ${table.processes.length} processes (${SIZE.processes} sleepers of the far user), medians of ${RUNS}: ` +
          `${med('sessions')} round trip, ${kb(med('bytesOut'))} out, ${kb(med('bytesIn'))} in, ${ms(med('wallMs'))} wall; ` +
          `CPU here ${ms(med('hereMs'))} (this process, its ssh client, the master), there ${ms(med('thereMs'))} (sshd session and its commands; ticks of ${1000 / HZ} ms); load ${loadAverage()}`,
        'poll',
        { processes: table.processes.length, farUserProcesses: SIZE.processes, polls },
      );
    } finally {
      await host.close();
    }
  }, 240_000);

  it('times connecting, the first load and systemctl there on the same connection', async () => {
    const backend = createMemoryBackend({ hosts: [{ name: 'far', destination: far.alias }] });
    const connect: number[] = [];
    const first: number[] = [];
    const firstTraffic: SshTraffic[] = [];
    const systemctl: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      let t = performance.now();
      const host: SshHost = await openSshHost('far', { backend, env: local.env });
      connect.push(performance.now() - t);
      const before = { ...host.traffic };
      t = performance.now();
      const monitor = createSystemdMonitor({ env: host.env, host });
      await monitor.start();
      first.push(performance.now() - t);
      const after = host.traffic;
      firstTraffic.push({
        sessions: after.sessions - before.sessions,
        bytesOut: after.bytesOut - before.bytesOut,
        bytesIn: after.bytesIn - before.bytesIn,
        busBytesOut: after.busBytesOut - before.busBytesOut,
        busBytesIn: after.busBytesIn - before.busBytesIn,
      });
      const entries = monitor.snapshot().entries.filter((e) => e.id.startsWith('systemd:bench-'));
      expect(entries).toHaveLength(UNITS);
      expect(entries.filter((e) => e.state === 'running')).toHaveLength(UNITS / 2);
      await monitor.stop();
      t = performance.now();
      const r = await host.run(['systemctl', '--user', 'list-units', '--all', '--no-pager']);
      systemctl.push(performance.now() - t);
      expect(r.code, r.stderr).toBe(0);
      await host.close();
    }
    const f = (k: keyof SshTraffic) => lowerMedian(firstTraffic.map((x) => x[k]));
    report(
      `far host, ${UNITS} units (${UNITS / 2} running), medians of ${RUNS}: connect (ssh master + probe) ${ms(lowerMedian(connect))}; ` +
        `first load ${ms(lowerMedian(first))} (${f('sessions')} ssh sessions, ${kb(f('bytesOut') + f('busBytesOut'))} out, ${kb(f('bytesIn') + f('busBytesIn'))} in) ` +
        `vs ssh systemctl --user list-units --all ${ms(lowerMedian(systemctl))} on the same connection: ${(lowerMedian(first) / lowerMedian(systemctl)).toFixed(2)}x; load ${loadAverage()}`,
      'firstLoad',
      { connectMs: connect, firstMs: first, firstTraffic, systemctlMs: systemctl },
    );
  }, 240_000);
});
