// Every CLI command that acts on a machine takes --host NAME (issue 17), against a real sshd on
// loopback with a second user and its own systemd --user (test/harness/far-host.ts): `run` starts
// a program there as the far user, `ps` finds it in the far table (read in one round trip) and
// `strays` lists it, `watch add` keeps its rule in the far user's own settings file and `watch
// list` sees the process, `timer add` makes a timer of the far user's manager, `doctor` reads the
// far user's setup, `sessions` lists the far user's tmux and screen sessions; `export` and
// `import` read and write the far user's units and rules (a dry run writes nothing, a second
// import changes nothing, --undo puts it back); `run --log`, which is not there yet, says so in
// words (`adopt` there: far-adopt.test.ts); `logs` reads a crontab line's and a watch rule's log
// file there, as the far user. The far host is this machine's kernel, so what the commands claim is checked against
// /proc (the owner of a pid) and the far user's files and systemctl, never against the CLI's own
// output alone.
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SetupOutcome, SetupPlan } from '../../main/core/model/setup.js';
import { ownedBy } from '../harness/far-host.js';
import { farCliSuite } from '../harness/far-cli-suite.js';
import { sleeperUnit, waitFor } from '../helpers/units.js';

const suite = farCliSuite('cli');
const { cli, onFar } = suite;

/** The real uid of a pid, from this machine's /proc (the far host shares its kernel). */
function uidOf(pid: number): number | null {
  try {
    const m = /^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'latin1'));
    return m === null ? null : Number(m[1]);
  } catch {
    return null;
  }
}

describe('process commands with --host', () => {
  let pid = 0;

  it('runs a program there as the far user, and ps lists it from the far table', async () => {
    const started = await onFar('run', 'farsleep', '--json', '--', 'sleep', '3517');
    expect(started.code, started.stderr).toBe(0);
    pid = (JSON.parse(started.stdout) as { pid: number }).pid;
    expect(uidOf(pid)).toBe(suite.far.uid);

    const ps = await onFar('ps', '--json', '-f', '^sleep 3517$');
    expect(ps.code, ps.stderr).toBe(0);
    const rows = JSON.parse(ps.stdout) as Array<{ pid: number; command: string }>;
    expect(rows.map((r) => [r.pid, r.command])).toEqual([[pid, 'sleep 3517']]);
    // Started detached (its own session) and in no unit: a stray of the far user there.
    const strays = await onFar('strays', '--json');
    expect(strays.code, strays.stderr).toBe(0);
    const found = (JSON.parse(strays.stdout) as Array<{ pid: number; command: string }>).filter(
      (x) => x.pid === pid,
    );
    expect(found.map((x) => x.command)).toEqual(['sleep 3517']);
    // pgrep's exit status when nothing matches, there as here.
    const none = await onFar('ps', '-f', '^sleep 9999999$');
    expect(none.code).toBe(1);
    expect(none.stdout).toBe('');
  });

  it('keeps a watch rule in the far user’s settings and sees its process there', async () => {
    const add = await onFar('watch', 'add', 'farsleep', '--match', '^sleep 3517$', '-f');
    expect(add.code, add.stderr).toBe(0);
    const file = join(suite.far.home, '.config', 'daemon-deck', 'settings.json');
    expect(ownedBy(file, suite.far.uid)).toBe(true);
    const stored = JSON.parse(readFileSync(file, 'utf8')) as {
      watchRules?: Array<{ name: string }>;
    };
    expect(stored.watchRules?.map((r) => r.name)).toEqual(['farsleep']);
    // This machine's rules are not touched.
    expect((await cli('watch', 'list', '--json')).stdout.trim()).toBe('[]');

    const list = await onFar('watch', 'list', '--json');
    expect(list.code, list.stderr).toBe(0);
    const entries = JSON.parse(list.stdout) as Array<{ id: string; state: string; pids: number[] }>;
    expect(entries).toEqual([
      expect.objectContaining({ id: 'process:farsleep', state: 'running', pids: [pid] }),
    ]);

    // A rule of the same name here: `unit show` and `rm` by id act on the far one only.
    expect((await cli('watch', 'add', 'farsleep', '--match', '^here$', '-f')).code).toBe(0);
    const shown = await onFar('unit', 'show', 'process:farsleep', '--json');
    expect(shown.code, shown.stderr).toBe(0);
    expect(JSON.parse(shown.stdout)).toMatchObject({ name: 'farsleep', pattern: '^sleep 3517$' });

    const rm = await onFar('rm', 'process:farsleep');
    expect(rm.code, rm.stderr).toBe(0);
    const after = JSON.parse(readFileSync(file, 'utf8')) as { watchRules?: unknown[] };
    expect(after.watchRules).toEqual([]);
    const here = JSON.parse((await cli('watch', 'list', '--json')).stdout) as Array<{ id: string }>;
    expect(here.map((e) => e.id)).toEqual(['process:farsleep']);
    expect((await cli('watch', 'rm', 'farsleep')).code).toBe(0);
  });

  it('says in words what a far host cannot do yet', async () => {
    const log = await onFar('run', 'x', '--log', '/tmp/x.log', '--', 'true');
    expect(log.code).toBe(1);
    expect(log.stderr).toMatch(/--log is not available on another host \(far\)/);
  });
});

