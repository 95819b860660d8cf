// Pure pieces of crash alerts: the notification text and actions, mutes and pause.
import { t } from '../../../i18n/index.js';
import type { CrashEvent } from '../monitor/crash-detector.js';
import { muteKey, type AlertSettings } from '../model/alerts.js';
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

/**
 * Whether `id`'s alerts are muted at `now` (a mute ends at an ISO time, or never when null): the
 * entry of this machine, or with `host` that far host's.
 */
export function isMuted(
  alerts: Pick<AlertSettings, 'mutes'>,
  id: string,
  now: number,
  host?: string,
): boolean {
  const key = muteKey(id, host);
  if (!Object.hasOwn(alerts.mutes, key)) return false;
  const until = alerts.mutes[key];
  return until === null || until === undefined || Date.parse(until) > now;
}

/** The mutes still in force at `now`. */
export function activeMutes(
  alerts: Pick<AlertSettings, 'mutes'>,
  now: number,
): Record<string, string | null> {
  return Object.fromEntries(
    Object.entries(alerts.mutes).filter(([id]) => isMuted(alerts, id, now)),
  );
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
  logLines = 3,
): NotificationRequest {
  const summary =
    count > 1
      ? t('notify:crash.summaryTimes', { name: event.name, count })
      : t('notify:crash.summary', { name: event.name });
  const lines: string[] = [];
  const restarting = event.reason === 'auto-restart';
  const how = details.exit;
  if (how) lines.push(t(restarting ? 'notify:crash.bodyRestarting' : 'notify:crash.body', { how }));
  else
    lines.push(t(restarting ? 'notify:crash.bodyUnknownRestarting' : 'notify:crash.bodyUnknown'));
  const tail = (logLines > 0 ? details.logLines.slice(-logLines) : []).map((l) =>
    l.length > 120 ? `${l.slice(0, 117)}...` : l,
  );
  if (tail.length > 0) lines.push(...tail);
  return {
    summary,
    body: escapeMarkup(lines.join('\n')),
    actions: [
      [ACTION_RESTART, t('notify:actions.restart')],
      [ACTION_SHOW_LOGS, t('notify:actions.showLogs')],
      [ACTION_MUTE, t('notify:actions.muteHour')],
    ],
    urgency: restarting ? 'normal' : 'critical',
    replacesId,
    // Failed entries stay until dealt with; auto-restarted ones use the server's default.
    expireTimeoutMs: restarting ? -1 : 0,
  };
}

/**
 * A crash notification of a far host (issue 17): the summary names the host; no Show logs (the
 * detail window shows this machine's entries).
 */
export function onHost(req: NotificationRequest, host: string): NotificationRequest {
  return {
    ...req,
    summary: t('hosts:crash.summary', { host, summary: req.summary }),
    actions: req.actions.filter(([key]) => key !== ACTION_SHOW_LOGS),
  };
}
