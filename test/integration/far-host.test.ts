// Another host over SSH (issue 17), against a real sshd on loopback with a second user and that
// user's own systemd --user (test/harness/far-host.ts): `daemon-deck --host far` lists what the
// far user's systemctl lists, with the same states; start, stop, enable and disable act there;
// the bus comes back by itself after the SSH master is killed; an unreachable host and a refused
// login fail in words. The CLI runs in a private HOME and runtime folder (settings, the ssh
// control socket); its ssh reads only the harness's config file (DAEMON_DECK_SSH_ARGV).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createSystemdMonitor,
  type SystemdMonitor,
} from '../../main/core/monitor/create-monitor.js';
import { openSshHost } from '../../main/core/host/hosts.js';
import type { SshHost } from '../../main/core/host/ssh-host.js';
import { createMemoryBackend } from '../../main/core/settings/settings.js';
import { AppFailure } from '../../main/core/errors.js';
import {
  ownedBy,
  startFarHost,
  startLocalSide,
  type FarHost,
  type LocalSide,
} from '../harness/far-host.js';
import { runCli, type Run } from '../helpers/cli.js';
import { sleeperUnit } from '../helpers/units.js';

let far: FarHost;
let local: LocalSide;
let env: NodeJS.ProcessEnv;

const cli = (...args: string[]): Promise<Run> => runCli(env, ...args);

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** `systemctl --user` as the far user, lines split into whitespace columns. */
async function farRows(...args: string[]): Promise<string[][]> {
  const r = await far.systemctl(...args, '--plain', '--no-legend');
  expect(r.code, r.stderr).toBe(0);
  return r.stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => l.trim().split(/\s+/));
}

const SHOWN = /\.(service|socket|timer)$/;
const STATE: Record<string, string> = {
  active: 'running',
  reloading: 'running',
  activating: 'starting',
  deactivating: 'stopping',
  failed: 'failed',
  inactive: 'stopped',
};

interface ListedEntry {
  id: string;
  state: string;
  autostart: { state: string | null } | null;
}

async function farList(): Promise<Map<string, ListedEntry>> {
  const r = await cli('--host', 'far', 'list', '--json');
  expect(r.code, r.stderr).toBe(0);
  const entries = JSON.parse(r.stdout) as ListedEntry[];
  return new Map(entries.filter((e) => e.id.startsWith('systemd:')).map((e) => [e.id.slice(8), e]));
}

async function farIs(verb: 'is-active' | 'is-enabled', unit: string): Promise<string> {
  return (await far.systemctl(verb, unit)).stdout.trim();
}

beforeAll(async () => {
  far = await startFarHost({ label: 'hosts' });
  local = await startLocalSide(far);
  env = local.env;

  await far.writeUnit('dd-web.service', sleeperUnit('far web'));
  await far.writeUnit('dd-idle.service', sleeperUnit('far idle'));
  await far.writeUnit('dd-broken.service', '[Service]\nType=oneshot\nExecStart=/bin/false\n');
  await far.systemctl('start', 'dd-web.service');
  await far.systemctl('start', 'dd-broken.service');
  const added = await cli('host', 'add', 'far', far.alias);
  expect(added.code, added.stderr).toBe(0);
}, 120_000);

afterAll(async () => {
  await local?.stop();
  await far?.stop();
}, 60_000);

describe('hosts in settings', () => {
  it('lists the added host, refuses a second of the same name and a destination like an option', async () => {
    const list = await cli('host', 'list', '--json');
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([{ name: 'far', destination: 'far' }]);
    const again = await cli('host', 'add', 'far', 'elsewhere');
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already/);
    const option = await cli('host', 'add', 'evil', '-oProxyCommand=touch /tmp/x');
    expect(option.code).not.toBe(0);
    const unknown = await cli('--host', 'nowhere', 'list');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no host named nowhere.*host add/);
  });
});

