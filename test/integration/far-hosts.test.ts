// The app's far hosts (issue 17) against a real sshd on loopback with a second user and that
// user's own systemd --user (test/harness/far-host.ts), with this machine a private systemd
// --user (sandbox.ts) and a real notification server (dunst, notify-sandbox.ts): the core as the
// app builds it (createCore with crash alerts) keeps the far host connected, serves it through
// the IPC table, raises a local notification naming the host for each far crash, and survives
// the drills: the SSH master killed, sshd gone with every connection, the far manager restarted.
// In each drill it says so (state, reason), reconnects by itself, loses nothing (the entries
// stay, a crash during the outage is still alerted), and this machine's entries keep updating.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../main/core/app.js';
import { createIpcTable, type IpcTable } from '../../main/core/api/ipc-table.js';
import type { FarHostView, HostsView } from '../../main/core/model/hosts.js';
import { BusNotifier, type NotificationRequest } from '../../main/core/notify/notifications.js';
import { createMemoryBackend } from '../../main/core/settings/settings.js';
import { RobustBus } from '../../main/core/systemd/bus.js';
import { startFarHost, startLocalSide, type FarHost, type LocalSide } from '../harness/far-host.js';
import { startNotifySandbox, type NotifySandbox } from '../harness/notify-sandbox.js';
import { startSandbox, type Sandbox } from '../harness/sandbox.js';
import { sleeperUnit, waitFor } from '../helpers/units.js';

let far: FarHost;
let local: LocalSide;
let sb: Sandbox;
let ns: NotifySandbox;
let core: Core;
let table: IpcTable;
let notifyBus: RobustBus;
/** Every notification the core sent, with the time its Notify was answered. */
const sent: Array<{ at: number; req: NotificationRequest }> = [];
/** Every hosts:changed the IPC table pushed. */
const pushed: HostsView[] = [];

const TICK = 'dd-tick.service';

function unit(lines: string[]): string {
  return [
    '[Unit]',
    'Description=far test',
    'StartLimitIntervalSec=0',
    '',
    '[Service]',
    ...lines,
    '',
  ].join('\n');
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function farView(): FarHostView {
  const v = core.hosts!.view().hosts.find((h) => h.name === 'far');
  if (v === undefined) throw new Error('far is not in the hosts view');
  return v;
}

const farEntry = (name: string) => farView().entries.find((e) => e.name === name);

function p95(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)] ?? NaN;
}

/** The far unit's last main-process exit, in ms since the epoch (systemd's own timestamp). */
async function farExitMs(unitPath: string): Promise<number> {
  const r = await far.ssh(
    `env XDG_RUNTIME_DIR=/run/user/${far.uid} busctl --user get-property org.freedesktop.systemd1 /org/freedesktop/systemd1/unit/${unitPath} org.freedesktop.systemd1.Service ExecMainExitTimestamp`,
  );
  expect(r.code, r.stderr).toBe(0);
  return Number(r.stdout.trim().split(' ')[1]) / 1000;
}

/**
 * What this machine's side did while a drill ran: the local snapshots (a unit restarting every
 * ~0.5 s keeps them coming), the longest gap between two, and the event loop's worst delay.
 */
function watchLocal(): () => { snapshots: number; maxGapMs: number; loopMaxMs: number } {
  const times: number[] = [Date.now()];
  const off = core.monitor.onSnapshot(() => times.push(Date.now()));
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  return () => {
    off();
    loop.disable();
    times.push(Date.now());
    let maxGapMs = 0;
    for (let i = 1; i < times.length; i++) maxGapMs = Math.max(maxGapMs, times[i]! - times[i - 1]!);
    return { snapshots: times.length - 2, maxGapMs, loopMaxMs: loop.max / 1e6 };
  };
}

/**
 * A drill's watch: every state (with its reason and how many entries) the far host showed, and
 * this machine's side (watchLocal), until end(), which logs both and checks that this machine's
 * snapshots never stopped for 2 s.
 */
