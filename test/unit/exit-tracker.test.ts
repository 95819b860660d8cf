import { describe, expect, it } from 'vitest';
import type { Bus, BusSignal, CallRequest } from '../../main/core/systemd/bus.js';
import { ExitTracker, unitFromPath } from '../../main/core/systemd/exit-tracker.js';

describe('unitFromPath', () => {
  it('undoes systemd bus-label escaping', () => {
    expect(unitFromPath('/org/freedesktop/systemd1/unit/web_2eservice')).toBe('web.service');
    expect(unitFromPath('/org/freedesktop/systemd1/unit/a_2db_40x_2eservice')).toBe(
      'a-b@x.service',
    );
    expect(unitFromPath('/org/freedesktop/systemd1/unit/caf_c3_a9_2eservice')).toBe('café.service');
  });
  it('refuses what is not a unit path', () => {
    for (const p of [
      '/org/freedesktop/systemd1',
      '/org/freedesktop/systemd1/unit/',
      '/org/freedesktop/systemd1/unit/a/b',
      '/org/freedesktop/systemd1/unit/bad_zz',
      '/org/freedesktop/systemd1/job/12',
    ])
      expect(unitFromPath(p)).toBeNull();
  });
});

function fakeBus(values: Record<string, unknown>) {
  const listeners = new Set<(s: BusSignal) => void>();
  const calls: CallRequest[] = [];
  const bus = {
    onSignal: (l: (s: BusSignal) => void) => (listeners.add(l), () => listeners.delete(l)),
    call: (req: CallRequest) => {
      calls.push(req);
      return Promise.resolve([values[String(req.body?.[1])]]);
    },
  } as unknown as Bus;
  const emit = (s: BusSignal) => {
    for (const l of listeners) l(s);
  };
  return { bus, calls, emit, listeners };
}

const changed = (iface: string, invalidated: string[]): BusSignal => ({
  sender: ':1.1',
  path: '/org/freedesktop/systemd1/unit/web_2eservice',
  interface: 'org.freedesktop.DBus.Properties',
  member: 'PropertiesChanged',
  body: [iface, {}, invalidated],
});

describe('ExitTracker', () => {
  it('asks for the exit when systemd says it changed, and keeps it per unit', async () => {
    const f = fakeBus({
      ExecMainCode: 1,
      ExecMainStatus: 2,
      ExecMainExitTimestamp: 1_700_000_000_123_456,
    });
    const t = new ExitTracker(f.bus);
    t.start();
    f.emit(changed('org.freedesktop.systemd1.Unit', ['ActiveState']));
    expect(f.calls).toHaveLength(0);
    f.emit(
      changed('org.freedesktop.systemd1.Service', [
        'ExecMainPID',
        'ExecMainCode',
        'ExecMainStatus',
      ]),
    );
    await new Promise((r) => setImmediate(r));
    expect(f.calls.map((c) => c.body?.[1])).toEqual([
      'ExecMainCode',
      'ExecMainStatus',
      'ExecMainExitTimestamp',
    ]);
    expect(t.lastExit('web.service')).toEqual({ code: 1, status: 2, at: 1_700_000_000_123 });
    expect(t.lastExit('other.service')).toBeNull();
    t.stop();
    expect(f.listeners.size).toBe(0);
  });

  it('a clean start (code 0) is no exit to remember', async () => {
    const f = fakeBus({ ExecMainCode: 0, ExecMainStatus: 0, ExecMainExitTimestamp: 0 });
    const t = new ExitTracker(f.bus);
    t.start();
    f.emit(changed('org.freedesktop.systemd1.Service', ['ExecMainStatus']));
    await new Promise((r) => setImmediate(r));
    expect(t.lastExit('web.service')).toBeNull();
  });
});
