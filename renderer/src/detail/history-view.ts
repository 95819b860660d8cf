// What the History tab shows for an entry's crash records: pure, so it is unit-tested.
import type { CrashRecord } from '../../../contract/index.js';
import { formatDuration } from '../lib/entry-view.js';

/** Same window CrashHistory uses for flapping (core: 5 crashes in 10 minutes). */
export const FLAP_WINDOW_MS = 10 * 60_000;

export interface HistoryRow {
  at: string;
  /** "Crashed", "Crashed; systemd restarted it", "Went away". */
  what: string;
  /** "It exited with status 1.", "It was killed by signal KILL.", or what is known. */
  how: string;
  /** "Restart 4" (systemd's NRestarts), or null when none. */
  restarts: string | null;
  /** Within the flapping window: highlighted while the entry flaps. */
  recent: boolean;
}

export interface HistoryDay {
  /** "Today", "Yesterday", or a local date. */
  label: string;
  rows: HistoryRow[];
}

export function whatHappened(record: CrashRecord): string {
  switch (record.reason) {
    case 'failed':
      return 'Crashed';
    case 'auto-restart':
      return 'Crashed; systemd restarted it';
    case 'vanished':
      return 'Went away without a stop';
  }
}

export function howItEnded(record: CrashRecord): string {
  if (record.exit) return `It ${record.exit}.`;
  return record.reason === 'vanished'
    ? 'Its exit status is not known (it is not a child of Daemon Deck).'
    : 'Its exit status is not known.';
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
    const t = new Date(r.at);
    if (Number.isNaN(t.getTime())) continue;
    const key = dayKey(t);
    if (day === undefined || key !== lastKey) {
      const label: string =
        key === dayKey(today)
          ? 'Today'
          : key === dayKey(yesterday)
            ? 'Yesterday'
            : t.toLocaleDateString(undefined, { dateStyle: 'medium' });
      day = { label, rows: [] };
      lastKey = key;
      days.push(day);
    }
    day.rows.push({
      at: r.at,
      what: whatHappened(r),
      how: howItEnded(r),
      restarts: r.restarts > 0 ? `Restart ${r.restarts}` : null,
      recent: now - t.getTime() <= FLAP_WINDOW_MS,
    });
  }
  return days;
}

/** "5 crashes in the last 10 min" for the flapping banner. */
export function flappingText(records: readonly CrashRecord[], now: number): string {
  const n = records.filter((r) => now - Date.parse(r.at) <= FLAP_WINDOW_MS).length;
  return `${n} crash${n === 1 ? '' : 'es'} in the last ${formatDuration(FLAP_WINDOW_MS)}`;
}

/** "12:04:31" (the day is its group's heading). */
export function timeOfDay(iso: string): string {
  return new Date(iso).toLocaleTimeString(undefined, { timeStyle: 'medium' });
}
