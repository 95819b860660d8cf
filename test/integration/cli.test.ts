// The CLI, run as a user runs it (bin/daemon-deck.js, built), against the sandbox's systemd,
// compared with what systemctl --user itself reports.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../harness/sandbox.js';
import type { Entry } from '../../main/core/model/domain.js';
import { sleeperUnit } from '../helpers/units.js';
import { DAEMON_DECK_BIN, runCli } from '../helpers/cli.js';

const execFileP = promisify(execFile);

describe('daemon-deck CLI', () => {
  let sb: Sandbox;
  const cli = (...args: string[]) => runCli(sb.env, ...args);

  beforeAll(async () => {
    sb = await startSandbox({ label: 'cli' });
    await sb.writeUnit('dd-web.service', sleeperUnit('A pretend web server'));
    await sb.writeUnit('dd-sync.service', sleeperUnit('A pretend sync tool'));
    await sb.writeUnit('dd-tpl@.service', sleeperUnit('A template'));
    await sb.daemonReload();
    await sb.systemctl('start', 'dd-sync.service');
  });
  afterAll(async () => {
    await sb?.stop();
  });

  it('lists the same units with the same state as systemctl --user', async () => {
    const r = await cli('list', '--json');
    expect(r.code).toBe(0);
    const entries = JSON.parse(r.stdout) as Entry[];
    const listed = (await sb.systemctl('list-units', '--all', '--plain', '--no-legend', '--full'))
      .stdout;
    const files = (await sb.systemctl('list-unit-files', '--plain', '--no-legend', '--full'))
      .stdout;
    const expected = new Map<string, string>();
    for (const line of files.split('\n')) {
      const [name, state] = line.trim().split(/\s+/);
      if (name && /\.(service|socket|timer)$/.test(name))
        expected.set(name, state === 'masked' ? 'inactive' : 'inactive');
    }
    for (const line of listed.split('\n')) {
      const [name, , active] = line.trim().replace(/^●\s*/, '').split(/\s+/);
      if (name && active && /\.(service|socket|timer)$/.test(name)) expected.set(name, active);
    }
    const stateWord: Record<string, string> = {
      active: 'running',
      inactive: 'stopped',
      failed: 'failed',
      activating: 'starting',
      deactivating: 'stopping',
      reloading: 'running',
    };
    // Other sources (processes, sessions, @reboot, autostart) are listed too; compare the units.
    const units = entries.filter((e) => e.id.startsWith('systemd:'));
    const got = new Map(units.map((e) => [e.name, e.state]));
    expect([...got.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [name, active] of expected)
      expect([name, got.get(name)]).toEqual([name, stateWord[active]]);
    for (const e of entries) {
      for (const key of [
        'id',
        'kind',
        'name',
        'description',
        'state',
        'autostart',
        'pids',
        'since',
        'restarts',
      ]) {
        expect(e).toHaveProperty(key);
      }
    }
    const sync = entries.find((e) => e.id === 'systemd:dd-sync.service');
    expect(sync).toMatchObject({ state: 'running', description: 'A pretend sync tool' });
  });

  it('filters by kind and prints a readable table', async () => {
    const r = await cli('list', '--kind', 'socket', '--json');
    const entries = JSON.parse(r.stdout) as Entry[];
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.every((e) => e.kind === 'socket')).toBe(true);
    const table = await cli('list');
    expect(table.stdout).toMatch(/^STATE\s+AT LOGIN\s+ID\s+DESCRIPTION/);
    expect(table.stdout).toMatch(
      /running\s+disabled\s+systemd:dd-sync\.service\s+A pretend sync tool/,
    );
  });

  it('starts, stops, enables and disables as systemctl then reports', async () => {
    const active = async () => (await sb.systemctl('is-active', 'dd-web.service')).stdout.trim();
    const enabled = async () => (await sb.systemctl('is-enabled', 'dd-web.service')).stdout.trim();
    expect((await cli('start', 'systemd:dd-web.service')).code).toBe(0);
    expect(await active()).toBe('active');
    expect((await cli('stop', 'dd-web.service')).code).toBe(0);
    expect(await active()).toBe('inactive');
    expect((await cli('enable', 'dd-web')).code).toBe(0);
    expect(await enabled()).toBe('enabled');
    const status = JSON.parse((await cli('status', 'dd-web.service', '--json')).stdout) as Entry;
    expect(status.autostart).toMatchObject({ enabled: true, state: 'enabled' });
    expect((await cli('disable', 'dd-web.service')).code).toBe(0);
    expect(await enabled()).toBe('disabled');
    expect((await cli('restart', 'dd-web.service')).code).toBe(0);
    expect(await active()).toBe('active');
  });

  it('shows status in words', async () => {
    const r = await cli('status', 'dd-sync.service');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/State:\s+running \(active\/running\)/);
    expect(r.stdout).toMatch(/Main PID:\s+\d+/);
  });

  it('fails with one readable line and a non-zero status', async () => {
    const cases: Array<[string[], RegExp, number]> = [
      [['start', 'systemd:nope.service'], /nope\.service does not exist/, 1],
      [['status', 'nope.service'], /does not exist/, 1],
      [['start', 'evil\nname.service'], /control character/, 1],
      [['stop', 'a/b.service'], /cannot contain "\/"/, 1],
      [['frobnicate', 'x'], /unknown command "frobnicate"/, 2],
      [['list', '--kind', 'spaceship'], /unknown kind "spaceship"/, 2],
      [['start'], /exactly one ID/, 2],
    ];
    for (const [args, message, code] of cases) {
      const r = await cli(...args);
      expect([args, r.code]).toEqual([args, code]);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')[0]).toMatch(/^daemon-deck: /);
    }
  });

  it('without a session bus, lists what needs none and says in one line what is missing', async () => {
    const env = { ...sb.env, DBUS_SESSION_BUS_ADDRESS: `unix:path=${sb.root}/no-such-bus` };
    const r = await execFileP(process.execPath, [DAEMON_DECK_BIN, 'list'], { env }).then(
      (o) => ({ code: 0, ...o }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /^daemon-deck: systemd user units not shown: The session bus is not reachable/,
    );
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stdout).not.toMatch(/systemd:/);
    // What needs the bus still says so, as the one line and status 1.
    const start = await runCli(env, 'start', 'dd-web.service');
    expect(start.code).toBe(1);
    expect(start.stderr).toMatch(/^daemon-deck: The session bus is not reachable/);
  });
});
