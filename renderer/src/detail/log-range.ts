// The Logs tab's filter choices and its time range as the core takes it. Pure.
import type { LogQuery } from '../../../contract/index.js';

/** The priority filter's choices: this level and the more urgent ones. */
export const PRIORITY_CHOICES = [3, 4, 5, 6] as const;
export const RANGES = ['any', '15m', '1h', 'today', '24h', '7d', 'custom'] as const;
export type LogRange = (typeof RANGES)[number];

const RANGE_MS: Partial<Record<LogRange, number>> = {
  '15m': 15 * 60_000,
  '1h': 3600_000,
  '24h': 24 * 3600_000,
  '7d': 7 * 24 * 3600_000,
};

/** A datetime-local value ("2026-12-06T10:00") as an ISO time, or undefined when empty. */
function localIso(v: string): string | undefined {
  if (v === '') return undefined;
  const ms = Date.parse(v);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

/** The time filter as the core takes it: ISO times (journalctl gets them as @EPOCH). */
export function rangeQuery(
  range: LogRange,
  from: string,
  to: string,
  now: number,
): Pick<LogQuery, 'since' | 'until'> {
  if (range === 'any') return {};
  if (range === 'custom') {
    const since = localIso(from);
    const until = localIso(to);
    return { ...(since ? { since } : {}), ...(until ? { until } : {}) };
  }
  if (range === 'today') {
    const d = new Date(now);
    return { since: new Date(d.getFullYear(), d.getMonth(), d.getDate()).toISOString() };
  }
  return { since: new Date(now - (RANGE_MS[range] ?? 0)).toISOString() };
}
