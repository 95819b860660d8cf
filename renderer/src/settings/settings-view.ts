// Pure pieces of the Settings page: reading what a person typed and the words shown for mutes
// and pins. Unit-tested.
import { muteTarget, type Entry } from '../../../contract/index.js';
import { t } from '../../../i18n/index.js';
import { formatDateTime, formatTime } from '../../../i18n/format.js';
import { unescapeUnitName } from '../lib/entry-view.js';

export const POLL_MIN_S = 1;
export const POLL_MAX_S = 60;
export const LOG_LINES_MAX = 10;

export type Parsed = { ok: true; value: number } | { ok: false; message: string };

function wholeNumber(text: string): number | null {
  const typed = text.trim();
  return /^\d+$/.test(typed) ? Number(typed) : null;
}

/** The poll interval field (seconds) -> ms, or the words that say what is wrong. */
export function parsePollSeconds(text: string): Parsed {
  const n = wholeNumber(text);
  if (n === null || n < POLL_MIN_S || n > POLL_MAX_S)
    return {
      ok: false,
      message: t('settings:poll.invalid', { min: POLL_MIN_S, max: POLL_MAX_S }),
    };
  return { ok: true, value: n * 1000 };
}

export function parseLogLines(text: string): Parsed {
  const n = wholeNumber(text);
  if (n === null || n > LOG_LINES_MAX)
    return { ok: false, message: t('settings:logLines.invalid', { max: LOG_LINES_MAX }) };
  return { ok: true, value: n };
}

/** "Until 14:05", "Until 3 Mar, 09:00", "Until you unmute it". */
export function muteUntilText(until: string | null, now: number): string {
  if (until === null) return t('settings:mutes.untilUnmuted');
  const end = new Date(until);
  const sameDay = end.toDateString() === new Date(now).toDateString();
  return t('settings:mutes.until', { time: sameDay ? formatTime(end) : formatDateTime(end) });
}

/** The name to show for an entry id: the entry's own while it exists, else from the id. */
export function nameFor(id: string, entries: readonly Entry[]): string {
  // A far host's mute (host:NAME:ID): its entry's name and the host.
  const far = muteTarget(id);
  if (far.host !== null)
    return t('settings:mutes.onHost', { name: nameFor(far.id, []), host: far.host });
  const entry = entries.find((e) => e.id === id);
  if (entry) return unescapeUnitName(entry.name);
  const colon = id.indexOf(':');
  return colon >= 0 && colon < id.length - 1 ? id.slice(colon + 1) : id;
}

/** The active mutes, soonest to end first, "until unmuted" last. */
export function activeMutes(
  mutes: Record<string, string | null>,
  now: number,
): Array<{ id: string; until: string | null }> {
  return Object.entries(mutes)
    .filter(([, until]) => until === null || Date.parse(until) > now)
    .map(([id, until]) => ({ id, until }))
    .sort((a, b) =>
      a.until === null ? 1 : b.until === null ? -1 : a.until.localeCompare(b.until),
    );
}
