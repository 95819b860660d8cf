// The store layer under load, as users run it: several `daemon-deck` processes (the built CLI)
// and the app's core changing the same file at the same moment. Each change either lands or
// fails with an error; nothing reported as done is lost; a create never replaces.
// (On 13f9088: 20 parallel `watch add` kept 5-11 rules, parallel `cron add` lost lines that each
// said "added", and parallel `autostart add` of one name all said they created it.)
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WatchRule } from '../../main/core/model/processes.js';
import { createCore } from '../../main/core/app.js';
import { openConfBackend } from '../../main/core/settings/settings.js';
import { startCronSandbox, type CronSandbox } from '../harness/cron-sandbox.js';
import { DAEMON_DECK_BIN, runFile, type Run } from '../helpers/cli.js';

/** The built CLI; a long bound, since 20 at once on a loaded 2-core machine take a while. */
const runCli = (env: NodeJS.ProcessEnv, ...args: string[]): Promise<Run> =>
  runFile(process.execPath, [DAEMON_DECK_BIN, ...args], env, 240_000);

/** Several CLI processes at once on a busy machine: minutes, not the default seconds. */
const SLOW = 300_000;

/** A private HOME with its XDG folders: settings, locks and autostart files live only here. */
async function privateHome(label: string): Promise<{ root: string; env: NodeJS.ProcessEnv }> {
  const root = await mkdtemp(join(tmpdir(), `dd-store-${label}-`));
  const home = join(root, 'home');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_DATA_HOME: join(home, '.local', 'share'),
    XDG_STATE_HOME: join(home, '.local', 'state'),
    XDG_CACHE_HOME: join(home, '.cache'),
    XDG_CONFIG_DIRS: join(root, 'etc-xdg'),
    // No session bus: none of these commands needs one.
    DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(root, 'no-bus')}`,
    LANG: 'C.UTF-8',
  };
  await mkdir(home, { recursive: true });
  return { root, env };
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('the store layer with many writers at once', { timeout: SLOW }, () => {
  let root: string;
  let env: NodeJS.ProcessEnv;
  const cli = (...args: string[]) => runCli(env, ...args);
  const rules = async (): Promise<WatchRule[]> => {
    const r = await cli('watch', 'list', '--json');
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as WatchRule[];
  };

  beforeAll(async () => {
    ({ root, env } = await privateHome('many'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('20 parallel `watch add` keep 20 rules', async () => {
    const runs = await Promise.all(
      range(20).map((i) => cli('watch', 'add', `par-${i}`, '--match', `par-prog-${i}`)),
    );
    for (const r of runs) expect(r, r.stderr).toMatchObject({ code: 0 });
    const names = (await rules()).map((r) => r.name).sort();
    expect(names).toEqual(
      range(20)
        .map((i) => `par-${i}`)
        .sort(),
    );
  });

  it('parallel `autostart add` of one name: one creates it, the others say it exists', async () => {
    const runs = await Promise.all(
      range(6).map((i) => cli('autostart', 'add', 'same name', '--', '/bin/echo', `writer-${i}`)),
    );
    const created = runs.filter((r) => r.code === 0);
    expect(created).toHaveLength(1);
    expect(created[0]!.stdout.trim()).toBe('same-name.desktop');
    for (const r of runs.filter((x) => x.code !== 0)) {
      expect(r.code).toBe(1);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/already exists/);
    }
    // The one file there is the one whose add said it created it.
    const dir = join(env.XDG_CONFIG_HOME!, 'autostart');
    expect((await readdir(dir)).filter((f) => !f.startsWith('.'))).toEqual(['same-name.desktop']);
    const winner = /writer-\d/.exec(await readFile(join(dir, 'same-name.desktop'), 'utf8'))?.[0];
    const list = JSON.parse((await cli('autostart', 'list', '--json')).stdout) as {
      items: Array<{ file: string; exec: string }>;
    };
    expect(list.items.find((i) => i.file === 'same-name.desktop')?.exec).toContain(winner);
  });

  it('the name that created an autostart entry finds it; x.desktop is not doubled', async () => {
    const add = await cli('autostart', 'add', 'my notes', '--', '/bin/echo', 'notes');
    expect(add, add.stderr).toMatchObject({ code: 0 });
    expect(add.stdout.trim()).toBe('my-notes.desktop');
    const off = await cli('autostart', 'disable', 'my notes');
    expect(off, off.stderr).toMatchObject({ code: 0 });
    const rm1 = await cli('autostart', 'rm', 'my notes');
    expect(rm1, rm1.stderr).toMatchObject({ code: 0 });
    const x = await cli('autostart', 'add', 'x.desktop', '--', '/bin/echo', 'x');
    expect(x, x.stderr).toMatchObject({ code: 0 });
    expect(x.stdout.trim()).toBe('x.desktop');
    const dir = join(env.XDG_CONFIG_HOME!, 'autostart');
    const files = await readdir(dir);
    expect(files).toContain('x.desktop');
    expect(files).not.toContain('x.desktop.desktop');
    expect(files).not.toContain('my-notes.desktop');
    // And the entry added as x.desktop is found as x and as x.desktop.
    expect((await cli('autostart', 'disable', 'x')).code).toBe(0);
    expect((await cli('autostart', 'rm', 'x.desktop')).code).toBe(0);
    expect(await readdir(dir)).not.toContain('x.desktop');
  });

  it('the app core and the CLI writing settings at the same moment lose nothing', async () => {
    const own = await privateHome('core');
    try {
      const core = createCore({ env: own.env, settingsBackend: await openConfBackend(own.env) });
      try {
        const ids = range(30).map((i) => `systemd:pin-${i}.service`);
        // The core pins one entry after another and adds its own watch rules while 10 CLI
        // processes add theirs (all in settings.json).
        const coreWrites = (async () => {
          for (const [i, id] of ids.entries()) {
            core.settings.update({ pinned: [...core.settings.get().pinned, id] });
            if (i % 3 === 0)
              core.processes.rules.add({
                name: `core-${i}`,
                pattern: `core-prog-${i}`,
                full: false,
                exact: false,
                start: null,
                cwd: null,
                log: null,
              });
            core.settings.update({ alerts: { paused: i % 2 === 0 } });
            await new Promise((r) => setTimeout(r, 15));
          }
        })();
        const cliWrites = Promise.all(
          range(10).map((i) =>
            runCli(own.env, 'watch', 'add', `cli-${i}`, '--match', `cli-prog-${i}`),
          ),
        );
        const [, runs] = await Promise.all([coreWrites, cliWrites]);
        for (const r of runs) expect(r, r.stderr).toMatchObject({ code: 0 });

        const file = join(own.env.XDG_CONFIG_HOME!, 'daemon-deck', 'settings.json');
        const onDisk = JSON.parse(await readFile(file, 'utf8')) as {
          pinned: string[];
          watchRules: WatchRule[];
          alerts: { paused: boolean };
        };
        expect(onDisk.pinned).toEqual(ids);
        expect(onDisk.alerts.paused).toBe(false); // the last update: i = 29
        expect(onDisk.watchRules.map((r) => r.name).sort()).toEqual(
          [...range(10).map((i) => `cli-${i}`), ...range(10).map((i) => `core-${i * 3}`)].sort(),
        );
      } finally {
        await core.stop();
      }
    } finally {
      await rm(own.root, { recursive: true, force: true });
    }
  });

  it('an unreadable settings.json is kept and said, never silently replaced', async () => {
    const own = await privateHome('garbage');
    try {
      const dir = join(own.env.XDG_CONFIG_HOME!, 'daemon-deck');
      await mkdir(dir, { recursive: true });
      const garbage = '{"watchRules": [{"name": "mine", "pattern": "x"}],';
      await writeFile(join(dir, 'settings.json'), garbage);
      const r = await runCli(own.env, 'watch', 'list');
      expect(r.stderr).toMatch(
        /settings\.json could not be read as settings \(it is not valid JSON\); it was kept as .*settings\.json\.unreadable-/,
      );
      const kept = (await readdir(dir)).find((f) => f.startsWith('settings.json.unreadable-'));
      expect(kept).toBeDefined();
      expect(await readFile(join(dir, kept!), 'utf8')).toBe(garbage);
      expect(r.stderr).toContain(join(dir, kept!));
    } finally {
      await rm(own.root, { recursive: true, force: true });
    }
  });
});

describe('the crontab with many writers at once', { timeout: SLOW }, () => {
  let cron: CronSandbox;
  let root: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    cron = await startCronSandbox();
    ({ root, env } = await privateHome('cron'));
    env.DAEMON_DECK_CRONTAB_ARGV = JSON.stringify(cron.crontab);
  });
  afterAll(async () => {
    await cron?.stop();
    await rm(root, { recursive: true, force: true });
  });

  it('10 parallel `cron add`: each lands or fails with an error; every "added" line is there', async () => {
    const runs = await Promise.all(
      range(10).map((i) => runCli(env, 'cron', 'add', '--', '/bin/echo', `line-${i}`)),
    );
    const installed = (await cron.exec(['crontab', '-l'])).stdout;
    for (const [i, r] of runs.entries()) {
      if (r.code === 0) {
        expect(r.stdout.trim()).toMatch(/^[0-9a-f]{8}$/);
        expect(installed).toContain(`@reboot /bin/echo line-${i}\n`);
      } else {
        expect(r.code).toBe(1);
        expect(r.stderr).toMatch(/^daemon-deck: \S/);
        expect(installed).not.toContain(`line-${i}\n`);
      }
    }
    // Daemon Deck's own processes take turns (a turn that waited too long on a loaded machine
    // fails in words above): exactly the lines that said "added" are there.
    const landed = runs.filter((r) => r.code === 0).length;
    expect(landed).toBeGreaterThan(0);
    expect(installed.split('\n').filter((l) => l.startsWith('@reboot'))).toHaveLength(landed);
  });
});