describe('logs with --host', () => {
  it("reads a crontab line's and a watch rule's log file there, as the far user", async () => {
    const { far } = suite;
    const cronLog = join(far.home, 'far-cron.log');
    const ruleLog = join(far.home, 'far-rule.log');
    // Written by the far user: that user's files, in that user's home.
    const wrote = await far.ssh(
      `printf 'cron one\\ncron two\\n' > ${cronLog} && printf 'rule one\\n' > ${ruleLog}`,
    );
    expect(wrote.code, wrote.stderr).toBe(0);
    const messages = (out: string) =>
      out
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { message: string }).message);

    const added = await onFar('cron', 'add', '--log', cronLog, '--', '/bin/true');
    expect(added.code, added.stderr).toBe(0);
    const cronId = `cron:${added.stdout.trim()}`;
    const cron = await onFar('logs', cronId, '--json');
    expect(cron.code, cron.stderr).toBe(0);
    expect(messages(cron.stdout)).toEqual(['cron one', 'cron two']);

    const rule = await onFar(
      'watch',
      'add',
      'farlogged',
      '--match',
      '^sleep 4711$',
      '--log',
      ruleLog,
    );
    expect(rule.code, rule.stderr).toBe(0);
    const ruleLines = await onFar('logs', 'process:farlogged', '--json');
    expect(ruleLines.code, ruleLines.stderr).toBe(0);
    expect(messages(ruleLines.stdout)).toEqual(['rule one']);

    // A file only this machine's root may read: read there, as the far user, it is refused in
    // words (read here, as before, its line was printed).
    const secret = join(far.home, 'root-only.log');
    await writeFile(secret, 'root only\n', { mode: 0o600 });
    const addedSecret = await onFar('cron', 'add', '--log', secret, '--', '/bin/false');
    expect(addedSecret.code, addedSecret.stderr).toBe(0);
    const refused = await onFar('logs', `cron:${addedSecret.stdout.trim()}`);
    expect(refused.stdout).not.toContain('root only');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/Permission denied/);

    for (const key of [added.stdout.trim(), addedSecret.stdout.trim()])
      expect((await onFar('cron', 'rm', key)).code).toBe(0);
    expect((await onFar('watch', 'rm', 'farlogged')).code).toBe(0);
  }, 60_000);
});

describe('sessions with --host', () => {
  it('lists the far user’s tmux and screen sessions with what runs in them', async () => {
    const { far } = suite;
    expect((await far.ssh('tmux new-session -d -s farwork sleep 3618')).code).toBe(0);
    expect((await far.ssh('screen -dmS farscreen sleep 3619')).code).toBe(0);
    type Listed = { id: string; pids: number[]; commands: string[] };
    // screen lists its session a moment before the window's process exists.
    const listed = await waitFor(async () => {
      const r = await onFar('sessions', '--json');
      expect(r.code, r.stderr).toBe(0);
      const rows = JSON.parse(r.stdout) as Listed[];
      return rows.every((x) => x.commands.length > 0) && rows.length === 2 ? rows : null;
    }, 'both far sessions with their commands');
    expect(listed.map((x) => [x.id, x.commands])).toEqual([
      ['session:screen:farscreen', ['sleep 3619']],
      ['session:tmux:farwork', ['sleep 3618']],
    ]);
    // The pids are the far user's processes (this machine's kernel says so).
    for (const pid of listed.flatMap((x) => x.pids)) expect(uidOf(pid)).toBe(far.uid);

    expect((await far.ssh('tmux kill-server; screen -S farscreen -X quit')).code).toBe(0);
    const after = await onFar('sessions');
    expect(after.code, after.stderr).toBe(0);
    expect(after.stdout).not.toMatch(/farwork|farscreen/);
  });
});

