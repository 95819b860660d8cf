// Crash alerts end to end: a real systemd --user, a real session bus, dunst under Xvfb.
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../main/core/app.js';
import type { CrashAlerts } from '../../main/core/notify/crash-alerts.js';
import type { CrashAlertsWiring } from '../../main/core/notify/create-crash-alerts.js';
import type { BusNotifier } from '../../main/core/notify/notifications.js';
import { createMemoryBackend } from '../../main/core/settings/settings.js';
import { startNotifySandbox, type NotifySandbox } from '../harness/notify-sandbox.js';
import { startSandbox, type Sandbox, sandboxCrontab } from '../harness/sandbox.js';
import { waitFor } from '../helpers/units.js';

function unit(lines: string[]): string {
  return ['[Unit]', 'Description=crash test', '', '[Service]', ...lines, ''].join('\n');
}

describe('crash alerts through dunst', () => {
  let sb: Sandbox;
  let ns: NotifySandbox;
  let core: Core;
  let alerts: CrashAlerts;
  let notifier: BusNotifier;
  let wiring: CrashAlertsWiring;
  const shown: string[] = [];
  const backend = createMemoryBackend();
  const store = backend.map;

  beforeAll(async () => {
    sb = await startSandbox({ label: 'notify' });
    ns = await startNotifySandbox(sb);
    await sb.writeUnit('dd-exit1.service', unit(['ExecStart=/bin/sh -c "sleep 0.3; exit 1"']));
    await sb.writeUnit('dd-sleep.service', unit(['ExecStart=/bin/sleep 100000']));
    // No journald here: its lines go to a file (StandardOutput=append:).
    await sb.writeUnit(
      'dd-said.service',
      unit([
        `ExecStart=/bin/sh -c "sleep 0.3; echo starting; echo 'the cache <dir> is gone'; exit 1"`,
        'StandardOutput=append:%h/dd-said.log',
      ]),
    );
    await sb.writeUnit(
      'dd-loop.service',
      [
        '[Unit]',
        'Description=crash loop',
        'StartLimitIntervalSec=0',
        '',
        '[Service]',
        'ExecStart=/bin/sh -c "sleep 0.2; exit 2"',
        'Restart=always',
        'RestartSec=300ms',
        '',
      ].join('\n'),
    );
    await sb.daemonReload();
    // Crash alerts as the app runs them: part of the core, watching from its first snapshot.
    core = createCore({
      env: sb.env,
      busAddress: sb.busAddress,
      settingsBackend: backend,
      crontab: sandboxCrontab(sb),
      pollMs: { processes: 200, sessions: 60_000, startup: 60_000 },
      alerts: { onShowLogs: (id) => shown.push(id) },
    });
    wiring = core.alerts;
    await wiring.ready;
    await core.monitor.start();
    alerts = wiring.alerts;
    notifier = wiring.notifier;
  }, 60_000);

  afterAll(async () => {
    await core?.stop();
    await ns?.stop();
    await sb?.stop();
  });

  const ours = (name: string) => ns.notifies().filter((n) => n.summary.startsWith(name));

  it('dunst owns the notification name and offers actions', async () => {
    expect(await notifier.capabilities()).toContain('actions');
  });

  it('a unit that exits 1 raises a critical notification with Restart and Show logs; Restart restarts it', async () => {
    const r = await core.monitor.act('systemd:dd-exit1.service', 'start');
    expect(r.ok).toBe(true);
    const n = await waitFor(() => ours('dd-exit1.service')[0], 'the Notify call', 10_000);
    expect(n.summary).toBe('dd-exit1.service crashed');
    expect(n.body).toContain('exited with status 1');
    expect(n.actions).toEqual([
      'restart',
      'Restart',
      'show-logs',
      'Show logs',
      'mute-hour',
      'Mute for an hour',
    ]);
    expect(n.urgency).toBe(2);
    expect(store.get('crashHistory')).toMatchObject({
      'systemd:dd-exit1.service': [{ reason: 'failed', exit: 'exited with status 1' }],
    });
    expect(wiring.history.of('systemd:dd-exit1.service')).toMatchObject([
      { reason: 'failed', exit: 'exited with status 1' },
    ]);
    // dunst shows it (the count of displayed notifications is dunst's own).
    await waitFor(
      async () => (await ns.dunstctl('count', 'displayed')).trim() !== '0',
      'dunst shows it',
    );

    const before = (await sb.systemctl('show', '-p', 'InvocationID', 'dd-exit1.service')).stdout;
    await ns.invokeAction('Restart', 'dd-exit1.service crashed');
    await waitFor(async () => {
      const now = (await sb.systemctl('show', '-p', 'InvocationID', 'dd-exit1.service')).stdout;
      return now !== before && now.trim() !== 'InvocationID=';
    }, 'a new invocation of the unit after Restart');
  });

  it("the notification carries the unit's last log lines", async () => {
    expect((await sb.systemctl('start', 'dd-said.service')).code).toBe(0);
    const n = await waitFor(() => ours('dd-said.service')[0], 'the Notify call', 10_000);
    // The default alerts.logLines (3), escaped for the server's markup.
    expect(n.body).toBe('It exited with status 1.\nstarting\nthe cache &lt;dir&gt; is gone');
  });

  it('a unit stopped by the user raises nothing', async () => {
    await core.monitor.act('systemd:dd-sleep.service', 'start');
    await waitFor(
      () =>
        core.monitor.snapshot().entries.find((e) => e.id === 'systemd:dd-sleep.service')?.state ===
        'running',
      'running',
    );
    await alerts.act('systemd:dd-sleep.service', 'stop');
    // Also a stop made outside the app (systemctl) is not a crash.
    await sb.systemctl('start', 'dd-sleep.service');
    await sb.systemctl('stop', 'dd-sleep.service');
    await new Promise((r) => setTimeout(r, 1000));
    await alerts.idle();
    expect(ours('dd-sleep.service')).toEqual([]);
  });

  it('ten crashes in a row raise one notification whose count updates', async () => {
    await core.monitor.act('systemd:dd-loop.service', 'start');
    const tenth = await waitFor(
      () => ours('dd-loop.service').find((n) => n.summary === 'dd-loop.service crashed 10 times'),
      'the tenth crash',
      30_000,
    );
    const calls = ours('dd-loop.service');
    // Read before the stop (a start the user asks for resets it) and after `calls` (it only grows).
    const nRestarts = Number(
      (await sb.systemctl('show', '-p', 'NRestarts', '--value', 'dd-loop.service')).stdout.trim(),
    );
    expect(calls[0]?.replacesId).toBe(0);
    const firstId = calls[1]?.replacesId;
    expect(firstId).toBeGreaterThan(0);
    // Every update replaces the same notification in place.
    expect(new Set(calls.slice(1).map((c) => c.replacesId))).toEqual(new Set([firstId]));
    // Auto-restarted: normal urgency. (systemd 252 may show `failed` for a moment before
    // `auto-restart`; a crash seen then can be critical, so most, not all, are normal.)
    expect(tenth.summary).toContain('10 times');
    expect(calls.filter((c) => c.urgency === 1).length).toBeGreaterThan(calls.length / 2);
    // Each crash counted once, in order: no crash lost, none counted twice.
    expect(calls.map((c) => c.summary).slice(0, 10)).toEqual([
      'dd-loop.service crashed',
      ...[2, 3, 4, 5, 6, 7, 8, 9, 10].map((n) => `dd-loop.service crashed ${n} times`),
    ]);
    // NRestarts agrees with the count.
    expect(nRestarts).toBeGreaterThanOrEqual(calls.length - 1);
    await sb.systemctl('stop', 'dd-loop.service');
  }, 40_000);

  it('a watched nohup process killed with SIGKILL raises an alert; one stopped through the app does not', async () => {
    const spawnNohup = async (seconds: string) => {
      const child = spawn('sh', ['-c', `nohup sleep ${seconds} >/dev/null 2>&1 &`], {
        env: sb.env,
        stdio: 'ignore',
      });
      await new Promise((r) => child.once('exit', r));
    };
    core.processes.rules.add({
      name: 'killed',
      pattern: '^sleep 51001$',
      full: true,
      exact: false,
      start: null,
      cwd: null,
      log: null,
    });
    core.processes.rules.add({
      name: 'stopped',
      pattern: '^sleep 51002$',
      full: true,
      exact: false,
      start: null,
      cwd: null,
      log: null,
    });
    await spawnNohup('51001');
    await spawnNohup('51002');
    const running = (id: string) =>
      core.monitor.snapshot().entries.find((e) => e.id === id && e.state === 'running');
    const killed = await waitFor(() => running('process:killed'), 'killed running');
    await waitFor(() => running('process:stopped'), 'stopped running');
    for (const pid of killed.pids) process.kill(pid, 'SIGKILL');
    const r = await alerts.act('process:stopped', 'stop');
    expect(r.ok).toBe(true);
    const n = await waitFor(() => ours('killed')[0], 'an alert for the killed process', 5000);
    expect(n.summary).toBe('killed crashed');
    await new Promise((res) => setTimeout(res, 800));
    await alerts.idle();
    expect(ours('stopped')).toEqual([]);
  });

  it('Show logs and Mute reach the app', async () => {
    await ns.invokeAction('Show logs', 'killed crashed');
    await waitFor(() => shown.length > 0, 'show logs');
    expect(shown[0]).toBe('process:killed');
  });
});
