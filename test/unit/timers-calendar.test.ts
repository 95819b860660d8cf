// The schedule builder against systemd itself: for each schedule picked in words, the next five
// runs systemd computes for the expression the builder wrote (systemd-analyze calendar, a fixed
// base time, TZ=UTC) equal the runs the schedule means, written out by hand below. And what
// systemd refuses is refused with systemd's own reason.
import { describe, expect, it } from 'vitest';
import { createLocalHost } from '../../main/core/host/local-host.js';
import {
  analyzeCalendar,
  checkTimespan,
  parseAnalyzeCalendar,
} from '../../main/core/timers/calendar.js';
import {
  scheduleExpression,
  scheduleIssues,
  scheduleOf,
  type Schedule,
} from '../../main/core/model/timer-schedule.js';

const host = createLocalHost({ ...process.env, TZ: 'UTC' });
// Thursday, 1 January 2026, 10:30 UTC.
const BASE = new Date('2026-01-01T10:30:00Z');

/** Runs written as `YYYY-MM-DD HH:MM` (UTC), as ISO strings. */
const runs = (...times: string[]) => times.map((x) => `${x.replace(' ', 'T')}:00.000Z`);
/** Five runs on one day at the given times. */
const on = (day: string, ...times: string[]) => runs(...times.map((x) => `${day} ${x}`));
/** Five runs at one time on the given days. */
const at = (time: string, ...days: string[]) => runs(...days.map((x) => `${x} ${time}`));

// One schedule a line, as a table: the words, the schedule, its next five runs by hand.
// prettier-ignore
const CASES: Array<[string, Schedule, string[]]> = [
  ['every 15 minutes', { kind: 'minutes', every: 15 }, on('2026-01-01', '10:45', '11:00', '11:15', '11:30', '11:45')],
  ['every minute', { kind: 'minutes', every: 1 }, on('2026-01-01', '10:31', '10:32', '10:33', '10:34', '10:35')],
  ['every 20 minutes', { kind: 'minutes', every: 20 }, on('2026-01-01', '10:40', '11:00', '11:20', '11:40', '12:00')],
  ['every 30 minutes', { kind: 'minutes', every: 30 }, on('2026-01-01', '11:00', '11:30', '12:00', '12:30', '13:00')],
  ['every hour at :05', { kind: 'hours', every: 1, minute: 5 }, on('2026-01-01', '11:05', '12:05', '13:05', '14:05', '15:05')],
  ['every 6 hours', { kind: 'hours', every: 6, minute: 0 }, runs('2026-01-01 12:00', '2026-01-01 18:00', '2026-01-02 00:00', '2026-01-02 06:00', '2026-01-02 12:00')],
  ['every 4 hours at :30', { kind: 'hours', every: 4, minute: 30 }, runs('2026-01-01 12:30', '2026-01-01 16:30', '2026-01-01 20:30', '2026-01-02 00:30', '2026-01-02 04:30')],
  ['every day at 09:00', { kind: 'daily', at: '09:00' }, at('09:00', '2026-01-02', '2026-01-03', '2026-01-04', '2026-01-05', '2026-01-06')],
  ['every day at 23:59', { kind: 'daily', at: '23:59' }, at('23:59', '2026-01-01', '2026-01-02', '2026-01-03', '2026-01-04', '2026-01-05')],
  ['every weekday at 09:00', { kind: 'weekdays', at: '09:00' }, at('09:00', '2026-01-02', '2026-01-05', '2026-01-06', '2026-01-07', '2026-01-08')],
  ['weekends at 10:00', { kind: 'weekends', at: '10:00' }, at('10:00', '2026-01-03', '2026-01-04', '2026-01-10', '2026-01-11', '2026-01-17')],
  ['Monday, Wednesday and Friday at 18:00', { kind: 'weekly', days: ['Fri', 'Mon', 'Wed'], at: '18:00' }, at('18:00', '2026-01-02', '2026-01-05', '2026-01-07', '2026-01-09', '2026-01-12')],
  ['Tuesday to Thursday at 12:00', { kind: 'weekly', days: ['Tue', 'Wed', 'Thu'], at: '12:00' }, at('12:00', '2026-01-01', '2026-01-06', '2026-01-07', '2026-01-08', '2026-01-13')],
  ['the 1st of every month at midnight', { kind: 'monthly', day: 1, at: '00:00' }, at('00:00', '2026-02-01', '2026-03-01', '2026-04-01', '2026-05-01', '2026-06-01')],
  ['the 15th of every month at 12:00', { kind: 'monthly', day: 15, at: '12:00' }, at('12:00', '2026-01-15', '2026-02-15', '2026-03-15', '2026-04-15', '2026-05-15')],
  ['the 31st (months without one skipped) at 10:00', { kind: 'monthly', day: 31, at: '10:00' }, at('10:00', '2026-01-31', '2026-03-31', '2026-05-31', '2026-07-31', '2026-08-31')],
  ['the last day of the month at 23:00', { kind: 'monthly', day: 'last', at: '23:00' }, at('23:00', '2026-01-31', '2026-02-28', '2026-03-31', '2026-04-30', '2026-05-31')],
  ['the first Monday of the month at 09:30', { kind: 'nth-weekday', nth: 1, weekday: 'Mon', at: '09:30' }, at('09:30', '2026-01-05', '2026-02-02', '2026-03-02', '2026-04-06', '2026-05-04')],
  ['the last Friday of the month at 17:00', { kind: 'nth-weekday', nth: 'last', weekday: 'Fri', at: '17:00' }, at('17:00', '2026-01-30', '2026-02-27', '2026-03-27', '2026-04-24', '2026-05-29')],
  ['the third Wednesday of the month at 08:00', { kind: 'nth-weekday', nth: 3, weekday: 'Wed', at: '08:00' }, at('08:00', '2026-01-21', '2026-02-18', '2026-03-18', '2026-04-15', '2026-05-20')],
  ['the second Sunday of the month at 10:00', { kind: 'nth-weekday', nth: 2, weekday: 'Sun', at: '10:00' }, at('10:00', '2026-01-11', '2026-02-08', '2026-03-08', '2026-04-12', '2026-05-10')],
  ['the fourth Thursday of the month at 11:00', { kind: 'nth-weekday', nth: 4, weekday: 'Thu', at: '11:00' }, at('11:00', '2026-01-22', '2026-02-26', '2026-03-26', '2026-04-23', '2026-05-28')],
  ['every 29 February at 12:00', { kind: 'yearly', month: 2, day: 29, at: '12:00' }, at('12:00', '2028-02-29', '2032-02-29', '2036-02-29', '2040-02-29', '2044-02-29')],
  ['every 25 December at 08:00', { kind: 'yearly', month: 12, day: 25, at: '08:00' }, at('08:00', '2026-12-25', '2027-12-25', '2028-12-25', '2029-12-25', '2030-12-25')],
];

