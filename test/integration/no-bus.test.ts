// A login without a session bus (SSH, a minimal session): DBUS_SESSION_BUS_ADDRESS points
// nowhere and there is no XDG_RUNTIME_DIR. `list` and the panel's snapshot show everything that
// needs no bus (cron, autostart, sessions, watched processes) and say what is missing and why.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Entry, Snapshot } from '../../main/core/model/domain.js';
import { createCore } from '../../main/core/app.js';
import { openConfBackend } from '../../main/core/settings/settings.js';
import { hostCrontab, startCronSandbox, type CronSandbox } from '../harness/cron-sandbox.js';
import { runCli, runFile } from '../helpers/cli.js';

describe('without a session bus', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let cronSb: CronSandbox;
  let hostBefore: string;
  let cronId: string;
  const cli = (...args: string[]) => runCli(env, ...args);

  beforeAll(async () => {
    hostBefore = await hostCrontab();
    cronSb = await startCronSandbox();
    dir = mkdtempSync(join(tmpdir(), 'dd-no-bus-'));
    mkdirSync(join(dir, 'screen'), { mode: 0o700 });
    env = {
      PATH: process.env.PATH,
      HOME: dir,
      LANG: 'C.UTF-8',
      TERM: 'xterm',
      XDG_CONFIG_HOME: join(dir, 'config'),
      XDG_DATA_HOME: join(dir, 'data'),
      XDG_STATE_HOME: join(dir, 'state'),
      DBUS_SESSION_BUS_ADDRESS: `unix:path=${dir}/no-such-bus`,
      DAEMON_DECK_CRONTAB_ARGV: JSON.stringify(cronSb.crontab),
      TMUX_TMPDIR: dir,
      SCREENDIR: join(dir, 'screen'),
    };
    const add = await cli('cron', 'add', '--', '/bin/true', 'no-bus');
    expect(add.code).toBe(0);
    cronId = `cron:${add.stdout.trim()}`;
    expect((await cli('autostart', 'add', 'dd-nobus', '--', '/bin/true')).code).toBe(0);
    expect((await cli('watch', 'add', 'dd-nobus', '--match', 'no-such-process-x')).code).toBe(0);
    expect(
      (await runFile('tmux', ['new-session', '-d', '-s', 'dd-nobus', '--', 'sleep', '51881'], env))
        .code,
    ).toBe(0);
  });

  afterAll(async () => {
    if (env) await runFile('tmux', ['kill-server'], env);
    await cronSb?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
    expect(await hostCrontab()).toBe(hostBefore);
  });

  const ours = (ids: string[]) =>
    [cronId, 'autostart:dd-nobus.desktop', 'process:dd-nobus', 'session:tmux:dd-nobus'].every(
      (id) => ids.includes(id),
    );

  it('list shows every kind that needs no bus, and one line on stderr says what is missing', async () => {
    const table = await cli('list');
    expect(table.code).toBe(0);
    expect(table.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^daemon-deck: systemd user units not shown: The session bus is not reachable.*no-such-bus/,
      ),
    ]);
    const json = await cli('list', '--json');
    expect(json.code).toBe(0);
    const entries = JSON.parse(json.stdout) as Entry[];
    expect(ours(entries.map((e) => e.id))).toBe(true);
    expect(entries.some((e) => e.id.startsWith('systemd:'))).toBe(false);
    expect(json.stderr).toMatch(/systemd user units not shown/);
    // The sources' status, as JSON.
    const sources = JSON.parse((await cli('sources', '--json')).stdout) as Snapshot['sources'];
    expect(sources).toMatchObject({
      systemd: { status: 'unavailable', error: { code: 'bus-unavailable' } },
      processes: { status: 'ok' },
      sessions: { status: 'ok' },
      cron: { status: 'ok' },
      autostart: { status: 'ok' },
    });
    // Acting on what needs no bus works; on a unit, the bus's own words.
    expect((await cli('disable', cronId)).code).toBe(0);
    expect((await cli('status', cronId)).stdout).toMatch(/^State:\s+stopped \(disabled\)/m);
    const unit = await cli('start', 'some.service');
    expect(unit.code).toBe(1);
    expect(unit.stderr).toMatch(/^daemon-deck: The session bus is not reachable/);
  });

  it('no XDG_RUNTIME_DIR and no bus address at all: the same, naming both', async () => {
    const r = await runCli({ ...env, DBUS_SESSION_BUS_ADDRESS: undefined }, 'list');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/neither DBUS_SESSION_BUS_ADDRESS nor XDG_RUNTIME_DIR is set/);
    expect(r.stdout).toMatch(/autostart:dd-nobus\.desktop/);
  });

  it("the panel's snapshot has every other source's entries, and the sources' status", async () => {
    const core = createCore({
      env,
      settingsBackend: await openConfBackend(env),
      crontab: cronSb.crontab,
    });
    try {
      await core.monitor.start();
      const snap = core.monitor.snapshot();
      expect(ours(snap.entries.map((e) => e.id))).toBe(true);
      expect(snap.sources.systemd).toMatchObject({
        status: 'unavailable',
        error: { code: 'bus-unavailable' },
      });
      for (const name of ['processes', 'sessions', 'cron', 'autostart'] as const)
        expect([name, snap.sources[name]?.status]).toEqual([name, 'ok']);
      // The one dispatcher acts on them without a bus.
      expect(await core.monitor.act(cronId, 'enable')).toMatchObject({ ok: true });
    } finally {
      await core.stop();
    }
  });
});
