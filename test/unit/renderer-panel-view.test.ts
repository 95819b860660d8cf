// The panel's layout and words: the user's own things first, System last, the chips, a failed
// row's reason, the guards of a switch, the row menu and what Undo takes back.
import { describe, expect, it } from 'vitest';
import type { Entry } from '../../main/core/model/domain.js';
import { setLanguage } from '../../i18n/index.js';
import {
  failureLine,
  failureWords,
  hasSwitch,
  menuItems,
  panelSections,
  secondLine,
  socketLine,
  staleReason,
  switchGuard,
  timerLine,
  undoOf,
} from '../../renderer/src/panel/panel-view.js';
import { serviceEntry, unitKindEntry } from '../helpers/entries.js';

function entry(name: string, patch: Partial<Entry> = {}): Entry {
  return unitKindEntry(name, { actions: ['start'], origin: 'user', ...patch });
}
const running: Partial<Entry> = { state: 'running', actions: ['stop', 'restart'] };
const plumbing = (guard: 'locked' | 'confirm', role: 'bus' | 'keys' = 'keys'): Partial<Entry> => ({
  origin: 'system',
  plumbing: { role, guard },
});

describe('panelSections', () => {
  const all = [
    entry('dbus.socket', { ...running, ...plumbing('locked', 'bus') }),
    entry('gpg-agent.socket', { ...running, ...plumbing('confirm') }),
    entry('gpg-agent.service', { state: 'failed', ...plumbing('confirm') }),
    entry('syncthing.service', { origin: 'system' }),
    entry('web.service', running),
    entry('backup.timer'),
    entry('crash.service', { state: 'failed' }),
    serviceEntry('tmux', {
      kind: 'session',
      id: 'session:tmux:tmux',
      state: 'running',
      actions: ['stop'],
    }),
  ];

  it('puts what failed first, then the user’s own things, then one System group', () => {
    expect(panelSections(all).map((s) => [s.key, s.entries.map((e) => e.name)])).toEqual([
      ['failed', ['crash.service']],
      ['service', ['web.service']],
      ['timer', ['backup.timer']],
      ['session', ['tmux']],
      ['system', ['dbus.socket', 'gpg-agent.service', 'gpg-agent.socket', 'syncthing.service']],
    ]);
    expect(panelSections(all).at(-1)?.failed).toBe(1);
  });

  it('filters with the chips and the search', () => {
    const keys = (f: Parameters<typeof panelSections>[2], q = '') =>
      panelSections(all, q, f).flatMap((s) => s.entries.map((e) => e.name));
    expect(keys('failed')).toEqual(['crash.service', 'gpg-agent.service']);
    expect(keys('running')).toEqual(['web.service', 'tmux', 'dbus.socket', 'gpg-agent.socket']);
    expect(keys('mine')).toEqual(['crash.service', 'web.service', 'backup.timer', 'tmux']);
    expect(keys('all', 'gpg')).toEqual(['gpg-agent.service', 'gpg-agent.socket']);
  });
});

