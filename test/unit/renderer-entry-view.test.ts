import { describe, expect, it } from 'vitest';
import {
  countSummary,
  displayName,
  formatDuration,
  groupEntries,
  isOn,
  matchesQuery,
  startAtLoginText,
  subtitle,
  toggleAction,
  unescapeUnitName,
  uptimeText,
} from '../../renderer/src/lib/entry-view.js';
import { unitKindEntry } from '../helpers/entries.js';

const entry = unitKindEntry;

describe('groupEntries', () => {
  const entries = [
    entry('b.service', { state: 'running', actions: ['stop', 'restart'] }),
    entry('z.timer'),
    entry('a.socket'),
    entry('c.service', { state: 'failed' }),
    entry('a.service'),
    entry('x.socket', { state: 'failed' }),
  ];

  it('puts failed entries first, then services, sockets and timers, sorted by name', () => {
    expect(groupEntries(entries).map((g) => [g.title, g.entries.map((e) => e.name)])).toEqual([
      ['Failed', ['c.service', 'x.socket']],
      ['Services', ['a.service', 'b.service']],
      ['Sockets', ['a.socket']],
      ['Timers', ['z.timer']],
    ]);
  });

  it('drops groups the query empties and keeps the order of the rest', () => {
    expect(groupEntries(entries, 'socket').map((g) => g.key)).toEqual(['failed', 'socket']);
    expect(groupEntries(entries, 'nothing like this')).toEqual([]);
  });

  it('groups the other sources as DESIGN.md names them', () => {
    const others = [
      entry('cron-job', { kind: 'cron', id: 'cron:1' }),
      entry('tmux-main', { kind: 'session', id: 'session:tmux:main' }),
      entry('syncd', { kind: 'process', id: 'process:syncd' }),
      entry('tray', { kind: 'autostart', id: 'autostart:tray.desktop' }),
    ];
    expect(groupEntries(others).map((g) => [g.title, g.entries.length])).toEqual([
      ['Processes', 1],
      ['Sessions', 1],
      ['At login/boot', 2],
    ]);
  });

  it('does not reorder its input', () => {
    const copy = [...entries];
    groupEntries(entries);
    expect(entries).toEqual(copy);
  });
});

describe('matchesQuery', () => {
  const e = entry('syncthing.service', { description: 'File Synchronization' });
  it('matches every word, in name or description, ignoring case', () => {
    expect(matchesQuery(e, '')).toBe(true);
    expect(matchesQuery(e, '  ')).toBe(true);
    expect(matchesQuery(e, 'SYNC')).toBe(true);
    expect(matchesQuery(e, 'sync file')).toBe(true);
    expect(matchesQuery(e, 'sync backup')).toBe(false);
  });
});

describe('names and words', () => {
  it('drops the suffix the group already names and unescapes systemd names', () => {
    expect(displayName(entry('syncthing.service'))).toBe('syncthing');
    expect(displayName(entry('dbus.socket'))).toBe('dbus');
    expect(displayName(entry('app-print\\x2dapplet@autostart.service'))).toBe(
      'app-print-applet@autostart',
    );
    expect(unescapeUnitName('a\\x20b')).toBe('a b');
    expect(displayName(entry('.service'))).toBe('.service');
  });

  it('falls back to the state when the description says nothing new', () => {
    expect(subtitle(entry('a.service', { description: 'Web' }))).toBe('Web');
    expect(subtitle(entry('a.service', { description: 'a.service' }))).toBe('Stopped');
    expect(
      subtitle(
        entry('a.service', {
          description: '',
          state: 'running',
          autostart: { enabled: true, via: ['systemd'], state: 'enabled' },
        }),
      ),
    ).toBe('Running · starts at login');
  });

  it('turns UnitFileState into the user’s words', () => {
    expect(startAtLoginText('enabled')).toBe('Yes');
    expect(startAtLoginText('disabled')).toBe('No');
    expect(startAtLoginText('static')).toBe('Only when another unit needs it');
    expect(startAtLoginText('masked')).toBe('Never (masked)');
    expect(startAtLoginText(null)).toBe('Unknown');
    expect(startAtLoginText('bad-setting')).toBe('bad-setting');
  });

  it('counts units, running and failed', () => {
    expect(countSummary([])).toBe('0 units · 0 running');
    expect(
      countSummary([
        entry('a.service', { state: 'running' }),
        entry('b.service', { state: 'failed' }),
      ]),
    ).toBe('2 units · 1 running · 1 failed');
    expect(countSummary([entry('a.service')])).toBe('1 unit · 0 running');
  });
});

describe('the switch', () => {
  it('is on while running or starting and asks for the opposite action', () => {
    const running = entry('a.service', { state: 'running', actions: ['stop', 'restart'] });
    expect(isOn(running)).toBe(true);
    expect(toggleAction(running)).toBe('stop');
    expect(isOn(entry('a.service', { state: 'starting' }))).toBe(true);
    expect(toggleAction(entry('a.service'))).toBe('start');
    expect(toggleAction(entry('a.service', { state: 'failed' }))).toBe('start');
  });

  it('asks for nothing the entry does not offer', () => {
    expect(toggleAction(entry('a.service', { state: 'running', actions: [] }))).toBeNull();
    expect(toggleAction(entry('a.service', { actions: ['enable'] }))).toBeNull();
  });
});

describe('durations', () => {
  it('reads like a person would say it', () => {
    expect(formatDuration(-5)).toBe('0 s');
    expect(formatDuration(45_000)).toBe('45 s');
    expect(formatDuration(3 * 60_000 + 59_000)).toBe('3 min');
    expect(formatDuration(2 * 3_600_000)).toBe('2 h');
    expect(formatDuration(2 * 3_600_000 + 5 * 60_000)).toBe('2 h 5 min');
    expect(formatDuration(30 * 3_600_000)).toBe('1 day');
    expect(formatDuration(4 * 86_400_000)).toBe('4 days');
  });

  it('says how long an entry has been in its state', () => {
    const since = '2026-01-01T00:00:00.000Z';
    const now = Date.parse(since) + 90_000;
    expect(uptimeText(entry('a.service', { state: 'running', since }), now)).toBe(
      'Running for 1 min',
    );
    expect(uptimeText(entry('a.service', { since: null }), now)).toBeNull();
    expect(uptimeText(entry('a.service', { since: 'not a date' }), now)).toBeNull();
  });
});
