// Benchmarks for the systemd foundation (issue 2), against baselines measured in the same run:
// - first full load of the app's snapshot vs `systemctl --user list-units --all` + `list-unit-files`,
//   with 150 running units and 300 unit files;
// - delay from an outside `systemctl --user stop` returning to the app's change event, p50/p95
//   over 50 toggles.
// Prints results and ratios; targets are reported, not asserted (timing on shared machines is noisy).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../harness/sandbox.js';
import { createSystemdMonitor } from '../../main/core/monitor/create-monitor.js';
import { sleeperUnit } from '../helpers/units.js';
import { benchResults, loadAverage, percentile, systemctlListings } from './support/bench-kit.js';

const execFileP = promisify(execFile);
const UNITS = 300;
const RUNNING = 150;
const TOGGLES = 50;
const LOADS = 7;

const median = (v: number[]) => percentile(v, 50);
const ms = (n: number) => `${n.toFixed(1)} ms`;

const { report, save } = benchResults('systemd');

describe('systemd foundation benchmarks', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await startSandbox({ label: 'bench' });
    for (let i = 0; i < UNITS; i++) {
      await sb.writeUnit(
        `bench-${String(i).padStart(3, '0')}.service`,
        sleeperUnit(`Bench unit ${i}`),
      );
    }
    await sb.daemonReload();
    const running = Array.from(
      { length: RUNNING },
      (_, i) => `bench-${String(i).padStart(3, '0')}.service`,
    );
    const r = await sb.systemctl('start', ...running);
    expect(r.code).toBe(0);
  }, 180_000);
  afterAll(async () => {
    await save();
    await sb?.stop();
  });

  it('first full load vs systemctl list-units --all + list-unit-files', async () => {
    const systemctl = async () => {
      const t = performance.now();
      await systemctlListings(sb.env);
      return performance.now() - t;
    };
    const app = async () => {
      const t = performance.now();
      const m = createSystemdMonitor({ busAddress: sb.busAddress });
      await m.start();
      const elapsed = performance.now() - t;
      expect(m.snapshot().sources.systemd).toEqual({ status: 'ok' });
      const entries = m.snapshot().entries.filter((e) => e.name.startsWith('bench-'));
      await m.stop();
      expect(entries).toHaveLength(UNITS);
      // Complete, not a first stage: every running unit with its process, since and restarts.
      const running = entries.filter((e) => e.state === 'running');
      expect(running).toHaveLength(RUNNING);
      for (const e of running) {
        expect(e.pids).toHaveLength(1);
        expect(e.since).not.toBeNull();
        expect(e.restarts).toBe(0);
      }
      return elapsed;
    };
    await systemctl();
    await app();
    const base: number[] = [];
    const ours: number[] = [];
    for (let i = 0; i < LOADS; i++) {
      base.push(await systemctl());
      ours.push(await app());
    }
    const ratio = median(ours) / median(base);
    report(
      `first load: app ${ms(median(ours))} vs systemctl ${ms(median(base))} (median of ${LOADS}); ratio ${ratio.toFixed(2)}; load average ${loadAverage()} (target <= 1.00: ${ratio <= 1 ? 'met' : 'MISSED'})`,
      'firstLoad',
      { appMs: ours, systemctlMs: base, ratio },
    );
  }, 180_000);

  it('outside stop to change event', async () => {
    const m = createSystemdMonitor({ busAddress: sb.busAddress });
    await m.start();
    const unit = 'bench-000.service';
    const delays: number[] = [];
    /**
     * When the monitor's snapshot first shows `unit` in `state` (at once if it already does).
     * Bounded: a change that never shows fails the run in seconds, saying what each side saw.
     */
    const shown = (state: string): Promise<number> =>
      new Promise<number>((resolve, reject) => {
        const now = () => m.snapshot().entries.find((e) => e.name === unit)?.state;
        if (now() === state) return resolve(performance.now());
        const timer = setTimeout(() => {
          off();
          void execFileP('systemctl', ['--user', 'show', unit, '-p', 'ActiveState,SubState,Job'], {
            env: sb.env,
          }).then(
            (r) =>
              reject(
                new Error(
                  `no snapshot showed ${unit} ${state} in 15 s: the monitor says ${now()}, systemd ${r.stdout.replace(/\n/g, ' ')}`,
                ),
              ),
            (err: unknown) => reject(err instanceof Error ? err : new Error(String(err))),
          );
        }, 15_000);
        const off = m.onSnapshot((s) => {
          if (s.entries.find((e) => e.name === unit)?.state !== state) return;
          clearTimeout(timer);
          off();
          resolve(performance.now());
        });
      });
    const systemctl = (verb: string) =>
      execFileP('systemctl', ['--user', verb, unit], { env: sb.env, timeout: 30_000 });
    try {
      for (let i = 0; i < TOGGLES; i++) {
        // Listening before the stop: the event usually comes before systemctl returns.
        const stopped = shown('stopped');
        await systemctl('stop');
        const returnedAt = performance.now();
        delays.push((await stopped) - returnedAt);
        await systemctl('start');
        await shown('running');
      }
    } finally {
      await m.stop();
    }
    const p50 = percentile(delays, 50);
    const p95 = percentile(delays, 95);
    report(
      `event delay after systemctl stop returns: p50 ${ms(p50)}, p95 ${ms(p95)} over ${TOGGLES} toggles (negative: the event came first); load average ${loadAverage()} (target p95 < 50 ms: ${p95 < 50 ? 'met' : 'MISSED'})`,
      'eventDelay',
      { delaysMs: delays, p50, p95 },
    );
  }, 180_000);
});