describe('daemon-deck --host far', () => {
  it('lists the same units with the same states as the far user’s systemctl', async () => {
    const listed = await farList();
    const units = (await farRows('list-units', '--all')).filter((r) => SHOWN.test(r[0]!));
    const files = (await farRows('list-unit-files')).filter(
      (r) => SHOWN.test(r[0]!) && !/@\./.test(r[0]!),
    );
    const expected = new Set([...units.map((r) => r[0]!), ...files.map((r) => r[0]!)]);
    // Units systemctl knows only as "not-found" (referenced, no file) are no entries of ours.
    for (const r of units) if (r[1] === 'not-found') expected.delete(r[0]!);
    expect([...listed.keys()].sort()).toEqual([...expected].sort());
    expect(listed.size).toBeGreaterThan(5);
    for (const [unit, , active] of units) {
      const entry = listed.get(unit!);
      if (entry === undefined) continue;
      expect(`${unit} ${entry.state}`).toBe(`${unit} ${STATE[active!] ?? 'unknown'}`);
    }
    for (const [unit, state] of files)
      expect(`${unit} ${listed.get(unit!)?.autostart?.state}`).toBe(`${unit} ${state}`);
    expect(listed.get('dd-web.service')?.state).toBe('running');
    expect(listed.get('dd-broken.service')?.state).toBe('failed');
  }, 120_000);

  it('starts, stops, enables and disables units there', async () => {
    expect(await farIs('is-active', 'dd-idle.service')).toBe('inactive');
    const start = await cli('--host', 'far', 'start', 'dd-idle.service');
    expect(start.code, start.stderr).toBe(0);
    expect(await farIs('is-active', 'dd-idle.service')).toBe('active');
    const stop = await cli('-H', 'far', 'stop', 'dd-idle.service');
    expect(stop.code, stop.stderr).toBe(0);
    expect(await farIs('is-active', 'dd-idle.service')).toBe('inactive');
    const enable = await cli('enable', '--host', 'far', 'dd-idle.service');
    expect(enable.code, enable.stderr).toBe(0);
    expect(await farIs('is-enabled', 'dd-idle.service')).toBe('enabled');
    expect((await farList()).get('dd-idle.service')?.autostart?.state).toBe('enabled');
    const disable = await cli('--host=far', 'disable', 'dd-idle.service');
    expect(disable.code, disable.stderr).toBe(0);
    expect(await farIs('is-enabled', 'dd-idle.service')).toBe('disabled');
  }, 120_000);

  it('adds and removes a crontab line and an autostart entry there', async () => {
    const marker = join(far.home, 'cron-ran');
    const add = await cli('--host', 'far', 'cron', 'add', '--', '/usr/bin/touch', marker);
    expect(add.code, add.stderr).toBe(0);
    const tab = await far.ssh('crontab -l');
    expect(tab.stdout).toContain(`@reboot /usr/bin/touch ${marker}`);
    const list = await cli('--host', 'far', 'cron', 'list', '--json');
    expect(list.code, list.stderr).toBe(0);
    const jobs = (JSON.parse(list.stdout) as { jobs: Array<{ key: string; command: string }> })
      .jobs;
    const job = jobs.find((j) => j.command.includes(marker));
    expect(job, list.stdout).toBeDefined();
    const rm = await cli('--host', 'far', 'cron', 'rm', job!.key);
    expect(rm.code, rm.stderr).toBe(0);
    expect((await far.ssh('crontab -l')).stdout).not.toContain(marker);

    const auto = await cli('--host', 'far', 'autostart', 'add', 'far-notes', '--', '/bin/true');
    expect(auto.code, auto.stderr).toBe(0);
    const file = join(far.home, '.config', 'autostart', 'far-notes.desktop');
    expect(ownedBy(file, far.uid)).toBe(true);
    expect(readFileSync(file, 'utf8')).toContain('Exec=/bin/true');
    const listed = await farList();
    expect(listed.size).toBeGreaterThan(0);
    const autoRm = await cli('--host', 'far', 'autostart', 'rm', 'far-notes');
    expect(autoRm.code, autoRm.stderr).toBe(0);
    expect(ownedBy(file, far.uid)).toBe(false);
  }, 120_000);

  it('refuses, in words, a command that works on this machine only', async () => {
    const r = await cli('--host', 'far', 'completion', 'bash');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/`completion` works on this machine only/);
  });
});

