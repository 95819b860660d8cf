// One entry of each kind (a systemd unit, a watch rule, an @reboot line, an autostart file, a tmux
// and a screen session) made in the sandbox; then, through the built CLI with the ids
// `list --json` prints: every action an entry offers succeeds, `status ID` answers for every id,
// the kind-specific commands take the full id, and a verb a kind cannot do says what it can do.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Entry, EntryAction } from '../../main/core/model/domain.js';
import { startCronSandbox, hostCrontab, type CronSandbox } from '../harness/cron-sandbox.js';
import { startSandbox, type Sandbox } from '../harness/sandbox.js';
import { runCli, runFile } from '../helpers/cli.js';
import { sleeperUnit, waitFor } from '../helpers/units.js';

const PREFERENCE: EntryAction[] = ['start', 'restart', 'reload', 'disable', 'enable', 'stop'];

describe('every id list prints works with its actions, status, logs, kill and rm', () => {
  let sb: Sandbox;
  let cronSb: CronSandbox;
  let hostBefore: string;
  let env: NodeJS.ProcessEnv;
  let cronId: string;
  const cli = (...args: string[]) => runCli(env, ...args);
  const ok = async (...args: string[]) => {
    const r = await cli(...args);
    expect([args, r.code, r.stderr]).toEqual([args, 0, r.stderr]);
    return r;
  };
  const entries = async () => JSON.parse((await ok('list', '--json')).stdout) as Entry[];
  /** Processes a cron line's "run now" started: outside the sandbox's environment, ended here. */
  const cronPids = new Set<number>();
  const remember = (all: Entry[]) => {
    for (const e of all) if (e.id === cronId) for (const p of e.pids) cronPids.add(p);
  };

  beforeAll(async () => {
    hostBefore = await hostCrontab();
    cronSb = await startCronSandbox();
    sb = await startSandbox({ label: 'entry-ids' });
    env = {
      ...sb.env,
      DAEMON_DECK_CRONTAB_ARGV: JSON.stringify(cronSb.crontab),
      // Private tmux and screen servers: the invoking user's sessions are never seen.
      TMUX_TMPDIR: sb.root,
      SCREENDIR: `${sb.root}/screen`,
      TERM: 'xterm',
    };
    await runFile('mkdir', ['-m', '700', `${sb.root}/screen`], env);
    await sb.writeUnit('dd-ids.service', sleeperUnit('An entry-ids sleeper'));
    await sb.daemonReload();
    await ok(
      'watch',
      'add',
      'dd-idw',
      '--match',
      '^/bin/sleep 51771$',
      '-f',
      '--',
      '/bin/sleep',
      '51771',
    );
    const log = `${sb.root}/cron.log`;
    cronId = `cron:${(await ok('cron', 'add', '--log', log, '--', '/bin/sleep', '51772')).stdout.trim()}`;
    await ok('autostart', 'add', 'dd-idnotes', '--', '/bin/true');
    expect(
      (await runFile('tmux', ['new-session', '-d', '-s', 'dd-idt', '--', 'sleep', '51773'], env))
        .code,
    ).toBe(0);
    expect((await runFile('screen', ['-dmS', 'dd-ids', 'sleep', '51774'], env)).code).toBe(0);
  });

  // What the CLI started (the rule's and the cron line's sleeps) carries the sandbox's environment:
  // sb.stop() ends it with the sandbox's own processes.
  afterAll(async () => {
    for (const pid of cronPids) {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // Already gone.
      }
    }
    if (env) {
      await runFile('tmux', ['kill-server'], env);
      await runFile('screen', ['-S', 'dd-ids', '-X', 'quit'], env);
    }
    await sb?.stop();
    await cronSb?.stop();
    expect(await hostCrontab()).toBe(hostBefore);
  });

  it('each kind: every action in `actions` succeeds, and status answers for every id', async () => {
    const ids = [
      'systemd:dd-ids.service',
      'process:dd-idw',
      cronId,
      'autostart:dd-idnotes.desktop',
      'session:tmux:dd-idt',
      'session:screen:dd-ids',
    ];
    const listed = await waitFor(
      async () => {
        const all = await entries();
        return ids.every((id) => all.some((e) => e.id === id)) ? all : null;
      },
      'one entry of each kind',
      30_000,
    );
    expect(new Set(listed.filter((e) => ids.includes(e.id)).map((e) => e.kind))).toEqual(
      new Set(['service', 'process', 'cron', 'autostart', 'session']),
    );
    const done = new Map<string, string[]>(ids.map((id) => [id, []]));
    for (const id of ids)
      expect((JSON.parse((await ok('status', id, '--json')).stdout) as Entry).id).toBe(id);
    // Rounds: each entry does one action it offers now and has not done yet, until none is left.
    for (let round = 0; round < 8; round++) {
      const all = await entries();
      remember(all);
      let acted = false;
      for (const id of ids) {
        const entry = all.find((e) => e.id === id);
        // Stop last: a restart is offered only while it runs.
        const next = PREFERENCE.find(
          (a) => entry?.actions.includes(a) === true && !done.get(id)!.includes(a),
        );
        if (next === undefined) continue;
        await ok(next, id);
        done.get(id)!.push(next);
        acted = true;
      }
      if (!acted) break;
    }
    // status answers for every id still there, after all of it.
    for (const id of ids.filter((i) => !i.startsWith('session:')))
      expect((JSON.parse((await ok('status', id, '--json')).stdout) as Entry).id).toBe(id);
    const expected: Record<string, string[]> = {
      'systemd:dd-ids.service': ['start', 'restart', 'enable', 'disable', 'stop'],
      'process:dd-idw': ['start', 'restart', 'stop'],
      [cronId]: ['start', 'disable', 'enable', 'stop'],
      'autostart:dd-idnotes.desktop': ['disable', 'enable'],
      'session:tmux:dd-idt': ['stop'],
      'session:screen:dd-ids': ['stop'],
    };
    for (const id of ids) expect([id, done.get(id)]).toEqual([id, expected[id]]);
  }, 300_000);

  it('status answers in words for every kind; logs, kill and rm take the ids too', async () => {
    const watch = await ok('status', 'process:dd-idw');
    expect(watch.stdout).toMatch(/^State:\s+(stopped|running)/m);
    expect((await ok('status', 'dd-ids')).stdout).toMatch(/^Name:\s+dd-ids\.service$/m);
    // A rule's and a cron line's log files, a unit's journal (empty here, with the reason).
    await ok('start', cronId);
    await ok('logs', 'process:dd-idw');
    await ok('logs', cronId);
    await ok('logs', 'systemd:dd-ids.service');
    await ok('start', 'process:dd-idw');
    await waitFor(
      async () => (await entries()).find((e) => e.id === 'process:dd-idw')?.pids.length === 1,
      'the rule running',
      30_000,
    );
    expect((await ok('kill', 'process:dd-idw')).stdout).toMatch(/stopped/);
    await waitFor(
      async () => {
        const all = await entries();
        remember(all);
        return all.find((e) => e.id === cronId)?.state === 'running';
      },
      'the cron line running',
      30_000,
    );
    expect((await ok('kill', cronId)).stdout).toMatch(/stopped/);
    // unit show shows each kind's own definition.
    expect((await ok('unit', 'show', cronId)).stdout).toMatch(/^@reboot \/bin\/sleep 51772 /m);
    expect((await ok('unit', 'show', 'autostart:dd-idnotes.desktop')).stdout).toMatch(
      /^Exec=\/bin\/true$/m,
    );
    expect((await ok('unit', 'show', 'process:dd-idw')).stdout).toMatch(
      /^start: \/bin\/sleep 51771$/m,
    );
    expect((await cli('unit', 'show', 'session:tmux:dd-idt')).stderr).toMatch(/no definition/);
    // Kind-specific commands take the full id as list prints it.
    await ok('cron', 'disable', cronId);
    await ok('autostart', 'disable', 'autostart:dd-idnotes.desktop');
    await ok('rm', 'autostart:dd-idnotes.desktop');
    await ok('rm', cronId);
    await ok('watch', 'rm', 'process:dd-idw');
    const left = (await entries()).map((e) => e.id);
    for (const id of ['autostart:dd-idnotes.desktop', cronId, 'process:dd-idw'])
      expect(left).not.toContain(id);
    expect((await cronSb.exec(['crontab', '-l'])).stdout).not.toMatch(/51772/);
  }, 300_000);

  it('what an id cannot do is one line that says what it can do', async () => {
    const cases: Array<[string[], RegExp]> = [
      [
        ['reload', 'autostart:x.desktop'],
        /autostart entry, which cannot reload; it can: status, enable, disable, kill, rm\.$/,
      ],
      [['enable', 'session:tmux:x'], /session, which cannot enable; it can: status, stop, kill\.$/],
      [['logs', 'session:screen:x'], /cannot logs; it can: status, stop, kill\.$/],
      [['enable', 'process:x'], /watched process, which cannot enable; it can: /],
      [['status', 'process:no-such-rule'], /There is no process:no-such-rule/],
    ];
    for (const [args, message] of cases) {
      const r = await cli(...args);
      expect([args, r.code]).toEqual([args, 1]);
      expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(message)]);
    }
    const bad = await cli('status', 'spaceship:x');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/not an id Daemon Deck knows/);
  });
});
