// Benchmark for issue 6: the CPU the running core uses, built as the app builds it (createCore in
// main/core/app.ts: systemd, processes, sessions, @reboot and autostart sources, and whatever
// else the app wires in there), started at its default intervals (processes 2 s, sessions 3 s,
// startup 30 s), with 150 running units, 1,000 extra processes and two watch rules, idle for 60 s.
// The core runs in a Node process of its own (support/core-child.ts); CPU is that process's
// process.cpuUsage() plus its children's (/proc/self/stat cutime + cstime: the tools the core
// runs and waits for, tmux, screen, crontab). Target: under 1% of one core. Reported, not
// asserted. Results in bench-results/core-cpu.json.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCronSandbox, type CronSandbox } from '../harness/cron-sandbox.js';
import { startSandbox, type Sandbox } from '../harness/sandbox.js';
import { sleeperUnit } from '../helpers/units.js';
import { loadAverage, saveResults, startCrowd, type Crowd } from './support/bench-kit.js';
import { runCoreChild, sandboxCore } from './support/core-child-runner.js';

const UNITS = 150;
const EXTRA = 1000;
const WINDOW_MS = 60_000;

const name = (i: number) => `cpu-${String(i).padStart(3, '0')}.service`;

describe('CPU of the running core', () => {
  let sb: Sandbox;
  let cron: CronSandbox;
  let crowd: Crowd | undefined;
  const results: Record<string, unknown> = {};

  beforeAll(async () => {
    sb = await startSandbox({ label: 'bench-cpu' });
    cron = await startCronSandbox();
    for (let i = 0; i < UNITS; i++) await sb.writeUnit(name(i), sleeperUnit(`CPU unit ${i}`));
    await sb.daemonReload();
    const r = await sb.systemctl('start', ...Array.from({ length: UNITS }, (_, i) => name(i)));
    expect(r.code).toBe(0);
    // 999 alike and one a watch rule will look for.
    crowd = await startCrowd(EXTRA - 1, 900, 'sleep 901');
  }, 300_000);

  afterAll(async () => {
    crowd?.stop();
    await cron?.stop();
    await sb?.stop();
    await saveResults('core-cpu', results);
  });

  it('uses under 1% of one core over 60 s, idle, at default intervals', async () => {
    // Two watch rules, as a user would have: one that matches one process, one nothing.
    const load = loadAverage();
    const reports = await runCoreChild({
      ...sandboxCore(sb, cron, '^sleep 901$'),
      // Let the first loads, polls and the JIT settle, then measure a quiet minute.
      settleMs: 15_000,
      windowMs: WINDOW_MS,
    });
    const started = reports.find((r) => r.event === 'started');
    const m = reports.find((r) => r.event === 'measured');
    if (started?.event !== 'started' || m?.event !== 'measured') throw new Error('no report');
    expect(started.sources).toMatchObject({ systemd: 'ok', processes: 'ok' });
    expect(started.running).toBeGreaterThanOrEqual(UNITS + 1);
    expect(m.processes).toBeGreaterThan(EXTRA + UNITS);
    const percent = ((m.ownMs + m.childrenMs) / m.elapsedMs) * 100;
    const threads = Object.entries(m.threads)
      .filter(([, v]) => v > 0)
      .map(([k, v]) => `${k} ${v} ms`)
      .join(', ');
    const line =
      `core CPU over ${(m.elapsedMs / 1000).toFixed(0)} s with ${UNITS} units, ${m.processes} processes and 2 watch rules: ` +
      `${percent.toFixed(2)}% of one core (own ${m.ownMs.toFixed(0)} ms, tools it ran ${m.childrenMs.toFixed(0)} ms; ` +
      `by thread: ${threads}; ${m.snapshots} snapshots published; load average ${load}) (target < 1%: ${percent < 1 ? 'met' : 'MISSED'})`;
    results.coreCpu = { percent, ...m, load };
    console.log(`BENCH ${line}`);
    expect(m.elapsedMs).toBeGreaterThan(WINDOW_MS - 1000);
  }, 180_000);
});
