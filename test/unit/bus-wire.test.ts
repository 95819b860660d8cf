import { createRequire } from 'node:module';
import dbus from 'dbus-next';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { marshalCall, type WireCall } from '../../main/core/systemd/bus-wire.js';

// dbus-next's own marshaller, the reference the fast path must match byte for byte.
const require = createRequire(import.meta.url);
const { marshallMessage } = require('dbus-next/lib/marshall-compat.js') as {
  marshallMessage: (m: dbus.Message) => [Buffer, unknown[]];
};

function reference(m: WireCall): Buffer {
  const msg = new dbus.Message({
    ...(m.destination ? { destination: m.destination } : {}),
    path: m.path ?? '/',
    ...(m.interface ? { interface: m.interface } : {}),
    member: m.member ?? 'Get',
    ...(m.signature ? { signature: m.signature, body: m.body ?? [] } : {}),
    ...(m.flags !== undefined ? { flags: m.flags } : {}),
  });
  msg.serial = m.serial;
  return marshallMessage(msg)[0];
}

const name = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,20}$/);
const busName = fc
  .array(name, { minLength: 2, maxLength: 4 })
  .map((parts) => parts.join('.'))
  .filter((n) => n.length <= 255);
const path = fc.array(name, { maxLength: 5 }).map((parts) => '/' + parts.join('/'));
const text = fc.string({ unit: 'grapheme', maxLength: 40 }).filter((s) => !s.includes('\0'));

type BodyArg = { type: string; value: unknown };
const arg: fc.Arbitrary<BodyArg> = fc.oneof(
  text.map((value) => ({ type: 's', value })),
  fc.boolean().map((value) => ({ type: 'b', value })),
  fc.integer({ min: 0, max: 0xffffffff }).map((value) => ({ type: 'u', value })),
  fc.integer({ min: -0x80000000, max: 0x7fffffff }).map((value) => ({ type: 'i', value })),
  fc.array(text, { maxLength: 6 }).map((value) => ({ type: 'as', value })),
);

describe('marshalCall', () => {
  it('writes the same bytes as dbus-next for simple method calls', () => {
    fc.assert(
      fc.property(
        fc.record({
          serial: fc.integer({ min: 1, max: 0xffffffff }),
          flags: fc.constantFrom(0, 1, 2, 4),
          destination: fc.option(busName, { nil: undefined }),
          path,
          interface: fc.option(busName, { nil: undefined }),
          member: name,
          args: fc.array(arg, { maxLength: 5 }),
        }),
        (r) => {
          const m: WireCall = {
            serial: r.serial,
            flags: r.flags,
            path: r.path,
            member: r.member,
            ...(r.destination !== undefined ? { destination: r.destination } : {}),
            ...(r.interface !== undefined ? { interface: r.interface } : {}),
            ...(r.args.length > 0
              ? {
                  signature: r.args.map((a) => a.type).join(''),
                  body: r.args.map((a) => a.value),
                }
              : {}),
          };
          const fast = marshalCall(m);
          expect(fast).not.toBeNull();
          expect(fast!.equals(reference(m))).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('matches the calls the app sends (property Get, ListUnitFilesByPatterns, EnableUnitFiles)', () => {
    const calls: WireCall[] = [
      {
        serial: 7,
        destination: 'org.freedesktop.systemd1',
        path: '/org/freedesktop/systemd1/unit/bench_2d000_2eservice',
        interface: 'org.freedesktop.DBus.Properties',
        member: 'Get',
        signature: 'ss',
        body: ['org.freedesktop.systemd1.Unit', 'StateChangeTimestamp'],
      },
      {
        serial: 8,
        destination: 'org.freedesktop.systemd1',
        path: '/org/freedesktop/systemd1',
        interface: 'org.freedesktop.systemd1.Manager',
        member: 'ListUnitFilesByPatterns',
        signature: 'asas',
        body: [[], ['*.service', '*.socket', '*.timer']],
      },
      {
        serial: 9,
        destination: 'org.freedesktop.systemd1',
        path: '/org/freedesktop/systemd1',
        interface: 'org.freedesktop.systemd1.Manager',
        member: 'EnableUnitFiles',
        signature: 'asbb',
        body: [['ünïcode.service'], false, true],
      },
      { serial: 10, path: '/org/freedesktop/systemd1', member: 'Subscribe' },
    ];
    for (const m of calls) expect(marshalCall(m)!.equals(reference(m))).toBe(true);
  });

  it('leaves everything else to dbus-next', () => {
    const base = { serial: 1, path: '/a', member: 'M' };
    expect(marshalCall({ ...base, type: 4 })).toBeNull(); // a signal
    expect(marshalCall({ ...base, signature: 'a{sv}', body: [{}] })).toBeNull();
    expect(marshalCall({ ...base, signature: 'v', body: [new dbus.Variant('s', 'x')] })).toBeNull();
    expect(marshalCall({ ...base, signature: 'o', body: ['/x'] })).toBeNull();
    expect(marshalCall({ ...base, signature: 's', body: ['nul\0inside'] })).toBeNull();
    expect(marshalCall({ ...base, signature: 'u', body: [-1] })).toBeNull();
    expect(marshalCall({ ...base, signature: 'u', body: [1.5] })).toBeNull();
    expect(marshalCall({ ...base, signature: 'b', body: [1] })).toBeNull();
    expect(marshalCall({ ...base, signature: 'ss', body: ['one'] })).toBeNull();
    expect(marshalCall({ ...base, serial: 0 })).toBeNull();
  });

  it('grows past its initial buffer', () => {
    const m: WireCall = {
      serial: 3,
      path: '/big',
      member: 'M',
      signature: 'as',
      body: [Array.from({ length: 200 }, (_, i) => `unit-${i}-${'x'.repeat(40)}.service`)],
    };
    const fast = marshalCall(m)!;
    expect(fast.length).toBeGreaterThan(4096);
    expect(fast.equals(reference(m))).toBe(true);
  });
});