describe('timers and the doctor with --host', () => {
  it('adds a timer to the far user’s manager, lists it there only, and removes it', async () => {
    const add = await onFar('timer', 'add', 'farbeat', '--every', '1h', '--', '/bin/true');
    expect(add.code, add.stderr).toBe(0);
    expect(ownedBy(join(suite.far.unitDir, 'farbeat.timer'), suite.far.uid)).toBe(true);
    expect((await suite.far.systemctl('is-active', 'farbeat.timer')).stdout.trim()).toBe('active');
    expect((await suite.far.systemctl('is-enabled', 'farbeat.timer')).stdout.trim()).toBe(
      'enabled',
    );

    const list = await onFar('timer', 'list', '--json');
    expect(list.code, list.stderr).toBe(0);
    expect((JSON.parse(list.stdout) as Array<{ name: string }>).map((j) => j.name)).toEqual([
      'farbeat',
    ]);
    expect((await cli('timer', 'list', '--json')).stdout).not.toContain('farbeat');

    const rm = await onFar('timer', 'rm', 'farbeat');
    expect(rm.code, rm.stderr).toBe(0);
    expect(ownedBy(join(suite.far.unitDir, 'farbeat.timer'), suite.far.uid)).toBe(false);
    expect((await suite.far.systemctl('is-active', 'farbeat.timer')).stdout.trim()).not.toBe(
      'active',
    );
  });

  it('checks the far user’s setup, not this machine’s', async () => {
    await suite.far.writeUnit(
      'dd-missing.service',
      '[Service]\nExecStart=/nonexistent/dd-prog\n\n[Install]\nWantedBy=default.target\n',
    );
    expect((await suite.far.systemctl('enable', 'dd-missing.service')).code).toBe(0);
    const there = await onFar('doctor', '--json');
    const findings = JSON.parse(there.stdout) as Array<{ entry: string; severity: string }>;
    const missing = findings.filter((f) => f.entry.includes('dd-missing.service'));
    expect(
      missing.some((f) => f.severity === 'error'),
      there.stdout,
    ).toBe(true);
    expect(there.code).toBe(1);
    const here = await cli('doctor', '--json');
    expect(here.stdout).not.toContain('dd-missing.service');
  });
});

describe('export and import with --host', () => {
  const UNIT = 'dd-carried.service';
  const TEXT = sleeperUnit('carried over with import --host');

  /** The far user's rule names, from that user's own settings file. */
  function farRules(): string[] {
    const file = join(suite.far.home, '.config', 'daemon-deck', 'settings.json');
    const stored = JSON.parse(readFileSync(file, 'utf8')) as {
      watchRules?: Array<{ name: string }>;
    };
    return (stored.watchRules ?? []).map((r) => r.name);
  }

  async function farUnit(): Promise<string> {
    const r = await suite.far.systemctl('show', '-p', 'ActiveState', '-p', 'UnitFileState', UNIT);
    return r.stdout.trim().split('\n').sort().join(' ');
  }

  it('exports from the far host, plans, imports (once), and undoes there, never here', async () => {
    const { far } = suite;
    await far.writeUnit(UNIT, TEXT);
    expect((await far.systemctl('enable', '--now', UNIT)).code).toBe(0);
    expect((await onFar('watch', 'add', 'carried', '--match', '^sleep 4243$')).code).toBe(0);
    const exported = await onFar('export', UNIT, 'process:carried');
    expect(exported.code, exported.stderr).toBe(0);
    const dir = await mkdtemp(join(tmpdir(), 'dd-setup-far-'));
    const file = join(dir, 'setup.json');
    await writeFile(file, `${exported.stdout}\n`);
    // Gone from the far host: the unit stopped, disabled and deleted, the rule removed.
    expect((await far.systemctl('disable', '--now', UNIT)).code).toBe(0);
    await rm(join(far.unitDir, UNIT));
    expect((await far.systemctl('daemon-reload')).code).toBe(0);
    expect((await onFar('watch', 'rm', 'carried')).code).toBe(0);

    const dry = await onFar('import', file, '--dry-run', '--json');
    expect(dry.code, dry.stderr).toBe(0);
    const plan = JSON.parse(dry.stdout) as SetupPlan;
    expect(plan.host).toBe('far');
    expect(plan.items.map((i) => [i.action, i.name]).sort()).toEqual([
      ['create', 'carried'],
      ['create', UNIT],
    ]);
    expect(existsSync(join(far.unitDir, UNIT))).toBe(false);
    expect(farRules()).toEqual([]);

    const done = await onFar('import', file, '--json');
    expect(done.code, done.stderr).toBe(0);
    const outcome = JSON.parse(done.stdout) as SetupOutcome;
    expect(outcome.undo).not.toBeNull();
    expect(readFileSync(join(far.unitDir, UNIT), 'utf8')).toBe(TEXT);
    expect(ownedBy(join(far.unitDir, UNIT), far.uid)).toBe(true);
    expect(await farUnit()).toBe('ActiveState=active UnitFileState=enabled');
    expect(farRules()).toEqual(['carried']);
    // This machine's rules are not touched.
    expect((await cli('watch', 'list', '--json')).stdout.trim()).toBe('[]');

    const again = await onFar('import', file, '--json');
    expect(again.code, again.stderr).toBe(0);
    expect((JSON.parse(again.stdout) as SetupOutcome).undo).toBeNull();

    const undo = await onFar('import', '--undo', outcome.undo!.id);
    expect(undo.code, undo.stderr).toBe(0);
    expect(existsSync(join(far.unitDir, UNIT))).toBe(false);
    expect((await farUnit()).startsWith('ActiveState=inactive')).toBe(true);
    expect(farRules()).toEqual([]);
    await rm(dir, { recursive: true });
  }, 120_000);
});
