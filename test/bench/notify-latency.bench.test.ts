// How long from a unit's main process exiting (ExecMainExitTimestamp) to the Notify call being
// answered by a real dunst: 20 crashes, p50 and p95 printed (target p95 < 300 ms, issue 6).
// And a watched process (issue 16): from its SIGKILL to the crash event and to the answered
// Notify, 20 kills, with no window showing processes (the quiet polls): the exit watch
// (main/core/processes/exit-watch.ts) tells at once, the 2 s poll was the limit before.
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../main/core/app.js';
import { CrashAlerts } from '../../main/core/notify/crash-alerts.js';
import { LAUNCH_DELAY_MS } from '../../main/core/processes/exit-watch.js';
import {
  BusNotifier,
  type NotificationRequest,
  type Notifier,
} from '../../main/core/notify/notifications.js';
import { startNotifySandbox, type NotifySandbox } from '../harness/notify-sandbox.js';
import { startSandbox, type Sandbox, sandboxCrontab } from '../harness/sandbox.js';
import { waitFor } from '../helpers/units.js';

describe('crash alert latency', () => {
  let sb: Sandbox;
  let ns: NotifySandbox;
  let core: Core;
  let alerts: CrashAlerts;
  const answered: number[] = [];

  beforeAll(async () => {
    sb = await startSandbox({ label: 'latency' });
    ns = await startNotifySandbox(sb);
    await sb.writeUnit(
      'dd-lat.service',
      [
        '[Unit]',
        'Description=exits 1',
        'StartLimitIntervalSec=0',
        '',
        '[Service]',
        'ExecStart=/bin/sh -c "sleep 0.2; exit 1"',
        '',
      ].join('\n'),
    );
    await sb.daemonReload();
    const store = new Map<string, unknown>();
    const backend = {
      get: (k: string) => store.get(k),
      set: (k: string, v: unknown) => void store.set(k, v),
    };
    core = createCore({
      env: sb.env,
      busAddress: sb.busAddress,
      settingsBackend: backend,
      crontab: sandboxCrontab(sb),
      pollMs: { sessions: 60_000, startup: 60_000 },
    });
    await core.monitor.start();
    const bus = new BusNotifier(core.monitor.bus);
    await bus.attach();
    const timed: Notifier = {
      capabilities: () => bus.capabilities(),
      close: (id) => bus.close(id),
      onAction: (l) => bus.onAction(l),
      onClosed: (l) => bus.onClosed(l),
      async notify(req: NotificationRequest) {
        const id = await bus.notify(req);
        answered.push(Date.now());
        return id;
      },
    };
    alerts = new CrashAlerts({ monitor: core.monitor, notifier: timed, settings: core.settings });
    alerts.start();
  }, 60_000);

  afterAll(async () => {
    alerts?.stop();
    await core?.monitor.stop();
    await ns?.stop();
    await sb?.stop();
  });

  it('p95 from the exit to the answered Notify is under 300 ms over 20 crashes', async () => {
    const delays: number[] = [];
    for (let i = 0; i < 20; i++) {
      const before = answered.length;
      const r = await sb.systemctl('start', 'dd-lat.service');
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      await waitFor(() => answered.length > before, `notification ${i + 1}`, 10_000);
      // systemctl show prints whole seconds; the property itself is realtime microseconds.
      const exit = await sb.busctl(
        'get-property',
        'org.freedesktop.systemd1',
        '/org/freedesktop/systemd1/unit/dd_2dlat_2eservice',
        'org.freedesktop.systemd1.Service',
        'ExecMainExitTimestamp',
      );
      const exitMs = Number(exit.stdout.trim().split(' ')[1]) / 1000;
      delays.push((answered.at(-1) ?? 0) - exitMs);
    }
    delays.sort((a, b) => a - b);
    const p = (q: number) =>
      delays[Math.min(delays.length - 1, Math.ceil(q * delays.length) - 1)] ?? NaN;
    console.log(
      `BENCH crash-alert latency over 20 crashes: p50 ${p(0.5).toFixed(0)} ms, p95 ${p(0.95).toFixed(0)} ms, max ${p(1).toFixed(0)} ms (target p95 < 300 ms: ${p(0.95) < 300 ? 'met' : 'MISSED'})`,
    );
    expect(delays.every((d) => d >= 0)).toBe(true);
    // Speed is reported, not asserted: timing on shared machines is noisy (see the BENCH line).
    expect(ns.notifies().filter((n) => n.summary.startsWith('dd-lat.service'))).toHaveLength(20);
  }, 120_000);

  it('a watched process: p95 from SIGKILL to the crash event under 300 ms over 20 kills', async () => {
    core.setShowing(false); // no window shows processes: the quiet polls
    core.processes.rules.add({
      name: 'lat',
      pattern: '^sleep 52001$',
      full: true,
      exact: false,
      start: null,
      cwd: null,
      log: null,
    });
    const crashes: number[] = [];
    const off = alerts.watcher.onCrash((e) => {
      if (e.id === 'process:lat') crashes.push(Date.now());
    });
    const toEvent: number[] = [];
    const toNotify: number[] = [];
    const live: boolean[] = [];
    for (let i = 0; i < 20; i++) {
      const child = spawn('sh', ['-c', 'nohup sleep 52001 >/dev/null 2>&1 &'], {
        env: sb.env,
        stdio: 'ignore',
      });
      await new Promise((res) => child.once('exit', res));
      const entry = await waitFor(
        () =>
          core.monitor
            .snapshot()
            .entries.find((e) => e.id === 'process:lat' && e.state === 'running'),
        'the watched process running',
      );
      // Let the exit watch take it up: it is told at the poll that found the process, and its
      // helper starts LAUNCH_DELAY_MS after there is first something to watch.
      await new Promise((r) => setTimeout(r, 300 + LAUNCH_DELAY_MS));
      live.push(core.processes.exitWatchLive);
      const before = answered.length;
      const crashesBefore = crashes.length;
      const killedAt = Date.now();
      for (const pid of entry.pids) process.kill(pid, 'SIGKILL');
      await waitFor(() => crashes.length > crashesBefore, `crash event ${i + 1}`, 10_000);
      toEvent.push(crashes.at(-1)! - killedAt);
      await waitFor(() => answered.length > before, `alert ${i + 1}`, 10_000);
      toNotify.push((answered.at(-1) ?? 0) - killedAt);
    }
    off();
    const pct = (v: number[], q: number) => {
      const sorted = [...v].sort((a, b) => a - b);
      return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;
    };
    const p95 = pct(toEvent, 0.95);
    console.log(
      `BENCH watched process SIGKILL -> crash event over 20 kills, no window showing processes: p50 ${pct(toEvent, 0.5)} ms, p95 ${p95} ms, max ${pct(toEvent, 1)} ms ` +
        `(-> answered Notify p50 ${pct(toNotify, 0.5)} ms, p95 ${pct(toNotify, 0.95)} ms); baseline: the poll interval, ${core.pollIntervals().processes} ms, which bounded it before; ` +
        `exit watch live (pidfd helper) at ${live.filter(Boolean).length} of 20 kills (target p95 < 300 ms: ${p95 < 300 ? 'met' : 'MISSED'})`,
    );
    expect(toEvent).toHaveLength(20);
  }, 120_000);
});
