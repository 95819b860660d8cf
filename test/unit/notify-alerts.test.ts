import { afterEach, describe, expect, it } from 'vitest';
import { setLanguage } from '../../i18n/index.js';
import { exitSummary } from '../../main/core/systemd/unit-model.js';
import { CrashAlerts, type AlertsMonitor } from '../../main/core/notify/crash-alerts.js';
import { activeMutes, crashNotification, isMuted } from '../../main/core/notify/crash-message.js';
import { muteKey, muteTarget } from '../../main/core/model/alerts.js';
import {
  notifyBody,
  type NotificationRequest,
  type Notifier,
} from '../../main/core/notify/notifications.js';
import { CrashHistory } from '../../main/core/monitor/crash-history.js';
import {
  createMemoryBackend,
  createSettingsStore,
  type SettingsStore,
} from '../../main/core/settings/settings.js';
import type { Entry, Snapshot, UnitDetail } from '../../main/core/model/domain.js';
import type { ServiceExit } from '../../main/core/systemd/exit-tracker.js';
import { serviceEntry } from '../helpers/entries.js';

const crash = {
  id: 'systemd:web.service',
  name: 'web.service',
  kind: 'service' as const,
  at: '2026-01-01T00:00:00.000Z',
  reason: 'failed' as const,
  restarts: 0,
};

describe('crash notification text', () => {
  it('names the entry, the exit and the last log lines; critical for failed', () => {
    const n = crashNotification(
      crash,
      { exit: 'exited with status 1', logLines: ['a', 'b <x>', 'c', 'd'] },
      1,
      0,
    );
    expect(n.summary).toBe('web.service crashed');
    expect(n.body).toBe('It exited with status 1.\nb &lt;x&gt;\nc\nd');
    expect(n.urgency).toBe('critical');
    expect(n.actions.map(([, l]) => l)).toEqual(['Restart', 'Show logs', 'Mute for an hour']);
    expect(n.replacesId).toBe(0);
  });

  it('shows as many log lines as the settings say, none for 0', () => {
    const details = { exit: 'exited with status 1', logLines: ['a', 'b', 'c', 'd'] };
    expect(crashNotification(crash, details, 1, 0, 1).body).toBe('It exited with status 1.\nd');
    expect(crashNotification(crash, details, 1, 0, 0).body).toBe('It exited with status 1.');
  });

  it('normal urgency and a count for an auto-restarted loop', () => {
    const n = crashNotification(
      { ...crash, reason: 'auto-restart' },
      { exit: null, logLines: [] },
      7,
      42,
    );
    expect(n.summary).toBe('web.service crashed 7 times');
    expect(n.body).toBe('Its exit status is not known; systemd is restarting it.');
    expect(n.urgency).toBe('normal');
    expect(n.replacesId).toBe(42);
  });

  it('the Notify body has the spec signature order, flat actions and a urgency byte', () => {
    const req: NotificationRequest = {
      summary: 's',
      body: 'b',
      actions: [['restart', 'Restart']],
      urgency: 'critical',
      replacesId: 9,
    };
    const body = notifyBody(req);
    expect(body.slice(0, 6)).toEqual([
      'Daemon Deck',
      9,
      'dialog-warning',
      's',
      'b',
      ['restart', 'Restart'],
    ]);
    expect((body[6] as { urgency: { signature: string; value: number } }).urgency).toMatchObject({
      signature: 'y',
      value: 2,
    });
    expect(body[7]).toBe(-1);
  });
});

