// Setup files (issue 17) as a user runs them: `daemon-deck export` on one sandbox (its own
// systemd --user, private crontab, autostart folder and settings), `daemon-deck import` into a
// second, fresh one. The second gets byte-identical unit files, the same timers, @reboot lines,
// autostart entries and watch rules, enabled and running as exported; a second import changes
// nothing; --dry-run writes nothing (every file of the sandbox hashed before and after); what
// exists and differs is refused without --replace; Undo puts the before state back; a broken
// file is refused naming the field, and nothing is written.
import { createHash } from 'node:crypto';
import { lstat, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SetupFile, SetupOutcome, SetupPlan } from '../../main/core/model/setup.js';
import { startCronSandbox, hostCrontab, type CronSandbox } from '../harness/cron-sandbox.js';
import { startSandbox, type Sandbox } from '../harness/sandbox.js';
import { runCli } from '../helpers/cli.js';
import { sleeperUnit } from '../helpers/units.js';

/** A drop-in of web.service. */
const DROP_IN = '[Service]\nEnvironment=GREETING=hello\n';

/** The units of A's setup. */
const UNITS = ['web.service', 'job.service', 'job.timer', 'idle.service', 'legacy.service'];

interface Side {
  sb: Sandbox;
  cron: CronSandbox;
  env: NodeJS.ProcessEnv;
}

async function side(label: string): Promise<Side> {
  const cron = await startCronSandbox();
  const sb = await startSandbox({ label });
  return { sb, cron, env: { ...sb.env, DAEMON_DECK_CRONTAB_ARGV: JSON.stringify(cron.crontab) } };
}

/** sha256 of every file (and link target) under `dir`, by path: what "writes nothing" compares. */
async function treeHash(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const rel of (await readdir(dir, { recursive: true })).sort()) {
    const path = join(dir, rel);
    const st = await lstat(path).catch(() => null);
    if (st === null || st.isDirectory()) continue;
    const bytes = st.isSymbolicLink() ? Buffer.from('link') : await readFile(path);
    out[rel] = createHash('sha256').update(bytes).digest('hex');
  }
  return out;
}

/** The state an import may change: the whole home tree and the crontab. */
async function world(s: Side) {
  return {
    files: await treeHash(s.sb.home),
    crontab: (await s.cron.exec(['crontab', '-l'])).stdout,
  };
}

/** What the user made, as the import is meant to leave it: files, states, lines, rules. */
async function made(s: Side) {
  const units: Record<string, string> = {};
  for (const name of UNITS) {
    const active = (await s.sb.systemctl('is-active', name)).stdout.trim();
    const enabled = (await s.sb.systemctl('is-enabled', name)).stdout.trim();
    units[name] = `${active}/${enabled}`;
  }
  const timers = (await s.sb.systemctl('list-timers', '--all', '--no-legend', '--plain')).stdout
    .split('\n')
    .flatMap((l) => (/\bjob\.timer\b/.test(l) ? ['job.timer -> job.service'] : []));
  const watch = JSON.parse((await runCli(s.env, 'watch', 'list', '--json')).stdout) as unknown;
  return { units, timers, watch, crontab: (await s.cron.exec(['crontab', '-l'])).stdout };
}

