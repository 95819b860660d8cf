// The schedule builder (pure, shared by the core, the CLI and the pages through contract/): a schedule picked in words ("every weekday at 09:00", "every 15 minutes",
// "the first Monday of the month at 10:00") as data, and the systemd calendar expression
// (OnCalendar=) it means. Pure: systemd-analyze (calendar.ts) then gives systemd's normalised form
// and next runs, and refuses what systemd refuses.
//
// Expression forms relied on (systemd.time(7), systemd 252):
// - `DOW YYYY-MM-DD HH:MM:SS`, each part a value, a list (a,b), a range (a..b), or a repetition
//   (start/step); `*` any. `*:00/15` is every 15 minutes from :00 of each hour.
// - `~` in the day counts from the month's end: `*-*~01` is the last day, `Fri *-*~07/1` the last
//   Friday (a Friday among the month's last seven days).
// - The first Monday of a month is `Mon *-*-01..07` (a Monday among days 1 to 7).

export const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** `HH:MM`, 24-hour. */
export type ClockTime = string;

export type Schedule =
  /** Every N minutes from the hour (N divides 60). */
  | { kind: 'minutes'; every: number }
  /** Every N hours from midnight (N divides 24), at minute `minute`. */
  | { kind: 'hours'; every: number; minute: number }
  | { kind: 'daily'; at: ClockTime }
  | { kind: 'weekdays'; at: ClockTime }
  | { kind: 'weekends'; at: ClockTime }
  /** On the given days of the week. */
  | { kind: 'weekly'; days: Weekday[]; at: ClockTime }
  /** On a day of the month (1-31, or `last`); months without that day are skipped. */
  | { kind: 'monthly'; day: number | 'last'; at: ClockTime }
  /** The first..fourth (or last) given weekday of the month. */
  | { kind: 'nth-weekday'; nth: 1 | 2 | 3 | 4 | 'last'; weekday: Weekday; at: ClockTime }
  /** Once a year on month/day. */
  | { kind: 'yearly'; month: number; day: number; at: ClockTime };

export type ScheduleKind = Schedule['kind'];
export const SCHEDULE_KINDS: readonly ScheduleKind[] = [
  'minutes',
  'hours',
  'daily',
  'weekdays',
  'weekends',
  'weekly',
  'monthly',
  'nth-weekday',
  'yearly',
];

export const MINUTE_STEPS = [1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30] as const;
export const HOUR_STEPS = [1, 2, 3, 4, 6, 8, 12] as const;

/** Why a schedule cannot be written, by field, or null when it can. */
export interface ScheduleIssue {
  field: string;
  /** A catalog key of the timers namespace (`timers:schedule.issue.*`). */
  key: string;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** `HH:MM` as [hours, minutes], or null. */
export function parseClock(at: string): [number, number] | null {
  const m = /^(\d{1,2}):(\d{2})$/.exec(at.trim());
  if (m === null) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  return h < 24 && min < 60 ? [h, min] : null;
}

function inRange(n: number, lo: number, hi: number): boolean {
  return Number.isInteger(n) && n >= lo && n <= hi;
}

export function scheduleIssues(s: Schedule): ScheduleIssue[] {
  const issues: ScheduleIssue[] = [];
  if ('at' in s && parseClock(s.at) === null)
    issues.push({ field: 'at', key: 'schedule.issue.time' });
  switch (s.kind) {
    case 'minutes':
      if (!(MINUTE_STEPS as readonly number[]).includes(s.every))
        issues.push({ field: 'every', key: 'schedule.issue.minuteStep' });
      break;
    case 'hours':
      if (!(HOUR_STEPS as readonly number[]).includes(s.every))
        issues.push({ field: 'every', key: 'schedule.issue.hourStep' });
      if (!inRange(s.minute, 0, 59)) issues.push({ field: 'minute', key: 'schedule.issue.minute' });
      break;
    case 'weekly':
      if (s.days.length === 0 || s.days.some((d) => !WEEKDAYS.includes(d)))
        issues.push({ field: 'days', key: 'schedule.issue.days' });
      break;
    case 'monthly':
      if (s.day !== 'last' && !inRange(s.day, 1, 31))
        issues.push({ field: 'day', key: 'schedule.issue.day' });
      break;
    case 'nth-weekday':
      if (!WEEKDAYS.includes(s.weekday))
        issues.push({ field: 'weekday', key: 'schedule.issue.days' });
      if (s.nth !== 'last' && !inRange(s.nth, 1, 4))
        issues.push({ field: 'nth', key: 'schedule.issue.nth' });
      break;
    case 'yearly':
      if (!inRange(s.month, 1, 12)) issues.push({ field: 'month', key: 'schedule.issue.month' });
      if (!inRange(s.day, 1, 31)) issues.push({ field: 'day', key: 'schedule.issue.day' });
      break;
    default:
      break;
  }
  return issues;
}

function clock(at: ClockTime): string {
  const [h, m] = parseClock(at) ?? [0, 0];
  return `${pad2(h)}:${pad2(m)}:00`;
}

/** Days of the week in systemd's order, consecutive runs of three or more as a range. */
function dayList(days: readonly Weekday[]): string {
  const idx = [...new Set(days.map((d) => WEEKDAYS.indexOf(d)))].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < idx.length;) {
    let j = i;
    while (j + 1 < idx.length && idx[j + 1] === idx[j]! + 1) j++;
    if (j - i >= 2) parts.push(`${WEEKDAYS[idx[i]!]}..${WEEKDAYS[idx[j]!]}`);
    else for (let k = i; k <= j; k++) parts.push(WEEKDAYS[idx[k]!]!);
    i = j + 1;
  }
  return parts.join(',');
}

