// Drill (issue 7): the user unit folder (~/.config/systemd/user) is not writable. CI runs as root,
// which ignores mode bits, so the folder is made read-only by a bind mount in a private mount
// namespace (test/harness/mount-ns.ts): the in-process core reaches it through the namespace's
// view of the path, the CLI runs inside the namespace. Creating and editing a unit fail with
// words that say why, and write nothing: the unit folder and the backups are byte-identical.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../main/core/app.js';
import { backupDir } from '../../main/core/systemd/backup-store.js';
import { MATCH_RULES } from '../../main/core/systemd/unit-service.js';
import { matchRules } from '../harness/bus-stats.js';
import {
  cliIn,
  onlyLine,
  sandboxCore,
  treeBytes,
  watchProcessFaults,
  type ProcessFaults,
  stopDrill,
} from '../harness/drill.js';
import { startMountNamespace, type MountNamespace } from '../harness/mount-ns.js';
import { startSandbox, type Sandbox } from '../harness/sandbox.js';
import { serviceForm, sleeperUnit } from '../helpers/units.js';

const form = (name: string) => serviceForm({ name, description: `drill ${name}` });

describe('drill: the unit folder is read-only', () => {
  let sb: Sandbox;
  let ns: MountNamespace;
  let core: Core;
  let faults: ProcessFaults;
  let unitsBefore: Map<string, string>;
  let backupsBefore: Map<string, string>;
  /** The CLI as the user runs it, inside the namespace where the folder is read-only. */
  let cli: ReturnType<typeof cliIn>;

  const unchanged = async () => {
    expect(await treeBytes(sb.unitDir)).toEqual(unitsBefore);
    expect(await treeBytes(backupDir(sb.env))).toEqual(backupsBefore);
  };

  beforeAll(async () => {
    faults = watchProcessFaults();
    sb = await startSandbox({ label: 'drill-ro' });
    ns = await startMountNamespace();
    await sb.writeUnit('dd-foreign.service', sleeperUnit('Not made by the app', false));
    await sb.daemonReload();
    // The app's own folders, as the namespace sees them (the same folders until the mount).
    cli = cliIn(ns, sb.env);
    core = sandboxCore(sb, { env: { ...sb.env, XDG_CONFIG_HOME: ns.view(sb.configHome) } });
    await core.monitor.start();
    const made = await core.authoring.create(form('dd-owned'), { enable: false, start: false });
    expect(made.ok, JSON.stringify(made)).toBe(true);
    await ns.readOnly(sb.unitDir);
    unitsBefore = await treeBytes(sb.unitDir);
    backupsBefore = await treeBytes(backupDir(sb.env));
    expect(unitsBefore.has('dd-owned.service')).toBe(true);
  });
  afterAll(() => stopDrill(core?.monitor, ns, sb, faults));

  it('creating a unit in the app fails in words and writes nothing', async () => {
    const r = await core.authoring.create(form('dd-new'), { enable: true, start: true });
    expect(r).toMatchObject({ ok: false, error: { code: 'access-denied' } });
    if (!r.ok) expect(r.error.message).toMatch(/dd-new\.service is on a read-only file system/);
    const setup = await core.startup.service.setup({
      mechanism: 'systemd',
      argv: ['/bin/sleep', '100000'],
      name: 'dd-setup',
    });
    expect(setup).toMatchObject({ ok: false, error: { code: 'access-denied' } });
    if (!setup.ok) expect(setup.error.message).toMatch(/dd-setup\.service.*read-only/);
    await unchanged();
    expect((await sb.systemctl('cat', 'dd-new.service')).code).not.toBe(0);

    // Everything that does not write there still works.
    expect(core.monitor.snapshot().sources.systemd).toEqual({ status: 'ok' });
    expect(await core.monitor.act('systemd:dd-owned.service', 'start')).toMatchObject({
      ok: true,
    });
    expect(await core.monitor.act('systemd:dd-owned.service', 'stop')).toMatchObject({
      ok: true,
    });
    expect(await core.authoring.definition('dd-owned.service')).toMatchObject({
      ok: true,
      value: { unit: 'dd-owned.service' },
    });
    expect((await matchRules(sb)).count).toBe(MATCH_RULES.length);
    expect(faults.seen).toEqual([]);
  });

  it('the CLI: create, edit (full file and drop-in) each fail in one readable line, and write nothing', async () => {
    // The CLI looks the new name up (LoadUnit) while the app runs: systemd loads a "not-found"
    // unit for a moment. The app once chased that forever (UnitNew, read, UnitRemoved, ...), and
    // systemd grew too busy to answer anyone.
    let chased = 0;
    const off = core.monitor.bus.onSignal((s) => {
      if (s.member === 'UnitNew' && s.body[0] === 'dd-cli.service') chased++;
    });
    const create = await cli(
      'unit',
      'create',
      '--name',
      'dd-cli',
      '--exec',
      '/bin/sleep',
      '--arg',
      '1',
    );
    expect(create.code).toBe(1);
    expect(onlyLine(create.stderr)).toMatch(
      /^daemon-deck: .*dd-cli\.service is on a read-only file system/,
    );
    // Once the CLI is gone, nothing loads that name any more.
    await new Promise((r) => setTimeout(r, 300));
    const settled = chased;
    await new Promise((r) => setTimeout(r, 1000));
    off();
    expect(chased - settled).toBe(0);

    const owned = await readFile(join(sb.unitDir, 'dd-owned.service'), 'utf8');
    const next = join(sb.root, 'owned-next.service');
    await writeFile(next, owned.replace('Description=drill dd-owned', 'Description=changed'));
    const edit = await cli('unit', 'edit', 'dd-owned.service', '--file', next);
    expect(edit.code).toBe(1);
    expect(onlyLine(edit.stderr)).toMatch(
      /^daemon-deck: .*dd-owned\.service is on a read-only file system/,
    );

    const override = join(sb.root, 'override.conf');
    await writeFile(override, '[Unit]\nDescription=Overridden\n');
    const drop = await cli('unit', 'edit', 'dd-foreign.service', '--file', override);
    expect(drop.code).toBe(1);
    expect(onlyLine(drop.stderr)).toMatch(
      /^daemon-deck: .*override\.conf is on a read-only file system/,
    );

    await unchanged();
    // Reading still works there.
    const show = await cli('unit', 'show', 'dd-owned.service');
    expect(show.code).toBe(0);
    expect(show.stdout).toContain('Description=drill dd-owned');
  });

  it('once the folder is writable again, the same edit goes through', async () => {
    await ns.unmount(sb.unitDir);
    const next = join(sb.root, 'owned-next.service');
    const edit = await cli('unit', 'edit', 'dd-owned.service', '--file', next);
    expect(edit.code, edit.stderr).toBe(0);
    expect(await readFile(join(sb.unitDir, 'dd-owned.service'), 'utf8')).toContain(
      'Description=changed',
    );
    expect(faults.seen).toEqual([]);
  });
});
