// The one table of what each kind of entry can do (the dispatcher's), and the monitor's act that
// refuses, in words, a verb an id's kind cannot do before any source is asked.
import { describe, expect, it } from 'vitest';
import type { Entry, Snapshot } from '../../main/core/model/domain.js';
import {
  actionAvailable,
  cannot,
  fullId,
  sourceNotices,
  sourceOfId,
  verbsOf,
} from '../../main/core/monitor/entry-verbs.js';
import { createMonitor, type SystemdSource } from '../../main/core/monitor/create-monitor.js';
import type { EntrySource } from '../../main/core/monitor/source.js';

function fakeSource(name: EntrySource['name'], prefix: string, calls: string[]): EntrySource {
  return {
    name,
    prefixes: [prefix],
    start: () => Promise.resolve(),
    stop: () => Promise.resolve(),
    settled: () => Promise.resolve(),
    entries: () => [],
    status: () => ({ status: 'ok' }),
    onChange: () => () => undefined,
    act: (id, action) => {
      calls.push(`${name} ${action} ${id}`);
      return Promise.resolve({ ok: true, value: { id, action, result: 'ok', entry: null } });
    },
  };
}

describe('entry verbs', () => {
  it('knows the source of every id list prints; a bare name is a unit', () => {
    const sources: Array<[string, string | null]> = [
      ['systemd:a.service', 'systemd'],
      ['web', 'systemd'],
      ['process:web', 'processes'],
      ['session:tmux:x', 'sessions'],
      ['cron:0badc0de', 'cron'],
      ['autostart:notes.desktop', 'autostart'],
      ['spaceship:x', null],
    ];
    expect(sources.map(([id]) => [id, sourceOfId(id)])).toEqual(sources);
    expect(fullId('web')).toBe('systemd:web.service');
    expect(fullId('web.socket')).toBe('systemd:web.socket');
    expect(fullId('cron:1')).toBe('cron:1');
  });

  it('refuses a verb a kind cannot do, saying what it can', () => {
    expect(cannot('session:tmux:x', 'enable')).toEqual({
      code: 'unsupported',
      message:
        'session:tmux:x is a tmux or screen session, which cannot enable; it can: status, stop, kill.',
    });
    expect(cannot('autostart:a.desktop', 'disable')).toBeNull();
    expect(cannot('cron:1', 'start')).toBeNull();
    expect(cannot('process:w', 'start')).toBeNull();
    expect(cannot('spaceship:x', 'start')?.code).toBe('invalid-input');
    expect(verbsOf('web')).toContain('reload');
  });

  it('an action is available only when offered and its own source is up', () => {
    const entry = (id: string): Entry => ({ id, actions: ['stop'] }) as unknown as Entry;
    const snap = {
      sources: {
        systemd: { status: 'unavailable', error: { code: 'bus-unavailable', message: 'No bus.' } },
        cron: { status: 'ok' },
      },
    } as unknown as Snapshot;
    expect(actionAvailable(snap, entry('cron:1'), 'stop')).toBe(true);
    expect(actionAvailable(snap, entry('cron:1'), 'start')).toBe(false);
    expect(actionAvailable(snap, entry('systemd:a.service'), 'stop')).toBe(false);
    expect(sourceNotices(snap)).toEqual(['systemd user units not shown: No bus.']);
  });

  it("the monitor's act refuses before asking any source, and routes the rest by id", async () => {
    const calls: string[] = [];
    const systemd = {
      ...fakeSource('systemd', 'systemd:', calls),
      units: null,
      bus: null,
    } as unknown as SystemdSource;
    const monitor = createMonitor(systemd, [
      fakeSource('cron', 'cron:', calls),
      fakeSource('sessions', 'session:', calls),
    ]);
    const refused = await monitor.act('session:tmux:x', 'enable');
    expect(refused.ok ? null : refused.error.message).toMatch(/it can: status, stop, kill\.$/);
    expect(await monitor.act('cron:1', 'disable')).toMatchObject({ ok: true });
    expect(await monitor.act('web', 'start')).toMatchObject({ ok: true });
    expect(calls).toEqual(['cron disable cron:1', 'systemd start web']);
  });
});
