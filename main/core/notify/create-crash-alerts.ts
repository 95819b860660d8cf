// Wires crash alerts onto a core: a Notifier on the monitor's own session bus, the persisted
// crash history, and the CrashAlerts service (its IPC channels map onto `alerts` and `history`). createCore calls it
// for every core; only a core that asks for notifications (the app, the e2e transport) starts
// watching: the CLI's one-shot commands read history and mutes but never alert or record.
// (The Electron shell passes `fallback` = Electron's Notification and `onShowLogs` = open the
// detail window on Logs; the core never imports electron.)
import { CrashHistory } from '../monitor/crash-history.js';
import type { KeyValueBackend, SettingsStore } from '../settings/settings.js';
import type { AuthoringService } from '../systemd/authoring-service.js';
import type { Bus } from '../systemd/bus.js';
import { ExitTracker } from '../systemd/exit-tracker.js';
import { CrashAlerts, type AlertsMonitor, type CrashAlertsOptions } from './crash-alerts.js';
import { BusNotifier, type Notifier } from './notifications.js';

export interface CrashAlertsWiring {
  alerts: CrashAlerts;
  history: CrashHistory;
  notifier: BusNotifier;
  /** True when crashes are watched (and notified). */
  readonly watching: boolean;
  /** Resolves once the notifier listens for actions (at once when not watching). */
  ready: Promise<void>;
  stop(): void;
}

export type CrashAlertsHooks = Pick<
  CrashAlertsOptions,
  'logs' | 'onShowLogs' | 'fallback' | 'staleMs' | 'clock'
> & {
  /**
   * Where notifications go instead of the session bus's server (the e2e transport records
   * them: a Notify on a bare test bus would D-Bus-activate whatever server is installed).
   */
  notifier?: Notifier;
};

/**
 * The `logs` of a CrashAlerts: the last `alerts.logLines` lines (settings, read at each crash) of
 * a systemd unit, through `authoring` (that of this machine or of a far host's connection;
 * null: none now). Other entries, 0 lines or a failed read: none.
 */
export function crashLogLines(
  authoring: () => Pick<AuthoringService, 'logs'> | null,
  settings: SettingsStore,
): (id: string) => Promise<string[]> {
  return async (id) => {
    const lines = settings.get().alerts.logLines;
    const from = authoring();
    if (lines === 0 || !id.startsWith('systemd:') || from === null) return [];
    const r = await from.logs(id, { lines });
    return r.ok ? r.value.lines.map((l) => l.message) : [];
  };
}

export function wireCrashAlerts(
  opts: {
    monitor: AlertsMonitor;
    bus: Bus;
    backend: KeyValueBackend;
    settings: SettingsStore;
    /** Watch for crashes and notify (false: history, mutes and pause only). */
    watch: boolean;
  } & CrashAlertsHooks,
): CrashAlertsWiring {
  const notifier = new BusNotifier(opts.bus);
  const history = new CrashHistory(opts.backend);
  // Each service's exit as it happens: asked later, a Restart= unit may already run again.
  const exits = new ExitTracker(opts.bus);
  const alerts = new CrashAlerts({
    ...opts,
    notifier: opts.notifier ?? notifier,
    history,
    lastExit: (id) => (id.startsWith('systemd:') ? exits.lastExit(id.slice(8)) : null),
  });
  let ready: Promise<void> = Promise.resolve();
  if (opts.watch) {
    exits.start();
    // attach() only registers the match rule until the bus is up (RobustBus adds it on every
    // connect), so it settles at once before the monitor has started.
    if (opts.notifier === undefined) ready = notifier.attach();
    alerts.start();
  }
  return {
    alerts,
    history,
    notifier,
    watching: opts.watch,
    ready,
    stop() {
      alerts.stop();
      exits.stop();
      notifier.detach();
    },
  };
}
