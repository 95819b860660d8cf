import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../harness/sandbox.js';
import {
  createSystemdMonitor,
  type SystemdMonitor,
} from '../../main/core/monitor/create-monitor.js';
import type { Snapshot } from '../../preload/contract.js';
import { failingUnit, sleeperUnit, waitFor } from '../helpers/units.js';

describe('unit service against a real systemd --user', () => {
  let sb: Sandbox;
  let monitor: SystemdMonitor;

  beforeAll(async () => {
    sb = await startSandbox({ label: 'units' });
    await sb.writeUnit('dd-alpha.service', sleeperUnit('Alpha sleeper'));
    // In the lower-priority data dir, so that `systemctl mask` can shadow it from ~/.config.
    const dataUnits = join(sb.env.XDG_DATA_HOME ?? '', 'systemd', 'user');
    await mkdir(dataUnits, { recursive: true });
    await writeFile(join(dataUnits, 'dd-beta.service'), sleeperUnit('Beta sleeper', false));
    await sb.writeUnit('dd-crash.service', failingUnit(3));
    await sb.daemonReload();
    monitor = createSystemdMonitor({ busAddress: sb.busAddress });
    await monitor.start();
  });
  afterAll(async () => {
    await monitor?.stop();
    await sb?.stop();
  });

  const entry = (name: string) => monitor.snapshot().entries.find((e) => e.name === name);

  it('lists unit files and loaded units with their state', () => {
    expect(monitor.snapshot().sources.systemd).toEqual({ status: 'ok' });
    const alpha = entry('dd-alpha.service');
    expect(alpha).toMatchObject({
      id: 'systemd:dd-alpha.service',
      kind: 'service',
      state: 'stopped',
    });
    expect(alpha?.autostart).toEqual({ enabled: false, via: [], state: 'disabled' });
    expect(alpha?.actions).toEqual(['start', 'enable']);
    expect(entry('dd-beta.service')?.autostart.state).toBe('static');
    // Loaded or not, each shows its own Description= (unloaded ones are read from the file).
    expect(entry('dd-alpha.service')?.description).toBe('Alpha sleeper');
    expect(entry('dd-beta.service')?.description).toBe('Beta sleeper');
    expect(entry('dbus.socket')).toMatchObject({ kind: 'socket', state: 'running' });
  });

  it('starts a unit, waits for its job, and sees it running', async () => {
    const r = await monitor.act('systemd:dd-alpha.service', 'start');
    expect(r).toMatchObject({ ok: true, value: { result: 'done' } });
    expect((await sb.systemctl('is-active', 'dd-alpha.service')).stdout.trim()).toBe('active');
    const alpha = await waitFor(() => {
      const e = entry('dd-alpha.service');
      return e?.state === 'running' ? e : null;
    }, 'running');
    expect(alpha.pids.length).toBe(1);
    expect(alpha.since).not.toBeNull();
  });

  it('follows a stop made outside the app, through a change event', async () => {
    const seen = new Promise<Snapshot>((resolve) => {
      const off = monitor.onSnapshot((s) => {
        if (s.entries.find((e) => e.name === 'dd-alpha.service')?.state === 'stopped') {
          off();
          resolve(s);
        }
      });
    });
    await sb.systemctl('stop', 'dd-alpha.service');
    const s = await seen;
    expect(s.entries.find((e) => e.name === 'dd-alpha.service')?.pids).toEqual([]);
  });

  it('enables and disables, as systemctl then reports', async () => {
    expect((await monitor.act('dd-alpha.service', 'enable')).ok).toBe(true);
    expect((await sb.systemctl('is-enabled', 'dd-alpha.service')).stdout.trim()).toBe('enabled');
    await waitFor(() => entry('dd-alpha.service')?.autostart.enabled, 'enabled');
    expect((await monitor.act('dd-alpha', 'disable')).ok).toBe(true);
    expect((await sb.systemctl('is-enabled', 'dd-alpha.service')).stdout.trim()).toBe('disabled');
    await waitFor(() => entry('dd-alpha.service')?.autostart.enabled === false, 'disabled');
  });

  it('explains why a unit without [Install] cannot be enabled', async () => {
    const r = await monitor.act('dd-beta.service', 'enable');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ code: 'unsupported' });
  });

  it('reports a failed start with the exit status', async () => {
    const r = await monitor.act('dd-crash.service', 'start');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('job-failed');
      expect(r.error.message).toContain('exited with status 3');
    }
    await waitFor(() => entry('dd-crash.service')?.state === 'failed', 'failed state');
    const d = await monitor.unitDetail('systemd:dd-crash.service');
    expect(d).toMatchObject({
      ok: true,
      value: { result: 'exit-code', execMainStatus: 3, activeState: 'failed' },
    });
    expect(monitor.snapshot().entries[0]?.state).toBe('failed');
  });

  it('gives readable errors for bad requests', async () => {
    const unknown = await monitor.act('systemd:no-such-thing.service', 'start');
    expect(unknown).toMatchObject({ ok: false, error: { code: 'no-such-unit' } });
    const detail = await monitor.unitDetail('no-such-thing.service');
    expect(detail).toMatchObject({ ok: false, error: { code: 'no-such-unit' } });
    const newline = await monitor.act('systemd:evil\n.service', 'start');
    expect(newline).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    const slash = await monitor.act('systemd:../etc/passwd.service', 'start');
    expect(slash).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect((await sb.systemctl('mask', 'dd-beta.service')).code).toBe(0);
    const masked = await monitor.act('dd-beta.service', 'start');
    expect(masked).toMatchObject({ ok: false, error: { code: 'masked' } });
    await sb.systemctl('unmask', 'dd-beta.service');
  });
});
