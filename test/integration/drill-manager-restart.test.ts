// Drill (issue 7): the systemd user manager is re-executed (daemon-reexec), then killed with
// everything it ran (as PID 1 does when user@.service's main process dies) and started again.
// The app says what is wrong meanwhile, answers actions with a readable error instead of hanging,
// finds the manager again by itself (Subscribe on the new connection, a full resync), shows the
// state the new manager has, and holds only its own three match rules on every bus.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../main/core/app.js';
import { MATCH_RULES } from '../../main/core/systemd/unit-service.js';
import { matchRules } from '../harness/bus-stats.js';
import { startDrill, stopDrill, type ProcessFaults } from '../harness/drill.js';
import type { Sandbox } from '../harness/sandbox.js';
import { runCli } from '../helpers/cli.js';
import { sleeperUnit, waitFor } from '../helpers/units.js';

describe('drill: systemd --user re-executed, then killed and restarted', () => {
  let sb: Sandbox;
  let core: Core;
  let faults: ProcessFaults;
  const KEEP = 'dd-drill-keep.service';
  const BOOT = 'dd-drill-boot.service';
  const OTHER = 'dd-drill-other.service';

  const entry = (name: string) => core.monitor.snapshot().entries.find((e) => e.name === name);
  const systemd = () => core.monitor.snapshot().sources.systemd;
  const mainPid = async (unit: string) =>
    Number((await sb.systemctl('show', '-p', 'MainPID', '--value', unit)).stdout.trim());

  beforeAll(async () => {
    ({ faults, sb, core } = await startDrill('drill-manager', {
      [KEEP]: sleeperUnit('Started by hand', false),
      [BOOT]: sleeperUnit('Started by the manager at start-up'),
      [OTHER]: sleeperUnit('Started from outside', false),
    }));
    expect(await core.monitor.act(`systemd:${BOOT}`, 'enable')).toMatchObject({ ok: true });
    expect(await core.monitor.act(`systemd:${KEEP}`, 'start')).toMatchObject({ ok: true });
  });
  afterAll(() => stopDrill(core?.monitor, sb, faults));

  it('daemon-reexec: state kept, signals and actions work, no rule added', async () => {
    expect((await matchRules(sb)).count).toBe(MATCH_RULES.length);
    const keepPid = await mainPid(KEEP);
    expect(keepPid).toBeGreaterThan(0);

    // Every state the app shows for the running unit while the manager re-executes.
    const shown: string[] = [];
    const off = core.monitor.onSnapshot((s) => {
      const e = s.entries.find((x) => x.name === KEEP);
      shown.push(`${e?.state ?? 'missing'} ${JSON.stringify(e?.pids ?? [])}`);
    });
    expect((await sb.systemctl('daemon-reexec')).code).toBe(0);
    // Signals from the re-executed manager reach the app: a start from outside shows up. They
    // come after the re-exec's own signals, so the app has seen all of those by then.
    expect((await sb.systemctl('start', OTHER)).code).toBe(0);
    await waitFor(() => entry(OTHER)?.state === 'running', 'a start from outside after re-exec');
    await core.monitor.settled();
    off();
    expect(systemd()).toEqual({ status: 'ok' });
    // The manager kept its units across the re-exec, and the app showed them so throughout (a
    // reload's burst of UnitRemoved once made them blink "stopped").
    expect(entry(KEEP)).toMatchObject({ state: 'running', pids: [keepPid] });
    expect(shown.length).toBeGreaterThan(0);
    expect(new Set(shown)).toEqual(new Set([`running [${keepPid}]`]));
    // Actions wait for their job again.
    expect(await core.monitor.act(`systemd:${KEEP}`, 'restart')).toMatchObject({
      ok: true,
      value: { result: 'done' },
    });
    await waitFor(
      () => (entry(KEEP)?.pids[0] ?? keepPid) !== keepPid,
      'the restarted unit showing its new main PID',
    );
    expect(entry(KEEP)?.pids).toEqual([await mainPid(KEEP)]);
    expect((await matchRules(sb)).count).toBe(MATCH_RULES.length);
    expect(faults.seen).toEqual([]);
  });

  it('killed: says so, fails actions readably (app and CLI), keeps the other sources', async () => {
    await sb.killManager();
    const down = await waitFor(() => {
      const s = systemd();
      return s.status === 'unavailable' ? s : null;
    }, 'the app noticing the manager and its bus are gone');
    expect(down.error.code).toBe('bus-unavailable');
    expect(down.error.message).toMatch(/session bus/);

    const started = Date.now();
    const r = await core.monitor.act(`systemd:${KEEP}`, 'start');
    expect(r).toMatchObject({ ok: false, error: { code: 'bus-unavailable' } });
    if (!r.ok) expect(r.error.message).toMatch(/reconnect/);
    // A readable answer, not a hang until some call timeout.
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await core.monitor.unitDetail(KEEP)).toMatchObject({
      ok: false,
      error: { code: 'bus-unavailable' },
    });
    const cli = await runCli(sb.env, 'status', KEEP);
    expect(cli.code).toBe(1);
    expect(cli.stderr.trim().split('\n')).toHaveLength(1);
    expect(cli.stderr).toMatch(/^daemon-deck: .*session bus/);

    expect(core.monitor.snapshot().sources.processes).toEqual({ status: 'ok' });
    expect(core.processes.scan().processes.length).toBeGreaterThan(0);
    expect(faults.seen).toEqual([]);
  });

  it('restarted: the app finds it by itself, shows its state, acts, and gets its signals', async () => {
    await sb.startManager();
    await waitFor(() => systemd().status === 'ok', 'the app back on the new manager', 30_000);
    await core.monitor.settled();

    // The new manager started the enabled unit and nothing else.
    await waitFor(() => entry(BOOT)?.state === 'running', 'the enabled unit running again');
    expect(entry(BOOT)?.pids).toEqual([await mainPid(BOOT)]);
    expect(entry(KEEP)).toMatchObject({ state: 'stopped', pids: [] });
    expect(entry(OTHER)).toMatchObject({ state: 'stopped' });
    expect(entry(BOOT)?.autostart.enabled).toBe(true);

    expect(await core.monitor.act(`systemd:${KEEP}`, 'start')).toMatchObject({
      ok: true,
      value: { result: 'done' },
    });
    await waitFor(() => entry(KEEP)?.state === 'running', 'the unit the app started');
    // The new manager sends the app its signals: it subscribed again on the new connection.
    expect((await sb.systemctl('stop', KEEP)).code).toBe(0);
    await waitFor(() => entry(KEEP)?.state === 'stopped', 'an outside stop on the new manager');

    const rules = await matchRules(sb);
    expect(rules.count).toBe(MATCH_RULES.length);
    expect(Object.keys(rules.byConnection)).toHaveLength(1);
    expect(faults.seen).toEqual([]);
  });
});
