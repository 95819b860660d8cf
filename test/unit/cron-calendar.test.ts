// `cron to-timer`'s schedule (issue 14, "Done when" 3): for ten real-world crontab schedules, the
// next five runs systemd computes for the OnCalendar= expression written (systemd-analyze
// calendar --base-time= a fixed time, --iterations=5) equal cron's next five (cron-schedule.ts).
// The time zone is one with a day boundary away from UTC's, so local time has to be right; what
// cron's next five are is also written out by hand for a few, so the cron side is checked too.
// And what systemd cannot say in one expression is refused, with the reason.
process.env.TZ = 'Asia/Seoul';

import { describe, expect, it } from 'vitest';
import { createLocalHost } from '../../main/core/host/local-host.js';
import { analyzeCalendar } from '../../main/core/timers/calendar.js';
import { component, cronToCalendar } from '../../main/core/cron/cron-calendar.js';
import { nextRuns } from '../../main/core/cron/cron-schedule.js';
import { scheduleOf } from '../../main/core/cron/cron-service.js';
import { timerFormFor, timerNameFor } from '../../main/core/cron/cron-to-timer.js';

const host = createLocalHost({ ...process.env, TZ: 'Asia/Seoul' });
// Thursday, 1 January 2026, 10:30 in Seoul (01:30 UTC).
const BASE = new Date('2026-01-01T01:30:00Z');

function sched(text: string) {
  const s = scheduleOf(text);
  if (s === null) throw new Error(`not a schedule: ${text}`);
  return s;
}

// Schedules as people write them (backups, log rotation, reports, certificate renewal...).
const REAL_WORLD = [
  '*/15 * * * *',
  '0 2 * * *',
  '30 4 * * 1-5',
  '0 */6 * * *',
  '15 3 1 * *',
  '0 9 * * mon,wed,fri',
  '@hourly',
  '@weekly',
  '0 0 1 jan,jul *',
  '5 8-18/2 * * 1-5',
  '0 12 */2 * *',
  '45 23 * * 0',
];

describe('cron to-timer: OnCalendar= with the same runs as cron', () => {
  it.each(REAL_WORLD)('%s', async (text) => {
    const s = sched(text);
    const conv = cronToCalendar(s);
    expect(conv.ok).toBe(true);
    if (!conv.ok) return;
    const cron = nextRuns(s, BASE, 5).map((d) => d.toISOString());
    expect(cron).toHaveLength(5);
    const systemd = await analyzeCalendar(host, conv.expr, { count: 5, base: BASE });
    expect(systemd.ok, JSON.stringify(systemd)).toBe(true);
    if (systemd.ok) expect(systemd.value.next).toEqual(cron);
  });

  it("cron's own next runs, by hand (Seoul time)", () => {
    const seoul = (s: string) => new Date(`${s}:00+09:00`).toISOString();
    expect(nextRuns(sched('30 4 * * 1-5'), BASE, 3).map((d) => d.toISOString())).toEqual([
      seoul('2026-01-02T04:30'),
      seoul('2026-01-05T04:30'),
      seoul('2026-01-06T04:30'),
    ]);
    expect(nextRuns(sched('0 */6 * * *'), BASE, 3).map((d) => d.toISOString())).toEqual([
      seoul('2026-01-01T12:00'),
      seoul('2026-01-01T18:00'),
      seoul('2026-01-02T00:00'),
    ]);
    // Both day fields set: either matches (the 13th, or any Friday).
    expect(nextRuns(sched('0 0 13 * 5'), BASE, 3).map((d) => d.toISOString())).toEqual([
      seoul('2026-01-02T00:00'),
      seoul('2026-01-09T00:00'),
      seoul('2026-01-13T00:00'),
    ]);
    expect(nextRuns(sched('@reboot'), BASE, 3)).toEqual([]);
  });

  it('writes readable components', () => {
    expect(cronToCalendar(sched('*/15 * * * *'))).toEqual({ ok: true, expr: '*-*-* *:00/15:00' });
    expect(cronToCalendar(sched('30 4 * * 1-5'))).toEqual({
      ok: true,
      expr: 'Mon..Fri *-*-* 04:30:00',
    });
    expect(cronToCalendar(sched('0 0 * * sat,sun'))).toEqual({
      ok: true,
      expr: 'Sat,Sun *-*-* 00:00:00',
    });
    expect(cronToCalendar(sched('@daily'))).toEqual({ ok: true, expr: '*-*-* 00:00:00' });
    expect(component(new Set([1, 2, 3, 7]), 0, 59)).toBe('01..03,07');
  });

  it('says plainly what one timer cannot say', () => {
    const or = cronToCalendar(sched('0 0 13 * 5'));
    expect(or).toMatchObject({ ok: false, reason: 'day-or-weekday' });
    if (!or.ok) expect(or.message).toContain('either');
    expect(cronToCalendar(sched('@reboot'))).toMatchObject({ ok: false, reason: 'reboot' });
    expect(cronToCalendar(sched('0 0 32 * *'))).toMatchObject({ ok: false, reason: 'invalid' });
    // Either field covering every day: every day, which one expression says.
    expect(cronToCalendar(sched('0 6 1 * 0-6'))).toEqual({ ok: true, expr: '*-*-* 06:00:00' });
    // A day field that starts with * is not "restricted" for cron: both must match.
    expect(cronToCalendar(sched('0 6 */2 * 1'))).toEqual({
      ok: true,
      expr: 'Mon *-*-01/2 06:00:00',
    });
  });

  it('the command runs as cron runs it', () => {
    const plain = timerFormFor(
      {
        schedule: '0 2 * * *',
        command: '/usr/bin/backup --all',
        argv: ['/usr/bin/backup', '--all'],
        log: null,
      },
      [],
      'backup',
    );
    expect(plain).toMatchObject({
      ok: true,
      value: {
        argv: ['/usr/bin/backup', '--all'],
        when: { kind: 'calendar', expr: '*-*-* 02:00:00' },
      },
    });
    const shell = timerFormFor(
      { schedule: '@daily', command: 'cd /srv && make > /tmp/x 2>&1', argv: null, log: null },
      [
        { name: 'MAILTO', value: 'me' },
        { name: 'PATH', value: '/opt/bin:/usr/bin' },
      ],
      'make',
    );
    expect(shell).toMatchObject({
      ok: true,
      value: {
        argv: [
          '/usr/bin/env',
          'PATH=/opt/bin:/usr/bin',
          '/bin/sh',
          '-c',
          'cd /srv && make > /tmp/x 2>&1',
        ],
      },
    });
    const stdin = timerFormFor(
      { schedule: '@daily', command: 'mail x%hello', argv: null, log: null },
      [],
      'm',
    );
    expect(stdin).toMatchObject({ ok: false, error: { code: 'unsupported' } });
    expect(timerNameFor({ argv: ['/usr/local/bin/backup.sh'], command: '' })).toBe('backup-sh');
    expect(timerNameFor({ argv: null, command: '$(weird)' })).toBe('weird');
  });
});
