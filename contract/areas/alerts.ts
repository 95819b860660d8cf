// The alerts area of the IPC contract: its channels, what each takes and answers, and the
// named API methods; contract/ipc.ts composes every area into InvokeMap and DaemonDeckApi.
import type { Result } from '../../main/core/model/domain.js';
import type { AlertsState, CrashHistoryView } from '../../main/core/model/alerts.js';

export interface AlertsInvokeMap {
  'alerts:get': [payload: null, result: Result<AlertsState>];
  'alerts:pause': [payload: { paused: boolean }, result: Result<AlertsState>];
  /** minutes: how long; null until unmuted; 0 unmutes. */
  'alerts:mute': [payload: { id: string; minutes: number | null }, result: Result<AlertsState>];
  'alerts:history': [payload: { id: string }, result: Result<CrashHistoryView>];
}

export const ALERTS_CHANNELS = [
  'alerts:get',
  'alerts:pause',
  'alerts:mute',
  'alerts:history',
] as const satisfies readonly (keyof AlertsInvokeMap)[];

export interface AlertsApi {
  getAlerts(): Promise<Result<AlertsState>>;
  setAlertsPaused(paused: boolean): Promise<Result<AlertsState>>;
  /** Mute an entry's alerts for `minutes` (null: until unmuted; 0: unmute). */
  muteAlerts(id: string, minutes: number | null): Promise<Result<AlertsState>>;
  getCrashHistory(id: string): Promise<Result<CrashHistoryView>>;
}
