// When a crontab line runs next. Pure: no I/O; the clock is an argument.
//
// crontab(5) semantics: fields minute hour day-of-month month day-of-week; `*`, lists, ranges,
// steps, month and weekday names, 7 as Sunday. When both day fields are restricted (neither
// starts with `*`), a day matches if either does. Times are local, like cron's.
import type { JobSchedule } from './crontab-document.js';

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

interface Field {
  values: Set<number>;
  star: boolean;
}

function parseField(text: string, min: number, max: number, names?: string[]): Field | null {
  const values = new Set<number>();
  const num = (s: string): number | null => {
    const lower = s.toLowerCase();
    if (names) {
      const i = names.indexOf(lower);
      if (i !== -1) return i + min;
    }
    return /^\d+$/.test(s) ? Number(s) : null;
  };
  for (const part of text.split(',')) {
    const m = /^([^/]+)(?:\/(\d+))?$/.exec(part);
    if (!m) return null;
    const step = m[2] === undefined ? 1 : Number(m[2]);
    if (step < 1) return null;
    let lo: number;
    let hi: number;
    if (m[1] === '*') {
      lo = min;
      hi = max;
    } else {
      const r = /^([^-]+)(?:-([^-]+))?$/.exec(m[1]!);
      if (!r) return null;
      const a = num(r[1]!);
      const b = r[2] === undefined ? (m[2] === undefined ? a : max) : num(r[2]);
      if (a === null || b === null) return null;
      lo = a;
      hi = b;
    }
    if (lo < min || hi > max || lo > hi) return null;
    for (let v = lo; v <= hi; v += step) values.add(v);
  }
  return { values, star: text.startsWith('*') };
}

export interface ParsedSchedule {
  minute: Field;
  hour: Field;
  dom: Field;
  month: Field;
  dow: Field;
}

const SPECIAL_FIELDS: Record<string, string> = {
  yearly: '0 0 1 1 *',
  annually: '0 0 1 1 *',
  monthly: '0 0 1 * *',
  weekly: '0 0 * * 0',
  daily: '0 0 * * *',
  midnight: '0 0 * * *',
  hourly: '0 * * * *',
};

export function parseSchedule(s: JobSchedule): ParsedSchedule | null {
  let fields = s.fields as string[] | null;
  if (s.special !== null) {
    const f = SPECIAL_FIELDS[s.special];
    if (f === undefined) return null;
    fields = f.split(' ');
  }
  if (!fields || fields.length !== 5) return null;
  const minute = parseField(fields[0]!, 0, 59);
  const hour = parseField(fields[1]!, 0, 23);
  const dom = parseField(fields[2]!, 1, 31);
  const month = parseField(fields[3]!, 1, 12, MONTHS);
  const dowRaw = parseField(fields[4]!, 0, 7, DAYS);
  if (!minute || !hour || !dom || !month || !dowRaw) return null;
  if (dowRaw.values.has(7)) dowRaw.values.add(0);
  return { minute, hour, dom, month, dow: dowRaw };
}

function dayMatches(p: ParsedSchedule, d: Date): boolean {
  const domOk = p.dom.values.has(d.getDate());
  const dowOk = p.dow.values.has(d.getDay());
  if (!p.dom.star && !p.dow.star) return domOk || dowOk;
  return domOk && dowOk;
}

/** The next `count` times after `after` that the schedule fires (fewer when it stops). */
export function nextRuns(s: JobSchedule, after: Date, count: number): Date[] {
  const out: Date[] = [];
  let from = after;
  while (out.length < count) {
    const at = nextRun(s, from);
    if (at === null) break;
    out.push(at);
    from = at;
  }
  return out;
}

/** The next time strictly after `after` that the schedule fires, or null (@reboot, invalid, never). */
export function nextRun(s: JobSchedule, after: Date): Date | null {
  if (s.special === 'reboot') return null;
  const p = parseSchedule(s);
  if (!p) return null;
  const t = new Date(after.getTime());
  t.setSeconds(0, 0);
  t.setMinutes(t.getMinutes() + 1);
  const limit = after.getTime() + 5 * 366 * 24 * 3600 * 1000;
  while (t.getTime() <= limit) {
    if (!p.month.values.has(t.getMonth() + 1)) {
      t.setMonth(t.getMonth() + 1, 1);
      t.setHours(0, 0, 0, 0);
      continue;
    }
    if (!dayMatches(p, t)) {
      t.setDate(t.getDate() + 1);
      t.setHours(0, 0, 0, 0);
      continue;
    }
    if (!p.hour.values.has(t.getHours())) {
      t.setHours(t.getHours() + 1, 0, 0, 0);
      continue;
    }
    if (!p.minute.values.has(t.getMinutes())) {
      t.setMinutes(t.getMinutes() + 1, 0, 0);
      continue;
    }
    return t;
  }
  return null;
}
