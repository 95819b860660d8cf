// One call that wires crash alerts onto a running core: a Notifier on the monitor's own session
// bus, the persisted crash history, the CrashAlerts service and the ops its IPC handlers need.
// (The Electron shell passes `fallback` = Electron's Notification and `onShowLogs` = open the
// detail window on Logs; the core never imports electron.)
import { alertsOps, type AlertsOps } from '../api/alerts-handlers.js';
import { CrashHistory } from '../monitor/crash-history.js';
import type { KeyValueBackend } from '../settings/settings.js';
import type { Bus } from '../systemd/bus.js';
import { CrashAlerts, type AlertsMonitor, type CrashAlertsOptions } from './crash-alerts.js';
import { BusNotifier } from './notifications.js';

export interface CrashAlertsWiring {
  alerts: CrashAlerts;
  history: CrashHistory;
  notifier: BusNotifier;
  /** For IpcTableDeps.alerts. */
  ops: AlertsOps;
  stop(): void;
}

export async function startCrashAlerts(
  opts: { monitor: AlertsMonitor; bus: Bus; backend: KeyValueBackend } & Pick<
    CrashAlertsOptions,
    'logs' | 'onShowLogs' | 'fallback' | 'staleMs'
  >,
): Promise<CrashAlertsWiring> {
  const notifier = new BusNotifier(opts.bus);
  await notifier.attach();
  const history = new CrashHistory(opts.backend);
  const alerts = new CrashAlerts({ ...opts, notifier, history });
  alerts.start();
  return {
    alerts,
    history,
    notifier,
    ops: alertsOps(alerts, history),
    stop() {
      alerts.stop();
      notifier.detach();
    },
  };
}