describe('mutes', () => {
  it('a mute holds until its time, null until unmuted; ended ones are not active', () => {
    const at = (ms: number) => new Date(ms).toISOString();
    const alerts = { mutes: { a: at(50), b: at(200), c: null } };
    expect(isMuted(alerts, 'b', 150)).toBe(true);
    expect(isMuted(alerts, 'b', 250)).toBe(false);
    expect(isMuted(alerts, 'c', 1e15)).toBe(true);
    expect(isMuted(alerts, 'a', 100)).toBe(false);
    expect(isMuted(alerts, 'zzz', 0)).toBe(false);
    expect(isMuted(alerts, 'toString', 0)).toBe(false);
    expect(activeMutes(alerts, 100)).toEqual({ b: at(200), c: null });
  });

  it('are keyed by host and id: a far host’s mute is that host’s; a plain id is this machine’s', () => {
    expect(muteKey('systemd:a.service')).toBe('systemd:a.service');
    expect(muteKey('systemd:a.service', 'nas')).toBe('host:nas:systemd:a.service');
    expect(muteTarget('host:nas:systemd:a.service')).toEqual({
      host: 'nas',
      id: 'systemd:a.service',
    });
    expect(muteTarget('systemd:a.service')).toEqual({ host: null, id: 'systemd:a.service' });
    const alerts = { mutes: { 'host:nas:systemd:a.service': null, 'cron:b': null } };
    expect(isMuted(alerts, 'systemd:a.service', 0, 'nas')).toBe(true);
    expect(isMuted(alerts, 'systemd:a.service', 0)).toBe(false);
    expect(isMuted(alerts, 'systemd:a.service', 0, 'pi')).toBe(false);
    // Stored before far hosts: a plain id, this machine's only.
    expect(isMuted(alerts, 'cron:b', 0)).toBe(true);
    expect(isMuted(alerts, 'cron:b', 0, 'nas')).toBe(false);
  });
});

function entry(id: string, patch: Partial<Entry> = {}): Entry {
  const name = id.replace('systemd:', '');
  return serviceEntry(name, { id, state: 'running', subState: 'running', ...patch });
}

function rig(
  caps = ['actions', 'body'],
  opts: {
    lastExit?: (id: string) => ServiceExit | null;
    unitDetail?: AlertsMonitor['unitDetail'];
    /** The far host the monitor's entries are on (absent: this machine). */
    host?: string;
    logs?: (id: string) => Promise<string[]>;
    logsTimeoutMs?: number;
    /** Settings shared with another rig (another host's alerts of the same app share them). */
    shared?: { backend: ReturnType<typeof createMemoryBackend>; settings: SettingsStore };
  } = {},
) {
  let snap: Snapshot = {
    version: 1,
    generatedAt: '',
    entries: [entry('systemd:web.service')],
    sources: { systemd: { status: 'ok' } },
  };
  const snapLs = new Set<(s: Snapshot) => void>();
  const acts: string[] = [];
  const monitor: AlertsMonitor = {
    snapshot: () => snap,
    onSnapshot: (l) => (snapLs.add(l), () => snapLs.delete(l)),
    act: (id, action) => {
      acts.push(`${action} ${id}`);
      return Promise.resolve({ ok: true, value: { id, action, result: 'done', entry: null } });
    },
    unitDetail:
      opts.unitDetail ??
      (() => Promise.resolve({ ok: false, error: { code: 'no-such-unit', message: '' } })),
  };
  const sent: NotificationRequest[] = [];
  const closed: number[] = [];
  const actionLs = new Set<(id: number, key: string) => void>();
  const notifier: Notifier = {
    capabilities: () => Promise.resolve(caps),
    notify: (r) => (sent.push(r), Promise.resolve(r.replacesId || 100 + sent.length)),
    close: (id) => (closed.push(id), Promise.resolve()),
    onAction: (l) => (actionLs.add(l), () => actionLs.delete(l)),
    onClosed: () => () => undefined,
  };
  const backend = opts.shared?.backend ?? createMemoryBackend();
  const store = backend.map;
  const fallback: NotificationRequest[] = [];
  let now = 1_000_000;
  const settings = opts.shared?.settings ?? createSettingsStore(backend, { clock: () => now });
  const alerts = new CrashAlerts({
    monitor,
    notifier,
    settings,
    history: new CrashHistory(backend),
    fallback: (r) => fallback.push(r),
    clock: () => now,
    staleMs: 10_000,
    ...(opts.lastExit ? { lastExit: opts.lastExit } : {}),
    ...(opts.host !== undefined ? { host: opts.host } : {}),
    ...(opts.logs ? { logs: opts.logs } : {}),
    ...(opts.logsTimeoutMs !== undefined ? { logsTimeoutMs: opts.logsTimeoutMs } : {}),
  });
  alerts.start();
  const push = (patch: Partial<Entry>) => {
    snap = { ...snap, version: snap.version + 1, entries: [entry('systemd:web.service', patch)] };
    for (const l of snapLs) l(snap);
  };
  const crashOnce = async () => {
    push({ state: 'failed', subState: 'failed' });
    await alerts.idle();
    push({});
    await alerts.idle();
  };
  return {
    alerts,
    sent,
    closed,
    acts,
    store,
    settings,
    fallback,
    push,
    crashOnce,
    invoke: (id: number, key: string) => {
      for (const l of actionLs) l(id, key);
    },
    tick: (ms: number) => (now += ms),
    /** web.service's crash history as stored. */
    history: () =>
      (store.get('crashHistory') as Record<string, Array<{ exit: string | null; reason: string }>>)[
        'systemd:web.service'
      ],
    /** Lets the notifier's action and the alerts' follow-up run. */
    settle: () => new Promise((res) => setImmediate(res)),
  };
}

