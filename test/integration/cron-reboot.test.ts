// @reboot entries against the real crontab(1) and cron daemon, in a private mount namespace
// (issue 5, "Done when" 2 and 3). The invoking user's own crontab must be unchanged afterwards.
import { readFile, writeFile, chmod } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CrontabStore } from '../../main/core/cron/crontab-store.js';
import { CronService } from '../../main/core/cron/cron-service.js';
import { DISABLED_MARKER } from '../../main/core/cron/crontab-document.js';
import { hostCrontab, startCronSandbox, type CronSandbox } from '../harness/cron-sandbox.js';
import { waitFor } from '../helpers/units.js';

describe('@reboot entries with the real cron', () => {
  let sb: CronSandbox;
  let hostBefore: string;
  let backupDir: string;

  const service = (beforeCommit?: () => Promise<void>) =>
    new CronService({
      store: new CrontabStore({
        crontab: sb.crontab,
        backupDir,
        ...(beforeCommit ? { beforeCommit } : {}),
      }),
      env: { HOME: sb.root, USER: 'root', PATH: '/usr/bin:/bin' },
    });
  const installed = async () => (await sb.exec(['crontab', '-l'])).stdout;

  beforeAll(async () => {
    hostBefore = await hostCrontab();
    sb = await startCronSandbox();
    backupDir = join(sb.root, 'backups');
  });
  afterAll(async () => {
    await sb?.stop();
    // The invoking user's crontab is exactly as it was.
    expect(await hostCrontab()).toBe(hostBefore);
  });
  beforeEach(async () => {
    await sb.exec(['crontab', '-r']);
  });

  it('reads "no crontab" as empty and keeps foreign lines byte for byte', async () => {
    const cron = service();
    const empty = await cron.list();
    expect(empty).toMatchObject({ ok: true, value: { installed: true, jobs: [] } });
    const foreign = 'MAILTO=""\n# mine\t \n*/5 * * * *\t/usr/bin/true 50\\%  \n\n@daily /bin/x\n';
    expect((await sb.exec(['crontab', '-'], foreign)).code).toBe(0);
    const r = await cron.add(['/usr/bin/touch', join(sb.root, 'm')]);
    expect(r.ok).toBe(true);
    const text = await installed();
    expect(text.startsWith(foreign)).toBe(true);
    expect(text.slice(foreign.length)).toBe(`@reboot /usr/bin/touch ${join(sb.root, 'm')}\n`);
    const s = await cron.list();
    expect(s.ok && s.value.jobs.find((j) => j.schedule === '*/5 * * * *')?.nextRun).toBeTruthy();
  });

  it('an @reboot entry added by the app runs when cron starts, a disabled one does not', async () => {
    const cron = service();
    const on = join(sb.root, 'ran-enabled');
    const off = join(sb.root, 'ran-disabled');
    const args = join(sb.root, 'args.txt');
    // A recorder that writes each argument on its own line: proves quoting and % escaping.
    const rec = join(sb.root, 'rec.sh');
    await writeFile(rec, '#!/bin/sh\nout=$1; shift\nprintf "%s\\n" "$@" > "$out"\n');
    await chmod(rec, 0o755);
    const odd = ['a b', '50%', "it's", 'back\\slash', '$HOME', 'x\\%y', '"q"', '%%', ''];
    const a = await cron.add(['/usr/bin/touch', on]);
    const b = await cron.add(['/usr/bin/touch', off]);
    const c = await cron.add([rec, args, ...odd], { log: join(sb.root, 'rec.log') });
    expect(a.ok && b.ok && c.ok).toBe(true);
    if (!b.ok) return;
    const before = await installed();
    const d = await cron.setEnabled(b.value.key!, false);
    expect(d.ok).toBe(true);
    const after = await installed();
    const offLine = before.split('\n').find((l) => l.includes(off))!;
    expect(after).toBe(before.replace(offLine, DISABLED_MARKER + offLine));

    const daemon = await sb.startCron();
    try {
      await waitFor(() => existsSync(on) && existsSync(args), 'the @reboot jobs to run', 10_000);
      // Give the disabled line every chance to run too.
      await new Promise((r) => setTimeout(r, 1500));
      expect(existsSync(off)).toBe(false);
      expect(await readFile(args, 'utf8')).toBe(odd.map((o) => o + '\n').join(''));
      const state = await cron.list();
      expect(state.ok && state.value.running).toBe(true);
    } finally {
      await daemon.stop();
    }

    // Enabling restores the exact original bytes.
    const e = await cron.setEnabled(b.value.key!, true);
    expect(e.ok).toBe(true);
    expect(await installed()).toBe(before);
  });

  it('does not overwrite a crontab changed between read and write; nothing is lost', async () => {
    await sb.exec(['crontab', '-'], '@reboot /usr/bin/true first\n');
    const theirs = '@reboot /usr/bin/true first\n# added by crontab -e meanwhile\n';
    const cron = service(async () => {
      expect((await sb.exec(['crontab', '-'], theirs)).code).toBe(0);
    });
    const r = await cron.add(['/usr/bin/touch', '/nonexistent/x']);
    expect(r).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await installed()).toBe(theirs);

    // A stale revision from the UI is refused too.
    const plain = service();
    const s = await plain.list();
    expect(s.ok).toBe(true);
    await sb.exec(['crontab', '-'], theirs + '# another\n');
    const stale = await plain.add(['/usr/bin/true'], { revision: s.ok ? s.value.revision : '' });
    expect(stale).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await installed()).toBe(theirs + '# another\n');
  });

  it('keeps a backup of each replaced crontab and undoes the last change', async () => {
    const cron = service();
    await sb.exec(['crontab', '-'], '# original\n');
    const r = await cron.add(['/usr/bin/true']);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const rm = await cron.remove(r.value.key!);
    expect(rm.ok && rm.value.state.backups.length).toBeGreaterThanOrEqual(2);
    expect(await installed()).toBe('# original\n');
    expect((await cron.undo()).ok).toBe(true);
    expect(await installed()).toBe('# original\n@reboot /usr/bin/true\n');
    expect((await cron.undo()).ok).toBe(true);
    expect(await installed()).toBe('# original\n');
  });

  it('runs an entry now, detached, with cron environment', async () => {
    const cron = service();
    const out = join(sb.root, 'env.txt');
    const r = await cron.add(['/bin/sh', '-c', `env > ${out}`]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const run = await cron.runNow(r.value.key!);
    expect(run.ok).toBe(true);
    const env = await waitFor(
      async () => (existsSync(out) ? (await readFile(out, 'utf8')) || null : null),
      'the job to write its environment',
    );
    expect(env).toMatch(/^PATH=\/usr\/bin:\/bin$/m);
    expect(env).toMatch(/^SHELL=\/bin\/sh$/m);
    expect(env).not.toMatch(/^(DISPLAY|DBUS_SESSION_BUS_ADDRESS|XDG_RUNTIME_DIR)=/m);
  });

  it('tells the user about relative paths and desktop programs', async () => {
    const cron = service();
    const r = await cron.add(['notify-send', 'hello']);
    expect(r.ok).toBe(true);
    const job = r.ok ? r.value.state.jobs[0] : undefined;
    expect(job?.notices.map((n) => n.code).sort()).toEqual(['no-display', 'relative-path']);
    expect(r.ok && r.value.state.notices.map((n) => n.code)).toContain('reboot-only-at-cron-start');
  });

  it('keeps only the last few backups', async () => {
    const store = new CrontabStore({
      crontab: sb.crontab,
      backupDir: join(sb.root, 'few'),
      keepBackups: 3,
    });
    const cron = new CronService({ store, env: { HOME: sb.root, PATH: '/usr/bin:/bin' } });
    for (let i = 0; i < 5; i++)
      expect((await cron.add(['/usr/bin/true', String(i)])).ok).toBe(true);
    const backups = await store.backups();
    expect(backups.map((b) => b.after.split('\n').length - 1)).toEqual([5, 4, 3]);
  });

  it('says cron is not installed when there is no crontab command', async () => {
    const cron = new CronService({
      store: new CrontabStore({ crontab: [join(sb.root, 'no-such-crontab')], backupDir }),
    });
    const s = await cron.list();
    expect(s).toMatchObject({ ok: true, value: { installed: false, jobs: [] } });
    expect(s.ok && s.value.notices.map((n) => n.code)).toEqual(['cron-not-installed']);
    const add = await cron.add(['/usr/bin/true']);
    expect(add).toMatchObject({ ok: false, error: { code: 'unsupported' } });
  });
});
