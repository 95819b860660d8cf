// The startup CLI (`cron`, `autostart`, `linger`) run as a user runs it, and the "Start this
// automatically" setup by each of the three ways, against a private crontab (mount namespace),
// a private autostart folder and the sandbox's systemd --user.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AutostartState, CronState } from '../../main/core/model/startup.js';
import { CrontabStore } from '../../main/core/cron/crontab-store.js';
import { CronService } from '../../main/core/cron/cron-service.js';
import { AutostartService } from '../../main/core/autostart/autostart-service.js';
import { Linger } from '../../main/core/autostart/linger.js';
import { StartupService, createStartup } from '../../main/core/autostart/startup-service.js';
import { createSystemdMonitor } from '../../main/core/monitor/create-monitor.js';
import { hostCrontab, startCronSandbox, type CronSandbox } from '../harness/cron-sandbox.js';
import { startSandbox, type Sandbox } from '../harness/sandbox.js';
import { waitFor } from '../helpers/units.js';
import { runCli } from '../helpers/cli.js';

describe('startup CLI and setup', () => {
  let sb: Sandbox;
  let cronSb: CronSandbox;
  let hostBefore: string;
  let env: NodeJS.ProcessEnv;

  const cli = (...args: string[]) => runCli(env, ...args);
  const installed = async () => (await cronSb.exec(['crontab', '-l'])).stdout;

  beforeAll(async () => {
    hostBefore = await hostCrontab();
    cronSb = await startCronSandbox();
    sb = await startSandbox({ label: 'startup-cli' });
    env = { ...sb.env, DAEMON_DECK_CRONTAB_ARGV: JSON.stringify(cronSb.crontab) };
  });
  afterAll(async () => {
    await sb?.stop();
    await cronSb?.stop();
    expect(await hostCrontab()).toBe(hostBefore);
  });

  it('cron add/list/disable/enable/run/rm/undo', async () => {
    const marker = join(sb.root, 'ran');
    const log = join(sb.root, 'job.log');
    const add = await cli('cron', 'add', '--log', log, '--', '/usr/bin/touch', marker);
    expect(add).toMatchObject({ code: 0 });
    const key = add.stdout.trim();
    expect(key).toMatch(/^[0-9a-f]{8}$/);
    const line = `@reboot /usr/bin/touch ${marker} >> ${log} 2>&1\n`;
    expect(await installed()).toBe(line);

    const list = await cli('cron', 'list', '--json');
    const state = JSON.parse(list.stdout) as CronState;
    expect(state.jobs).toMatchObject([{ key, reboot: true, enabled: true, log }]);
    expect((await cli('cron', 'list')).stdout).toContain(key);

    expect((await cli('cron', 'disable', key)).code).toBe(0);
    expect(await installed()).toBe(`#daemon-deck:disabled# ${line}`);
    expect((await cli('cron', 'enable', key)).code).toBe(0);
    expect(await installed()).toBe(line);

    const run = await cli('cron', 'run', key);
    expect(run.code).toBe(0);
    await waitFor(() => existsSync(marker), 'cron run to start the command');

    expect((await cli('cron', 'rm', key)).code).toBe(0);
    expect(await installed()).toBe('');
    expect((await cli('cron', 'undo')).code).toBe(0);
    expect(await installed()).toBe(line);
  });

  it('cron errors: one line on stderr, exit 1; bad usage exits 2', async () => {
    const gone = await cli('cron', 'rm', 'ffffffff');
    expect(gone.code).toBe(1);
    expect(gone.stderr.trim().split('\n')).toHaveLength(1);
    expect(gone.stderr).toMatch(/no crontab line with the key ffffffff/);
    expect((await cli('cron', 'add')).code).toBe(2);
    expect((await cli('cron', 'frobnicate')).code).toBe(2);
  });

  it('autostart add/list/disable/enable/rm', async () => {
    const add = await cli('autostart', 'add', 'My Sleeper', '--', '/usr/bin/sleep', '30');
    expect(add).toMatchObject({ code: 0, stdout: 'my-sleeper.desktop\n' });
    const path = join(sb.configHome, 'autostart', 'my-sleeper.desktop');
    expect(await readFile(path, 'utf8')).toMatch(/^Exec=\/usr\/bin\/sleep 30$/m);
    const s = JSON.parse((await cli('autostart', 'list', '--json')).stdout) as AutostartState;
    expect(s.items.find((i) => i.file === 'my-sleeper.desktop')).toMatchObject({
      origin: 'user',
      ours: true,
    });
    expect((await cli('autostart', 'disable', 'my-sleeper')).code).toBe(0);
    expect(await readFile(path, 'utf8')).toMatch(/^Hidden=true$/m);
    expect((await cli('autostart', 'enable', 'my-sleeper')).code).toBe(0);
    expect(await readFile(path, 'utf8')).not.toMatch(/Hidden/);
    expect((await cli('autostart', 'rm', 'my-sleeper.desktop')).code).toBe(0);
    expect(existsSync(path)).toBe(false);
    const again = await cli('autostart', 'rm', 'my-sleeper');
    expect(again.code).toBe(1);
  });

  it('linger shows the state and what it means', async () => {
    const r = await cli('linger');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/linger (on|off)/);
    expect(r.stdout).toMatch(/keep running after you log out/);
  });

  it('sets a command up by each way and flags it as started three times', async () => {
    const service = new StartupService({
      cron: new CronService({
        store: new CrontabStore({ crontab: cronSb.crontab, env: sb.env }),
        env: sb.env,
      }),
      autostart: new AutostartService({ env: sb.env }),
      linger: new Linger({ env: sb.env, lingerDir: join(sb.root, 'linger') }),
      env: sb.env,
    });
    const argv = ['/usr/bin/sleep', '4242'];
    const viaUnit = await service.setup({ mechanism: 'systemd', argv, name: 'dd-sleeper' });
    expect(viaUnit).toMatchObject({ ok: true, value: { id: 'systemd:dd-sleeper.service' } });
    expect((await sb.systemctl('is-enabled', 'dd-sleeper.service')).stdout.trim()).toBe('enabled');
    expect((await sb.systemctl('is-active', 'dd-sleeper.service')).stdout.trim()).toBe('active');
    const viaCron = await service.setup({ mechanism: 'cron', argv });
    expect(viaCron.ok && viaCron.value.id).toMatch(/^cron:[0-9a-f]{8}$/);
    const viaLogin = await service.setup({ mechanism: 'xdg-autostart', argv, name: 'DD Sleeper' });
    expect(viaLogin).toMatchObject({ ok: true, value: { id: 'autostart:dd-sleeper.desktop' } });
    const how = await service.howItStarts({ argv });
    expect(how.ok && how.value.via.map((v) => v.mechanism).sort()).toEqual([
      'cron',
      'systemd',
      'xdg-autostart',
    ]);
    expect(how.ok && how.value.duplicate).toBe(true);
    const byId = await service.howItStarts({ id: 'systemd:dd-sleeper.service' });
    expect(byId.ok && byId.value.via).toHaveLength(3);
  });

  it('moves a command an @reboot line starts to a user service: the line is turned off, named in words', async () => {
    await cronSb.exec(['crontab', '-r']);
    const service = new StartupService({
      cron: new CronService({
        store: new CrontabStore({ crontab: cronSb.crontab, env: sb.env }),
        env: sb.env,
      }),
      autostart: new AutostartService({ env: sb.env }),
      linger: new Linger({ env: sb.env, lingerDir: join(sb.root, 'linger') }),
      env: sb.env,
    });
    const argv = ['/usr/bin/sleep', '4343'];
    const line = await service.setup({ mechanism: 'cron', argv });
    expect(line.ok).toBe(true);
    const before = await service.howItStarts({ argv });
    expect(before.ok && before.value.via.map((v) => v.detail)).toEqual([
      'the @reboot line “@reboot /usr/bin/sleep 4343” in your crontab',
    ]);
    const moved = await service.setup({ mechanism: 'systemd', argv, name: 'dd-moved', move: true });
    expect(moved.ok).toBe(true);
    if (!moved.ok) return;
    expect(moved.value.moved.map((m) => m.mechanism)).toEqual(['cron']);
    expect(moved.value.how.via.map((v) => v.id)).toEqual(['systemd:dd-moved.service']);
    expect(moved.value.how.duplicate).toBe(false);
    expect(await installed()).toBe('#daemon-deck:disabled# @reboot /usr/bin/sleep 4343\n');
    // Undo of the move: the old starter on again.
    const old = moved.value.moved[0]!;
    expect((await service.setStarterEnabled(old, true)).ok).toBe(true);
    expect(await installed()).toBe('@reboot /usr/bin/sleep 4343\n');
    await sb.systemctl('disable', '--now', 'dd-moved.service');
  });

  it('the cron and autostart sources put entries in the monitor and act on them', async () => {
    await cronSb.exec(['crontab', '-r']);
    const startup = createStartup({ env: sb.env, crontab: cronSb.crontab, pollMs: 60_000 });
    const added = await startup.service.addCron(['/usr/bin/sleep', '777'], {});
    expect(added.ok).toBe(true);
    const key = added.ok ? added.value.key! : '';
    expect((await startup.service.addAutostart('Dd Panel', ['/usr/bin/sleep', '778'])).ok).toBe(
      true,
    );
    const monitor = createSystemdMonitor({ env: sb.env, sources: startup.sources });
    await monitor.start();
    try {
      const snap = monitor.snapshot();
      expect(snap.sources.cron).toEqual({ status: 'ok' });
      expect(snap.sources.autostart).toEqual({ status: 'ok' });
      expect(snap.entries.find((e) => e.id === `cron:${key}`)).toMatchObject({
        kind: 'cron',
        name: 'sleep',
        autostart: { enabled: true, via: ['cron'] },
        actions: ['start', 'disable'],
      });
      expect(snap.entries.find((e) => e.id === 'autostart:dd-panel.desktop')).toMatchObject({
        kind: 'autostart',
        autostart: { enabled: true, via: ['xdg-autostart'] },
      });
      const off = await monitor.act(`cron:${key}`, 'disable');
      expect(off).toMatchObject({ ok: true, value: { entry: { autostart: { enabled: false } } } });
      expect(await installed()).toMatch(/^#daemon-deck:disabled# @reboot/);
      const edited = await startup.service.editCron(key, ['/usr/bin/sleep', '779'], {});
      expect(edited.ok).toBe(true);
      expect(await installed()).toBe('#daemon-deck:disabled# @reboot /usr/bin/sleep 779\n');
      const hidden = await monitor.act('autostart:dd-panel.desktop', 'disable');
      expect(hidden).toMatchObject({
        ok: true,
        value: { entry: { autostart: { enabled: false } } },
      });
    } finally {
      await monitor.stop();
    }
  });

  it('leaves no unit file behind when systemctl cannot enable it', async () => {
    const service = new StartupService({
      cron: new CronService({ store: new CrontabStore({ crontab: cronSb.crontab, env: sb.env }) }),
      autostart: new AutostartService({ env: sb.env }),
      linger: new Linger({ env: sb.env, lingerDir: join(sb.root, 'linger') }),
      env: sb.env,
      systemctl: (args) =>
        Promise.resolve(
          args[0] === 'enable'
            ? { code: 1, stdout: '', stderr: 'Failed to enable unit: pretend\n' }
            : { code: 0, stdout: '', stderr: '' },
        ),
    });
    const r = await service.setup({
      mechanism: 'systemd',
      argv: ['/usr/bin/true'],
      name: 'dd-broken',
    });
    expect(r).toMatchObject({ ok: false, error: { code: 'job-failed' } });
    expect(!r.ok && r.error.message).toMatch(/pretend/);
    expect(existsSync(join(sb.unitDir, 'dd-broken.service'))).toBe(false);
  });
});
