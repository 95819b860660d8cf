// The alerts area of the IPC contract (issue 6: crash alerts, mutes, pause, crash history).
// Channels, payload/result types and the named API methods for this area; contract.ts and
// api.ts compose every area into InvokeMap, INVOKE_CHANNELS and DaemonDeckApi.
import type { Transport } from '../api.js';
import type { Result } from '../contract.js';

export interface AlertsState {
  /** "Pause alerts": no notification for any entry (crashes are still recorded). */
  paused: boolean;
  /** Entry id -> ISO time the mute ends, or null for "until unmuted". */
  mutes: Record<string, string | null>;
  /** Whether the notification server shows action buttons (null before the first alert). */
  actions: boolean | null;
}

/** The alert options kept in settings (Settings.alerts). */
export interface AlertSettings {
  /** "Pause alerts": no notification for any entry (crashes are still recorded). */
  paused: boolean;
  /** Entry id -> ISO time the mute ends, or null for "until unmuted". */
  mutes: Record<string, string | null>;
  /** Notify when systemd restarts a unit by itself (Restart=); a failure always notifies. */
  notifyOnAutoRestart: boolean;
  /** How many of the last log lines a notification shows (0: none). */
  logLines: number;
}

export interface CrashRecord {
  /** ISO 8601. */
  at: string;
  reason: 'failed' | 'auto-restart' | 'vanished';
  /** "exited with status 1", "was killed by signal KILL", or null when unknown. */
  exit: string | null;
  restarts: number;
}

export interface CrashHistoryView {
  id: string;
  /** Newest first. */
  records: CrashRecord[];
  /** Many crashes in a short time: highlight it. */
  flapping: boolean;
}

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

export function createAlertsApi(transport: Transport): AlertsApi {
  return {
    getAlerts: () => transport.invoke('alerts:get', null),
    setAlertsPaused: (paused) => transport.invoke('alerts:pause', { paused }),
    muteAlerts: (id, minutes) => transport.invoke('alerts:mute', { id, minutes }),
    getCrashHistory: (id) => transport.invoke('alerts:history', { id }),
  };
}
