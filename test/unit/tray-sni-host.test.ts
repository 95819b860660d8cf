import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dbus from 'dbus-next';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BusSignal, CallRequest } from '../../main/core/systemd/bus.js';
import { RobustBus } from '../../main/core/systemd/bus.js';
import {
  SNI_WATCHER,
  checkSniHost,
  watchSniHost,
  type SniBus,
  type SniHostStatus,
} from '../../main/core/tray/sni-host.js';

/** A bus that answers from a table, for the decisions that need no daemon. */
function fakeBus(answer: (req: CallRequest) => unknown[] | Error): SniBus & {
  emit(signal: BusSignal): void;
  matches: string[];
} {
  const listeners = new Set<(s: BusSignal) => void>();
  const matches: string[] = [];
  return {
    matches,
    call(req) {
      const reply = answer(req);
      return reply instanceof Error ? Promise.reject(reply) : Promise.resolve(reply);
    },
    addMatch(rule) {
      matches.push(rule);
      return Promise.resolve();
    },
    onSignal(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit(signal) {
      for (const l of listeners) l(signal);
    },
  };
}

describe('checkSniHost with a fake bus', () => {
  it('no owner of the watcher name: no tray', async () => {
    const bus = fakeBus((req) =>
      req.member === 'NameHasOwner' ? [false] : new Error('unexpected'),
    );
    await expect(checkSniHost(bus)).resolves.toEqual({ available: false, reason: 'no-watcher' });
  });

  it('a watcher with a registered host: tray', async () => {
    const bus = fakeBus((req) => (req.member === 'NameHasOwner' ? [true] : [true]));
    await expect(checkSniHost(bus)).resolves.toEqual({ available: true });
  });

  it('a watcher without a host: no tray', async () => {
    const bus = fakeBus((req) => (req.member === 'NameHasOwner' ? [true] : [false]));
    await expect(checkSniHost(bus)).resolves.toEqual({ available: false, reason: 'no-host' });
  });

  it('a watcher that cannot tell whether it has a host counts as a tray', async () => {
    const bus = fakeBus((req) =>
      req.member === 'NameHasOwner' ? [true] : new Error('UnknownInterface'),
    );
    await expect(checkSniHost(bus)).resolves.toEqual({ available: true });
  });

  it('a bus that fails: no tray, with the reason', async () => {
    const bus = fakeBus(() => new Error('bus down'));
    await expect(checkSniHost(bus)).resolves.toEqual({
      available: false,
      reason: 'bus-error',
      detail: 'bus down',
    });
  });

  it('asks the bus daemon about exactly the watcher name', async () => {
    const seen: CallRequest[] = [];
    const bus = fakeBus((req) => {
      seen.push(req);
      return [false];
    });
    await checkSniHost(bus);
    expect(seen[0]).toMatchObject({
      destination: 'org.freedesktop.DBus',
      member: 'NameHasOwner',
      body: ['org.kde.StatusNotifierWatcher'],
    });
  });
});

describe('watchSniHost with a fake bus', () => {
  it('re-checks on NameOwnerChanged for the watcher only', async () => {
    let owned = false;
    const bus = fakeBus((req) => (req.member === 'NameHasOwner' ? [owned] : [true]));
    const seen: SniHostStatus[] = [];
    const stop = await watchSniHost(bus, (s) => seen.push(s));
    expect(bus.matches.some((m) => m.includes(`arg0='${SNI_WATCHER}'`))).toBe(true);
    /** The bus daemon's NameOwnerChanged signal for `name`, from `from` to `to`. */
    const ownerChanged = (name: string, from: string, to: string) =>
      bus.emit({
        sender: 'org.freedesktop.DBus',
        path: '/org/freedesktop/DBus',
        interface: 'org.freedesktop.DBus',
        member: 'NameOwnerChanged',
        body: [name, from, to],
      });
    ownerChanged('org.other', '', ':1.5');
    owned = true;
    ownerChanged(SNI_WATCHER, '', ':1.9');
    await new Promise((r) => setTimeout(r, 10));
    expect(seen).toEqual([{ available: true }]);
    stop();
    ownerChanged(SNI_WATCHER, ':1.9', '');
    await new Promise((r) => setTimeout(r, 10));
    expect(seen).toHaveLength(1);
  });
});

// The same against a real dbus-daemon with a real watcher name owner: no fakes between
// checkSniHost, RobustBus, dbus-next and the daemon.
const DBUS_DAEMON = '/usr/bin/dbus-daemon';

// No skip when dbus-daemon is missing: CI installs it, and a missing one must fail loudly.
describe('sni-host against a private dbus-daemon', () => {
  let dir = '';
  let daemon: ChildProcess | null = null;
  let address = '';
  let bus: RobustBus;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dd-sni-'));
    daemon = spawn(
      DBUS_DAEMON,
      [
        '--session',
        '--nofork',
        '--nopidfile',
        '--print-address=1',
        `--address=unix:path=${dir}/bus`,
      ],
      // stderr is kept for the error below: dbus-daemon warns about fd limits as non-root.
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let errors = '';
    daemon.stderr?.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    address = await new Promise<string>((resolve, reject) => {
      let out = '';
      daemon?.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('\n')) resolve(out.trim());
      });
      daemon?.once('exit', (code) =>
        reject(new Error(`dbus-daemon exited ${String(code)}: ${errors}`)),
      );
    });
    bus = new RobustBus({ address });
    await bus.start();
  });

  afterAll(async () => {
    bus?.close();
    daemon?.kill('SIGTERM');
    await rm(dir, { recursive: true, force: true });
  });

  it('sees no tray, then a watcher with a host appearing, then it going away', async () => {
    expect(bus.state).toBe('up');
    await expect(checkSniHost(bus)).resolves.toEqual({ available: false, reason: 'no-watcher' });

    const seen: SniHostStatus[] = [];
    const stop = await watchSniHost(bus, (s) => seen.push(s));

    class Watcher extends dbus.interface.Interface {
      IsStatusNotifierHostRegistered = true;
    }
    Watcher.configureMembers({
      properties: { IsStatusNotifierHostRegistered: { signature: 'b', access: 'read' } },
    });
    const panel = dbus.sessionBus({ busAddress: address });
    panel.export('/StatusNotifierWatcher', new Watcher(SNI_WATCHER));
    await panel.requestName(SNI_WATCHER, 0);

    await expect(checkSniHost(bus)).resolves.toEqual({ available: true });
    await expect.poll(() => seen.at(-1)).toEqual({ available: true });

    panel.disconnect();
    await expect.poll(() => seen.at(-1)).toEqual({ available: false, reason: 'no-watcher' });
    stop();
  });
});
