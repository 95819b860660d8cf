// A daemon-reload or daemon-reexec makes systemd send UnitRemoved for every unit, running ones
// included, between Reloading(true) and Reloading(false). The unit service must not show running
// units as stopped meanwhile (found by the manager re-exec drill: every reload flickered).
import { describe, expect, it } from 'vitest';
import type { Bus, BusSignal, BusState, CallRequest } from '../../main/core/systemd/bus.js';
import { UnitService } from '../../main/core/systemd/unit-service.js';

const MANAGER = 'org.freedesktop.systemd1.Manager';
const PATH = '/org/freedesktop/systemd1/unit/k_2eservice';

/** A bus answering the few manager calls a resync makes, with one running service. */
class FakeBus implements Bus {
  readonly state: BusState = 'up';
  readonly lastError = null;
  active = 'active';
  #signals = new Set<(s: BusSignal) => void>();

  call(req: CallRequest): Promise<unknown[]> {
    switch (req.member) {
      case 'Subscribe':
      case 'Reload':
        return Promise.resolve([]);
      case 'ListUnitsByPatterns':
        return Promise.resolve([
          [
            [
              'k.service',
              'K',
              'loaded',
              this.active,
              this.active === 'active' ? 'running' : 'dead',
              '',
              PATH,
            ],
          ],
        ]);
      case 'ListUnitFilesByPatterns':
        return Promise.resolve([[]]);
      case 'Get':
        return Promise.resolve([req.body?.[1] === 'MainPID' ? 4242 : 0]);
      case 'GetAll':
        return Promise.resolve([{ ActiveState: this.active }]);
      default:
        return Promise.reject(new Error(`unexpected ${req.member}`));
    }
  }
  addMatch(): Promise<void> {
    return Promise.resolve();
  }
  onSignal(listener: (s: BusSignal) => void): () => void {
    this.#signals.add(listener);
    return () => this.#signals.delete(listener);
  }
  onState(): () => void {
    return () => undefined;
  }
  close(): void {}
  emit(member: string, body: unknown[]): void {
    const s = {
      sender: ':1.1',
      path: '/org/freedesktop/systemd1',
      interface: MANAGER,
      member,
      body,
    };
    for (const l of this.#signals) l(s);
  }
}

describe('unit service across a manager reload', () => {
  it('keeps a running unit running through the UnitRemoved burst of a reload', async () => {
    const bus = new FakeBus();
    const units = new UnitService(bus);
    await units.attach();
    await units.settled();
    const state = () => units.units().find((u) => u.name === 'k.service');
    expect(state()).toMatchObject({ activeState: 'active', mainPid: 4242 });

    const seen: string[] = [];
    units.onChange(() => seen.push(state()?.activeState ?? 'gone'));
    bus.emit('Reloading', [true]);
    bus.emit('UnitRemoved', ['k.service', PATH]);
    expect(state()).toMatchObject({ activeState: 'active', mainPid: 4242 });
    bus.emit('UnitNew', ['k.service', PATH]);
    bus.emit('Reloading', [false]);
    await units.settled();
    expect(state()).toMatchObject({ activeState: 'active', mainPid: 4242 });
    expect(seen.filter((s) => s !== 'active')).toEqual([]);
  });

  it('still believes UnitRemoved outside a reload, and the resync after a reload', async () => {
    const bus = new FakeBus();
    const units = new UnitService(bus);
    await units.attach();
    await units.settled();
    bus.emit('UnitRemoved', ['k.service', PATH]);
    // Without a unit file it is gone from the list.
    expect(units.units().find((u) => u.name === 'k.service')).toBeUndefined();

    bus.emit('Reloading', [true]);
    bus.active = 'inactive';
    bus.emit('Reloading', [false]);
    await units.settled();
    expect(units.units().find((u) => u.name === 'k.service')).toMatchObject({
      activeState: 'inactive',
    });
  });
});
