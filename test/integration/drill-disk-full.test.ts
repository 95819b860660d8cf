// Drill (issue 7): the disk fills up under a write. Tiny tmpfs mounts, filled to the last byte,
// sit over the unit folder, the autostart folder, the settings folder and the crontab backups in
// a private mount namespace (and over the crontab spool in the cron sandbox's). Each write the
// app makes there fails in words ("The disk is full: ... could not write FILE"), the file it
// meant to replace keeps every byte, and no temp file or half-made folder is left behind.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../main/core/app.js';
import { settingsDir } from '../../main/core/settings/settings.js';
import { backupDir } from '../../main/core/systemd/backup-store.js';
import { MATCH_RULES } from '../../main/core/systemd/unit-service.js';
import { matchRules } from '../harness/bus-stats.js';
import { startCronSandbox, type CronSandbox } from '../harness/cron-sandbox.js';
import {
  cliIn,
  onlyLine,
  sandboxCore,
  treeBytes,
  watchProcessFaults,
  type ProcessFaults,
  stopDrill,
} from '../harness/drill.js';
import {
  attachMountNamespace,
  startMountNamespace,
  type MountNamespace,
} from '../harness/mount-ns.js';
import { startSandbox, type Sandbox } from '../harness/sandbox.js';
import { serviceForm, sleeperUnit } from '../helpers/units.js';

const form = (name: string) => serviceForm({ name, description: `drill ${name}` });

const NOTES = [
  '[Desktop Entry]',
  'Type=Application',
  'Name=Notes',
  'Exec=/bin/true --notes',
  '',
].join('\n');
const CRONTAB = '# mine, by hand\n@reboot /bin/true first\n';
const FULL = /The disk is full: Daemon Deck could not write /;
/** The core as the CLI build has it (npm run build). */
const CORE_DIR = fileURLToPath(new URL('../../out/cli/main/core', import.meta.url));
/** Assemble the core, pin argv[2] through the IPC table, print the answer and the settings. */
const PIN_SCRIPT = `
const [dir, id] = process.argv.slice(1);
const { createCore } = await import(dir + '/app.js');
const { createIpcTable } = await import(dir + '/api/ipc-table.js');
const { openConfBackend } = await import(dir + '/settings/settings.js');
const crontab = JSON.parse(process.env.DAEMON_DECK_CRONTAB_ARGV);
const core = createCore({ env: process.env, crontab, settingsBackend: await openConfBackend(process.env) });
const ok = () => Promise.resolve({ ok: true, value: null });
const table = createIpcTable({ ...core.ipcDeps, windows: { openDetail: ok, openPage: ok }, appInfo: { version: '0', transport: 'test' } });
const pin = await table.handlers['settings:pin']({ id, pinned: true });
process.stdout.write(JSON.stringify({ pin, settings: core.settings.get() }));
`;

