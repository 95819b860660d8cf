// The user's other machines as the app keeps them (issue 17): for each host in settings, its own
// connection (openSshHost), its own monitor built from the same core code as this machine's (the
// systemd source over the far bus through systemd-stdio-bridge, the @reboot and autostart sources
// through the host), its state (connected, connecting, unreachable and why), the last entries
// read (kept, and shown stale, while it is out of reach) and the crashes it alerted.
//
// Each host lives on its own: nothing here awaits one host on behalf of another or of this
// machine, every step that talks to a host has a deadline, and a lost connection is torn down and
// made again with backoff (retryAt says when) while the last entries stay. Crash alerts of a far
// host go through this machine's notifier (the same CrashAlerts as here), name the host and show
// the unit's last log lines, read there.
import { t } from '../../../i18n/index.js';
import type { ActionOutcome, Entry, EntryAction, Result, Snapshot } from '../model/domain.js';
import type { FarHostView, HostState, HostsView } from '../model/hosts.js';
import { AppFailure, appError, fail, ok, toAppError } from '../errors.js';
import { createStartup } from '../autostart/startup-service.js';
import {
  createMonitor,
  createSystemdSource,
  type SystemdMonitor,
} from '../monitor/create-monitor.js';
import {
  CrashAlerts,
  type AlertsMonitor,
  type CrashAlertsOptions,
} from '../notify/crash-alerts.js';
import { crashLogLines } from '../notify/create-crash-alerts.js';
import { deadline } from '../deadline.js';
import type { Notifier } from '../notify/notifications.js';
import type { KeyValueBackend, SettingsStore } from '../settings/settings.js';
import { ExitTracker } from '../systemd/exit-tracker.js';
import { addHost, openSshHost, readHosts, removeHost, type HostEntry } from './hosts.js';
import type { SshHost } from './ssh-host.js';
import type { SetupDeps } from '../setup/export.js';
import { setupDepsOver } from '../setup/setup-service.js';
import { AuthoringService } from '../systemd/authoring-service.js';
import type { ProcessService } from '../processes/process-service.js';
import { hostAdoptUndos } from '../processes/adopt-undos.js';
import { openFarProcessService } from './far-control.js';
import { farRules } from './far-rules.js';

export interface FarHostsOptions {
  /** Settings: the hosts list (`hosts`), followed while the app runs. */
  backend: KeyValueBackend;
  /** This machine's environment (where ssh runs, its runtime folder). */
  env: NodeJS.ProcessEnv;
  /** Pause and mutes of crash alerts. */
  settings: SettingsStore;
  /** Crash alerts of far hosts through this machine's notifier; absent, none are watched. */
  alerts?: Pick<CrashAlertsOptions, 'fallback' | 'staleMs' | 'clock'> & { notifier: Notifier };
  /** Opens a host (tests may wrap it); default openSshHost with these settings. */
  open?: (name: string) => Promise<SshHost>;
  /** How long a connection (the SSH probe) may take before the host counts as unreachable. */
  connectTimeoutMs?: number;
  /** How long the first read of a host's entries may take. */
  loadTimeoutMs?: number;
  /** How long an action on a far entry may take. */
  actTimeoutMs?: number;
  /** D-Bus call deadline on a far bus. */
  callTimeoutMs?: number;
  /**
   * How often a connected host is asked a trivial question (the bus's GetId) and how long it may
   * take: a connection that stopped answering (a frozen host, a link gone dead without a reset)
   * is torn down and made again long before SSH's own keepalive would notice.
   */
  heartbeatMs?: number;
  heartbeatTimeoutMs?: number;
  /** Reconnection backoff: the first delay, doubled each failure up to the last. */
  backoffInitialMs?: number;
  backoffMaxMs?: number;
  /** How often settings are looked at for hosts added or removed elsewhere (the CLI). */
  settingsPollMs?: number;
  /** Poll interval of a far host's @reboot and autostart sources. */
  startupPollMs?: number;
  clock?: () => number;
}

/** A far host's core: what reads its entries and acts on them. */
interface FarCore {
  host: SshHost;
  monitor: SystemdMonitor;
  exits: ExitTracker;
  /** Units, logs and authoring on that host, over this connection. */
  authoring: AuthoringService;
  offs: Array<() => void>;
  /** A heartbeat is waiting for its answer. */
  beating: boolean;
}

function messageOf(err: unknown): string {
  return err instanceof AppFailure ? err.error.message : toAppError(err).message;
}