function watchDrill(label: string) {
  const seen: Array<{ state: string; reason: string | null; entries: number }> = [];
  const off = core.hosts!.onChange((v) => {
    const h = v.hosts.find((x) => x.name === 'far');
    if (h !== undefined) seen.push({ state: h.state, reason: h.reason, entries: h.entries.length });
  });
  const stopLocal = watchLocal();
  return {
    seen,
    end() {
      off();
      const localSide = stopLocal();
      console.log(
        `${label}: states ${JSON.stringify(seen.map((s) => [s.state, s.reason]))}; this machine ${JSON.stringify(localSide)}`,
      );
      expect(localSide.maxGapMs).toBeLessThan(2_000);
    },
  };
}

beforeAll(async () => {
  far = await startFarHost({ label: 'farhosts' });
  local = await startLocalSide(far);
  await far.writeUnit('dd-web.service', sleeperUnit('far web'));
  await far.writeUnit('dd-idle.service', sleeperUnit('far idle', false));
  // Its last line, in its output file on the far host (no journald here), names the invocation.
  await far.writeUnit(
    'dd-crash.service',
    unit([
      'ExecStart=/bin/sh -c "sleep 0.6; echo far disk gone in $$INVOCATION_ID; exit 1"',
      'StandardOutput=append:%h/dd-crash.log',
    ]),
  );
  await far.writeUnit('dd-late.service', unit(['ExecStart=/bin/sh -c "sleep 6; exit 3"']));
  expect((await far.systemctl('enable', '--now', 'dd-web.service')).code).toBe(0);

  sb = await startSandbox({ label: 'farhosts' });
  ns = await startNotifySandbox(sb);
  // This machine: a unit that restarts every half second keeps its snapshots coming.
  await sb.writeUnit(
    TICK,
    unit(['ExecStart=/bin/sh -c "sleep 0.25"', 'Restart=always', 'RestartSec=250ms']),
  );
  await sb.daemonReload();
  expect((await sb.systemctl('start', TICK)).code).toBe(0);

  // The notifications go to the real server on this machine's bus; each answer is timed.
  notifyBus = new RobustBus({ address: sb.busAddress });
  await notifyBus.start();
  const server = new BusNotifier(notifyBus);
  await server.attach();
  const backend = createMemoryBackend({
    hosts: [{ name: 'far', destination: far.alias }],
    // The ticker restarts by design: no alerts for it.
    alerts: { mutes: { [`systemd:${TICK}`]: null } },
  });
  core = createCore({
    env: sb.env,
    busAddress: sb.busAddress,
    settingsBackend: backend,
    crontab: [join(sb.root, 'no-crontab-here')],
    // The app's own process poll (every 2 s while a window shows processes).
    pollMs: { processes: 2_000, sessions: 60_000, startup: 60_000 },
    alerts: {
      notifier: {
        capabilities: () => server.capabilities(),
        close: (id) => server.close(id),
        onAction: (l) => server.onAction(l),
        onClosed: (l) => server.onClosed(l),
        async notify(req) {
          const id = await server.notify(req);
          sent.push({ at: Date.now(), req });
          return id;
        },
      },
    },
    // The far host's ssh reads only the harness's config (local.env), never ~/.ssh.
    farHosts: {
      env: local.env,
      backoffInitialMs: 500,
      backoffMaxMs: 2_000,
      startupPollMs: 60_000,
      heartbeatMs: 1_000,
      heartbeatTimeoutMs: 3_000,
      callTimeoutMs: 5_000,
    },
  });
  table = createIpcTable({
    ...core.ipcDeps,
    windows: {
      openDetail: () => Promise.resolve({ ok: true, value: null }),
      openPage: () => Promise.resolve({ ok: true, value: null }),
    },
    appInfo: { version: 'test', transport: 'electron', systemLanguage: 'en' },
  });
  table.subscribe('hosts:changed', (v) => pushed.push(v));
  await core.monitor.start();
  await waitFor(
    () => farView().state === 'connected' && farEntry('dd-web.service')?.state === 'running',
    'the far host connected with its entries',
    60_000,
  );
}, 180_000);

