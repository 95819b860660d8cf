// Domain types of the alerts area (crash alerts, mutes, pause, crash history; issue 6), and the
// key of a mute (by host and id, issue 17). Owned by core; the IPC contract and the renderer use
// them as they are.

export interface AlertsState {
  /** "Pause alerts": no notification for any entry (crashes are still recorded). */
  paused: boolean;
  /** Mute key (muteKey: the entry id here, host:NAME:ID on a far host) -> ISO time it ends, or null for "until unmuted". */
  mutes: Record<string, string | null>;
  /** Whether the notification server shows action buttons (null before the first alert). */
  actions: boolean | null;
}

/** The alert options kept in settings (Settings.alerts). */
export interface AlertSettings {
  /** "Pause alerts": no notification for any entry (crashes are still recorded). */
  paused: boolean;
  /** Mute key (muteKey: the entry id here, host:NAME:ID on a far host) -> ISO time it ends, or null for "until unmuted". */
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

/** What starts the mute key of a far host's entry (no entry id starts so: ids are KIND:...). */
const FAR_MUTE = 'host:';

/**
 * The key of an entry's mute in settings (Settings.alerts.mutes): the entry id on this machine,
 * `host:NAME:ID` on a far host (issue 17), so that muting foo.service on one host leaves the
 * same unit elsewhere alerting. Mutes stored before far hosts existed are plain ids: this
 * machine's, as they are read now.
 */
export function muteKey(id: string, host?: string): string {
  return host === undefined ? id : `${FAR_MUTE}${host}:${id}`;
}

/** The host (null: this machine) and entry id of a mute key. */
export function muteTarget(key: string): { host: string | null; id: string } {
  if (!key.startsWith(FAR_MUTE)) return { host: null, id: key };
  const rest = key.slice(FAR_MUTE.length);
  const colon = rest.indexOf(':');
  return colon <= 0
    ? { host: null, id: key }
    : { host: rest.slice(0, colon), id: rest.slice(colon + 1) };
}
