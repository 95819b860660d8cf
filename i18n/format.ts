// Dates, times, numbers, sizes and durations in the current language, through the platform's Intl
// (no hand-built "3 min ago" or "1.5 MB"). Sizes are binary units everywhere (KiB, MiB, GiB), the
// units systemd and ps use, so one size never reads as MiB in one place and MB in another.
import { currentLanguage, localeTag, t } from './index.js';

type Instant = number | Date | string;

function dateOf(at: Instant): Date {
  return at instanceof Date ? at : new Date(at);
}

function tag(): string {
  return localeTag(currentLanguage());
}

/** "Dec 6, 2026, 14:05" / "2026. 12. 6. 오후 2:05". */
export function formatDateTime(at: Instant): string {
  return new Intl.DateTimeFormat(tag(), { dateStyle: 'medium', timeStyle: 'short' }).format(
    dateOf(at),
  );
}

/** The date alone: "Dec 6, 2026". */
export function formatDate(at: Instant): string {
  return new Intl.DateTimeFormat(tag(), { dateStyle: 'medium' }).format(dateOf(at));
}

/** The time of day, with seconds when asked: "14:05" / "오후 2:05". */
export function formatTime(at: Instant, seconds = false): string {
  return new Intl.DateTimeFormat(tag(), {
    hour: 'numeric',
    minute: '2-digit',
    ...(seconds ? { second: '2-digit' } : {}),
  }).format(dateOf(at));
}

export function formatNumber(n: number, options?: Intl.NumberFormatOptions): string {
  return new Intl.NumberFormat(tag(), options).format(n);
}

/** A percentage of one core or of a whole: 0.38 -> "0.38%". */
export function formatPercent(percent: number, fractionDigits = 1): string {
  return new Intl.NumberFormat(tag(), {
    style: 'percent',
    maximumFractionDigits: fractionDigits,
  }).format(percent / 100);
}

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'] as const;

/** A size in binary units: 1536 -> "1.5 KiB". */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 || Math.abs(value) >= 100 ? 0 : 1;
  return t('common:units.bytes', {
    value: formatNumber(value, { maximumFractionDigits: digits }),
    unit: BYTE_UNITS[unit],
  });
}

interface DurationFormatter {
  format(duration: Record<string, number>): string;
}
type DurationFormatCtor = new (
  locale: string,
  options: { style: 'long' | 'short' | 'narrow' },
) => DurationFormatter;

/** A span of time, largest two units: 3_725_000 -> "1 hr, 2 min" / "1시간 2분". */
export function formatDuration(ms: number, style: 'long' | 'short' | 'narrow' = 'short'): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const parts: Array<[string, number]> = [
    ['days', Math.floor(total / 86_400)],
    ['hours', Math.floor((total % 86_400) / 3600)],
    ['minutes', Math.floor((total % 3600) / 60)],
    ['seconds', total % 60],
  ];
  const first = parts.findIndex(([, n]) => n > 0);
  const shown = first === -1 ? [['seconds', 0] as [string, number]] : parts.slice(first, first + 2);
  const duration = Object.fromEntries(shown.filter(([, n], i) => i === 0 || n > 0));
  const DurationFormat = (Intl as unknown as { DurationFormat?: DurationFormatCtor })
    .DurationFormat;
  if (DurationFormat !== undefined) return new DurationFormat(tag(), { style }).format(duration);
  // Engines without Intl.DurationFormat (older Chromium): each unit through NumberFormat's units.
  return Object.entries(duration)
    .map(([unit, n]) =>
      formatNumber(n, { style: 'unit', unit: unit.slice(0, -1), unitDisplay: style }),
    )
    .join(' ');
}

const RELATIVE_STEPS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 7],
  ['week', 4.35],
  ['month', 12],
  ['year', Infinity],
];

/** How long ago or from now: "40 seconds ago", "in 5 minutes" / "40초 전", "5분 후". */
export function formatRelative(at: Instant, now: number = Date.now()): string {
  let value = (dateOf(at).getTime() - now) / 1000;
  const rtf = new Intl.RelativeTimeFormat(tag(), { numeric: 'auto' });
  for (const [unit, size] of RELATIVE_STEPS) {
    if (Math.abs(value) < size) return rtf.format(Math.round(value), unit);
    value /= size;
  }
  return rtf.format(Math.round(value), 'year');
}