describe('CrashAlerts', () => {
  it('names the exit systemd announced, though the unit already runs again when it asks', async () => {
    let exit: ServiceExit | null = null;
    // Asked after the crash, systemd describes the new process: no exit yet.
    const running = { exitSummary: null, subState: 'running' } as unknown as UnitDetail;
    const r = rig(['actions', 'body'], {
      lastExit: () => exit,
      unitDetail: () => Promise.resolve({ ok: true, value: running }),
    });
    exit = { code: 1, status: 2, at: 1_000_000 - 200 };
    await r.crashOnce();
    expect(r.sent[0]?.body).toMatch(/^It exited with status 2\./);
    // An exit from long before this crash is not this crash's.
    r.tick(600_000);
    await r.crashOnce();
    expect(r.sent[1]?.body).not.toMatch(/status 2/);
    expect(r.history()?.map((h) => h.exit)).toEqual(['exited with status 2', null]);
    r.alerts.stop();
  });

  it('a unit failed for a moment and already restarted by systemd is the "restarting" alert', async () => {
    // systemd 252: failed, then auto-restart; with a short RestartSec it runs again before the
    // alert asks, and only NRestarts (systemd's own restarts) says it was restarted.
    let nRestarts = 0;
    const r = rig(['actions', 'body'], {
      unitDetail: () =>
        Promise.resolve({
          ok: true,
          value: { exitSummary: null, subState: 'running', nRestarts } as unknown as UnitDetail,
        }),
    });
    nRestarts = 1;
    await r.crashOnce();
    expect(r.sent[0]?.body).toBe('Its exit status is not known; systemd is restarting it.');
    // Running again with no restart of systemd's since: a crash, not a restart.
    nRestarts = 0;
    await r.crashOnce();
    expect(r.sent[1]?.summary).toBe('web.service crashed 2 times');
    expect(r.sent[1]?.body).toBe('Its exit status is not known.');
    // As stored, in the order they came: the restarted one, then the crash.
    expect(r.history()?.map((h) => h.reason)).toEqual(['auto-restart', 'failed']);
    r.alerts.stop();
  });

  it('a "gave up" is recorded as such unless systemd is restarting the unit after all', async () => {
    let subState = 'failed';
    const r = rig(['actions', 'body'], {
      unitDetail: () =>
        Promise.resolve({
          ok: true,
          value: { exitSummary: null, subState, nRestarts: 3 } as unknown as UnitDetail,
        }),
    });
    const giveUp = async () => {
      r.push({ state: 'starting', subState: 'auto-restart', restarts: 3 });
      await r.alerts.idle();
      r.push({ state: 'failed', subState: 'failed', restarts: 3 });
      await r.alerts.idle();
    };
    await giveUp();
    subState = 'auto-restart';
    await giveUp();
    expect(r.history()?.map((h) => h.reason)).toEqual(['auto-restart', 'gave-up', 'auto-restart']);
    r.alerts.stop();
  });

  it('shows the last log lines; lines that fail or do not come in time are left out, not the alert', async () => {
    const asked: string[] = [];
    let answer: () => Promise<string[]> = () => Promise.resolve(['a', 'b']);
    const r = rig(['actions', 'body'], {
      logs: (id) => (asked.push(id), answer()),
      logsTimeoutMs: 50,
    });
    await r.crashOnce();
    expect(r.sent[0]?.body).toBe('Its exit status is not known.\na\nb');
    answer = () => Promise.reject(new Error('ssh: gone'));
    await r.crashOnce();
    expect(r.sent[1]?.body).toBe('Its exit status is not known.');
    expect(r.alerts.lastError).toMatch(/ssh: gone/);
    answer = () => new Promise(() => undefined);
    const t0 = Date.now();
    await r.crashOnce();
    expect(Date.now() - t0).toBeLessThan(1_000);
    expect(r.sent[2]?.body).toBe('Its exit status is not known.');
    // Muted, the crash is recorded but no lines are read for it.
    r.alerts.mute('systemd:web.service', null);
    await r.crashOnce();
    expect(r.history()).toHaveLength(4);
    expect(asked).toHaveLength(3);
    r.alerts.stop();
  });

  it('a crash loop is one notification replaced in place with a count', async () => {
    const r = rig();
    await r.crashOnce();
    await r.crashOnce();
    await r.crashOnce();
    expect(r.sent.map((s) => [s.summary, s.replacesId])).toEqual([
      ['web.service crashed', 0],
      ['web.service crashed 2 times', 101],
      ['web.service crashed 3 times', 101],
    ]);
    expect(r.history()).toHaveLength(3);
    r.alerts.stop();
  });

  /** A rig after one crash whose notification (id 101) had `action` clicked, settled. */
  async function crashedThenInvoked(action: string) {
    const r = rig();
    await r.crashOnce();
    r.invoke(101, action);
    await r.settle();
    return r;
  }

  it('Restart restarts the entry and the next crash starts a new count', async () => {
    const r = await crashedThenInvoked('restart');
    expect(r.acts).toEqual(['restart systemd:web.service']);
    // The restart is seen (stopping, then running); a crash after it is a new one.
    r.push({ state: 'stopped', subState: 'dead' });
    r.push({});
    await r.crashOnce();
    expect(r.sent[1]?.summary).toBe('web.service crashed');
    r.alerts.stop();
  });

  it('Mute for an hour closes it and silences that entry, paused silences all; history still kept', async () => {
    const r = await crashedThenInvoked('mute-hour');
    expect(r.closed).toEqual([101]);
    expect(Object.keys(r.alerts.state().mutes)).toEqual(['systemd:web.service']);
    await r.crashOnce();
    expect(r.sent).toHaveLength(1);
    r.tick(61 * 60_000);
    expect(r.alerts.state().mutes).toEqual({});
    r.alerts.setPaused(true);
    await r.crashOnce();
    expect(r.sent).toHaveLength(1);
    expect(r.store.get('alerts')).toMatchObject({ paused: true });
    expect(r.settings.get().alerts.paused).toBe(true);
    expect(r.history()).toHaveLength(3);
    r.alerts.stop();
  });

  it('a stop through the app raises nothing', async () => {
    const r = rig();
    await r.alerts.act('systemd:web.service', 'stop');
    r.push({ state: 'failed', subState: 'failed' });
    await r.alerts.idle();
    expect(r.sent).toEqual([]);
    r.alerts.stop();
  });

  it('stale notifications are closed once the entry has not failed again for a while', async () => {
    const r = rig();
    await r.crashOnce();
    r.tick(5000);
    r.push({ restarts: 0, subState: 'x' });
    await r.settle();
    expect(r.closed).toEqual([]);
    r.tick(6000);
    r.push({});
    await r.settle();
    expect(r.closed).toEqual([101]);
    r.alerts.stop();
  });

  it('without the actions capability the fallback shows it', async () => {
    const r = rig(['body']);
    await r.crashOnce();
    expect(r.sent).toEqual([]);
    expect(r.fallback.map((f) => f.summary)).toEqual(['web.service crashed']);
    expect(r.alerts.state().actions).toBe(false);
    r.alerts.stop();
  });

  it('without notifyOnAutoRestart an auto-restart is recorded but not notified; a failure still is', async () => {
    const r = rig();
    r.settings.update({ alerts: { notifyOnAutoRestart: false } });
    r.push({ subState: 'auto-restart' });
    await r.alerts.idle();
    expect(r.sent).toEqual([]);
    expect(r.history()).toHaveLength(1);
    r.push({});
    await r.crashOnce();
    expect(r.sent.map((s) => s.summary)).toEqual(['web.service crashed']);
    r.alerts.stop();
  });

  it('Mute for an hour on a far host’s alert mutes that host’s entry only, not the same id here', async () => {
    // A mute stored before far hosts existed (a plain id): this machine's.
    const backend = createMemoryBackend({ alerts: { mutes: { 'systemd:old.service': null } } });
    // The rigs' clocks start at 1,000,000 ms: so does the settings' (a mute ends by it).
    const shared = { backend, settings: createSettingsStore(backend, { clock: () => 1_000_000 }) };
    const here = rig(['actions', 'body'], { shared });
    const far = rig(['actions', 'body'], { shared, host: 'nas' });
    await far.crashOnce();
    expect(far.sent).toHaveLength(1);
    far.invoke(101, 'mute-hour');
    await far.settle();
    expect(Object.keys(here.alerts.state().mutes).sort()).toEqual([
      'host:nas:systemd:web.service',
      'systemd:old.service',
    ]);
    await far.crashOnce();
    expect(far.sent).toHaveLength(1);
    // The same unit on this machine still alerts.
    await here.crashOnce();
    expect(here.sent.map((s) => s.summary)).toEqual(['web.service crashed']);
    // Muted here by its id, it is muted here only; the far mute is unmuted by its key.
    here.alerts.mute('systemd:web.service', null);
    await here.crashOnce();
    expect(here.sent).toHaveLength(1);
    here.alerts.mute('host:nas:systemd:web.service', 0);
    await far.crashOnce();
    expect(far.sent).toHaveLength(2);
    expect(Object.keys(far.alerts.state().mutes).sort()).toEqual([
      'systemd:old.service',
      'systemd:web.service',
    ]);
    here.alerts.stop();
    far.alerts.stop();
  });

  it('unmute (0 minutes) ends a mute; mutes until unmuted have no end', async () => {
    const r = rig();
    expect(r.alerts.mute('systemd:web.service', null).mutes).toEqual({
      'systemd:web.service': null,
    });
    await r.crashOnce();
    expect(r.sent).toEqual([]);
    expect(r.alerts.mute('systemd:web.service', 0).mutes).toEqual({});
    await r.crashOnce();
    expect(r.sent).toHaveLength(1);
    r.alerts.stop();
  });

  it('a stop of a watched process through the process view is no crash', async () => {
    const r = rig();
    r.push({ id: 'process:bot', name: 'bot', pids: [42] });
    r.alerts.noteStopping([42]);
    r.push({ id: 'process:bot', name: 'bot', state: 'stopped', pids: [] });
    await r.alerts.idle();
    expect(r.sent).toEqual([]);
    // Without the note (and past the 30 s an intent covers), the same going away is a crash.
    r.tick(31_000);
    r.push({ id: 'process:bot', name: 'bot', pids: [43] });
    r.push({ id: 'process:bot', name: 'bot', state: 'failed', pids: [] });
    await r.alerts.idle();
    expect(r.sent.map((n) => n.summary)).toEqual(['bot crashed']);
    r.alerts.stop();
  });
});