/** The OnCalendar= expression a schedule means. Throws on a schedule with issues. */
export function scheduleExpression(s: Schedule): string {
  const issues = scheduleIssues(s);
  if (issues.length > 0)
    throw new Error(`invalid schedule: ${issues.map((i) => i.field).join(', ')}`);
  switch (s.kind) {
    case 'minutes':
      return s.every === 1 ? '*-*-* *:*:00' : `*-*-* *:00/${s.every}:00`;
    case 'hours':
      return s.every === 1
        ? `*-*-* *:${pad2(s.minute)}:00`
        : `*-*-* 00/${s.every}:${pad2(s.minute)}:00`;
    case 'daily':
      return `*-*-* ${clock(s.at)}`;
    case 'weekdays':
      return `Mon..Fri *-*-* ${clock(s.at)}`;
    case 'weekends':
      return `Sat,Sun *-*-* ${clock(s.at)}`;
    case 'weekly':
      return `${dayList(s.days)} *-*-* ${clock(s.at)}`;
    case 'monthly':
      return s.day === 'last' ? `*-*~01 ${clock(s.at)}` : `*-*-${pad2(s.day)} ${clock(s.at)}`;
    case 'nth-weekday': {
      if (s.nth === 'last') return `${s.weekday} *-*~07/1 ${clock(s.at)}`;
      const first = (s.nth - 1) * 7 + 1;
      return `${s.weekday} *-*-${pad2(first)}..${pad2(first + 6)} ${clock(s.at)}`;
    }
    case 'yearly':
      return `*-${pad2(s.month)}-${pad2(s.day)} ${clock(s.at)}`;
  }
}

/** A schedule of `kind` with sensible values, to start the form from (or switch kinds). */
export function defaultSchedule(kind: ScheduleKind, at: ClockTime = '09:00'): Schedule {
  switch (kind) {
    case 'minutes':
      return { kind, every: 15 };
    case 'hours':
      return { kind, every: 1, minute: 0 };
    case 'weekly':
      return { kind, days: ['Mon'], at };
    case 'monthly':
      return { kind, day: 1, at };
    case 'nth-weekday':
      return { kind, nth: 1, weekday: 'Mon', at };
    case 'yearly':
      return { kind, month: 1, day: 1, at };
    default:
      return { kind, at };
  }
}

/**
 * The schedule an expression the builder wrote stands for, so editing a timer opens the builder
 * on it; null for any other expression (it is then edited as an expression).
 */
export function scheduleOf(expr: string): Schedule | null {
  for (const kind of SCHEDULE_KINDS) {
    const guess = guessFrom(kind, expr);
    if (guess !== null && scheduleIssues(guess).length === 0 && scheduleExpression(guess) === expr)
      return guess;
  }
  return null;
}

function guessFrom(kind: ScheduleKind, expr: string): Schedule | null {
  const t = / (\d\d):(\d\d):00$/.exec(expr);
  const at = t === null ? '00:00' : `${t[1]}:${t[2]}`;
  const num = (re: RegExp) => {
    const m = re.exec(expr);
    return m === null ? null : Number(m[1]);
  };
  switch (kind) {
    case 'minutes': {
      if (expr === '*-*-* *:*:00') return { kind, every: 1 };
      const n = num(/^\*-\*-\* \*:00\/(\d+):00$/);
      return n === null ? null : { kind, every: n };
    }
    case 'hours': {
      const one = /^\*-\*-\* \*:(\d\d):00$/.exec(expr);
      if (one !== null) return { kind, every: 1, minute: Number(one[1]) };
      const m = /^\*-\*-\* 00\/(\d+):(\d\d):00$/.exec(expr);
      return m === null ? null : { kind, every: Number(m[1]), minute: Number(m[2]) };
    }
    case 'daily':
    case 'weekdays':
    case 'weekends':
      return { kind, at };
    case 'weekly': {
      const m = /^([A-Za-z.,]+) \*-\*-\* /.exec(expr);
      if (m === null) return null;
      const days: Weekday[] = [];
      for (const part of m[1]!.split(',')) {
        const [a, b] = part.split('..') as [Weekday, Weekday | undefined];
        const from = WEEKDAYS.indexOf(a);
        const to = b === undefined ? from : WEEKDAYS.indexOf(b);
        if (from < 0 || to < from) return null;
        for (let i = from; i <= to; i++) days.push(WEEKDAYS[i]!);
      }
      return { kind, days, at };
    }
    case 'monthly': {
      if (expr.startsWith('*-*~01 ')) return { kind, day: 'last', at };
      const d = num(/^\*-\*-(\d\d) /);
      return d === null ? null : { kind, day: d, at };
    }
    case 'nth-weekday': {
      const last = /^([A-Z][a-z]{2}) \*-\*~07\/1 /.exec(expr);
      if (last !== null) return { kind, nth: 'last', weekday: last[1] as Weekday, at };
      const m = /^([A-Z][a-z]{2}) \*-\*-(\d\d)\.\.\d\d /.exec(expr);
      if (m === null) return null;
      const nth = (Number(m[2]) - 1) / 7 + 1;
      return nth >= 1 && nth <= 4 && Number.isInteger(nth)
        ? { kind, nth: nth as 1 | 2 | 3 | 4, weekday: m[1] as Weekday, at }
        : null;
    }
    case 'yearly': {
      const m = /^\*-(\d\d)-(\d\d) /.exec(expr);
      return m === null ? null : { kind, month: Number(m[1]), day: Number(m[2]), at };
    }
  }
}
