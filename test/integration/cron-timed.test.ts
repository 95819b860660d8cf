// Crontab lines beyond @reboot (issue 14) against the real crontab(1) in a private mount
// namespace (test/harness/cron-sandbox.ts) and the sandbox's own systemd --user: enable, disable,
// edit the schedule and the command, remove, run now and undo for a timed line, through the core
// and through the CLI (bin/daemon-deck.js, built), each leaving every other byte of the crontab
// as it was; the real cron daemon running the edited line; and "Move to a timer", whose timer `systemctl --user list-timers` lists, the line
// disabled, one undo giving back both. The invoking user's crontab is unchanged afterwards.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../main/core/app.js';
import { CrontabStore } from '../../main/core/cron/crontab-store.js';
import { CronService } from '../../main/core/cron/cron-service.js';
import { DISABLED_MARKER } from '../../main/core/cron/crontab-document.js';
import { moveToTimer, undoToTimer } from '../../main/core/cron/cron-to-timer.js';
import type { CronState } from '../../main/core/model/startup.js';
import { createMemoryBackend } from '../../main/core/settings/settings.js';
import { hostCrontab, startCronSandbox, type CronSandbox } from '../harness/cron-sandbox.js';
import { startSandbox, type Sandbox } from '../harness/sandbox.js';
import { runCli } from '../helpers/cli.js';
import { waitFor } from '../helpers/units.js';

// Lines the app does not own, with the oddities real crontabs have, around one timed line.
const HEAD = '# m h dom mon dow command\nMAILTO=""\n\t# tabbed comment  \nFOO = bar baz\n';
const TAIL = '@reboot /usr/bin/true\n\n0 4 * * sun  /usr/bin/env  > /dev/null 2>&1\n';