describe('every Host effect over SSH', () => {
  let host: SshHost;
  let dir: string;

  beforeAll(async () => {
    const backend = createMemoryBackend({ hosts: [{ name: 'far', destination: far.alias }] });
    host = await openSshHost('far', { backend, env, controlPersistS: 30 });
    dir = join(far.home, 'files');
  });
  afterAll(() => host?.close());

  it('runs an argument vector there exactly: odd words, env, cwd, input, exit status', async () => {
    const words = ["it's", '$HOME', '`id`', 'a b', '', '*', 'line\nbreak', '한글'];
    const echo = await host.run(['printf', '%s\\0', ...words]);
    expect(echo.code, echo.stderr).toBe(0);
    expect(echo.stdout.split('\0').slice(0, -1)).toEqual(words);
    const who = await host.run(['id', '-u']);
    expect(Number(who.stdout)).toBe(far.uid);
    const withEnv = await host.run(['sh', '-c', 'printf %s "$FOO"'], {
      env: { ...host.env, FOO: "a 'b' $c" },
    });
    expect(withEnv.stdout).toBe("a 'b' $c");
    expect((await host.run(['pwd'], { cwd: '/tmp' })).stdout.trim()).toBe('/tmp');
    expect((await host.run(['cat'], { input: 'through stdin' })).stdout).toBe('through stdin');
    expect((await host.run(['sh', '-c', 'exit 3'])).code).toBe(3);
    expect((await host.run(['no-such-program-here'])).code).toBe(127);
    expect(host.env.HOME).toBe(far.home);
    expect(host.xdg.config).toBe(join(far.home, '.config'));
    expect(host.sessionBusAddress()).toBe(far.busAddress);
  });

  it('writes files atomically as the far user and reads their bytes back', async () => {
    const path = join(dir, 'sub', "it's a file");
    const bytes = Buffer.from([0, 1, 2, 0xff, 0xfe, 10, 39, 36]);
    await host.writeFileAtomic(path, bytes, 0o600);
    expect(Buffer.compare(await host.readFile(path), bytes)).toBe(0);
    expect(ownedBy(path, far.uid)).toBe(true);
    const info = await host.stat(path);
    expect(info).toMatchObject({ kind: 'file', size: bytes.length });
    expect(info!.mode & 0o777).toBe(0o600);
    expect(Math.abs(info!.mtimeMs - Date.now())).toBeLessThan(60_000);
    expect(await host.stat(join(dir, 'sub'))).toMatchObject({ kind: 'dir' });
    await host.run(['ln', '-s', path, join(dir, 'link')]);
    expect(await host.stat(join(dir, 'link'))).toMatchObject({ kind: 'link' });
    expect((await host.readdir(join(dir, 'sub'))).sort()).toEqual(["it's a file"]);
    await host.writeFileAtomic(join(dir, 'sub', '.hidden\nname'), 'x');
    expect((await host.readdir(join(dir, 'sub'))).sort()).toEqual(['.hidden\nname', "it's a file"]);
    expect(await host.readdir(join(dir, 'nothing'))).toEqual([]);
    expect(await host.canExecute('/bin/sh')).toBe(true);
    expect(await host.canExecute(path)).toBe(false);
    await host.remove(path);
    await host.remove(path); // gone already: fine
    expect(await host.readOrNull(path)).toBeNull();
    expect(await host.stat(path)).toBeNull();
    const err = await host.readFile(path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppFailure);
    expect((err as AppFailure).error.message).toBe(
      `${path} does not exist, so Daemon Deck could not read it.`,
    );
    // No temp file is left beside what was written.
    expect((await host.readdir(join(dir, 'sub'))).filter((n) => n.includes('dd-write'))).toEqual(
      [],
    );
  });

  it('holds a far-side lock: two changes of one file never interleave', async () => {
    const path = join(dir, 'counter');
    const order: string[] = [];
    const change = (tag: string) =>
      host.withLock(path, async () => {
        order.push(`${tag} in`);
        await sleep(300);
        order.push(`${tag} out`);
      });
    await Promise.all([change('a'), change('b')]);
    expect(order.join(' ')).toMatch(/^(a in a out b in b out|b in b out a in a out)$/);
    await host.createFile(path, 'one');
    const again = await host.createFile(path, 'two').catch((e: unknown) => e);
    expect((again as AppFailure).error.code).toBe('conflict');
    await host.updateFile(path, (cur) => `${cur?.toString()}+`);
    expect((await host.readFile(path)).toString()).toBe('one+');
  });

  it('starts a detached program there, as the far user', async () => {
    const pid = await host.spawnDetached(['sleep', '30']);
    // The far host is this machine: its /proc shows whose the process is.
    expect(readFileSync(`/proc/${pid}/status`, 'latin1')).toMatch(
      new RegExp(`^Uid:\\s+${far.uid}\\s`, 'm'),
    );
    process.kill(pid, 'SIGKILL');
  });
});

