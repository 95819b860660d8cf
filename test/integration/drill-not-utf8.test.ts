// Drill (issue 7): command lines and descriptions that are not UTF-8. Two background processes
// carry bytes that are not UTF-8: one in its argv (argv[0] and arguments, set through bash's
// `exec -a`), one in its program name (so in its comm, too). A unit file and an autostart file
// have Latin-1 text. Everything is listed, matched, shown as strays; every JSON the app and the
// CLI produce parses; nothing throws.
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Entry } from '../../main/core/model/domain.js';
import type { Core } from '../../main/core/app.js';
import { MATCH_RULES } from '../../main/core/systemd/unit-service.js';
import { matchRules } from '../harness/bus-stats.js';
import {
  sandboxCore,
  watchProcessFaults,
  watchRule,
  type ProcessFaults,
} from '../harness/drill.js';
import { startSandbox, type Sandbox } from '../harness/sandbox.js';
import { runCli } from '../helpers/cli.js';
import { waitFor } from '../helpers/units.js';

const latin1 = (s: string) => Buffer.from(s, 'latin1');

/** A fixed script: argv[0] "\xe9t\xe9", arguments "caf\xe9" and "\xff\xfe" (never user input). */
const ODD_ARGV = String.raw`exec -a $'\xe9t\xe9' /bin/sh -c 'sleep 100000; :' $'caf\xe9' $'\xff\xfe'`;

/** Runs $0/sl\xe9ep (a copy of sleep): a program name, and so a comm, that is not UTF-8. */
const ODD_NAME = String.raw`exec "$0/sl"$'\xe9'ep 99998.5`;

const jsonRoundTrip = (v: unknown) => JSON.parse(JSON.stringify(v)) as unknown;

