// Domain types of the alerts area (crash alerts, mutes, pause, crash history; issue 6).
// Owned by core; the IPC contract and the renderer use them as they are.

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