describe('drill: the disk is full during a write', () => {
  let sb: Sandbox;
  let cs: CronSandbox;
  let ns: MountNamespace;
  let core: Core;
  let faults: ProcessFaults;
  let autostartDir: string;
  let confDir: string;
  let cronBackups: string;
  /** The CLI as the user runs it, inside the namespace where the disk is full. */
  let cli: ReturnType<typeof cliIn>;
  /** The unit backups (Undo) once the app had made its own unit. */
  let unitBackups: Map<string, string>;
  /** Each full folder as the namespace shows it, taken once it was full. */
  const before = new Map<string, Map<string, string>>();

  const unchanged = async (dir: string) => {
    expect(await treeBytes(ns.view(dir))).toEqual(before.get(dir));
  };
  const crontab = async () => (await cs.exec(['crontab', '-l'])).stdout;

  beforeAll(async () => {
    faults = watchProcessFaults();
    sb = await startSandbox({ label: 'drill-full' });
    cs = await startCronSandbox();
    ns = await startMountNamespace();
    cli = cliIn(ns, sb.env);
    await sb.writeUnit('dd-foreign.service', sleeperUnit('Not made by the app', false));
    await sb.daemonReload();
    autostartDir = join(sb.configHome, 'autostart');
    confDir = settingsDir(sb.env);
    cronBackups = join(sb.env.XDG_DATA_HOME!, 'daemon-deck', 'cron-backups');
    for (const d of [autostartDir, confDir, cronBackups]) await mkdir(d, { recursive: true });
    await writeFile(join(autostartDir, 'notes.desktop'), NOTES);
    await writeFile(
      join(confDir, 'settings.json'),
      JSON.stringify({ pinned: ['systemd:dd-foreign.service'], theme: 'dark' }, null, '\t'),
    );
    expect((await cs.exec(['crontab', '-'], CRONTAB)).code).toBe(0);

    // The app sees its folders through the namespace, where they will be full.
    core = sandboxCore(sb, {
      env: {
        ...sb.env,
        XDG_CONFIG_HOME: ns.view(sb.configHome),
        XDG_DATA_HOME: ns.view(sb.env.XDG_DATA_HOME!),
      },
      crontab: cs.crontab,
    });
    await core.monitor.start();
    const made = await core.authoring.create(form('dd-owned'), { enable: false, start: false });
    expect(made.ok, JSON.stringify(made)).toBe(true);
    unitBackups = await treeBytes(backupDir(sb.env));

    for (const dir of [sb.unitDir, autostartDir, confDir, cronBackups]) {
      await ns.tmpfs(dir, 64 * 1024);
      await ns.fill(dir);
      before.set(dir, await treeBytes(ns.view(dir)));
    }
    expect(before.get(sb.unitDir)?.has('dd-owned.service')).toBe(true);
  });
  afterAll(() => stopDrill(core?.monitor, ns, cs, sb, faults));

  it('unit files: create and edit (in the app and the CLI) fail in words; every file keeps its bytes', async () => {
    const r = await core.authoring.create(form('dd-new'), { enable: true, start: true });
    expect(r).toMatchObject({ ok: false, error: { code: 'no-space' } });
    if (!r.ok) expect(r.error.message).toMatch(/The disk is full: .*dd-new\.service/);

    const create = await cli('unit', 'create', '--name', 'dd-cli', '--exec', '/bin/sleep');
    expect(create.code).toBe(1);
    // The create transaction names its failed step, then the cause in words.
    expect(onlyLine(create.stderr)).toMatch(
      /^daemon-deck: Creating dd-cli\.service failed at "write dd-cli\.service": The disk is full: .*dd-cli\.service/,
    );

    const owned = await readFile(join(ns.view(sb.unitDir), 'dd-owned.service'), 'utf8');
    const next = join(sb.root, 'owned-next.service');
    await writeFile(next, owned.replace('Description=drill dd-owned', 'Description=changed'));
    const edit = await cli('unit', 'edit', 'dd-owned.service', '--file', next);
    expect(edit.code).toBe(1);
    expect(onlyLine(edit.stderr)).toMatch(
      /^daemon-deck: .*The disk is full: .*dd-owned\.service\./,
    );

    // A drop-in needs a new folder: it goes again with the failed write.
    const override = join(sb.root, 'override.conf');
    await writeFile(override, '[Unit]\nDescription=Overridden\n');
    const drop = await cli('unit', 'edit', 'dd-foreign.service', '--file', override);
    expect(drop.code).toBe(1);
    expect(onlyLine(drop.stderr)).toMatch(/^daemon-deck: .*The disk is full: .*override\.conf/);

    await unchanged(sb.unitDir);
    // No backup was left behind for an Undo of something that did not happen.
    expect(await treeBytes(backupDir(sb.env))).toEqual(unitBackups);
    expect(core.monitor.snapshot().sources.systemd).toEqual({ status: 'ok' });
  });

  it('autostart files: add, disable, "start Daemon Deck at login" fail in words; the file keeps its bytes', async () => {
    const ops = core.startup.service;
    const add = await ops.addAutostart('drill', ['/bin/true']);
    expect(add).toMatchObject({ ok: false, error: { code: 'no-space' } });
    if (!add.ok) expect(add.error.message).toMatch(/The disk is full: .*drill\.desktop/);
    const off = await ops.setAutostartEnabled('notes.desktop', false);
    expect(off).toMatchObject({ ok: false, error: { code: 'no-space' } });
    if (!off.ok) expect(off.error.message).toMatch(FULL);
    expect(await ops.setSelfAutostart(true)).toMatchObject({
      ok: false,
      error: { code: 'no-space' },
    });
    // From the panel's switch, through the monitor: an answer, not a throw.
    expect(await core.monitor.act('autostart:notes.desktop', 'disable')).toMatchObject({
      ok: false,
      error: { code: 'no-space' },
    });
    const cliAdd = await cli('autostart', 'add', 'drill', '--', '/bin/true');
    expect(cliAdd.code).toBe(1);
    expect(onlyLine(cliAdd.stderr)).toMatch(/^daemon-deck: The disk is full: .*drill\.desktop/);
    await unchanged(autostartDir);
    // Still listed as it was.
    const list = await ops.listAutostart();
    expect(list.ok && list.value.items.find((i) => i.file === 'notes.desktop')).toMatchObject({
      enabled: true,
    });
  });

  it('settings: a watch rule (CLI) and a pin (the app) fail in words; settings.json and the settings stay', async () => {
    const watch = await cli('watch', 'add', 'drill', '--match', 'sleep');
    expect(watch.code).toBe(1);
    expect(onlyLine(watch.stderr)).toMatch(/^daemon-deck: The disk is full: .*settings\.json/);

    // The built core inside the namespace (conf resolves its path, so it must run there): the
    // panel's pin goes through the IPC table as the app's does.
    const app = await ns.exec(
      [
        process.execPath,
        '--input-type=module',
        '-e',
        PIN_SCRIPT,
        CORE_DIR,
        'systemd:dd-owned.service',
      ],
      { env: sb.env },
    );
    expect(app.stderr).toBe('');
    const { pin, settings } = JSON.parse(app.stdout) as {
      pin: { ok: boolean; error?: { code: string; message: string } };
      settings: unknown;
    };
    expect(pin).toMatchObject({ ok: false, error: { code: 'no-space' } });
    expect(pin.error?.message).toMatch(/The disk is full: .*settings\.json/);
    expect(settings).toMatchObject({ pinned: ['systemd:dd-foreign.service'], theme: 'dark' });
    await unchanged(confDir);
  });

  it('crontab backup: adding an @reboot line fails before the crontab is touched', async () => {
    const add = await core.startup.service.addCron(['/bin/true', 'second'], {});
    expect(add).toMatchObject({ ok: false, error: { code: 'no-space' } });
    if (!add.ok)
      expect(add.error.message).toMatch(/^The crontab was not changed: .* The disk is full/);
    expect(await crontab()).toBe(CRONTAB);
    await unchanged(cronBackups);
  });

  it('crontab undo: a full spool fails the undo in words; the crontab and the backup stay for a retry', async () => {
    // Room for backups again: a change goes through and leaves its backup.
    await ns.unmount(cronBackups);
    const add = await core.startup.service.addCron(['/bin/true', 'second'], {});
    expect(add.ok, JSON.stringify(add)).toBe(true);
    const changed = await crontab();
    expect(changed).toBe(`${CRONTAB}@reboot /bin/true second\n`);

    // Now crontab(1) has no room to write the spool.
    const spool = attachMountNamespace(cs.holderPid);
    await spool.tmpfs('/var/spool/cron/crontabs', 64 * 1024, cs.spool);
    await spool.fill('/var/spool/cron/crontabs');
    const undo = await core.startup.service.undoCron();
    expect(undo).toMatchObject({ ok: false });
    if (!undo.ok) expect(undo.error.message).toMatch(/^crontab refused the backup: .+/);
    expect(await crontab()).toBe(changed);

    await spool.unmount('/var/spool/cron/crontabs');
    // cron's own spool (not full) still holds the changed crontab; the backup is still there.
    expect(await crontab()).toBe(changed);
    expect(await core.startup.service.undoCron()).toMatchObject({ ok: true });
    expect(await crontab()).toBe(CRONTAB);
  });

  it('the app kept working throughout, with no stray rejection and no extra match rule', async () => {
    expect(await core.monitor.act('systemd:dd-owned.service', 'start')).toMatchObject({ ok: true });
    expect(await core.monitor.act('systemd:dd-owned.service', 'stop')).toMatchObject({ ok: true });
    expect((await matchRules(sb)).count).toBe(MATCH_RULES.length);
    expect(faults.seen).toEqual([]);
  });
});
