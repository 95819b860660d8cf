// Drill: the session bus daemon is killed under a running monitor. The app must say so, answer
// requests with a readable error (not hang, not crash), and recover by itself when the bus returns.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../harness/sandbox.js';
import {
  createSystemdMonitor,
  type SystemdMonitor,
} from '../../main/core/monitor/create-monitor.js';
import { sleeperUnit, waitFor } from '../helpers/units.js';

describe('when the session bus dies and returns', () => {
  let sb: Sandbox;
  let monitor: SystemdMonitor;
  const rejections: unknown[] = [];
  const onRejection = (r: unknown) => rejections.push(r);

  beforeAll(async () => {
    process.on('unhandledRejection', onRejection);
    sb = await startSandbox({ label: 'bus' });
    await sb.writeUnit('dd-survivor.service', sleeperUnit('Survives bus loss'));
    await sb.daemonReload();
    monitor = createSystemdMonitor({ busAddress: sb.busAddress });
    await monitor.start();
  });
  afterAll(async () => {
    process.off('unhandledRejection', onRejection);
    await monitor?.stop();
    await sb?.stop();
  });

  it('reports the loss, fails requests readably, and recovers by itself', async () => {
    expect(monitor.snapshot().sources.systemd).toEqual({ status: 'ok' });
    const busPid = sb.busDaemonPid();
    expect(busPid).not.toBeNull();
    process.kill(busPid!, 'SIGKILL');

    const down = await waitFor(() => {
      const s = monitor.snapshot().sources.systemd;
      return s.status === 'unavailable' ? s : null;
    }, 'the monitor to notice the bus is gone');
    expect(down.error.code).toBe('bus-unavailable');
    expect(down.error.message).toMatch(/session bus/);

    // Requests while the bus is away answer with the same readable error, quickly.
    if (monitor.bus.state !== 'up') {
      const r = await monitor.act('dd-survivor.service', 'start');
      expect(r).toMatchObject({ ok: false, error: { code: 'bus-unavailable' } });
    }

    // The bus comes back through its socket unit (socket activation on our reconnect).
    await waitFor(
      () => monitor.snapshot().sources.systemd.status === 'ok',
      'recovery',
      30_000,
    ).catch(async (err: unknown) => {
      const units = await sb.systemctl('status', '--no-pager', 'dbus.socket', 'dbus.service');
      throw new Error(
        `${String(err)}; bus ${monitor.bus.state} (${monitor.bus.lastError ?? ''}); source ${JSON.stringify(monitor.snapshot().sources.systemd)}\n${units.stdout}${units.stderr}`,
      );
    });
    expect(sb.busDaemonPid()).not.toBe(busPid);
    const r = await monitor.act('dd-survivor.service', 'start');
    expect(r).toMatchObject({ ok: true, value: { result: 'done' } });
    await waitFor(
      () =>
        monitor.snapshot().entries.find((e) => e.name === 'dd-survivor.service')?.state ===
        'running',
      'live state after recovery',
    );
    // Live signals work again: an outside stop shows up.
    await sb.systemctl('stop', 'dd-survivor.service');
    await waitFor(
      () =>
        monitor.snapshot().entries.find((e) => e.name === 'dd-survivor.service')?.state ===
        'stopped',
      'signals after recovery',
    );
    expect(rejections).toEqual([]);
  });

  it('stays readable through a longer outage and comes back when the bus is started again', async () => {
    // systemctl talks to the manager over its private socket, so it works without the bus.
    expect((await sb.systemctl('stop', '--no-block', 'dbus.socket', 'dbus.service')).code).toBe(0);
    await waitFor(
      () => monitor.snapshot().sources.systemd.status === 'unavailable',
      'outage noticed',
    );
    const started = Date.now();
    const r = await monitor.act('dd-survivor.service', 'start');
    expect(r).toMatchObject({ ok: false, error: { code: 'bus-unavailable' } });
    expect(Date.now() - started).toBeLessThan(1000);
    const detail = await monitor.unitDetail('dd-survivor.service');
    expect(detail).toMatchObject({ ok: false, error: { code: 'bus-unavailable' } });

    expect((await sb.systemctl('start', 'dbus.socket')).code).toBe(0);
    await waitFor(() => monitor.snapshot().sources.systemd.status === 'ok', 'recovery', 30_000);
    expect(await monitor.act('dd-survivor.service', 'restart')).toMatchObject({ ok: true });
    expect((await sb.systemctl('is-active', 'dd-survivor.service')).stdout.trim()).toBe('active');
    expect(rejections).toEqual([]);
  });
});
