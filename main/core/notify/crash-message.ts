// Pure pieces of crash alerts: the notification text and actions, mutes and pause.
import type { CrashEvent } from '../monitor/crash-detector.js';
import type { NotificationRequest } from './notifications.js';

export const ACTION_RESTART = 'restart';
export const ACTION_SHOW_LOGS = 'show-logs';
export const ACTION_MUTE = 'mute-hour';
export const MUTE_HOUR_MS = 60 * 60_000;

export interface CrashDetails {
  /** "exited with status 1", "was killed by signal KILL", or null when unknown. */
  exit: string | null;
  /** The last log lines, oldest first. */
  logLines: string[];
  /** The unit is already being restarted by systemd. */
  restarting?: boolean;
}

export interface AlertPrefs {
  paused: boolean;
  /** Entry id -> ms epoch the mute ends; null for "until unmuted". */
  mutes: Record<string, number | null>;
}

export const DEFAULT_ALERT_PREFS: AlertPrefs = { paused: false, mutes: {} };

export function isMuted(prefs: AlertPrefs, id: string, now: number): boolean {
  if (!(id in prefs.mutes)) return false;
  const until = prefs.mutes[id];
  return until === null || until === undefined || until > now;
}

/** Prefs read back from storage: anything malformed dropped, expired mutes removed. */
export function normalisePrefs(raw: unknown, now: number): AlertPrefs {
  const v = (typeof raw === 'object' && raw !== null ? raw : {}) as Partial<AlertPrefs>;
  const mutes: Record<string, number | null> = {};
  if (typeof v.mutes === 'object' && v.mutes !== null)
    for (const [id, until] of Object.entries(v.mutes))
      if (until === null || (typeof until === 'number' && until > now)) mutes[id] = until;
  return { paused: v.paused === true, mutes };
}

function escapeMarkup(s: string): string {
  // Servers with body-markup parse the body as a small XML subset.
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The notification for the `count`-th crash in a row of one entry. */
export function crashNotification(
  event: CrashEvent,
  details: CrashDetails,
  count: number,
  replacesId: number,
): NotificationRequest {
  const summary = count > 1 ? `${event.name} crashed ${count} times` : `${event.name} crashed`;
  const lines: string[] = [];
  const restarting = event.reason === 'auto-restart';
  lines.push(
    (details.exit ? `It ${details.exit}` : 'Its exit status is not known') +
      (restarting ? '; systemd is restarting it.' : '.'),
  );
  const tail = details.logLines
    .slice(-3)
    .map((l) => (l.length > 120 ? `${l.slice(0, 117)}...` : l));
  if (tail.length > 0) lines.push(...tail);
  return {
    summary,
    body: escapeMarkup(lines.join('\n')),
    actions: [
      [ACTION_RESTART, 'Restart'],
      [ACTION_SHOW_LOGS, 'Show logs'],
      [ACTION_MUTE, 'Mute for an hour'],
    ],
    urgency: restarting ? 'normal' : 'critical',
    replacesId,
    // Failed entries stay until dealt with; auto-restarted ones use the server's default.
    expireTimeoutMs: restarting ? -1 : 0,
  };
}