afterAll(async () => {
  await core?.stop();
  notifyBus?.close();
  await ns?.stop();
  await sb?.stop();
  await local?.stop();
  await far?.stop();
}, 90_000);

describe('far hosts through the IPC table', () => {
  it('serves the far host with its state and entries, and pushes hosts:changed', async () => {
    await waitFor(
      () => pushed.some((v) => v.hosts[0]?.state === 'connected'),
      'hosts:changed pushed',
    );
    const view = await table.handlers['hosts:get'](null);
    expect(view.hosts.map((h) => [h.name, h.destination, h.state])).toEqual([
      ['far', 'far', 'connected'],
    ]);
    const h = view.hosts[0]!;
    expect(h.reason).toBeNull();
    expect(h.retryAt).toBeNull();
    expect(Date.parse(h.updatedAt!)).toBeGreaterThan(Date.now() - 60_000);
    const ids = h.entries.map((e) => e.id);
    expect(ids).toEqual(
      expect.arrayContaining(['systemd:dd-web.service', 'systemd:dd-idle.service']),
    );
    // This machine's entries stay in the snapshot, the far host's are not among them.
    const here = core.monitor.snapshot().entries.map((e) => e.id);
    expect(here).toContain(`systemd:${TICK}`);
    expect(here).not.toContain('systemd:dd-web.service');
  });

  it('acts on a far entry there, and refuses a host that is not in settings in words', async () => {
    const r = await table.handlers['hosts:act']({
      host: 'far',
      id: 'systemd:dd-idle.service',
      action: 'start',
    });
    expect(r.ok, JSON.stringify(r)).toBe(true);
    expect((await far.systemctl('is-active', 'dd-idle.service')).stdout.trim()).toBe('active');
    await waitFor(() => farEntry('dd-idle.service')?.state === 'running', 'the start shown');
    const stop = await table.handlers['hosts:act']({
      host: 'far',
      id: 'systemd:dd-idle.service',
      action: 'stop',
    });
    expect(stop.ok).toBe(true);
    const unknown = await table.handlers['hosts:act']({
      host: 'nowhere',
      id: 'systemd:dd-web.service',
      action: 'stop',
    });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(!unknown.ok && unknown.error.message).toMatch(/no host named nowhere/);
    // A destination is never taken from the renderer: the payload has no room for one.
    const sneaky = await table.handlers['hosts:act']({
      host: 'far',
      destination: 'evil',
      id: 'systemd:dd-web.service',
      action: 'stop',
    });
    expect(sneaky.ok).toBe(false);
    expect((await far.systemctl('is-active', 'dd-web.service')).stdout.trim()).toBe('active');
  });

  it('an unreachable host says why, retries with backoff, fails actions in words, stalls no one', async () => {
    const stopLocal = watchLocal();
    const added = await table.handlers['hosts:add']({
      name: 'gone',
      destination: 'ssh://nobody@127.0.0.1:1',
    });
    expect(added.ok, JSON.stringify(added)).toBe(true);
    const gone = () => core.hosts!.view().hosts.find((h) => h.name === 'gone');
    const down = await waitFor(
      () => (gone()?.state === 'unreachable' ? gone() : null),
      'gone unreachable',
      30_000,
    );
    expect(down.reason).toMatch(/^gone cannot be reached: .*refused/);
    expect(Date.parse(down.retryAt!)).toBeGreaterThan(Date.now() - 1000);
    // It is tried again, with growing delays.
    const first = down.retryAt;
    await waitFor(() => gone()?.retryAt !== first && gone()?.retryAt !== null, 'a retry', 10_000);
    const act = await table.handlers['hosts:act']({
      host: 'gone',
      id: 'systemd:dd-web.service',
      action: 'start',
    });
    expect(act).toMatchObject({ ok: false, error: { code: 'host-unreachable' } });
    expect(!act.ok && act.error.message).toMatch(/^gone cannot be reached/);
    // The far host and this machine went on meanwhile.
    expect(farView().state).toBe('connected');
    const removed = await table.handlers['hosts:remove']({ host: 'gone' });
    expect(removed.ok).toBe(true);
    expect(core.hosts!.view().hosts.map((h) => h.name)).toEqual(['far']);
    const localSide = stopLocal();
    console.log(`unreachable host: this machine ${JSON.stringify(localSide)}`);
    expect(localSide.maxGapMs).toBeLessThan(2_000);
  }, 60_000);
});

