// The @reboot/crontab refresh at scale: the same crontab read again rebuilds nothing that did not
// change, and what did change (processes, a next run that passed, the text) is current.
import { describe, expect, it } from 'vitest';
import { ok } from '../../main/core/errors.js';
import { CronService } from '../../main/core/cron/cron-service.js';
import type { CrontabStore } from '../../main/core/cron/crontab-store.js';
import type { ProcInfo } from '../../main/core/cron/proc-list.js';

describe('CronService refresh', () => {
  it('keeps unchanged jobs as they were and updates pids, next runs and edited text', async () => {
    let text =
      '@reboot /usr/bin/sync-tool --daemon\n*/10 * * * * /usr/bin/backup\n0 3 * * * /bin/x\n';
    let procs: ProcInfo[] = [];
    let now = new Date(2030, 0, 1, 12, 0, 30);
    const store = { read: () => Promise.resolve(ok(text)) } as unknown as CrontabStore;
    const cron = new CronService({
      store,
      processes: () => procs,
      now: () => now,
      cronAtBoot: () => true,
    });
    let changes = 0;
    cron.onChange(() => changes++);
    const first = await cron.list();
    if (!first.ok) throw new Error('no state');
    const [reboot, backup, nightly] = first.value.jobs;
    expect(backup?.nextRun).toBe(new Date(2030, 0, 1, 12, 10).toISOString());
    expect(changes).toBe(1);

    // Same text, same processes, before the next run: the very same objects, no change event.
    now = new Date(2030, 0, 1, 12, 5);
    const same = await cron.list();
    if (!same.ok) throw new Error('no state');
    expect(same.value.jobs[0]).toBe(reboot);
    expect(same.value.jobs[1]).toBe(backup);
    expect(changes).toBe(1);

    // A process now runs the @reboot line, and the 12:10 run has passed.
    procs = [{ pid: 77, comm: 'sync-tool', argv: ['/usr/bin/sync-tool', '--daemon'] }];
    now = new Date(2030, 0, 1, 12, 10, 5);
    const later = await cron.list();
    if (!later.ok) throw new Error('no state');
    expect(later.value.jobs[0]?.pids).toEqual([77]);
    expect(later.value.jobs[1]?.nextRun).toBe(new Date(2030, 0, 1, 12, 20).toISOString());
    expect(later.value.jobs[2]).toBe(nightly);
    expect(changes).toBe(2);

    // A clock set back asks for the next run again.
    now = new Date(2030, 0, 1, 11, 0, 30);
    const back = await cron.list();
    if (!back.ok) throw new Error('no state');
    expect(back.value.jobs[1]?.nextRun).toBe(new Date(2030, 0, 1, 11, 10).toISOString());

    // An edited crontab is read afresh.
    text = '@reboot /usr/bin/other\n';
    const edited = await cron.list();
    if (!edited.ok) throw new Error('no state');
    expect(edited.value.jobs.map((j) => j.command)).toEqual(['/usr/bin/other']);
  });
});
