// Timer jobs end to end (issue 14) against the sandbox's own systemd --user, session bus and a
// dunst: made through the core and through the CLI (bin/daemon-deck.js, built), listed by
// `systemctl --user list-timers`, run now, every run kept with its exit status and output, a
// failing run raising a crash alert, edit and rm with Undo, and `calendar`.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../main/core/app.js';
import type { AuthoringOutcome } from '../../main/core/model/authoring.js';
import type { TimerHistory, TimerRunOutcome } from '../../main/core/model/timers.js';
import { createMemoryBackend } from '../../main/core/settings/settings.js';
import { startNotifySandbox, type NotifySandbox } from '../harness/notify-sandbox.js';
import { sandboxCrontab, startSandbox, type Sandbox } from '../harness/sandbox.js';
import { runCli } from '../helpers/cli.js';
import { waitFor } from '../helpers/units.js';

describe('timer jobs in the sandbox', () => {
  let sb: Sandbox;
  let ns: NotifySandbox;
  let core: Core;
  const cli = (...args: string[]) => runCli(sb.env, ...args);
  const json = async <T>(...args: string[]): Promise<T> => {
    // --json before a `--`: what follows it is the job's command.
    const dash = args.indexOf('--');
    const r = await cli(
      ...(dash === -1
        ? [...args, '--json']
        : [...args.slice(0, dash), '--json', ...args.slice(dash)]),
    );
    if (r.code !== 0) throw new Error(`daemon-deck ${args.join(' ')}: ${r.code} ${r.stderr}`);
    return JSON.parse(r.stdout) as T;
  };
  const listTimers = async () =>
    (await sb.systemctl('list-timers', '--all', '--no-pager', '--no-legend')).stdout;
  const show = async (unit: string, prop: string) =>
    (await sb.systemctl('show', unit, '-p', prop, '--value')).stdout.trim();

  /** A calendar timer job made through the core; fails the test when it cannot be made. */
  async function addThroughCore(
    name: string,
    expr: string,
    argv: string[],
    over: { description?: string; persistent?: boolean } = {},
  ): Promise<void> {
    const made = await core.timers.add({
      name,
      description: over.description ?? '',
      argv,
      when: { kind: 'calendar', expr },
      persistent: over.persistent ?? false,
      randomDelaySec: null,
    });
    if (!made.ok) throw new Error(made.error.message);
  }

  beforeAll(async () => {
    sb = await startSandbox({ label: 'timers' });
    ns = await startNotifySandbox(sb);
    // The core as the app runs it: watching, so it records runs and raises crash alerts.
    core = createCore({
      env: sb.env,
      busAddress: sb.busAddress,
      settingsBackend: createMemoryBackend(),
      crontab: sandboxCrontab(sb),
      pollMs: { processes: 60_000, sessions: 60_000, startup: 60_000 },
      alerts: {},
    });
    await core.alerts.ready;
    await core.monitor.start();
  }, 60_000);

  afterAll(async () => {
    await core?.stop();
    await ns?.stop();
    await sb?.stop();
  });

  it('a timer made through the core is listed by systemctl with its expression; run now records exit status and output', async () => {
    await addThroughCore(
      'dd-tick',
      '*-*-* 03:00',
      ['sh', '-c', 'echo hello from tick; echo second line'],
      {
        description: 'tick 100%',
        persistent: true,
      },
    );
    expect(await listTimers()).toContain('dd-tick.timer');
    expect(await show('dd-tick.timer', 'TimersCalendar')).toContain('OnCalendar=*-*-* 03:00:00');
    expect(await show('dd-tick.timer', 'ActiveState')).toBe('active');
    expect(await show('dd-tick.timer', 'UnitFileState')).toBe('enabled');
    expect(await show('dd-tick.timer', 'Persistent')).toBe('yes');
    expect(await show('dd-tick.service', 'Description')).toBe('tick 100%');
    const service = await readFile(join(sb.unitDir, 'dd-tick.service'), 'utf8');
    expect(service).toContain('Type=oneshot');
    expect(service).toContain(
      'ExecStart="/usr/bin/sh" "-c" "echo hello from tick; echo second line"',
    );

    const ran = await core.timers.run('dd-tick', { wait: true });
    if (!ran.ok) throw new Error(ran.error.message);
    expect(ran.value.run).toMatchObject({ result: 'success', exitStatus: 0, signal: null });
    expect(ran.value.run?.output).toEqual(['hello from tick', 'second line']);
    const h = await waitFor(
      async () => {
        const r = await core.timers.history('dd-tick');
        return r.ok && r.value.runs.some((x) => x.source === 'watched') ? r.value : null;
      },
      'the recorded run',
      10_000,
    );
    expect(h.watching).toBe(true);
    expect(h.runs).toHaveLength(1);
    expect(h.runs[0]).toMatchObject({ exitStatus: 0, result: 'success', source: 'watched' });
    expect(h.runs[0]!.output).toEqual(['hello from tick', 'second line']);
    expect(h.runs[0]!.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('runs the timer fires by itself are recorded too', async () => {
    await addThroughCore('dd-often', '*:*:0/2', ['/bin/sh', '-c', 'echo fired']);
    const runs = await waitFor(
      async () => {
        const r = await core.timers.history('dd-often');
        const watched = r.ok ? r.value.runs.filter((x) => x.source === 'watched') : [];
        return watched.length >= 2 ? watched : null;
      },
      'two runs fired by the timer',
      20_000,
    );
    expect(runs[0]).toMatchObject({ result: 'success', exitStatus: 0, output: ['fired'] });
    const rm = await core.timers.remove('dd-often');
    expect(rm.ok).toBe(true);
  });

  it('a timer made through the CLI is listed with its expression; timer run and timer history show the run', async () => {
    const made = await json<AuthoringOutcome>(
      'timer',
      'add',
      'dd-cli',
      '--on',
      'Mon..Fri 09:00',
      '--persistent',
      '--random-delay',
      '30',
      '--description',
      'from the CLI',
      '--',
      '/bin/sh',
      '-c',
      'echo cli $((1+2))',
    );
    expect(made.steps).toEqual(
      expect.arrayContaining(['verified', 'enabled dd-cli.timer', 'started dd-cli.timer']),
    );
    expect(await listTimers()).toContain('dd-cli.timer');
    expect(await show('dd-cli.timer', 'TimersCalendar')).toContain(
      'OnCalendar=Mon..Fri *-*-* 09:00:00',
    );
    expect(await show('dd-cli.timer', 'RandomizedDelayUSec')).toBe('30s');

    const run = await json<TimerRunOutcome>('timer', 'run', 'dd-cli');
    expect(run.run).toMatchObject({ result: 'success', exitStatus: 0, output: ['cli 3'] });
    const h = await json<TimerHistory>('timer', 'history', 'dd-cli');
    expect(h.runs[0]).toMatchObject({ exitStatus: 0, output: ['cli 3'] });
    const text = await cli('timer', 'history', 'dd-cli');
    expect(text.stdout).toContain('cli 3');
    const list = await cli('timer', 'list');
    expect(list.stdout).toMatch(/dd-cli\s+Mon\.\.Fri \*-\*-\* 09:00:00/);
  });

  it('a schedule systemd refuses is refused with its reason and writes nothing', async () => {
    const r = await cli('timer', 'add', 'dd-bad', '--on', 'Mon..Fri 25:00', '--', '/bin/true');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      "Failed to parse calendar specification 'Mon..Fri 25:00': Invalid argument",
    );
    const span = await cli('timer', 'add', 'dd-bad', '--every', 'soon', '--', '/bin/true');
    expect(span.code).toBe(1);
    expect(span.stderr).toContain("Failed to parse time span 'soon'");
    expect(await listTimers()).not.toContain('dd-bad');
  });

  it('a failing run: exit status and output kept, and a crash alert through dunst', async () => {
    await json(
      'timer',
      'add',
      'dd-fail',
      '--every',
      '1h',
      '--',
      '/bin/sh',
      '-c',
      'echo oops >&2; exit 3',
    );
    expect(await show('dd-fail.timer', 'TimersMonotonic')).toContain('OnUnitActiveUSec');
    const r = await cli('timer', 'run', 'dd-fail', '--json');
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as TimerRunOutcome;
    expect(out.run).toMatchObject({ result: 'exit-code', exitStatus: 3, output: ['oops'] });
    const n = await waitFor(
      () => ns.notifies().find((x) => x.summary.startsWith('dd-fail.service')),
      'the crash alert',
      10_000,
    );
    expect(n.summary).toBe('dd-fail.service crashed');
    expect(n.body).toContain('status 3');
    const h = await waitFor(
      async () => {
        const x = await core.timers.history('dd-fail');
        return x.ok && x.value.runs.find((run) => run.source === 'watched');
      },
      'the recorded failed run',
      10_000,
    );
    expect(h).toMatchObject({ result: 'exit-code', exitStatus: 3, output: ['oops'] });
  });

  it('edit and rm, each undone', async () => {
    const edited = await json<AuthoringOutcome>(
      'timer',
      'edit',
      'dd-cli',
      '--on',
      'Sat 10:00',
      '--not-persistent',
    );
    expect(await show('dd-cli.timer', 'TimersCalendar')).toContain('OnCalendar=Sat *-*-* 10:00:00');
    expect(await show('dd-cli.timer', 'Persistent')).toBe('no');
    expect(await show('dd-cli.timer', 'ActiveState')).toBe('active');
    const next = await show('dd-cli.timer', 'NextElapseUSecRealtime');
    expect(next).toMatch(/^Sat /);
    expect((await cli('unit', 'undo', edited.undo.id)).code).toBe(0);
    expect(await show('dd-cli.timer', 'TimersCalendar')).toContain(
      'OnCalendar=Mon..Fri *-*-* 09:00:00',
    );
    expect(await show('dd-cli.timer', 'Persistent')).toBe('yes');

    const removed = await json<AuthoringOutcome>('timer', 'rm', 'dd-cli');
    expect(await listTimers()).not.toContain('dd-cli.timer');
    await expect(readFile(join(sb.unitDir, 'dd-cli.timer'))).rejects.toThrow();
    expect((await cli('unit', 'undo', removed.undo.id)).code).toBe(0);
    expect(await listTimers()).toContain('dd-cli.timer');
    expect(await show('dd-cli.timer', 'UnitFileState')).toBe('enabled');
    expect(await show('dd-cli.timer', 'ActiveState')).toBe('active');
    // Only jobs the app made are touched.
    await sb.writeUnit('hand.service', '[Service]\nType=oneshot\nExecStart=/bin/true\n');
    await sb.writeUnit('hand.timer', '[Timer]\nOnCalendar=daily\n');
    await sb.daemonReload();
    const refused = await cli('timer', 'rm', 'hand');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('not made by Daemon Deck');
  });

  it('calendar EXPR: the normalised form and next runs, or exit 1 with the reason', async () => {
    const ok = await json<{ normalized: string; next: string[] }>(
      'calendar',
      'Mon *-*-01..07 10:00',
      '--count',
      '3',
      '--base-time',
      '2026-01-01T00:00:00Z',
    );
    expect(ok.normalized).toBe('Mon *-*-01..07 10:00:00');
    expect(ok.next).toHaveLength(3);
    const bad = await cli('calendar', 'every day');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe(
      "daemon-deck: Failed to parse calendar specification 'every day': Invalid argument\n",
    );
  });
});