describe('crash alerts from the far host', () => {
  it('a far crash raises a local notification naming the host, with its last log line: p95 under 1 s over 10 crashes', async () => {
    const delays: number[] = [];
    const before = farView().unseenCrashes;
    for (let i = 0; i < 10; i++) {
      const count = sent.length;
      expect((await far.systemctl('start', 'dd-crash.service')).code).toBe(0);
      await waitFor(
        () => sent.length > count && sent.at(-1)!.req.summary.includes('dd-crash.service'),
        `notification ${i + 1}`,
        15_000,
      );
      delays.push(sent.at(-1)!.at - (await farExitMs('dd_2dcrash_2eservice')));
      // The body carries the unit's last output line of this crash, read on the far host.
      const invocation = (
        await far.systemctl('show', '-p', 'InvocationID', '--value', 'dd-crash.service')
      ).stdout.trim();
      expect(invocation).toMatch(/^[0-9a-f]{32}$/);
      expect(sent.at(-1)!.req.body).toContain(`far disk gone in ${invocation}`);
    }
    const crashes = sent.filter((s) => s.req.summary.includes('dd-crash.service'));
    expect(crashes[0]!.req.summary).toBe('On far: dd-crash.service crashed');
    expect(crashes.at(-1)!.req.summary).toBe('On far: dd-crash.service crashed 10 times');
    // Restart acts on the far host; Show logs (this machine's detail window) is not offered.
    expect(crashes[0]!.req.actions.map(([k]) => k)).toEqual(['restart', 'mute-hour']);
    // The real server on this machine got them.
    expect(ns.notifies().some((n) => n.summary.startsWith('On far: dd-crash.service'))).toBe(true);
    expect(farView().unseenCrashes - before).toBe(10);
    const seen = await table.handlers['hosts:seen']({ host: 'far' });
    expect(seen.ok && seen.value.hosts[0]!.unseenCrashes).toBe(0);
    console.log(
      `far crash alerts: p95 ${p95(delays).toFixed(0)} ms, max ${Math.max(...delays).toFixed(0)} ms over ${delays.length} (${delays.map((d) => d.toFixed(0)).join(' ')})`,
    );
    expect(delays.every((d) => d >= 0)).toBe(true);
    expect(p95(delays)).toBeLessThan(1_000);
  }, 240_000);
});

