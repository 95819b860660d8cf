import { spawn } from 'node:child_process';
import { mkdirSync, rmdirSync, writeFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../harness/sandbox.js';
import {
  createSystemdMonitor,
  type SystemdMonitor,
} from '../../main/core/monitor/create-monitor.js';
import { UnitCgroups } from '../../main/core/systemd/unit-cgroups.js';
import type { Snapshot } from '../../main/core/model/domain.js';
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
    // Its main process starts a second one a moment later, without any state change.
    await sb.writeUnit(
      'dd-forker.service',
      [
        '[Service]',
        'ExecStart=/bin/sh -c "sleep 1; /bin/sleep 100002 & exec /bin/sleep 100001"',
        '',
      ].join('\n'),
    );
    await sb.daemonReload();
    monitor = createSystemdMonitor({ busAddress: sb.busAddress, pidsRefreshMs: 200 });
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

  it("lists every process in a unit's cgroup, as systemd sees them, main process first", async () => {
    /** systemd's own view: GetUnitProcesses (pid, command line), and MainPID. */
    const systemdView = async (unit: string) => {
      const r = await sb.busctl(
        '--json=short',
        'call',
        'org.freedesktop.systemd1',
        '/org/freedesktop/systemd1',
        'org.freedesktop.systemd1.Manager',
        'GetUnitProcesses',
        's',
        unit,
      );
      const rows = (JSON.parse(r.stdout) as { data: [Array<[string, number, string]>] }).data[0];
      const main = (await sb.systemctl('show', '-p', 'MainPID', '--value', unit)).stdout.trim();
      return {
        main: Number(main),
        pids: rows.map((row) => row[1]).sort((a, b) => a - b),
        commands: rows.map((row) => row[2]).sort(),
      };
    };
    expect((await sb.systemctl('start', 'dd-forker.service')).code).toBe(0);
    // A second later the shell starts one sleep and becomes the other: no state change, no
    // signal; the periodic re-read has to find them.
    const seen = await waitFor(async () => {
      const v = await systemdView('dd-forker.service');
      return v.commands.join('|') === '/bin/sleep 100001|/bin/sleep 100002' ? v : null;
    }, 'the two sleeps of dd-forker.service');
    const sorted = (pids: number[] | undefined) => [...(pids ?? [])].sort((a, b) => a - b);
    await waitFor(
      () => sorted(entry('dd-forker.service')?.pids).join() === seen.pids.join(),
      'the entry to list both sleeps',
    );
    // This monitor saw the start, and with it MainPID by signal: the main process comes first.
    expect(entry('dd-forker.service')?.pids[0]).toBe(seen.main);
    // A fresh load reads them too (not from signals), and the main PID arrives with the detail.
    const fresh = createSystemdMonitor({ busAddress: sb.busAddress });
    try {
      await fresh.start();
      const e = fresh.snapshot().entries.find((x) => x.name === 'dd-forker.service');
      expect(sorted(e?.pids)).toEqual(seen.pids);
      const d = await fresh.unitDetail('dd-forker.service');
      expect(d.ok && d.value.mainPid).toBe(seen.main);
      await new Promise((r) => setImmediate(r));
      expect(fresh.units.units().find((r) => r.name === 'dd-forker.service')?.mainPid).toBe(
        seen.main,
      );
    } finally {
      await fresh.stop();
    }
    expect((await sb.systemctl('stop', 'dd-forker.service')).code).toBe(0);
    await waitFor(() => entry('dd-forker.service')?.pids.length === 0, 'no processes after stop');
  });

  it('reads a unit cgroup kept open until cgroupfs removes it', async () => {
    const name = `${basename(sb.root)}-probe`;
    const cg = UnitCgroups.open(`/${basename(sb.root)}`);
    expect(cg).not.toBeNull();
    // A tree of our own beside the manager's, in the same hierarchy.
    const dir = join(cg!.base, '..', name, 'probe.slice', 'probe.service');
    mkdirSync(dir, { recursive: true });
    const sleeper = spawn('sleep', ['1000'], { stdio: 'ignore' });
    try {
      writeFileSync(join(dir, 'cgroup.procs'), `${sleeper.pid}\n`);
      const probe = UnitCgroups.open(`/${name}`)!;
      expect(probe.pidsOf('probe.service')).toEqual([sleeper.pid]);
      expect(probe.pidsOf('probe.service')).toEqual([sleeper.pid]); // again, from the held file
      sleeper.kill('SIGKILL');
      await new Promise((r) => sleeper.once('exit', r));
      await waitFor(() => probe.pidsOf('probe.service').length === 0, 'an empty cgroup');
      rmdirSync(dir);
      expect(probe.pidsOf('probe.service')).toEqual([]); // ENODEV from the held file
      probe.close();
    } finally {
      sleeper.kill('SIGKILL');
      for (const d of [dir, join(dir, '..'), join(dir, '..', '..')]) {
        try {
          rmdirSync(d);
        } catch {
          continue; // already removed above
        }
      }
    }
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
