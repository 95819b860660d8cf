// Drill (issue 7): the session bus daemon is killed (SIGKILL) and comes back, again and again,
// under the app as main/core/app.ts assembles it. The app says what is wrong while the bus is
// gone, keeps its other sources, reconnects by itself, acts again, and holds exactly its own match
// rules on every new bus, as dbus-daemon's own statistics count them.
// (bus-recovery.test.ts covers the systemd monitor alone through a longer outage.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../main/core/app.js';
import { MATCH_RULES } from '../../main/core/systemd/unit-service.js';
import { matchRules } from '../harness/bus-stats.js';
import { startDrill, stopDrill, type ProcessFaults } from '../harness/drill.js';
import type { Sandbox } from '../harness/sandbox.js';
import { runCli } from '../helpers/cli.js';
import { sleeperUnit, waitFor } from '../helpers/units.js';

describe('drill: dbus-daemon killed and restarted', () => {
  let sb: Sandbox;
  let core: Core;
  let faults: ProcessFaults;
  const UNIT = 'dd-drill-bus.service';

  const state = () => core.monitor.snapshot().entries.find((e) => e.name === UNIT)?.state;
  const systemd = () => core.monitor.snapshot().sources.systemd;

  beforeAll(async () => {
    ({ faults, sb, core } = await startDrill('drill-bus', {
      [UNIT]: sleeperUnit('Outlives the bus'),
    }));
  });
  afterAll(() => stopDrill(core?.monitor, sb, faults));

  it('the bus holds exactly the three match rules the app adds', async () => {
    expect(systemd()).toEqual({ status: 'ok' });
    const rules = await matchRules(sb);
    expect(Object.keys(rules.byConnection)).toHaveLength(1);
    expect(rules.count).toBe(MATCH_RULES.length);
    const held = Object.values(rules.byConnection)[0]!;
    for (const r of held) expect(r).toMatch(/systemd1|NameOwnerChanged/);
    expect(rules.busTotal).toBeGreaterThanOrEqual(rules.count);
  });

  it('resyncs (daemon-reload three times) without adding a rule', async () => {
    for (let i = 0; i < 3; i++) await sb.daemonReload();
    await core.monitor.settled();
    expect((await matchRules(sb)).count).toBe(MATCH_RULES.length);
  });

  it('three kills in a row: each time it says so, keeps the rest, comes back by itself and works', async () => {
    for (let round = 1; round <= 3; round++) {
      const busPid = sb.busDaemonPid();
      expect(busPid).not.toBeNull();
      process.kill(busPid!, 'SIGKILL');

      const down = await waitFor(() => {
        const s = systemd();
        return s.status === 'unavailable' ? s : null;
      }, `round ${round}: the app noticing the bus is gone`);
      expect(down.error.code).toBe('bus-unavailable');
      expect(down.error.message).toMatch(/session bus/);
      expect(down.error.message).toMatch(/reconnect/);
      // The sources that do not need the bus carry on.
      expect(core.monitor.snapshot().sources.processes).toEqual({ status: 'ok' });
      expect(core.processes.scan().processes.length).toBeGreaterThan(0);

      // Socket activation brings a new daemon up when the app reconnects.
      await waitFor(() => systemd().status === 'ok', `round ${round}: recovery`, 30_000);
      expect(sb.busDaemonPid()).not.toBe(busPid);

      const start = await core.monitor.act(`systemd:${UNIT}`, 'start');
      expect(start).toMatchObject({ ok: true, value: { result: 'done' } });
      await waitFor(() => state() === 'running', `round ${round}: live state after recovery`);
      // Signals flow again: a stop from outside shows up.
      expect((await sb.systemctl('stop', UNIT)).code).toBe(0);
      await waitFor(() => state() === 'stopped', `round ${round}: signals after recovery`);

      // On the new bus: the same three rules, not one more.
      const rules = await matchRules(sb);
      expect(rules.count).toBe(MATCH_RULES.length);
      expect(Object.keys(rules.byConnection)).toHaveLength(1);
    }
    expect(faults.seen).toEqual([]);
  });

  it('the rest of the app works on the new bus: unit detail, definition, and the CLI', async () => {
    const detail = await core.monitor.unitDetail(UNIT);
    expect(detail).toMatchObject({ ok: true, value: { unit: UNIT, activeState: 'inactive' } });
    const def = await core.authoring.definition(UNIT);
    expect(def).toMatchObject({ ok: true, value: { unit: UNIT } });
    const list = await runCli(sb.env, 'list', '--json', '--kind', 'service');
    expect(list.code).toBe(0);
    const entries = JSON.parse(list.stdout) as Array<{ name: string }>;
    expect(entries.map((e) => e.name)).toContain(UNIT);
    expect((await matchRules(sb)).count).toBe(MATCH_RULES.length);
    expect(faults.seen).toEqual([]);
  });
});
