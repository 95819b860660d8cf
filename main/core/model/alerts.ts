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
  /**
   * failed: it crashed and stays down; auto-restart: it crashed and systemd restarted it;
   * gave-up: the final failure, systemd stopped restarting it (its start limit, after
   * `restarts` restarts); vanished: a watched process went away without a stop.
   */
  reason: 'failed' | 'auto-restart' | 'gave-up' | 'vanished';
  /** "exited with status 1", "was killed by signal KILL", or null when unknown. */
  exit: string | null;
  restarts: number;
  /** The exit as data, for pages that word it in the user's language: ExecMainCode (1 exited,
   *  2 killed, 3 dumped core), its status or signal number, and systemd's Result. */
  code?: number | null;
  status?: number | null;
  result?: string | null;
}

export interface CrashHistoryView {
  id: string;
  /** Newest first. */
  records: CrashRecord[];
  /** Many crashes in a short time: highlight it. */
  flapping: boolean;
}