describe('drills', () => {
  /** No view during the drill ever lost the entries. */
  const keptAll = (seen: Array<{ entries: number }>, before: number) =>
    expect(Math.min(...seen.map((s) => s.entries))).toBe(before);

  it('the SSH master killed: says so, reconnects by itself, loses nothing', async () => {
    const entriesBefore = farView().entries.length;
    const master = await far.masterPid(local.env);
    expect(master).toBeGreaterThan(0);
    const drill = watchDrill('master killed');
    process.kill(master, 'SIGKILL');
    await waitFor(
      () => drill.seen.some((s) => s.state !== 'connected'),
      'the app saying the host is lost',
      20_000,
    );
    await waitFor(
      () => farView().state === 'connected' && drill.seen.at(-1)?.state === 'connected',
      'the far host connected again',
      60_000,
    );
    drill.end();
    expect(drill.seen.find((s) => s.state !== 'connected')!.reason).toMatch(/\S/);
    keptAll(drill.seen, entriesBefore);
    expect(await far.masterPid(local.env)).not.toBe(master);
    const r = await core.hosts!.act('far', 'systemd:dd-idle.service', 'start');
    expect(r.ok, JSON.stringify(r)).toBe(true);
    await core.hosts!.act('far', 'systemd:dd-idle.service', 'stop');
  }, 120_000);

  it('sshd gone with every connection: unreachable and why, entries kept, back by itself, a crash meanwhile still alerted', async () => {
    expect((await far.systemctl('start', 'dd-late.service')).code).toBe(0);
    await waitFor(() => farEntry('dd-late.service')?.state === 'running', 'dd-late running');
    const entriesBefore = farView().entries.length;
    const drill = watchDrill('sshd gone');
    await far.stopSshd();
    await far.dropSshSessions();
    const down = await waitFor(
      () => (farView().state === 'unreachable' ? farView() : null),
      'the far host unreachable',
      30_000,
    );
    expect(down.reason).toMatch(/^far cannot be reached: .*(refused|closed|reset)/i);
    expect(down.retryAt).not.toBeNull();
    // Stale, not gone: the last entries stay while it is out of reach.
    expect(down.entries.length).toBe(entriesBefore);
    expect(farEntry('dd-late.service')?.state).toBe('running');
    const act = await core.hosts!.act('far', 'systemd:dd-idle.service', 'start');
    expect(act).toMatchObject({ ok: false, error: { code: 'host-unreachable' } });
    // dd-late crashes while no one can see it.
    await sleep(6_000);
    const alertsBefore = sent.length;
    await far.startSshd();
    await waitFor(() => farView().state === 'connected', 'the far host connected again', 60_000);
    await waitFor(() => farEntry('dd-late.service')?.state === 'failed', 'dd-late failed');
    await waitFor(
      () =>
        sent.slice(alertsBefore).some((s) => s.req.summary === 'On far: dd-late.service crashed'),
      'the crash during the outage alerted',
      10_000,
    );
    drill.end();
    keptAll(drill.seen, entriesBefore);
  }, 150_000);

  it('the far manager restarted: says so, reconnects by itself, the units are there again', async () => {
    const ids = farView()
      .entries.map((e) => e.id)
      .sort();
    const drill = watchDrill('manager restarted');
    await far.restartManager();
    const said = await waitFor(
      () => drill.seen.find((s) => s.state !== 'connected' || s.reason !== null),
      'the app saying the manager is gone',
      30_000,
    );
    expect(said.reason).toMatch(/\S/);
    await waitFor(
      () =>
        farView().state === 'connected' &&
        farView().reason === null &&
        farEntry('dd-web.service')?.state === 'running',
      'the far host connected to the new manager',
      60_000,
    );
    drill.end();
    expect(
      farView()
        .entries.map((e) => e.id)
        .sort(),
    ).toEqual(ids);
    const r = await core.hosts!.act('far', 'systemd:dd-idle.service', 'start');
    expect(r.ok, JSON.stringify(r)).toBe(true);
    expect((await far.systemctl('is-active', 'dd-idle.service')).stdout.trim()).toBe('active');
  }, 150_000);

  it('a far bus that stops answering: unreachable in words after the heartbeat, actions fail by their deadline, back after', async () => {
    const found = await far.ssh(`pgrep -u ${far.user} -x dbus-daemon`);
    const pid = Number(found.stdout.trim());
    expect(pid, found.stdout + found.stderr).toBeGreaterThan(0);
    const entriesBefore = farView().entries.length;
    const drill = watchDrill('far bus frozen');
    process.kill(pid, 'SIGSTOP');
    try {
      const asked = Date.now();
      const act = await core.hosts!.act('far', 'systemd:dd-idle.service', 'stop');
      expect(act.ok).toBe(false);
      expect(Date.now() - asked).toBeLessThan(10_000);
      const down = await waitFor(
        () => (farView().state === 'unreachable' ? farView() : null),
        'the frozen host unreachable',
        30_000,
      );
      expect(down.reason).toMatch(
        /^(far cannot be reached: no answer in 3 s|The service manager of far)/,
      );
      expect(down.entries.length).toBe(entriesBefore);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    await waitFor(() => farView().state === 'connected', 'the far host back', 60_000);
    drill.end();
    keptAll(drill.seen, entriesBefore);
  }, 120_000);
});
