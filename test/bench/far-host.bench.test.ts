// Benchmark for issue 17 (part of Done-when 4): another host's first load over SSH against
// `systemctl --user list-units --all` run there on the same multiplexed connection, with the
// far host on loopback (test/harness/far-host.ts) and 40 units of its user, 20 running.
// Measured: connecting (ssh's handshake and the probe of the far environment: the master
// connection), the first load (systemd-stdio-bridge spawned through the master, ListUnits, the
// unit files and the properties shown), and the same connection's `systemctl list-units`.
// Medians of 5, interleaved; reported, not asserted (timing on a shared machine is noisy).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSystemdMonitor } from '../../main/core/monitor/create-monitor.js';
import { openSshHost } from '../../main/core/host/hosts.js';
import type { SshHost } from '../../main/core/host/ssh-host.js';
import { createMemoryBackend } from '../../main/core/settings/settings.js';
import { startFarHost, startLocalSide, type FarHost, type LocalSide } from '../harness/far-host.js';
import { sleeperUnit } from '../helpers/units.js';
import { loadAverage, lowerMedian } from './support/bench-kit.js';

const UNITS = 40;
const RUNS = 5;
const ms = (n: number) => `${n.toFixed(0)} ms`;

describe('far host benchmark', () => {
  let far: FarHost;
  let local: LocalSide;

  beforeAll(async () => {
    far = await startFarHost({ label: 'bench' });
    local = await startLocalSide(far);
    for (let i = 0; i < UNITS; i++)
      await far.writeUnit(`bench-${i}.service`, sleeperUnit(`bench ${i}`), i === UNITS - 1);
    for (let i = 0; i < UNITS / 2; i++) await far.systemctl('start', `bench-${i}.service`);
  });

  afterAll(async () => {
    await local?.stop();
    await far?.stop();
  });

  it('times connecting, the first load and systemctl there on the same connection', async () => {
    const backend = createMemoryBackend({ hosts: [{ name: 'far', destination: far.alias }] });
    const connect: number[] = [];
    const first: number[] = [];
    const systemctl: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      let t = performance.now();
      const host: SshHost = await openSshHost('far', { backend, env: local.env });
      connect.push(performance.now() - t);
      t = performance.now();
      const monitor = createSystemdMonitor({ env: host.env, host });
      await monitor.start();
      first.push(performance.now() - t);
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
    const lines = [
      `far host, ${UNITS} units (${UNITS / 2} running), medians of ${RUNS}; load ${loadAverage()}`,
      `  connect (ssh master + probe):            ${ms(lowerMedian(connect))}`,
      `  first load (bridge + units):              ${ms(lowerMedian(first))}`,
      `  ssh systemctl --user list-units --all:    ${ms(lowerMedian(systemctl))}`,
      `  first load / systemctl:                   ${(lowerMedian(first) / lowerMedian(systemctl)).toFixed(2)}x`,
    ];
    console.log(lines.join('\n'));
  });
});
