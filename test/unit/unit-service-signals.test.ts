// Signal sequences of a real systemd that the unit service once got wrong, replayed on a fake bus:
// - a daemon-reload or daemon-reexec sends UnitRemoved for every unit, running ones included,
//   between Reloading(true) and Reloading(false): running units must not show as stopped
//   meanwhile (found by the manager re-exec drill: every reload flickered);
// - looking a unit up loads it for a moment (UnitNew) until systemd collects it (UnitRemoved), and
//   reading its properties by path loads it again: the service must not chase that forever
//   (found by the read-only unit folder drill: systemd and the app spun at high CPU after any
//   `systemctl --user status typo.service`);
// - a unit that is loaded and changes state before systemd's next signal dispatch is announced by
//   UnitNew alone, with no PropertiesChanged (systemd sends UnitNew in place of a unit's first change
//   signal): a oneshot that failed at once, racing a resync, stayed "activating" (found by a full
//   CI run: "reports a failed start with the exit status" timed out once).
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
  /** Units other than k.service loaded right now, with their LoadState. */
  loaded = new Map<string, string>();
  /** Names read by path (GetAll) other than k.service. */
  reads: string[] = [];
  #signals = new Set<(s: BusSignal) => void>();

  call(req: CallRequest): Promise<unknown[]> {
    switch (req.member) {
      case 'Subscribe':
      case 'Reload':
        return Promise.resolve([]);
      case 'ListUnitsByPatterns': {
        // Lists what is loaded now and never loads anything, as systemd does.
        const k = [
          'k.service',
          'K',
          'loaded',
          this.active,
          this.active === 'active' ? 'running' : 'dead',
          '',
          PATH,
        ];
        const patterns = (req.body?.[1] ?? []) as string[];
        if (patterns.length === 0 || patterns.includes('*.service')) return Promise.resolve([[k]]);
        const rows = patterns.flatMap((n) =>
          n === 'k.service'
            ? [k]
            : this.loaded.has(n)
              ? [[n, '', this.loaded.get(n), 'inactive', 'dead', '', `/unit/${n}`]]
              : [],
        );
        return Promise.resolve([rows]);
      }
      case 'ListUnitFilesByPatterns':
        return Promise.resolve([[]]);
      case 'Get':
        return Promise.resolve([req.body?.[1] === 'MainPID' ? 4242 : 0]);
      case 'GetAll':
        if (req.path !== PATH) {
          // As systemd does: reading a unit by path loads it; one nothing refers to (or that does
          // not exist) is collected again right after.
          const name = req.path.slice('/unit/'.length);
          this.reads.push(name);
          this.load(name, this.loaded.get(name) ?? 'not-found');
          return Promise.resolve([{ LoadState: 'not-found', ActiveState: 'inactive' }]);
        }
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
  /** Someone looks `name` up: loaded (UnitNew), then collected on a later turn (UnitRemoved). */
  load(name: string, loadState: string): void {
    this.loaded.set(name, loadState);
    setImmediate(() => this.emit('UnitNew', [name, `/unit/${name}`]));
    setTimeout(() => {
      this.loaded.delete(name);
      this.emit('UnitRemoved', [name, `/unit/${name}`]);
    }, 1);
  }
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

/** A UnitService attached to a fresh FakeBus and settled; `state` is k.service's record. */
async function attached() {
  const bus = new FakeBus();
  const units = new UnitService(bus);
  await units.attach();
  await units.settled();
  const state = () => units.units().find((u) => u.name === 'k.service');
  return { bus, units, state };
}

describe('unit service across a manager reload', () => {
  it('keeps a running unit running through the UnitRemoved burst of a reload', async () => {
    const { bus, units, state } = await attached();
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

  it('does not chase a looked-up unit around systemd collecting it (load, collect, read, load...)', async () => {
    const bus = new FakeBus();
    const units = new UnitService(bus);
    await units.attach();
    await units.settled();
    const turns = async () => {
      for (let i = 0; i < 20; i++) await new Promise((r) => setTimeout(r, 2));
    };
    // `systemctl --user status typo.service`: a name that does not exist.
    bus.load('typo.service', 'not-found');
    await turns();
    expect(bus.reads).toEqual([]);
    expect(units.units().map((u) => u.name)).toEqual(['k.service']);
    // An inactive instance nothing refers to: it may be read while it is loaded, but the read
    // that loads it again must not start the next round.
    bus.load('w@x.service', 'loaded');
    await turns();
    expect(bus.reads.length).toBeLessThanOrEqual(2);
    const settledReads = bus.reads.length;
    await turns();
    expect(bus.reads.length).toBe(settledReads);
  });

  it('takes the state of a unit announced by UnitNew alone, even one it already lists as loaded', async () => {
    const { bus, state } = await attached();
    expect(state()).toMatchObject({ activeState: 'active' });
    bus.active = 'failed';
    bus.emit('UnitNew', ['k.service', PATH]);
    for (let i = 0; i < 5 && state()?.activeState !== 'failed'; i++)
      await new Promise((r) => setTimeout(r, 5));
    expect(state()).toMatchObject({ activeState: 'failed', subState: 'dead' });
  });
});
