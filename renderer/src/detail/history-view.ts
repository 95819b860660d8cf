// What the History tab shows for an entry's crash records: pure, so it is unit-tested. Words come
// from the catalogs, times from i18n/format.ts.
import type { CrashRecord } from '../../../contract/index.js';
import { t } from '../../../i18n/index.js';
import { formatDate, formatDuration, formatTime } from '../../../i18n/format.js';
import { exitWords } from './detail-view.js';

/** Same window CrashHistory uses for flapping (core: 5 crashes in 10 minutes). */
export const FLAP_WINDOW_MS = 10 * 60_000;

export interface HistoryRow {
  at: string;
  /** "Crashed", "Crashed; systemd restarted it", "systemd gave up", "Went away". */
  what: string;
  /** "Exited with status 1.", "Killed by SIGKILL.", or what is known. */
  how: string;
  /** "Restart 4" (systemd's NRestarts), or null when none. */
  restarts: string | null;
  /** Within the flapping window: highlighted while the entry flaps. */
  recent: boolean;
  /** The final failure: systemd stopped restarting it. */
  final: boolean;
}

export interface HistoryDay {
  /** "Today", "Yesterday", or a local date. */
  label: string;
  rows: HistoryRow[];
}

export function whatHappened(record: CrashRecord): string {
  switch (record.reason) {
    case 'failed':
      return t('detail:history.failed');
    case 'auto-restart':
      return t('detail:history.autoRestart');
    case 'gave-up':
      return t('detail:history.gaveUp', { count: record.restarts });
    case 'vanished':
      return t('detail:history.vanished');
  }
}

export function howItEnded(record: CrashRecord): string {
  const words = exitWords({
    code: record.code ?? null,
    status: record.status ?? null,
    result: record.reason === 'gave-up' ? null : (record.result ?? null),
  });
  if (words !== null) return t('detail:history.how', { how: words });
  // Older records (and the CLI's) carry the exit as English text only.
  if (record.exit) return t('detail:history.howText', { how: record.exit });
  return record.reason === 'vanished'
    ? t('detail:history.unknownNotChild')
    : t('detail:history.unknown');
}

function dayKey(d: Date): string {
  return `${d.getFullYear()}-${d.getMonth()}-${d.getDate()}`;
}

/** Records (newest first) grouped by local day, newest day first. */
export function historyDays(records: readonly CrashRecord[], now: number): HistoryDay[] {
  const today = new Date(now);
  const yesterday = new Date(now - 24 * 3600_000);
  const days: HistoryDay[] = [];
  let lastKey = '';
  let day: HistoryDay | undefined;
  for (const r of records) {
    const at = new Date(r.at);
    if (Number.isNaN(at.getTime())) continue;
    const key = dayKey(at);
    if (day === undefined || key !== lastKey) {
      const label: string =
        key === dayKey(today)
          ? t('detail:history.today')
          : key === dayKey(yesterday)
            ? t('detail:history.yesterday')
            : formatDate(at);
      day = { label, rows: [] };
      lastKey = key;
      days.push(day);
    }
    day.rows.push({
      at: r.at,
      what: whatHappened(r),
      how: howItEnded(r),
      restarts:
        r.restarts > 0 && r.reason !== 'gave-up'
          ? t('detail:history.restart', { n: r.restarts })
          : null,
      recent: now - at.getTime() <= FLAP_WINDOW_MS,
      final: r.reason === 'gave-up',
    });
  }
  return days;
}

/** "5 crashes in the last 10 min" for the flapping banner. */
export function flappingText(records: readonly CrashRecord[], now: number): string {
  const n = records.filter((r) => now - Date.parse(r.at) <= FLAP_WINDOW_MS).length;
  return t('detail:history.flapCount', { count: n, window: formatDuration(FLAP_WINDOW_MS) });
}

/** "12:04:31" (the day is its group's heading). */
export function timeOfDay(iso: string): string {
  return formatTime(iso, true);
}
