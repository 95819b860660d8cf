// The named API methods of the alerts area over a transport.
import type { Transport } from '../api.js';
import type { AlertsApi } from '../../contract/areas/alerts.js';

export function createAlertsApi(transport: Transport): AlertsApi {
  return {
    getAlerts: () => transport.invoke('alerts:get', null),
    setAlertsPaused: (paused) => transport.invoke('alerts:pause', { paused }),
    muteAlerts: (id, minutes) => transport.invoke('alerts:mute', { id, minutes }),
    getCrashHistory: (id) => transport.invoke('alerts:history', { id }),
  };
}