describe('faults', () => {
  let host: SshHost;
  let monitor: SystemdMonitor;

  afterAll(async () => {
    await monitor?.stop();
    await host?.close();
  });

  it('comes back by itself after the SSH master connection is killed', async () => {
    const backend = createMemoryBackend({ hosts: [{ name: 'far', destination: far.alias }] });
    host = await openSshHost('far', { backend, env, controlPersistS: 30 });
    expect(host.state).toBe('connected');
    expect(host.uid).toBe(far.uid);
    monitor = createSystemdMonitor({ env: host.env, host });
    await monitor.start();
    expect(monitor.snapshot().sources.systemd.status).toBe('ok');
    expect(monitor.snapshot().entries.some((e) => e.id === 'systemd:dd-web.service')).toBe(true);
    const master = await far.masterPid(env);
    expect(master).toBeGreaterThan(0);
    const states: string[] = [];
    monitor.bus.onState((s) => states.push(s));
    process.kill(master, 'SIGKILL');
    const deadline = Date.now() + 20_000;
    while (!(states.includes('down') && monitor.bus.state === 'up') && Date.now() < deadline)
      await sleep(100);
    expect(states).toContain('down');
    expect(monitor.bus.state).toBe('up');
    const r = await monitor.act('systemd:dd-idle.service', 'start');
    expect(r.ok, JSON.stringify(r)).toBe(true);
    expect(await farIs('is-active', 'dd-idle.service')).toBe('active');
    // Files go through the new master too.
    const text = await host.readFile(join(far.unitDir, 'dd-web.service'));
    expect(text.toString()).toContain('Description=far web');
  });

  it('fails an action on an unreachable host in words', async () => {
    const add = await cli('host', 'add', 'gone', 'ssh://nobody@127.0.0.1:1');
    expect(add.code, add.stderr).toBe(0);
    const r = await cli('--host', 'gone', 'start', 'dd-web.service');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^daemon-deck: gone cannot be reached: .*refused/);
    expect(r.stderr.split('\n').filter((l) => l !== '')).toHaveLength(1);
  });

  it('says how to set up key login when the far side refuses the login', async () => {
    const add = await cli('host', 'add', 'nokey', `ssh://root@127.0.0.1:${far.port}`);
    expect(add.code, add.stderr).toBe(0);
    const r = await cli('--host', 'nokey', 'list');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/refused the SSH login.*ssh-copy-id/);
  });
});
