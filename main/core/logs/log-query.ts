// What part of a log to read: how many lines, after which cursor, and the filters (priority,
// since/until, a search). One query serves the journal and a tailed file; each applies what it
// can. Pure.
//
// Relies on / works around:
// - journalctl takes `-p N` (N and more urgent), `--since=`/`--until=` in systemd.time(7) syntax
//   ("today", "-1h", "2026-12-06 10:00:00", "@EPOCH") and `--grep=` (PCRE2, case-insensitive
//   when the pattern has no capital letter). The `--opt=VALUE` form keeps a value that starts
//   with "-" a value. An ISO time with a zone (what the UI sends) becomes "@EPOCH" seconds,
//   which every journalctl reads the same whatever the local time zone.
// - journalctl applies `-n` after `--grep`: the last N matching lines.
// - A file's lines carry no time: since/until do not apply to them (`fileFilterNote` says so).
//   Their priority is sd-daemon(3)'s "<N>" prefix where a line has one, else info, the level
//   journald gives a service's stdout. The search is the JS RegExp with the same smart case.
import { t } from '../../../i18n/index.js';
import { AppFailure, appError } from '../errors.js';
import type { LogLine } from '../model/authoring.js';
import type { LogQuery } from '../model/logs.js';

export type { LogQuery };

export const PRIORITY_NAMES = [
  'emerg',
  'alert',
  'crit',
  'err',
  'warning',
  'notice',
  'info',
  'debug',
] as const;

/** "err", "3" or "error" to 3; null when it is none of the syslog levels. */
export function parsePriority(s: string): number | null {
  const v = s.trim().toLowerCase();
  if (/^[0-7]$/.test(v)) return Number(v);
  const aliases: Record<string, number> = { error: 3, warn: 4, emergency: 0, critical: 2 };
  const i = (PRIORITY_NAMES as readonly string[]).indexOf(v);
  return i >= 0 ? i : (aliases[v] ?? null);
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/** A since/until value as journalctl takes it: an ISO time with a zone becomes "@EPOCH". */
export function journalTime(s: string): string {
  const v = s.trim();
  if (ISO.test(v)) {
    const ms = Date.parse(v);
    if (Number.isFinite(ms)) return `@${Math.floor(ms / 1000)}`;
  }
  return v;
}

/** journalctl's arguments for the query's filters (not -n / --after-cursor). */
export function journalFilterArgs(q: LogQuery): string[] {
  const args: string[] = [];
  if (q.priority !== undefined) args.push('-p', String(q.priority));
  if (q.since !== undefined && q.since.trim() !== '') args.push(`--since=${journalTime(q.since)}`);
  if (q.until !== undefined && q.until.trim() !== '') args.push(`--until=${journalTime(q.until)}`);
  if (q.grep !== undefined && q.grep !== '') args.push(`--grep=${q.grep}`);
  return args;
}

/** The search as a RegExp with journalctl's smart case; an invalid one is the user's input error. */
export function searchRegExp(grep: string): RegExp {
  try {
    return new RegExp(grep, /[A-Z]/.test(grep) ? 'u' : 'iu');
  } catch (err) {
    throw new AppFailure(
      appError('invalid-input', t('logs:query.badSearch', { reason: (err as Error).message })),
    );
  }
}

/** The query's filters over lines already read (a file's): the search, the priority (info for a
 *  line without one), and since/until (ISO only) for lines with a time. */
export function filterLines(lines: readonly LogLine[], q: LogQuery): LogLine[] {
  const re = q.grep !== undefined && q.grep !== '' ? searchRegExp(q.grep) : null;
  const iso = (s: string | undefined) =>
    s !== undefined && ISO.test(s.trim()) ? Date.parse(s.trim()) : null;
  const since = iso(q.since);
  const until = iso(q.until);
  return lines.filter((l) => {
    if (re !== null && !re.test(l.message)) return false;
    if (q.priority !== undefined && (l.priority ?? 6) > q.priority) return false;
    const at = l.time === null ? null : Date.parse(l.time);
    if (at !== null && since !== null && at < since) return false;
    if (at !== null && until !== null && at > until) return false;
    return true;
  });
}

/** Whether the query has filters a file's lines cannot honour (they carry no time). */
export function fileFilterNote(q: LogQuery): string | null {
  const unusable = !!q.since?.trim() || !!q.until?.trim();
  return unusable ? t('logs:query.fileNoTime') : null;
}

/** One line as text for a terminal or an exported file: "TIME PRIORITY MESSAGE". */
export function logLineText(l: LogLine): string {
  const parts: string[] = [];
  if (l.time !== null) parts.push(l.time);
  if (l.priority !== null) parts.push(`<${PRIORITY_NAMES[l.priority] ?? l.priority}>`);
  parts.push(l.message);
  return parts.join(' ');
}
