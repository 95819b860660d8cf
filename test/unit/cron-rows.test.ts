// Crontab lines in the panel and the detail window (issue 14): a timed line is an entry with its
// schedule and next run, opens its own detail window, and its switch means "runs on its
// schedule"; an @reboot line stays what it was (the startup wizard, "At boot").
import { describe, expect, it } from 'vitest';
import { setLanguage } from '../../i18n/index.js';
import { cronEntry } from '../../main/core/cron/cron-service.js';
import type { CronJob } from '../../main/core/model/startup.js';
import { cronLine, secondLine } from '../../renderer/src/panel/panel-view.js';
import {
  openTarget,
  switchAction,
  switchCaption,
  switchMeaning,
} from '../../renderer/src/panel/row-view.js';

function job(patch: Partial<CronJob> = {}): CronJob {
  return {
    key: '1a2b3c4d',
    id: 'cron:1a2b3c4d',
    line: '30 2 * * 1-5 /usr/bin/backup',
    schedule: '30 2 * * 1-5',
    reboot: false,
    enabled: true,
    command: '/usr/bin/backup',
    argv: ['/usr/bin/backup'],
    log: null,
    pids: [],
    nextRun: '2026-01-02T02:30:00.000Z',
    notices: [],
    ...patch,
  };
}

describe('timed crontab lines as rows', () => {
  setLanguage('en');
  const now = Date.parse('2026-01-01T23:30:00.000Z');

  it('carries the schedule and the next run, and opens the detail window', () => {
    const e = cronEntry(job());
    expect(e).toMatchObject({
      id: 'cron:1a2b3c4d',
      name: 'backup',
      subState: '30 2 * * 1-5',
      timer: { next: '2026-01-02T02:30:00.000Z', last: null },
    });
    expect(openTarget(e)).toBe('detail');
    expect(switchCaption(e)).toBe('On schedule');
    expect(switchMeaning(e)).toBe('Runs on its schedule');
    expect(switchAction(e)).toBe('disable');
    expect(cronLine(e, now)).toBe('30 2 * * 1-5 · next in 3 hours');
    expect(secondLine(e, now, () => 'x')).toBe(cronLine(e, now));
  });

  it('a disabled line says so and has no next run', () => {
    const e = cronEntry(job({ enabled: false, nextRun: null }));
    expect(e.subState).toBe('disabled');
    expect(switchAction(e)).toBe('enable');
    expect(switchMeaning(e)).toBe('Does not run on its schedule');
    expect(cronLine(e, now)).toBe('disabled · not planned');
  });

  it('an @reboot line stays a startup row', () => {
    const e = cronEntry(job({ reboot: true, schedule: '@reboot', nextRun: null }));
    expect(e.timer).toBeUndefined();
    expect(e.subState).toBe('@reboot');
    expect(openTarget(e)).toBe('startup');
    expect(switchCaption(e)).toBe('At boot');
  });

  it('speaks Korean too', () => {
    setLanguage('ko');
    expect(switchCaption(cronEntry(job()))).toBe('일정대로');
    setLanguage('en');
  });
});
