// The alerts channels (issue 6) mapped onto CrashAlerts and its CrashHistory.
import { alertsChannels } from '../../../contract/areas/alerts.js';
import type { OpsOf } from '../../../contract/channel.js';
import type { CrashHistory } from '../monitor/crash-history.js';
import type { CrashAlerts } from '../notify/crash-alerts.js';
import { ok } from '../errors.js';
import { createHandlers } from './handlers.js';

/** What the alerts channels use: the running CrashAlerts and the crash history. */
export interface AlertsDeps {
  alerts: Pick<CrashAlerts, 'state' | 'setPaused' | 'mute'>;
  history: Pick<CrashHistory, 'of' | 'flapping'>;
}

function alertsOps({ alerts, history }: AlertsDeps): OpsOf<typeof alertsChannels> {
  return {
    getAlerts: () => ok(alerts.state()),
    setAlertsPaused: ({ paused }) => ok(alerts.setPaused(paused)),
    muteAlerts: ({ id, minutes }) =>
      ok(alerts.mute(id, minutes === null ? null : minutes * 60_000)),
    getCrashHistory: ({ id }) =>
      ok({ id, records: history.of(id), flapping: history.flapping(id) }),
  };
}

export function createAlertsHandlers(deps: AlertsDeps | undefined) {
  return createHandlers(
    alertsChannels,
    deps && alertsOps(deps),
    'Crash alerts are not available in this window.',
  );
}