describe('export and import of a setup', () => {
  let a: Side;
  let b: Side;
  let hostBefore: string;
  let setupPath: string;
  let setupText: string;
  const unitFile = (s: Side, name: string) => readFile(join(s.sb.unitDir, name));
  const autostartFile = (s: Side) =>
    readFile(join(s.sb.configHome, 'autostart', 'my-notes.desktop'));

  beforeAll(async () => {
    hostBefore = await hostCrontab();
    a = await side('setup-a');
    b = await side('setup-b');
    setupPath = join(a.sb.root, 'setup.json');
    // A's setup: a running enabled service whose file names $HOME (kept as written), a timer and
    // its service, a stopped one, one whose bytes are not UTF-8, two @reboot lines (one
    // disabled), an autostart entry and a watch rule.
    await a.sb.writeUnit('web.service', sleeperUnit('Web server in $HOME', true));
    await mkdir(join(a.sb.unitDir, 'web.service.d'));
    await writeFile(join(a.sb.unitDir, 'web.service.d', 'env.conf'), DROP_IN);
    await a.sb.writeUnit(
      'job.service',
      '[Unit]\nDescription=Nightly job\n\n[Service]\nType=oneshot\nExecStart=/bin/true\n',
    );
    await a.sb.writeUnit(
      'job.timer',
      '[Unit]\nDescription=Nightly\n\n[Timer]\nOnCalendar=*-*-* 03:00:00\n\n[Install]\nWantedBy=timers.target\n',
    );
    await a.sb.writeUnit('idle.service', sleeperUnit('Idle', true));
    await writeFile(
      join(a.sb.unitDir, 'legacy.service'),
      Buffer.concat([
        Buffer.from('# caf'),
        Buffer.from([0xe9]),
        Buffer.from(`\n${sleeperUnit('Legacy', false)}`),
      ]),
    );
    await a.sb.daemonReload();
    for (const u of ['web.service', 'job.timer'])
      expect((await a.sb.systemctl('enable', '--now', u)).code).toBe(0);
    const cli = (...args: string[]) => runCli(a.env, ...args);
    expect((await cli('cron', 'add', '--', '/usr/bin/touch', join(a.sb.home, 'booted'))).code).toBe(
      0,
    );
    const off = await cli('cron', 'add', '--', '/usr/bin/sleep', '5');
    expect((await cli('cron', 'disable', off.stdout.trim())).code).toBe(0);
    expect((await cli('autostart', 'add', 'My Notes', '--', '/usr/bin/sleep', '30')).code).toBe(0);
    expect(
      (await cli('watch', 'add', 'sleepy', '--match', 'sleep 4242', '--', '/usr/bin/sleep', '4242'))
        .code,
    ).toBe(0);
  });
  afterAll(async () => {
    await a?.sb.stop();
    await b?.sb.stop();
    await a?.cron.stop();
    await b?.cron.stop();
    expect(await hostCrontab()).toBe(hostBefore);
  });

  it('exports everything the user made, readable, stable, versioned', async () => {
    const r = await runCli(a.env, 'export');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    setupText = r.stdout;
    await writeFile(setupPath, setupText);
    const f = JSON.parse(setupText) as SetupFile;
    expect(Object.keys(f)).toEqual([
      'kind',
      'version',
      'units',
      'crontab',
      'autostart',
      'watchRules',
    ]);
    expect(f).toMatchObject({ kind: 'daemon-deck-setup', version: 1 });
    expect(f.units.map((u) => [u.name, u.enabled, u.running])).toEqual([
      ['idle.service', false, false],
      ['job.service', false, false],
      ['job.timer', true, true],
      ['legacy.service', false, false],
      ['web.service', true, true],
    ]);
    // $HOME stays as the user wrote it; bytes that are not UTF-8 go as base64.
    expect(f.units.find((u) => u.name === 'web.service')?.text).toContain('Web server in $HOME');
    expect(f.units.find((u) => u.name === 'web.service')?.dropIns).toEqual([
      { file: 'env.conf', text: DROP_IN },
    ]);
    expect(f.units.find((u) => u.name === 'legacy.service')).toHaveProperty('base64');
    expect(f.crontab).toEqual([
      { line: `@reboot /usr/bin/touch ${join(a.sb.home, 'booted')}`, enabled: true },
      { line: '@reboot /usr/bin/sleep 5', enabled: false },
    ]);
    expect(f.autostart.map((x) => x.file)).toEqual(['my-notes.desktop']);
    expect(f.watchRules.map((x) => x.name)).toEqual(['sleepy']);
    // Nothing machine-specific of the app's own: no time stamps, no runtime folder.
    expect(setupText).not.toMatch(/createdAt|[0-9]{4}-[0-9]{2}-[0-9]{2}T/);
    expect(setupText).not.toContain(a.sb.runtimeDir);
    // The same setup gives the same text.
    expect((await runCli(a.env, 'export')).stdout).toBe(setupText);
  });

  it('export ID... takes the named entries and their family only; an unknown id is refused', async () => {
    const r = await runCli(a.env, 'export', 'job.timer', 'process:sleepy');
    expect(r.code).toBe(0);
    const f = JSON.parse(r.stdout) as SetupFile;
    expect(f.units.map((u) => u.name)).toEqual(['job.service', 'job.timer']);
    expect(f.watchRules.map((x) => x.name)).toEqual(['sleepy']);
    expect([f.crontab, f.autostart]).toEqual([[], []]);
    const bad = await runCli(a.env, 'export', 'nope.service');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/systemd:nope\.service/);
  });

  it('--dry-run shows the plan and writes nothing', async () => {
    const before = await world(b);
    const r = await runCli(b.env, 'import', setupPath, '--dry-run', '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout) as SetupPlan;
    expect(plan.counts).toEqual({ create: 9, same: 0, differs: 0 });
    const words = await runCli(b.env, 'import', setupPath, '--dry-run');
    expect(words.stdout).toMatch(/9 to create, 0 the same, 0 different/);
    expect(words.stdout).toMatch(/Dry run: nothing was written/);
    expect(await world(b)).toEqual(before);
  });

  it('a broken file is refused naming the field, and nothing is written', async () => {
    const before = await world(b);
    const good = JSON.parse(setupText) as Record<string, unknown> & SetupFile;
    const cases: Array<[string, string, RegExp]> = [
      ['not-json', '{"kind": "daemon-deck-setup",', /not JSON/],
      ['version', JSON.stringify({ ...good, version: 2 }), /at version: .*version 1/],
      ['kind', JSON.stringify({ ...good, kind: 'other' }), /at kind: .*not a Daemon Deck setup/],
      [
        'unit-name',
        JSON.stringify({ ...good, units: [{ ...good.units[0], name: '../../evil.service' }] }),
        /at units\.0\.name: /,
      ],
      ['missing', JSON.stringify({ ...good, crontab: undefined }), /at crontab: /],
      ['unknown-key', JSON.stringify({ ...good, extra: 1 }), /extra/],
      [
        'both-bytes',
        JSON.stringify({ ...good, units: [{ ...good.units[0], base64: 'AA==' }] }),
        /at units\.0: .*one of them/,
      ],
      [
        'bad-rule',
        JSON.stringify({ ...good, watchRules: [{ ...good.watchRules[0], cwd: 'relative' }] }),
        /at watchRules\.0: .*absolute/,
      ],
    ];
    for (const [name, text, message] of cases) {
      const path = join(b.sb.root, `${name}.json`);
      await writeFile(path, text);
      const r = await runCli(b.env, 'import', path);
      expect([name, r.code]).toEqual([name, 1]);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    }
    expect(await world(b)).toEqual({ ...before, files: { ...before.files } });
  });

  it('an import whose step fails undoes the steps before it: nothing is left', async () => {
    const before = await world(b);
    const good = JSON.parse(setupText) as SetupFile;
    const broken: SetupFile = {
      ...good,
      units: [
        good.units.find((u) => u.name === 'idle.service')!,
        {
          name: 'broken.service',
          enabled: true,
          running: true,
          // Type=exec: the start job itself fails when the program cannot be run.
          text: '[Service]\nType=exec\nExecStart=/nonexistent/program\n[Install]\nWantedBy=default.target\n',
        },
      ],
      crontab: [],
      autostart: [],
      watchRules: [],
    };
    const path = join(b.sb.root, 'broken-start.json');
    await writeFile(path, JSON.stringify(broken));
    const r = await runCli(b.env, 'import', path);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/failed at "start broken\.service": .*undone/);
    // The app's own settings file may now exist (the core opened it); nothing else changed.
    const now = await world(b);
    delete now.files['.config/daemon-deck/settings.json'];
    expect(now).toEqual(before);
    expect((await b.sb.systemctl('is-enabled', 'broken.service')).stdout.trim()).not.toBe(
      'enabled',
    );
  });

  let token = '';
  let afterImport: Awaited<ReturnType<typeof world>>;
  let beforeImport: Awaited<ReturnType<typeof made>>;
  let worldBefore: Awaited<ReturnType<typeof world>>;

  it('imports into a fresh host: the same bytes, timers, lines, entries and rules, enabled and running as exported', async () => {
    beforeImport = await made(b);
    worldBefore = await world(b);
    const r = await runCli(b.env, 'import', setupPath, '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const outcome = JSON.parse(r.stdout) as SetupOutcome;
    expect(outcome.undo).not.toBeNull();
    token = outcome.undo!.id;
    for (const name of UNITS)
      expect([name, (await unitFile(b, name)).equals(await unitFile(a, name))]).toEqual([
        name,
        true,
      ]);
    expect((await autostartFile(b)).equals(await autostartFile(a))).toBe(true);
    expect(await readFile(join(b.sb.unitDir, 'web.service.d', 'env.conf'), 'utf8')).toBe(DROP_IN);
    expect((await b.sb.systemctl('show', '-p', 'Environment', 'web.service')).stdout).toMatch(
      /GREETING=hello/,
    );
    expect(await made(b)).toEqual(await made(a));
    afterImport = await world(b);
  });

  it('a second import changes nothing and says all is the same', async () => {
    const r = await runCli(b.env, 'import', setupPath);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/0 to create, 9 the same, 0 different/);
    expect(r.stdout).toMatch(/nothing to change/);
    expect(await world(b)).toEqual(afterImport);
  });

  it('what exists and differs is refused without --replace, shown with a diff, replaced with it', async () => {
    const edited = sleeperUnit('Web server, edited here', true);
    await writeFile(join(b.sb.unitDir, 'web.service'), edited);
    await b.sb.daemonReload();
    const before = await world(b);
    const plan = JSON.parse(
      (await runCli(b.env, 'import', setupPath, '--dry-run', '--json')).stdout,
    ) as SetupPlan;
    expect(plan.counts).toEqual({ create: 0, same: 8, differs: 1 });
    expect(plan.items.find((i) => i.action === 'differs')).toMatchObject({
      name: 'web.service',
      differences: ['content'],
      diff: { added: 1, removed: 1 },
    });
    const refused = await runCli(b.env, 'import', setupPath);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/web\.service.*--replace/);
    expect(await world(b)).toEqual(before);
    const replaced = await runCli(b.env, 'import', setupPath, '--replace', '--json');
    expect(replaced.code).toBe(0);
    expect((await unitFile(b, 'web.service')).equals(await unitFile(a, 'web.service'))).toBe(true);
    expect(await made(b)).toEqual(await made(a));
    // Its Undo puts the edited file back, and the unit running it.
    const undo = (JSON.parse(replaced.stdout) as SetupOutcome).undo!.id;
    expect((await runCli(b.env, 'import', '--undo', undo)).code).toBe(0);
    expect(await readFile(join(b.sb.unitDir, 'web.service'), 'utf8')).toBe(edited);
    expect((await b.sb.systemctl('is-active', 'web.service')).stdout.trim()).toBe('active');
    // Back to the imported bytes for the Undo of the first import below.
    await writeFile(join(b.sb.unitDir, 'web.service'), await unitFile(a, 'web.service'));
    await b.sb.daemonReload();
    expect((await b.sb.systemctl('restart', 'web.service')).code).toBe(0);
  });

  it('Undo of the import puts the before state back', async () => {
    const r = await runCli(b.env, 'import', '--undo', token);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(await made(b)).toEqual(beforeImport);
    const now = await world(b);
    const userFiles = (w: typeof now) =>
      Object.fromEntries(
        Object.entries(w.files).filter(
          ([p]) => p.startsWith('.config/systemd/') || p.startsWith('.config/autostart/'),
        ),
      );
    expect(userFiles(now)).toEqual(userFiles(worldBefore));
    expect(now.crontab).toBe(worldBefore.crontab);
    // Undone once: a second Undo of the same token is refused.
    expect((await runCli(b.env, 'import', '--undo', token)).code).toBe(1);
  });
});
