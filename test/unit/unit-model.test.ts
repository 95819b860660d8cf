import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  exitSummary,
  mapActiveState,
  newUnitRecord,
  parseUnitRef,
  unitActions,
  unitEntry,
  unitObjectPath,
  usecToIso,
} from '../../main/core/systemd/unit-model.js';

describe('parseUnitRef', () => {
  it.each([
    ['systemd:foo.service', 'foo.service'],
    ['foo.service', 'foo.service'],
    ['foo', 'foo.service'],
    ['dbus.socket', 'dbus.socket'],
    ['systemd:backup.timer', 'backup.timer'],
    ['getty@tty1.service', 'getty@tty1.service'],
    ['a\\x2db.service', 'a\\x2db.service'],
  ])('accepts %s', (ref, unit) => {
    expect(parseUnitRef(ref)).toEqual({ ok: true, unit });
  });

  it.each([
    ['', /required/],
    ['systemd:', /required/],
    ['foo\n.service', /control character/],
    ['foo\0.service', /control character/],
    ['../etc/passwd', /cannot contain "\/"/],
    ['a/b.service', /cannot contain "\/"/],
    ['cron:abc', /not a systemd unit id/],
    ['foo bar.service', /not a valid unit name/],
    ['foo.mount', /not a service, socket or timer/],
    [`${'x'.repeat(260)}.service`, /at most 255/],
  ])('rejects %j with a readable reason', (ref, reason) => {
    const r = parseUnitRef(ref);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(reason);
  });

  it('never throws and never accepts a slash or control character', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const r = parseUnitRef(s);
        if (r.ok) expect(r.unit).toMatch(/^[A-Za-z0-9:_.\\@-]+\.(service|socket|timer)$/);
      }),
    );
  });
});

describe('state mapping', () => {
  it.each([
    ['active', 'running'],
    ['reloading', 'running'],
    ['activating', 'starting'],
    ['deactivating', 'stopping'],
    ['failed', 'failed'],
    ['inactive', 'stopped'],
    ['maintenance', 'unknown'],
    ['', 'unknown'],
  ] as const)('%s is %s', (active, state) => {
    expect(mapActiveState(active)).toBe(state);
  });

  it('offers the actions that make sense', () => {
    expect(unitActions('a.service', 'running', 'loaded', 'enabled')).toEqual([
      'stop',
      'restart',
      'disable',
    ]);
    expect(unitActions('a.service', 'stopped', 'loaded', 'disabled')).toEqual(['start', 'enable']);
    expect(unitActions('a.service', 'failed', 'loaded', 'static')).toEqual(['start']);
    expect(unitActions('a.service', 'running', 'loaded', 'static', true)).toEqual([
      'stop',
      'restart',
      'reload',
    ]);
    expect(unitActions('a.service', 'stopped', 'loaded', 'static', true)).toEqual(['start']);
    expect(unitActions('a.service', 'stopped', 'masked', 'masked')).toEqual([]);
    expect(unitActions('a@.service', 'stopped', 'loaded', 'disabled')).toEqual([]);
    expect(unitActions('a.service', 'stopped', 'not-found', null)).toEqual([]);
    expect(unitActions('a.service', 'stopping', 'loaded', 'enabled-runtime')).toEqual([
      'stop',
      'disable',
    ]);
  });

  it('builds an entry with the contract fields', () => {
    const r = {
      ...newUnitRecord('web.service'),
      description: 'Web',
      activeState: 'active',
      subState: 'running',
      mainPid: 42,
      unitFileState: 'enabled',
      stateChangeUsec: 1_700_000_000_000_000,
      nRestarts: 2,
    };
    expect(unitEntry(r)).toEqual({
      id: 'systemd:web.service',
      kind: 'service',
      name: 'web.service',
      description: 'Web',
      state: 'running',
      subState: 'running',
      autostart: { enabled: true, via: ['systemd'], state: 'enabled' },
      pids: [42],
      cpu: null,
      memory: null,
      since: '2023-11-14T22:13:20.000Z',
      restarts: 2,
      actions: ['stop', 'restart', 'disable'],
      // No file known: not the user's (model/plumbing.ts).
      origin: 'system',
    });
    expect(unitEntry({ ...r, activeState: 'inactive' }).pids).toEqual([]);
    expect(unitEntry({ ...r, description: '' }).description).toBe('web.service');
    expect(unitEntry(newUnitRecord('t.timer')).kind).toBe('timer');
  });

  it("lists every process of the unit's cgroup, the main one first when known", () => {
    const r = { ...newUnitRecord('web.service'), activeState: 'active', subState: 'running' };
    expect(unitEntry({ ...r, pids: [7, 42, 99], mainPid: 42 }).pids).toEqual([42, 7, 99]);
    expect(unitEntry({ ...r, pids: [7, 99], mainPid: 0 }).pids).toEqual([7, 99]);
    // A main PID the cgroup read did not see (it just exited) is not invented.
    expect(unitEntry({ ...r, pids: [7], mainPid: 42 }).pids).toEqual([7]);
    expect(unitEntry({ ...r, pids: [], mainPid: 0 }).pids).toEqual([]);
    // Without cgroups the main PID alone, as systemd reports it.
    expect(unitEntry({ ...r, pids: null, mainPid: 42 }).pids).toEqual([42]);
    expect(unitEntry({ ...r, pids: [7], activeState: 'failed' }).pids).toEqual([]);
  });
});

describe('values from systemd', () => {
  it('turns usec into ISO time, and 0 or infinity into null', () => {
    expect(usecToIso(0)).toBeNull();
    expect(usecToIso(null)).toBeNull();
    expect(usecToIso(1_000_000)).toBe('1970-01-01T00:00:01.000Z');
  });

  it('describes exits in words', () => {
    expect(exitSummary('exit-code', 1, 3)).toBe('exited with status 3');
    expect(exitSummary('signal', 2, 9)).toBe('was killed by signal SIGKILL');
    expect(exitSummary('core-dump', 3, 11)).toBe('dumped core after signal SIGSEGV');
    expect(exitSummary('success', 0, 0)).toBeNull();
    expect(exitSummary('timeout', 0, 0)).toBe('ended with result "timeout"');
  });

  it('escapes unit names into object paths as systemd does', () => {
    expect(unitObjectPath('dd-alpha.service')).toBe(
      '/org/freedesktop/systemd1/unit/dd_2dalpha_2eservice',
    );
    expect(unitObjectPath('a@b.service')).toBe('/org/freedesktop/systemd1/unit/a_40b_2eservice');
  });
});