describe('a failed row’s reason', () => {
  it('says how it ended, in English and in Korean', () => {
    const exited = {
      result: 'exit-code',
      exit: { kind: 'exited', status: 2 },
      restarts: 0,
      at: null,
    } as const;
    expect(failureWords(exited)).toBe('Exited with status 2');
    expect(
      failureWords({ ...exited, exit: { kind: 'killed', signal: 'SIGKILL', number: 9 } }),
    ).toBe('Killed by SIGKILL');
    expect(failureWords({ ...exited, restarts: 5 })).toBe('Gave up after 5 restarts');
    expect(failureWords({ ...exited, restarts: 1 })).toBe('Gave up after 1 restart');
    expect(failureWords({ result: 'timeout', exit: null, restarts: 0, at: null })).toBe(
      'Did not finish in time',
    );
    const at = '2026-12-06T14:00:00.000Z';
    expect(failureLine({ ...exited, at }, Date.parse(at) + 40_000)).toBe(
      'Exited with status 2 · 40 seconds ago',
    );
    setLanguage('ko');
    try {
      expect(failureLine({ ...exited, at }, Date.parse(at) + 40_000)).toBe(
        '상태 2(으)로 종료됨 · 40초 전',
      );
      expect(failureWords({ ...exited, restarts: 5 })).toBe('5번 다시 시작한 뒤 포기함');
    } finally {
      setLanguage('en');
    }
  });

  it('is the second line of a failed row, else the kind’s own facts', () => {
    const now = Date.parse('2026-12-06T14:00:00.000Z');
    const failed = entry('crash.service', {
      state: 'failed',
      failure: {
        result: 'signal',
        exit: { kind: 'killed', signal: 'SIGKILL', number: 9 },
        restarts: 0,
        at: null,
      },
    });
    expect(secondLine(failed, now, () => 'desc')).toBe('Killed by SIGKILL');
    const timer = entry('backup.timer', {
      timer: { next: '2026-12-06T14:05:00.000Z', last: null, unit: 'backup.service' },
    });
    expect(timerLine(timer, now)).toBe('Next run in 5 minutes · never ran yet');
    // How the last run went, from the entry of the service it starts.
    const ran = entry('backup.timer', {
      timer: {
        next: '2026-12-06T14:05:00.000Z',
        last: '2026-12-06T13:00:00.000Z',
        unit: 'backup.service',
      },
    });
    expect(timerLine(ran, now, entry('backup.service', { state: 'failed' }))).toBe(
      'Next run in 5 minutes · last 1 hour ago, failed',
    );
    expect(secondLine(ran, now, () => 'x', entry('backup.service', { state: 'stopped' }))).toBe(
      'Next run in 5 minutes · last 1 hour ago, succeeded',
    );
    expect(timerLine(ran, now)).toBe('Next run in 5 minutes · last 1 hour ago');
    expect(socketLine(entry('a.socket', { listen: ['/run/user/1/a.sock'] }))).toBe(
      'Listens on /run/user/1/a.sock',
    );
    expect(secondLine(entry('dbus.socket', plumbing('locked', 'bus')), now, () => 'x')).toBe(
      'Part of your desktop session: not switched from here',
    );
    // An autostart row never says "Stopped" beside a switch that is on.
    const auto = serviceEntry('notes', { kind: 'autostart', description: '', state: 'stopped' });
    expect(secondLine(auto, now, () => 'Stopped')).toBe('notes');
  });
});

describe('switches people can trust', () => {
  it('has no switch on locked plumbing and asks before turning other plumbing or a session off', () => {
    expect(hasSwitch(entry('dbus.socket', plumbing('locked', 'bus')))).toBe(false);
    expect(switchGuard(entry('gpg-agent.socket', { ...running, ...plumbing('confirm') }))).toBe(
      'plumbing',
    );
    // Turning it on asks nothing.
    expect(switchGuard(entry('gpg-agent.socket', plumbing('confirm')))).toBe('none');
    expect(switchGuard(entry('web.service', running))).toBe('none');
    const session = serviceEntry('work', { kind: 'session', state: 'running', actions: ['stop'] });
    expect(switchGuard(session)).toBe('session');
  });

  it('offers Undo only where the opposite can be asked', () => {
    expect(undoOf(entry('web.service'), 'stop')).toBe('start');
    expect(undoOf(entry('web.service'), 'start')).toBe('stop');
    expect(undoOf(serviceEntry('notes', { kind: 'autostart' }), 'disable')).toBe('enable');
    expect(undoOf(serviceEntry('work', { kind: 'session' }), 'stop')).toBeNull();
    expect(undoOf(entry('web.service'), 'restart')).toBeNull();
  });
});

describe('the row menu', () => {
  it('is state-aware: Restart or Start, Pin or Unpin, Mute or Unmute; live actions off when stale', () => {
    const labels = (
      e: Entry,
      o: { pinned?: boolean; muted?: boolean; stale?: string | null } = {},
    ) =>
      menuItems(e, { pinned: false, muted: false, stale: null, ...o }).map((i) =>
        i.disabled ? `${i.label} (off)` : i.label,
      );
    expect(labels(entry('web.service', running))).toEqual([
      'Restart',
      'Logs',
      'Details',
      'Pin to tray',
      'Mute alerts for an hour',
    ]);
    expect(labels(entry('web.service'), { pinned: true, muted: true })).toEqual([
      'Start',
      'Logs',
      'Details',
      'Unpin from tray',
      'Unmute alerts',
    ]);
    expect(labels(entry('web.service', running), { stale: 'gone' })[0]).toBe('Restart (off)');
    expect(labels(entry('dbus.socket', { ...running, ...plumbing('locked', 'bus') }))[0]).toBe(
      'Logs',
    );
  });

  it('knows when a source is gone', () => {
    const e = entry('web.service');
    expect(staleReason(e, { systemd: { status: 'ok' } })).toBeNull();
    expect(
      staleReason(e, {
        systemd: { status: 'unavailable', error: { code: 'bus-unavailable', message: 'x' } },
      }),
    ).toBe('State unknown: systemd is not reachable');
  });
});
