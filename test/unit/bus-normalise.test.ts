import { describe, expect, it } from 'vitest';
import dbus from 'dbus-next';
import { normalise, sessionBusAddress, USEC_INFINITY } from '../../main/core/systemd/bus.js';

describe('normalise', () => {
  it('makes D-Bus values JSON-safe', () => {
    const value = {
      a: new dbus.Variant('t', 5n),
      b: [new dbus.Variant('s', 'x'), USEC_INFINITY],
      c: { nested: new dbus.Variant('v', new dbus.Variant('u', 7)) },
    };
    expect(normalise(value)).toEqual({ a: 5, b: ['x', null], c: { nested: 7 } });
    expect(() => JSON.stringify(normalise([1n, 2n]))).not.toThrow();
  });

  it('finds the session bus address like libdbus does', () => {
    expect(sessionBusAddress({ DBUS_SESSION_BUS_ADDRESS: 'unix:path=/x' })).toBe('unix:path=/x');
    expect(sessionBusAddress({ XDG_RUNTIME_DIR: '/run/user/1' })).toBe('unix:path=/run/user/1/bus');
    expect(sessionBusAddress({})).toBeNull();
  });
});