// Crash alerts in the core's language: the words, the Restart button and the exit sentence follow
// the language setting (English by default).
describe('crash alerts in Korean', () => {
  afterEach(() => setLanguage('en'));

  it('says the crash, the exit and the actions in Korean', () => {
    setLanguage('ko');
    const exit = exitSummary('exit-code', 1, 2);
    expect(exit).toBe('종료되었습니다 (상태 2)');
    const n = crashNotification(crash, { exit, logLines: ['a'] }, 3, 0);
    expect(n.summary).toBe('web.service 비정상 종료 (3회)');
    expect(n.body).toBe('종료되었습니다 (상태 2).\na');
    expect(n.actions).toEqual([
      ['restart', '다시 시작'],
      ['show-logs', '로그 보기'],
      ['mute-hour', '1시간 동안 알림 끄기'],
    ]);
    const restarting = crashNotification(
      { ...crash, reason: 'auto-restart' },
      { exit: null, logLines: [] },
      1,
      0,
    );
    expect(restarting.body).toBe('종료 상태를 알 수 없습니다. systemd가 다시 시작하는 중입니다.');
    expect(exitSummary('signal', 2, 9)).toBe('시그널 SIGKILL에 의해 종료되었습니다');
  });

  it('is English by default, with the action ids unchanged', () => {
    const n = crashNotification(crash, { exit: exitSummary(null, 2, 9), logLines: [] }, 1, 0);
    expect(n.summary).toBe('web.service crashed');
    expect(n.body).toBe('It was killed by signal SIGKILL.');
    expect(n.actions.map(([id]) => id)).toEqual(['restart', 'show-logs', 'mute-hour']);
  });
});
