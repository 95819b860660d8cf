// A crontab schedule as a systemd calendar expression (OnCalendar=), where one can say it. Pure.
//
// Each cron field becomes the matching component of `[WEEKDAYS] *-MONTHS-DAYS HOURS:MINUTES:00`:
// `*` for the whole range, `A/STEP` for a progression that runs to the end of the range, else a
// list of values and `A..B` ranges (systemd.time(7): lists, ranges and repetitions in every
// component; weekdays as Mon..Sun). Both are local time.
//
// The one thing that cannot be said: when both day fields are restricted (neither starts with
// `*`), cron runs on days matching EITHER (crontab(5)); systemd's weekday and date always both
// have to match. Two OnCalendar= lines in one timer could say it, but a timer job holds one
// schedule (and its form, editor and builder read one back), so such a line is refused with the
// reason, unless one of the two fields covers every day anyway (then the other does not matter).
// @reboot has no calendar at all.
import { t } from '../../../i18n/index.js';
import type { JobSchedule } from './crontab-document.js';
import { parseSchedule } from './cron-schedule.js';

export type CalendarConversion =
  | { ok: true; expr: string }
  | { ok: false; reason: 'reboot' | 'day-or-weekday' | 'invalid'; message: string };

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

const two = (n: number) => String(n).padStart(2, '0');

/** One component: `*`, `A/STEP`, or values and `A..B` runs, for values within min..max. */
export function component(values: ReadonlySet<number>, min: number, max: number): string {
  const v = [...values].filter((x) => x >= min && x <= max).sort((a, b) => a - b);
  if (v.length === max - min + 1) return '*';
  if (v.length >= 3) {
    const step = v[1]! - v[0]!;
    const progression = v.every((x, i) => x === v[0]! + i * step);
    // systemd repeats A/STEP up to the end of the range: the last value must be the last one.
    if (progression && v[v.length - 1]! + step > max) return `${two(v[0]!)}/${step}`;
  }
  const parts: string[] = [];
  for (let i = 0; i < v.length;) {
    let j = i;
    while (j + 1 < v.length && v[j + 1] === v[j]! + 1) j++;
    if (j - i >= 2) parts.push(`${two(v[i]!)}..${two(v[j]!)}`);
    else for (let k = i; k <= j; k++) parts.push(two(v[k]!));
    i = j + 1;
  }
  return parts.join(',');
}

/** Weekdays 0..6 (Sunday 0) as systemd names, runs of three or more as `Mon..Fri`. */
function weekdays(values: ReadonlySet<number>): string | null {
  // Monday first, as systemd counts a week: `Sat..Sun`-style wrap is avoided by listing Sunday last.
  const order = [1, 2, 3, 4, 5, 6, 0].filter((d) => values.has(d));
  if (order.length === 7) return null;
  const parts: string[] = [];
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && (order[j]! + 1) % 7 === order[j + 1]! && order[j + 1] !== 1) j++;
    if (j - i >= 2) parts.push(`${WEEKDAYS[order[i]!]}..${WEEKDAYS[order[j]!]}`);
    else for (let k = i; k <= j; k++) parts.push(WEEKDAYS[order[k]!]!);
    i = j + 1;
  }
  return parts.join(',');
}

/** The OnCalendar= expression for a crontab schedule, or why there is none. */
export function cronToCalendar(s: JobSchedule): CalendarConversion {
  if (s.special === 'reboot')
    return { ok: false, reason: 'reboot', message: t('cron:toTimer.cannot.reboot') };
  const p = parseSchedule(s);
  if (p === null)
    return {
      ok: false,
      reason: 'invalid',
      message: t('cron:toTimer.cannot.invalid', { schedule: s.text }),
    };
  let days = p.dom.values;
  let dow: ReadonlySet<number> = p.dow.values;
  if (!p.dom.star && !p.dow.star) {
    // cron's OR: a day matches if either field does.
    const everyDay = days.size === 31 || new Set([...dow].map((d) => d % 7)).size === 7;
    if (!everyDay)
      return {
        ok: false,
        reason: 'day-or-weekday',
        message: t('cron:toTimer.cannot.dayOrWeekday', {
          schedule: s.text,
          days: s.fields?.[2] ?? '',
          weekdays: s.fields?.[4] ?? '',
        }),
      };
    days = new Set(Array.from({ length: 31 }, (_, i) => i + 1));
    dow = new Set([0, 1, 2, 3, 4, 5, 6]);
  }
  const wd = weekdays(new Set([...dow].map((d) => d % 7)));
  const date = `*-${component(p.month.values, 1, 12)}-${component(days, 1, 31)}`;
  const time = `${component(p.hour.values, 0, 23)}:${component(p.minute.values, 0, 59)}:00`;
  return { ok: true, expr: `${wd === null ? '' : `${wd} `}${date} ${time}` };
}
