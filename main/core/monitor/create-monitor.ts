// Builds the production monitor: one RobustBus on the session bus, the unit service on it, and
// a snapshot rebuilt and published whenever a source changes (coalesced to one per tick).
import type { Entry, Snapshot } from '../../../preload/contract.js';
import { fail } from '../errors.js';
import { RobustBus, sessionBusAddress } from '../systemd/bus.js';
import { unitEntry } from '../systemd/unit-model.js';
import { UnitService } from '../systemd/unit-service.js';
import type { Monitor } from './monitor.js';

export interface SystemdMonitorOptions {
  /** A D-Bus address; defaults to the session bus named by `env`. */
  busAddress?: string | null;
  env?: NodeJS.ProcessEnv;
  callTimeoutMs?: number;
  jobTimeoutMs?: number;
}

export interface SystemdMonitor extends Monitor {
  readonly units: UnitService;
  readonly bus: RobustBus;
  /** Resolves once the current sync (if any) is done: for tests and the CLI. */
  settled(): Promise<void>;
}

export function byStateThenName(a: Entry, b: Entry): number {
  const rank = (e: Entry) => (e.state === 'failed' ? 0 : 1);
  return rank(a) - rank(b) || a.name.localeCompare(b.name);
}

export function createSystemdMonitor(opts: SystemdMonitorOptions = {}): SystemdMonitor {
  const address =
    opts.busAddress !== undefined ? opts.busAddress : sessionBusAddress(opts.env ?? process.env);
  const bus = new RobustBus({
    address,
    ...(opts.callTimeoutMs ? { callTimeoutMs: opts.callTimeoutMs } : {}),
  });
  const units = new UnitService(bus, opts.jobTimeoutMs ? { jobTimeoutMs: opts.jobTimeoutMs } : {});
  const listeners = new Set<(s: Snapshot) => void>();
  let version = 0;
  let current: Snapshot = build();
  let scheduled = false;

  function build(): Snapshot {
    const entries = units.units().map(unitEntry).sort(byStateThenName);
    return {
      version: ++version,
      generatedAt: new Date().toISOString(),
      entries,
      sources: { systemd: units.status },
    };
  }

  function publish(): void {
    scheduled = false;
    current = build();
    for (const l of listeners) l(current);
  }

  units.onChange(() => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(publish);
  });

  return {
    units,
    bus,
    async start() {
      await units.attach();
      await bus.start();
      await units.settled();
      publish();
    },
    stop() {
      units.detach();
      bus.close();
      return Promise.resolve();
    },
    settled: () => units.settled(),
    snapshot: () => current,
    onSnapshot(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async act(id, action) {
      if (!id.startsWith('systemd:') && id.includes(':')) {
        return fail('invalid-input', `"${id}" is not an entry Daemon Deck knows how to ${action}.`);
      }
      return units.act(id, action);
    },
    unitDetail: (id) => units.detail(id),
  };
}