describe('the schedule builder against systemd-analyze calendar', () => {
  it('has at least 20 schedules', () => expect(CASES.length).toBeGreaterThanOrEqual(20));

  it.each(CASES)('%s', async (_words, schedule, expected) => {
    expect(scheduleIssues(schedule)).toEqual([]);
    const expr = scheduleExpression(schedule);
    const r = await analyzeCalendar(host, expr, { count: 5, base: BASE });
    if (!r.ok) throw new Error(`systemd refused ${expr}: ${r.error.message}`);
    expect(r.value.next).toEqual(expected);
    // systemd's normalised form is what the builder wrote: editing reopens the builder on it.
    expect(r.value.normalized).toBe(expr);
    const back = scheduleOf(expr);
    expect(back).not.toBeNull();
    expect(scheduleExpression(back!)).toBe(expr);
  });
});

// systemd 252's words for each (stderr of systemd-analyze calendar).
const REFUSED: Array<[string, string]> = [
  ['25:00', 'Invalid argument'],
  ['Mon..Fri 25:00', 'Invalid argument'],
  ['*-*-32', 'Invalid argument'],
  ['Foo *-*-*', 'Invalid argument'],
  ['*-13-01', 'Invalid argument'],
  ['12:61', 'Invalid argument'],
  ['every day', 'Invalid argument'],
  ['*-*-* 1:2:3:4', 'Invalid argument'],
  ['Mon/2', 'Invalid argument'],
  ['*:0/0', 'Numerical result out of range'],
  ['00:00:60', 'Invalid argument'],
];

describe('expressions systemd refuses', () => {
  it('lists at least ten', () => expect(REFUSED.length).toBeGreaterThanOrEqual(10));

  it.each(REFUSED)('%s is refused with systemd reason', async (expr, why) => {
    const r = await analyzeCalendar(host, expr, { count: 5, base: BASE });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('invalid-input');
    expect(r.error.message).toBe(`Failed to parse calendar specification '${expr}': ${why}`);
  });

  it('a schedule the builder cannot write is an issue, not an expression', () => {
    expect(scheduleIssues({ kind: 'minutes', every: 7 })).toEqual([
      { field: 'every', key: 'schedule.issue.minuteStep' },
    ]);
    expect(scheduleIssues({ kind: 'daily', at: '24:00' })).toEqual([
      { field: 'at', key: 'schedule.issue.time' },
    ]);
    expect(() => scheduleExpression({ kind: 'monthly', day: 32, at: '10:00' })).toThrow();
  });

  it('an expression that never elapses again has no next runs', async () => {
    const r = await analyzeCalendar(host, '2020-01-01', { count: 5, base: BASE });
    expect(r.ok && r.value.next).toEqual([]);
  });

  it('durations: systemd accepts 15min and 1h 30min, refuses "soon" with its reason', async () => {
    const a = await checkTimespan(host, '1h 30min');
    expect(a.ok && a.value.seconds).toBe(5400);
    const b = await checkTimespan(host, 'soon');
    expect(!b.ok && b.error.message).toBe("Failed to parse time span 'soon': Invalid argument");
  });
});

describe('parseAnalyzeCalendar', () => {
  it('takes the (in UTC) line after a local time', () => {
    const text = [
      '  Original form: daily',
      'Normalized form: *-*-* 00:00:00',
      '    Next elapse: Fri 2026-01-02 00:00:00 KST',
      '       (in UTC): Thu 2026-01-01 15:00:00 UTC',
      '       From now: 11 months 4 days ago',
      '       Iter. #2: Sat 2026-01-03 00:00:00 KST',
      '       (in UTC): Fri 2026-01-02 15:00:00 UTC',
    ].join('\n');
    expect(parseAnalyzeCalendar(text)).toEqual({
      normalized: '*-*-* 00:00:00',
      next: ['2026-01-01T15:00:00.000Z', '2026-01-02T15:00:00.000Z'],
    });
  });
});
