// Builds the monitor: the systemd source (one RobustBus on the session bus and the unit service
// on it) plus any other entry sources, merged into one snapshot that is rebuilt and published
// whenever a source changes (coalesced to one per event-loop turn).
import type { Entry, EntryAction, Snapshot, SourceName } from '../model/domain.js';
import { byNameQuick } from '../../../i18n/name-order.js';
import type { Host } from '../host/host.js';
import { RobustBus, sessionBusAddress } from '../systemd/bus.js';
import { unitEntry } from '../systemd/unit-model.js';
import { UnitService } from '../systemd/unit-service.js';
import type { UnitFilesMemo } from '../systemd/unit-files-memo.js';
import type { Monitor } from './monitor.js';
import type { EntrySource } from './source.js';
import { cannot, sourceOfId } from './entry-verbs.js';

export interface SystemdMonitorOptions {
  /** A D-Bus address; defaults to the session bus named by `env`. */
  busAddress?: string | null;
  env?: NodeJS.ProcessEnv;
  /** The machine: another host (issue 17) brings its own way to its bus (Host.openBus). */
  host?: Host;
  callTimeoutMs?: number;
  jobTimeoutMs?: number;
  /** How often running units' processes are re-read besides their signals. */
  pidsRefreshMs?: number;
  /** The unit-file list remembered across runs (UnitServiceOptions.unitFilesMemo). */
  unitFilesMemo?: UnitFilesMemo;
  /** Sources besides systemd (processes, sessions, cron, autostart). */
  sources?: EntrySource[];
}

export interface SystemdSource extends EntrySource {
  readonly units: UnitService;
  readonly bus: RobustBus;
  /**
   * Resolves once the first load's requests are all written to the manager (the unit-file list
   * last), or start() is done: the CLI starts this source first and does the rest of its work
   * while the manager answers (UnitService.loadRequested).
   */
  requested(): Promise<void>;
}

export interface SystemdMonitor extends Monitor {
  /** Starts only the named sources (the CLI acting on one id needs only its owner). */
  start(only?: readonly SourceName[]): Promise<void>;
  readonly units: UnitService;
  readonly bus: RobustBus;
  readonly sources: readonly EntrySource[];
  /** Resolves once every source's current sync is done: for tests and the CLI. */
  settled(): Promise<void>;
  /** Told before every action asked through this monitor (crash alerts: a stop is no crash). */
  onAct(listener: (id: string, action: EntryAction) => void): () => void;
}

/** Failed first, then by name in the collator's order (byNameQuick: no collator for plain names). */
export function byStateThenName(a: Entry, b: Entry): number {
  const rank = (e: Entry) => (e.state === 'failed' ? 0 : 1);
  return rank(a) - rank(b) || byNameQuick(a.name, b.name);
}

export function createSystemdSource(opts: SystemdMonitorOptions = {}): SystemdSource {
  const address =
    opts.busAddress !== undefined ? opts.busAddress : sessionBusAddress(opts.env ?? process.env);
  const open = opts.host?.openBus;
  const bus = new RobustBus({
    address,
    ...(open !== undefined ? { open } : {}),
    ...(opts.callTimeoutMs ? { callTimeoutMs: opts.callTimeoutMs } : {}),
  });
  const units = new UnitService(bus, {
    ...(opts.jobTimeoutMs ? { jobTimeoutMs: opts.jobTimeoutMs } : {}),
    ...(opts.pidsRefreshMs ? { pidsRefreshMs: opts.pidsRefreshMs } : {}),
    ...(opts.unitFilesMemo ? { unitFilesMemo: opts.unitFilesMemo } : {}),
  });
  // One start however often it is asked for (the CLI starts it before the core around it).
  let starting: Promise<void> | null = null;
  const start = async () => {
    await units.attach();
    await bus.start();
    await units.settled();
  };
  return {
    name: 'systemd',
    prefixes: ['systemd:'],
    units,
    bus,
    start: () => (starting ??= start()),
    // The bus writes a turn's messages together at the turn's end: they are sent after it.
    requested: () =>
      Promise.race([units.loadRequested(), starting ?? Promise.resolve()]).then(
        () => new Promise<void>((resolve) => setImmediate(resolve)),
      ),
    stop() {
      starting = null;
      units.detach();
      bus.close();
      return Promise.resolve();
    },
    settled: () => units.settled(),
    entries: () => units.units().map(unitEntry),
    status: () => units.status,
    onChange: (listener) => units.onChange(listener),
    act: (id, action) => units.act(id, action),
  };
}

export function createSystemdMonitor(opts: SystemdMonitorOptions = {}): SystemdMonitor {
  return createMonitor(createSystemdSource(opts), opts.sources ?? []);
}

/** The monitor over a systemd source and any others (built by main/core/app.ts). */
export function createMonitor(systemd: SystemdSource, others: EntrySource[]): SystemdMonitor {
  const sources: EntrySource[] = [systemd, ...others];
  const listeners = new Set<(s: Snapshot) => void>();
  const actListeners = new Set<(id: string, action: EntryAction) => void>();
  let version = 0;
  let current: Snapshot = build();
  let scheduled = false;
  let started: EntrySource[] = sources;

  function build(): Snapshot {
    const entries = sources.flatMap((s) => s.entries()).sort(byStateThenName);
    const statuses: Snapshot['sources'] = { systemd: systemd.status() };
    for (const s of sources)
      if (s !== systemd) statuses[s.name as Exclude<typeof s.name, 'systemd'>] = s.status();
    return {
      version: ++version,
      generatedAt: new Date().toISOString(),
      entries,
      sources: statuses,
    };
  }

  function publish(): void {
    scheduled = false;
    current = build();
    for (const l of listeners) l(current);
  }

  for (const s of sources) {
    s.onChange(() => {
      if (scheduled) return;
      scheduled = true;
      setImmediate(publish);
    });
  }

  return {
    units: systemd.units,
    bus: systemd.bus,
    sources,
    async start(only) {
      started = only === undefined ? sources : sources.filter((s) => only.includes(s.name));
      await Promise.all(started.map((s) => s.start()));
      publish();
    },
    async stop() {
      await Promise.all(started.map((s) => s.stop()));
    },
    async settled() {
      await Promise.all(sources.map((s) => s.settled()));
    },
    snapshot: () => current,
    onSnapshot(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onAct(listener) {
      actListeners.add(listener);
      return () => actListeners.delete(listener);
    },
    // The one dispatcher of entry actions (the IPC table's entries:act, the tray and the CLI):
    // an action the id's kind cannot do is refused in words that say what it can do; a bare unit
    // name (no `kind:` prefix) is a systemd unit, as the CLI promises.
    act(id, action) {
      const refused = cannot(id, action);
      if (refused !== null) return Promise.resolve({ ok: false, error: refused });
      const name = sourceOfId(id);
      const owner = sources.find((s) => s.name === name);
      if (owner === undefined)
        return Promise.resolve({
          ok: false,
          error: {
            code: 'unsupported',
            message: `${id}: the ${String(name)} source is not part of this monitor.`,
          },
        });
      for (const l of actListeners) l(id, action);
      return owner.act(id, action);
    },
    unitDetail: (id) => systemd.units.detail(id),
  };
}