/** One far host: its connection, core, state and last entries. */
class FarHostLink {
  state: HostState = 'connecting';
  reason: string | null = null;
  updatedAt: string | null = null;
  retryAt: number | null = null;
  entries: Entry[] = [];
  unseenCrashes = 0;
  /** The far core while connected (or while its first load runs). */
  core: FarCore | null = null;
  /** Bumped on every (re)connection and on close: late answers of an older one are dropped. */
  #generation = 0;
  #attempt = 0;
  #timer: NodeJS.Timeout | null = null;
  #closed = false;
  #connecting: Promise<void> | null = null;
  /** The last snapshot of the far monitor, kept across connections (crash alerts compare). */
  #snapshot: Snapshot = {
    version: 0,
    generatedAt: new Date(0).toISOString(),
    entries: [],
    sources: { systemd: { status: 'connecting' } },
  };
  readonly #snapshotListeners = new Set<(s: Snapshot) => void>();
  readonly #actListeners = new Set<(id: string, action: EntryAction) => void>();
  readonly alerts: CrashAlerts | null;

  constructor(
    public entry: HostEntry,
    private readonly o: Required<
      Omit<FarHostsOptions, 'alerts' | 'open' | 'backend' | 'env' | 'settings'>
    > &
      Pick<FarHostsOptions, 'alerts' | 'settings'> & { open: (name: string) => Promise<SshHost> },
    private readonly changed: () => void,
  ) {
    // Crash alerts watch a monitor that outlives each connection: the last entries are kept, so
    // a unit that crashed while the host was out of reach is seen failed on the next snapshot.
    this.alerts =
      o.alerts === undefined
        ? null
        : new CrashAlerts({
            monitor: this.#alertsMonitor(),
            notifier: o.alerts.notifier,
            settings: o.settings,
            host: entry.name,
            lastExit: (id) =>
              id.startsWith('systemd:') ? (this.core?.exits.lastExit(id.slice(8)) ?? null) : null,
            // The unit's last lines on that host, read over the connection of the moment.
            logs: crashLogLines(() => this.core?.authoring ?? null, o.settings),
            ...(o.alerts.fallback ? { fallback: o.alerts.fallback } : {}),
            ...(o.alerts.staleMs !== undefined ? { staleMs: o.alerts.staleMs } : {}),
            ...(o.alerts.clock ? { clock: o.alerts.clock } : {}),
          });
    if (this.alerts !== null) {
      this.alerts.onCrash(() => {
        this.unseenCrashes++;
        this.changed();
      });
      this.alerts.start();
    }
  }

  #alertsMonitor(): AlertsMonitor {
    return {
      snapshot: () => this.#snapshot,
      onSnapshot: (l) => {
        this.#snapshotListeners.add(l);
        return () => this.#snapshotListeners.delete(l);
      },
      onAct: (l) => {
        this.#actListeners.add(l);
        return () => this.#actListeners.delete(l);
      },
      act: (id, action) => this.act(id, action),
      unitDetail: (id) =>
        this.core === null
          ? Promise.resolve({ ok: false, error: this.#unreachable() })
          : this.core.monitor.unitDetail(id),
    };
  }

  view(): FarHostView {
    return {
      name: this.entry.name,
      destination: this.entry.destination,
      state: this.state,
      reason: this.reason,
      updatedAt: this.updatedAt,
      retryAt: this.retryAt === null ? null : new Date(this.retryAt).toISOString(),
      entries: this.entries,
      unseenCrashes: this.unseenCrashes,
    };
  }

  /** Connects now (a retry waiting is dropped); resolves once this attempt has an outcome. */
  connect(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    if (this.#connecting !== null) return this.#connecting;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    this.#connecting = this.#connect().finally(() => (this.#connecting = null));
    return this.#connecting;
  }

  async #connect(): Promise<void> {
    const generation = ++this.#generation;
    const name = this.entry.name;
    this.#set('connecting', this.reason);
    this.retryAt = null;
    let host: SshHost;
    try {
      host = await deadline(
        this.o.open(name),
        this.o.connectTimeoutMs,
        () =>
          new AppFailure(
            appError(
              'host-unreachable',
              t('hosts:errors.unreachable', {
                name,
                reason: t('hosts:reason.connectTimeout', {
                  seconds: Math.round(this.o.connectTimeoutMs / 1000),
                }),
              }),
            ),
          ),
      );
    } catch (err) {
      if (generation === this.#generation) this.#failed(messageOf(err));
      return;
    }
    if (generation !== this.#generation) {
      // Removed or reconnected meanwhile: this connection is no one's.
      void host.close().catch(() => undefined);
      return;
    }
    let core: FarCore;
    try {
      core = this.#build(host);
    } catch (err) {
      if (generation === this.#generation) this.#failed(messageOf(err));
      return;
    }
    try {
      await deadline(
        core.monitor.start(),
        this.o.loadTimeoutMs,
        () =>
          new AppFailure(
            appError(
              'timeout',
              t('hosts:reason.loadTimeout', {
                name,
                seconds: Math.round(this.o.loadTimeoutMs / 1000),
              }),
            ),
          ),
      );
    } catch (err) {
      await this.#teardown(core);
      if (generation === this.#generation) this.#failed(messageOf(err));
      return;
    }
    if (generation !== this.#generation) {
      await this.#teardown(core);
      return;
    }
    if (core.monitor.bus.state !== 'up') {
      await this.#teardown(core);
      this.#failed(this.#busReason(core));
      return;
    }
    this.core = core;
    this.#attempt = 0;
    // From now on a bus lost is a connection lost: torn down, made again at once.
    core.offs.push(
      core.monitor.bus.onState((s) => {
        if (s === 'up' || this.core !== core) return;
        void this.#lost(core);
      }),
      host.onState((s) => {
        if (s === 'unreachable' && this.core === core) void this.#lost(core);
      }),
    );
    this.#take(core.monitor.snapshot());
    core.offs.push(core.monitor.onSnapshot((s) => this.#take(s)));
    const beat = setInterval(() => void this.#heartbeat(core), this.o.heartbeatMs);
    beat.unref();
    core.offs.push(() => clearInterval(beat));
  }

  /** One trivial question to the far bus; no answer in time is a connection lost. */
  async #heartbeat(core: FarCore): Promise<void> {
    if (core.beating || this.core !== core) return;
    core.beating = true;
    try {
      await core.monitor.bus.call(
        {
          destination: 'org.freedesktop.DBus',
          path: '/org/freedesktop/DBus',
          interface: 'org.freedesktop.DBus',
          member: 'GetId',
        },
        this.o.heartbeatTimeoutMs,
      );
    } catch {
      if (this.core === core)
        await this.#lost(
          core,
          t('hosts:errors.unreachable', {
            name: this.entry.name,
            reason: t('hosts:reason.connectTimeout', {
              seconds: Math.round(this.o.heartbeatTimeoutMs / 1000),
            }),
          }),
        );
    } finally {
      core.beating = false;
    }
  }

  #build(host: SshHost): FarCore {
    const systemd = createSystemdSource({
      host,
      env: host.env,
      callTimeoutMs: this.o.callTimeoutMs,
    });
    const startup = createStartup({
      host,
      // This machine's processes are none of the far host's.
      processes: () => [],
      pollMs: this.o.startupPollMs,
    });
    const monitor = createMonitor(systemd, startup.sources);
    const exits = new ExitTracker(systemd.bus);
    if (this.alerts !== null) exits.start();
    const authoring = new AuthoringService({
      bus: monitor.bus,
      units: monitor.units,
      env: host.env,
      host,
    });
    const offs = [monitor.onAct((id, action) => this.#noteAct(id, action))];
    return { host, monitor, exits, authoring, offs, beating: false };
  }

  #noteAct(id: string, action: EntryAction): void {
    for (const l of this.#actListeners) l(id, action);
  }

  #take(s: Snapshot): void {
    this.#snapshot = s;
    this.entries = s.entries;
    this.updatedAt = new Date(this.o.clock()).toISOString();
    const systemd = s.sources.systemd;
    this.#set('connected', systemd.status === 'unavailable' ? systemd.error.message : null);
    for (const l of this.#snapshotListeners) l(s);
  }

  /** Why the bus is not there: the SSH failure, the bus that ended, or the bus not answering. */
  #busReason(core: FarCore, wasUp = false): string {
    if (core.host.state === 'unreachable' && core.host.lastError !== null)
      return core.host.lastError.message;
    const name = this.entry.name;
    if (wasUp) return t('hosts:errors.bridgeEnded', { name });
    const detail = core.monitor.bus.lastError;
    return t('hosts:reason.noBus', { name, detail: detail ?? t('hosts:errors.noAnswer') });
  }

  /** The connection went away: keep the entries, tear the core down, connect again at once. */
  async #lost(core: FarCore, why?: string): Promise<void> {
    if (this.core !== core || this.#closed) return;
    this.core = null;
    const reason = why ?? this.#busReason(core, true);
    this.#set('connecting', reason);
    await this.#teardown(core);
    if (this.#closed || this.core !== null) return;
    await this.connect();
  }

  async #teardown(core: FarCore): Promise<void> {
    for (const off of core.offs.splice(0)) off();
    core.exits.stop();
    await core.monitor.stop().catch(() => undefined);
  }

  #failed(reason: string): void {
    const delay = Math.min(this.o.backoffMaxMs, this.o.backoffInitialMs * 2 ** this.#attempt);
    this.#attempt++;
    this.retryAt = this.o.clock() + delay;
    this.#set('unreachable', reason);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.connect();
    }, delay);
    this.#timer.unref();
  }

  #set(state: HostState, reason: string | null): void {
    if (state !== 'unreachable') this.retryAt = null;
    this.state = state;
    this.reason = reason;
    this.changed();
  }

  #unreachable() {
    return appError(
      'host-unreachable',
      this.state === 'unreachable' && this.reason !== null
        ? this.reason
        : t('hosts:errors.notConnected', { name: this.entry.name }),
    );
  }

  /** The far core while connected, or the words that say why there is none. */
  reachable(): Result<FarCore> {
    return this.core === null ? { ok: false, error: this.#unreachable() } : ok(this.core);
  }

  /** An action on one of this host's entries; out of reach, it fails in words at once. */
  async act(id: string, action: EntryAction): Promise<Result<ActionOutcome>> {
    const core = this.core;
    if (core === null) return { ok: false, error: this.#unreachable() };
    try {
      return await deadline(
        core.monitor.act(id, action),
        this.o.actTimeoutMs,
        () =>
          new AppFailure(
            appError(
              'timeout',
              t('hosts:reason.actTimeout', {
                name: this.entry.name,
                seconds: Math.round(this.o.actTimeoutMs / 1000),
              }),
            ),
          ),
      );
    } catch (err) {
      return { ok: false, error: toAppError(err) };
    }
  }

  seen(): void {
    this.unseenCrashes = 0;
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#generation++;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    this.alerts?.stop();
    const core = this.core;
    this.core = null;
    if (core !== null) {
      await this.#teardown(core);
      await core.host.close().catch(() => undefined);
    }
  }
}

export class FarHosts {
  readonly #links = new Map<string, FarHostLink>();
  readonly #listeners = new Set<(v: HostsView) => void>();
  readonly #o: FarHostsOptions;
  readonly #linkOpts: ConstructorParameters<typeof FarHostLink>[1];
  #version = 0;
  #scheduled = false;
  #poll: NodeJS.Timeout | null = null;
  #known = '';
  #started = false;

  constructor(opts: FarHostsOptions) {
    this.#o = opts;
    this.#linkOpts = {
      connectTimeoutMs: opts.connectTimeoutMs ?? 30_000,
      loadTimeoutMs: opts.loadTimeoutMs ?? 30_000,
      actTimeoutMs: opts.actTimeoutMs ?? 60_000,
      callTimeoutMs: opts.callTimeoutMs ?? 10_000,
      heartbeatMs: opts.heartbeatMs ?? 15_000,
      heartbeatTimeoutMs: opts.heartbeatTimeoutMs ?? 10_000,
      backoffInitialMs: opts.backoffInitialMs ?? 1_000,
      backoffMaxMs: opts.backoffMaxMs ?? 60_000,
      settingsPollMs: opts.settingsPollMs ?? 5_000,
      startupPollMs: opts.startupPollMs ?? 30_000,
      clock: opts.clock ?? Date.now,
      settings: opts.settings,
      ...(opts.alerts !== undefined ? { alerts: opts.alerts } : {}),
      open: opts.open ?? ((name) => openSshHost(name, { backend: opts.backend, env: opts.env })),
    };
  }

  /** Opens every host in settings and follows the list. Returns at once. */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.#sync();
    this.#poll = setInterval(() => this.#sync(), this.#linkOpts.settingsPollMs);
    this.#poll.unref();
  }

  async stop(): Promise<void> {
    this.#started = false;
    if (this.#poll !== null) clearInterval(this.#poll);
    this.#poll = null;
    const links = [...this.#links.values()];
    this.#links.clear();
    await Promise.all(links.map((l) => l.close()));
  }

  /** Makes the links match the hosts in settings (added, removed, destination changed). */
  #sync(): void {
    const hosts = readHosts(this.#o.backend);
    const key = JSON.stringify(hosts);
    if (key === this.#known) return;
    this.#known = key;
    const wanted = new Map(hosts.map((h) => [h.name, h]));
    for (const [name, link] of [...this.#links]) {
      const want = wanted.get(name);
      if (want === undefined || want.destination !== link.entry.destination) {
        this.#links.delete(name);
        void link.close();
      }
    }
    const next = new Map<string, FarHostLink>();
    for (const h of hosts) {
      let link = this.#links.get(h.name);
      if (link === undefined) {
        link = new FarHostLink(h, this.#linkOpts, () => this.#changed());
        if (this.#started) void link.connect();
      }
      next.set(h.name, link);
    }
    // Settings order.
    this.#links.clear();
    for (const [name, link] of next) this.#links.set(name, link);
    this.#changed();
  }

  #changed(): void {
    this.#version++;
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      const view = this.view();
      for (const l of this.#listeners) l(view);
    });
  }

  view(): HostsView {
    return { version: this.#version, hosts: [...this.#links.values()].map((l) => l.view()) };
  }

  onChange(listener: (v: HostsView) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The link of a host in settings, or the error that says it is not there. */
  #link(name: string): Result<FarHostLink> {
    this.#sync();
    const link = this.#links.get(name);
    return link === undefined
      ? fail('invalid-input', t('hosts:errors.unknown', { name }))
      : ok(link);
  }

  /** The crash alerts of one host (tests, and the tray's actions). */
  alertsOf(name: string): CrashAlerts | null {
    return this.#links.get(name)?.alerts ?? null;
  }

  async act(name: string, id: string, action: EntryAction): Promise<Result<ActionOutcome>> {
    const link = this.#link(name);
    if (!link.ok) return link;
    return link.value.act(id, action);
  }

  /**
   * What a setup import needs of a connected host (issue 17, "Copy to host..."): its Host, units
   * and unit authoring over its connection, its crontab(1), and the watch rules of that user's
   * own settings.json (far-rules.ts), changed there under its lock. Unknown or out of reach:
   * refused in words.
   */
  setupDeps(name: string): Promise<Result<SetupDeps>> {
    return this.#overCore(name, ({ host, monitor }) => setupDepsOver(host, monitor));
  }

  /** `fn` over a connected host's core; unknown, out of reach or failing: refused in words. */
  async #overCore<T>(
    name: string,
    fn: (core: FarCore, link: FarHostLink) => Promise<T>,
  ): Promise<Result<T>> {
    const link = this.#link(name);
    if (!link.ok) return link;
    const core = link.value.reachable();
    if (!core.ok) return core;
    try {
      return ok(await fn(core.value, link.value));
    } catch (err) {
      return { ok: false, error: toAppError(err) };
    }
  }

  /**
   * A process service of a connected host, its table read now (one round trip): its strays,
   * and Adopt there (issue 17), the unit written through that host's authoring and acted on
   * through its link (with its deadline), the Undo records kept on that host (adopt-undos.ts),
   * so an Undo made through another service, or the CLI's `--host`, finds them. Unknown or out
   * of reach: refused in words.
   */
  processes(name: string): Promise<Result<ProcessService>> {
    return this.#overCore(name, ({ host, authoring }, link) =>
      openFarProcessService(host, farRules(host), {
        authoring,
        unitAct: (id, action) => link.act(id, action),
        undoStore: hostAdoptUndos(host),
      }),
    );
  }

  async reconnect(name: string): Promise<Result<FarHostView>> {
    const link = this.#link(name);
    if (!link.ok) return link;
    if (link.value.state !== 'connected') await link.value.connect();
    return ok(link.value.view());
  }

  add(name: string, destination: string): Result<HostsView> {
    try {
      addHost(this.#o.backend, name, destination);
    } catch (err) {
      return { ok: false, error: toAppError(err) };
    }
    this.#sync();
    return ok(this.view());
  }

  remove(name: string): Result<HostsView> {
    try {
      removeHost(this.#o.backend, name);
    } catch (err) {
      return { ok: false, error: toAppError(err) };
    }
    this.#sync();
    return ok(this.view());
  }

  markSeen(name: string): Result<HostsView> {
    const link = this.#link(name);
    if (!link.ok) return link;
    link.value.seen();
    this.#changed();
    return ok(this.view());
  }
}