describe('drill: command lines and descriptions that are not UTF-8', () => {
  let sb: Sandbox;
  let core: Core;
  let faults: ProcessFaults;
  let oddArgv: ChildProcess;
  let oddName: ChildProcess;

  beforeAll(async () => {
    faults = watchProcessFaults();
    sb = await startSandbox({ label: 'drill-utf8' });
    oddArgv = spawn('/bin/bash', ['-c', ODD_ARGV], {
      detached: true,
      stdio: 'ignore',
      env: sb.env,
    });
    // A program whose file name is Latin-1: its comm (and argv[0]) are not UTF-8.
    const bin = Buffer.concat([Buffer.from(`${sb.root}/sl`), Buffer.of(0xe9), Buffer.from('ep')]);
    await copyFile('/bin/sleep', bin);
    oddName = spawn('/bin/bash', ['-c', ODD_NAME, sb.root], {
      detached: true,
      stdio: 'ignore',
      env: sb.env,
    });
    for (const c of [oddArgv, oddName]) c.unref();

    await writeFile(
      join(sb.unitDir, 'dd-latin1.service'),
      latin1('[Unit]\nDescription=Caf\xe9 cr\xe8me\n\n[Service]\nExecStart=/bin/sleep 100000\n'),
    );
    await sb.daemonReload();
    const autostart = join(sb.configHome, 'autostart');
    await mkdir(autostart, { recursive: true });
    await writeFile(
      join(autostart, 'latin.desktop'),
      latin1('[Desktop Entry]\nType=Application\nName=Caf\xe9\nExec=/bin/true \xe9t\xe9\n'),
    );

    core = sandboxCore(sb);
    core.processes.rules.add(watchRule('odd', 'caf', true));
    await core.monitor.start();
  });
  afterAll(async () => {
    for (const c of [oddArgv, oddName]) {
      try {
        if (c?.pid !== undefined) process.kill(-c.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await core?.monitor.stop();
    await sb?.stop();
    faults?.stop();
  });

  it('processes: scanned, matched as pgrep would, listed as strays, plain JSON', async () => {
    const argvPid = oddArgv.pid!;
    const namePid = oddName.pid!;
    const t = await waitFor(() => {
      const s = core.processes.scan();
      const a = s.byPid.get(argvPid);
      const n = s.byPid.get(namePid);
      return a?.argv.length === 5 && n?.argv[1] === '99998.5' ? s : null;
    }, 'both processes as they will run');
    const a = t.byPid.get(argvPid)!;
    expect(a.argv.slice(1, 3)).toEqual(['-c', 'sleep 100000; :']);
    expect(a.argv[3]).toMatch(/^caf.$/u);
    const n = t.byPid.get(namePid)!;
    expect(n.comm).toMatch(/^sl.ep$/u);
    expect(jsonRoundTrip(t.processes)).toEqual(t.processes);

    const rows = core.processes.list({
      pattern: 'caf',
      full: true,
      exact: false,
      users: [],
      parents: [],
      pick: 'all',
    });
    expect(rows.map((r) => r.pid)).toContain(argvPid);
    const byName = core.processes.list({
      pattern: '^sl[^e]ep$',
      full: false,
      exact: false,
      users: [],
      parents: [],
      pick: 'all',
    });
    expect(byName.map((r) => r.pid)).toEqual([namePid]);

    // The one a watch rule matches is that rule's entry, not a stray.
    const strays = core.processes.strays();
    expect(strays.map((s) => s.pid)).toContain(namePid);
    expect(strays.map((s) => s.pid)).not.toContain(argvPid);
    expect(jsonRoundTrip(strays)).toEqual(strays);

    await waitFor(
      () =>
        core.monitor
          .snapshot()
          .entries.find((e) => e.id === 'process:odd')
          ?.pids.includes(argvPid),
      'the watch rule entry',
    );
    expect(jsonRoundTrip(core.monitor.snapshot())).toEqual(core.monitor.snapshot());
  });

  it('the CLI: ps and strays print them, and their JSON parses', async () => {
    const ps = await runCli(sb.env, 'ps', '-f', 'caf', '--json');
    expect(ps.code, ps.stderr).toBe(0);
    expect((JSON.parse(ps.stdout) as Array<{ pid: number }>).map((r) => r.pid)).toContain(
      oddArgv.pid,
    );
    const text = await runCli(sb.env, 'ps', '-f', 'caf');
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(String(oddArgv.pid));
    const strays = await runCli(sb.env, 'strays', '--json');
    expect(strays.code, strays.stderr).toBe(0);
    expect((JSON.parse(strays.stdout) as Array<{ pid: number }>).map((s) => s.pid)).toEqual(
      expect.arrayContaining([oddArgv.pid, oddName.pid]),
    );
    expect((await runCli(sb.env, 'strays')).code).toBe(0);
  });

  it('a unit and an autostart file with Latin-1 text: listed, detailed, plain JSON', async () => {
    const unit = core.monitor.snapshot().entries.find((e) => e.name === 'dd-latin1.service');
    expect(unit?.description).toMatch(/^Caf. cr.me$/u);
    // systemd itself will not load a unit file that is not UTF-8; the app says so on start.
    const start = await core.monitor.act('systemd:dd-latin1.service', 'start');
    expect(start.ok).toBe(false);
    if (!start.ok) expect(start.error.message).toMatch(/failed to load properly/);
    expect(await core.monitor.unitDetail('dd-latin1.service')).toMatchObject({ ok: true });
    const def = await core.authoring.definition('dd-latin1.service');
    expect(def.ok && def.value.fragment).toMatch(/Description=Caf. cr.me/u);

    const auto = await core.startup.service.listAutostart();
    expect(auto.ok).toBe(true);
    const item = auto.ok ? auto.value.items.find((i) => i.file === 'latin.desktop') : undefined;
    expect(item?.name).toMatch(/^Caf.$/u);
    expect(jsonRoundTrip(auto)).toEqual(auto);

    const list = await runCli(sb.env, 'list', '--json');
    expect(list.code, list.stderr).toBe(0);
    const entries = JSON.parse(list.stdout) as Entry[];
    expect(entries.find((e) => e.name === 'dd-latin1.service')?.description).toMatch(/^Caf/);
    const status = await runCli(sb.env, 'status', 'dd-latin1.service', '--json');
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ name: 'dd-latin1.service' });
    const autoCli = await runCli(sb.env, 'autostart', 'list', '--json');
    expect(autoCli.code, autoCli.stderr).toBe(0);
    const autoItems = (JSON.parse(autoCli.stdout) as { items: Array<{ file: string }> }).items;
    expect(autoItems.map((i) => i.file)).toContain('latin.desktop');

    expect((await matchRules(sb)).count).toBe(MATCH_RULES.length);
    expect(faults.seen).toEqual([]);
  });
});