describe('timed crontab lines and Move to a timer', () => {
  let cronSb: CronSandbox;
  let sb: Sandbox;
  let core: Core;
  let env: NodeJS.ProcessEnv;
  let hostBefore: string;

  const installed = async () => (await cronSb.exec(['crontab', '-l'])).stdout;
  const install = async (text: string) => {
    const r = await cronSb.exec(['crontab', '-'], text);
    if (r.code !== 0) throw new Error(`crontab -: ${r.stderr}`);
  };
  const cli = (...args: string[]) => runCli(env, ...args);
  const service = () =>
    new CronService({
      store: new CrontabStore({ crontab: cronSb.crontab, env: sb.env }),
      env: sb.env,
    });
  const keyOf = async (cron: CronService, needle: string) => {
    const s = await cron.state();
    if (!s.ok) throw new Error(s.error.message);
    const job = s.value.jobs.find((j) => j.line.includes(needle));
    if (!job) throw new Error(`no line with ${needle}`);
    return job.key;
  };

  beforeAll(async () => {
    hostBefore = await hostCrontab();
    cronSb = await startCronSandbox();
    sb = await startSandbox({ label: 'cron-timed' });
    env = { ...sb.env, DAEMON_DECK_CRONTAB_ARGV: JSON.stringify(cronSb.crontab) };
    core = createCore({
      env,
      busAddress: sb.busAddress,
      settingsBackend: createMemoryBackend(),
      crontab: cronSb.crontab,
      pollMs: { processes: 60_000, sessions: 60_000, startup: 60_000 },
    });
    await core.monitor.start(['systemd']);
  }, 60_000);

  afterAll(async () => {
    await core?.stop();
    await sb?.stop();
    await cronSb?.stop();
    expect(await hostCrontab()).toBe(hostBefore);
  });

  beforeEach(async () => {
    await cronSb.exec(['crontab', '-r']);
  });

  it('through the core: edit schedule and command, disable, enable, run, remove, undo; only its line changes', async () => {
    const marker = join(sb.root, 'core-ran');
    const line = `*/5 * * * * /usr/bin/touch ${marker}\n`;
    await install(HEAD + line + TAIL);
    const cron = service();
    const key = await keyOf(cron, 'core-ran');

    const listed = await cron.state();
    expect(listed.ok && listed.value.jobs.find((j) => j.key === key)?.nextRun).toMatch(
      /:[0-5][05]:00\.000Z$/,
    );

    const off = await cron.setEnabled(key, false);
    expect(off.ok).toBe(true);
    expect(await installed()).toBe(HEAD + DISABLED_MARKER + line + TAIL);
    const on = await cron.setEnabled(key, true);
    expect(on.ok).toBe(true);
    expect(await installed()).toBe(HEAD + line + TAIL);

    const sched = await cron.change(key, { schedule: '30 2 * * 1-5' });
    expect(sched.ok, JSON.stringify(sched)).toBe(true);
    expect(await installed()).toBe(`${HEAD}30 2 * * 1-5 /usr/bin/touch ${marker}\n${TAIL}`);
    const k2 = sched.ok ? sched.value.key! : '';
    expect(sched.ok && sched.value.state.jobs.find((j) => j.key === k2)?.schedule).toBe(
      '30 2 * * 1-5',
    );

    const cmd = await cron.change(k2, { argv: ['/usr/bin/touch', `${marker} 2`] });
    expect(cmd.ok).toBe(true);
    expect(await installed()).toBe(`${HEAD}30 2 * * 1-5 /usr/bin/touch '${marker} 2'\n${TAIL}`);
    const k3 = cmd.ok ? cmd.value.key! : '';

    // A schedule cron cannot read is refused and nothing is written.
    const bad = await cron.change(k3, { schedule: '61 * * * *' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(await installed()).toBe(`${HEAD}30 2 * * 1-5 /usr/bin/touch '${marker} 2'\n${TAIL}`);

    // Run now: cron's environment, the crontab's own NAME=value lines.
    const run = await cron.runNow(k3);
    expect(run.ok).toBe(true);
    await waitFor(() => existsSync(`${marker} 2`), 'run now to touch the file');

    const undo = await cron.undo();
    expect(undo.ok).toBe(true);
    expect(await installed()).toBe(`${HEAD}30 2 * * 1-5 /usr/bin/touch ${marker}\n${TAIL}`);

    const rm = await cron.remove(k2);
    expect(rm.ok).toBe(true);
    expect(await installed()).toBe(HEAD + TAIL);
    expect((await cron.undo()).ok).toBe(true);
    expect(await installed()).toBe(`${HEAD}30 2 * * 1-5 /usr/bin/touch ${marker}\n${TAIL}`);
  });

  it('the real cron daemon runs the edited line, not the old one', async () => {
    const before = join(sb.root, 'daemon-old');
    const after = join(sb.root, 'daemon-new');
    await install(`${HEAD}* * * * * /usr/bin/touch ${before}\n${TAIL}`);
    const cron = service();
    const edited = await cron.change(await keyOf(cron, 'daemon-old'), {
      argv: ['/usr/bin/touch', after],
    });
    expect(edited.ok).toBe(true);
    expect(await installed()).toBe(`${HEAD}* * * * * /usr/bin/touch ${after}\n${TAIL}`);
    const daemon = await cronSb.startCron();
    try {
      // cron runs every-minute lines at the start of the next minute.
      await waitFor(() => existsSync(after), 'cron to run the edited line', 75_000);
      expect(existsSync(before)).toBe(false);
    } finally {
      await daemon.stop();
    }
  }, 100_000);

  it('run now of a timed line gets cron environment and the crontab variables', async () => {
    const out = join(sb.root, 'timed-env.txt');
    await install(`${HEAD}0 3 * * * env > ${out}\n${TAIL}`);
    const cron = service();
    const run = await cron.runNow(await keyOf(cron, 'timed-env'));
    expect(run.ok).toBe(true);
    const text = await waitFor(
      async () => (existsSync(out) ? (await readFile(out, 'utf8')) || null : null),
      'the job to write its environment',
    );
    expect(text).toMatch(/^PATH=\/usr\/bin:\/bin$/m);
    expect(text).toMatch(/^FOO=bar baz$/m);
    expect(text).not.toMatch(/^(DISPLAY|DBUS_SESSION_BUS_ADDRESS|XDG_RUNTIME_DIR)=/m);
  });

  it('through the CLI: list --json with next runs, edit, disable, enable, run, rm, undo', async () => {
    const marker = join(sb.root, 'cli-ran');
    const line = `15 3 1 * * /usr/bin/touch ${marker}\n`;
    await install(HEAD + line + TAIL);
    const list = await cli('cron', 'list', '--json');
    expect(list.code, list.stderr).toBe(0);
    const state = JSON.parse(list.stdout) as Omit<CronState, 'jobs'> & {
      jobs: Array<CronState['jobs'][number] & { nextRuns: string[] }>;
    };
    const job = state.jobs.find((j) => j.line.includes('cli-ran'))!;
    expect(job.nextRuns).toHaveLength(5);
    expect(job.nextRun).toBe(job.nextRuns[0]);
    // On the 1st of five consecutive months, at 03:15 local time.
    const months = job.nextRuns.map((r) => new Date(r));
    for (const d of months) expect([d.getDate(), d.getHours(), d.getMinutes()]).toEqual([1, 3, 15]);

    const edit = await cli('cron', 'edit', `cron:${job.key}`, '--schedule', '@daily', '--json');
    expect(edit.code, edit.stderr).toBe(0);
    const edited = JSON.parse(edit.stdout) as { key: string; job: { schedule: string } };
    expect(edited.job.schedule).toBe('@daily');
    expect(await installed()).toBe(`${HEAD}@daily /usr/bin/touch ${marker}\n${TAIL}`);

    const edit2 = await cli('cron', 'edit', edited.key, '--', '/usr/bin/touch', `${marker}2`);
    expect(edit2.code, edit2.stderr).toBe(0);
    const k = edit2.stdout.trim();
    expect(await installed()).toBe(`${HEAD}@daily /usr/bin/touch ${marker}2\n${TAIL}`);

    expect((await cli('cron', 'disable', k, '--json')).code).toBe(0);
    expect(await installed()).toBe(
      `${HEAD}${DISABLED_MARKER}@daily /usr/bin/touch ${marker}2\n${TAIL}`,
    );
    expect((await cli('cron', 'enable', k)).code).toBe(0);
    expect(await installed()).toBe(`${HEAD}@daily /usr/bin/touch ${marker}2\n${TAIL}`);

    const run = await cli('cron', 'run', k, '--json');
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ pid: expect.any(Number) as number });
    await waitFor(() => existsSync(`${marker}2`), 'cron run to start the command');

    expect((await cli('cron', 'rm', k)).code).toBe(0);
    expect(await installed()).toBe(HEAD + TAIL);
    expect((await cli('cron', 'undo')).code).toBe(0);
    expect(await installed()).toBe(`${HEAD}@daily /usr/bin/touch ${marker}2\n${TAIL}`);

    const badSched = await cli('cron', 'edit', k, '--schedule', '* * *');
    expect(badSched.code).toBe(1);
    expect(badSched.stderr).toContain('not a schedule cron can read');
    const nothing = await cli('cron', 'edit', k);
    expect(nothing.code).toBe(2);
  });

  it('Move to a timer through the core: list-timers shows it, the line is disabled, undo restores both', async () => {
    const line = '30 4 * * 1-5 /usr/bin/true\n';
    await install(HEAD + line + TAIL);
    const cron = core.startup.cron;
    const key = await keyOf(cron, '30 4 * * 1-5');
    const deps = {
      cron,
      timers: core.timers,
      undoUnits: (token: string) => core.authoring.undo(token),
    };
    const moved = await moveToTimer(deps, key, { name: 'dd-cron-true' });
    expect(moved.ok, JSON.stringify(moved)).toBe(true);
    if (!moved.ok) return;
    expect(moved.value.expr).toBe('Mon..Fri *-*-* 04:30:00');
    expect(await installed()).toBe(HEAD + DISABLED_MARKER + line + TAIL);
    const timers = (await sb.systemctl('list-timers', '--all', '--no-pager', '--no-legend')).stdout;
    expect(timers).toContain('dd-cron-true.timer');
    expect(
      (await sb.systemctl('show', 'dd-cron-true.timer', '-p', 'TimersCalendar', '--value')).stdout,
    ).toContain('Mon..Fri *-*-* 04:30:00');

    const undo = await undoToTimer(deps, moved.value.undo);
    expect(undo.ok, JSON.stringify(undo)).toBe(true);
    expect(await installed()).toBe(HEAD + line + TAIL);
    expect(existsSync(join(sb.env.XDG_CONFIG_HOME!, 'systemd/user/dd-cron-true.timer'))).toBe(
      false,
    );

    // What one timer cannot say is refused, and nothing changes.
    await install(`${HEAD}0 0 13 * 5 /usr/bin/true\n${TAIL}`);
    // Through the app's wiring (the IPC channel's service method) this time.
    const refused = await core.startup.service.cronToTimer(await keyOf(cron, '0 0 13 * 5'));
    expect(refused).toMatchObject({ ok: false, error: { code: 'unsupported' } });
    if (!refused.ok) expect(refused.error.message).toContain('either');
    expect(await installed()).toBe(`${HEAD}0 0 13 * 5 /usr/bin/true\n${TAIL}`);
  });

  it('cron to-timer through the CLI: the timer runs the command; cron undo TOKEN restores both', async () => {
    const out = join(sb.root, 'moved-out');
    const line = `0 */6 * * * echo "$FOO" > ${out}\n`;
    await install(HEAD + line + TAIL);
    const list = JSON.parse((await cli('cron', 'list', '--json')).stdout) as CronState;
    const key = list.jobs.find((j) => j.line.includes('moved-out'))!.key;

    const r = await cli('cron', 'to-timer', key, '--name', 'dd-moved', '--json');
    expect(r.code, r.stderr).toBe(0);
    const moved = JSON.parse(r.stdout) as { timer: string; expr: string; undo: string };
    expect(moved).toMatchObject({ timer: 'dd-moved', expr: '*-*-* 00/6:00:00' });
    expect(await installed()).toBe(HEAD + DISABLED_MARKER + line + TAIL);
    const timers = (await sb.systemctl('list-timers', '--all', '--no-pager', '--no-legend')).stdout;
    expect(timers).toContain('dd-moved.timer');

    // Run it now as the timer would: the shell command with the crontab's variables.
    const run = await cli('timer', 'run', 'dd-moved', '--json');
    expect(run.code, run.stderr).toBe(0);
    await waitFor(
      async () => (existsSync(out) ? (await readFile(out, 'utf8')) === 'bar baz\n' : false),
      'the moved job to write FOO',
    );

    const undo = await cli('cron', 'undo', moved.undo);
    expect(undo.code, undo.stderr).toBe(0);
    expect(await installed()).toBe(HEAD + line + TAIL);
    const after = (await sb.systemctl('list-timers', '--all', '--no-pager', '--no-legend')).stdout;
    expect(after).not.toContain('dd-moved.timer');

    const reboot = JSON.parse((await cli('cron', 'list', '--json')).stdout) as CronState;
    const rk = reboot.jobs.find((j) => j.reboot)!.key;
    const no = await cli('cron', 'to-timer', rk);
    expect(no.code).toBe(1);
    expect(no.stderr).toContain('@reboot');
  });
});
