// Setup files (issue 17) without systemd: the schema's refusals name the field, the text is
// stable, and an import is one transaction: a step that fails puts back every file, unit state,
// crontab line and watch rule the steps before it changed; its Undo does the same afterwards and
// refuses to run over a later change. The host is this machine's in a temp folder; systemd, the
// crontab and the settings are small fakes with the same contract.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Result } from '../../main/core/model/domain.js';
import type { SetupFile } from '../../main/core/model/setup.js';
import { ok, fail } from '../../main/core/errors.js';
import { createLocalHost } from '../../main/core/host/local-host.js';
import { createMemoryWatchRules } from '../../main/core/processes/watch-rules.js';
import { BackupStore, backupDir } from '../../main/core/systemd/backup-store.js';
import { exportSetup, serializeSetup, type SetupDeps } from '../../main/core/setup/export.js';
import { importSetup, undoSetup } from '../../main/core/setup/import.js';
import { otherHomes, parseSetup, surveySetup } from '../../main/core/setup/plan.js';

const UNIT = '[Unit]\nDescription=web in $HOME\n[Service]\nExecStart=/bin/sleep 100\n';
const RULE = {
  name: 'sleepy',
  pattern: 'sleep 42',
  full: false,
  exact: false,
  start: ['/bin/sleep', '42'],
  cwd: null,
  log: null,
};

function setupOf(over: Partial<SetupFile> = {}): SetupFile {
  return {
    kind: 'daemon-deck-setup',
    version: 1,
    units: [{ name: 'web.service', enabled: true, running: true, text: UNIT }],
    crontab: [{ line: '@reboot /bin/true', enabled: true }],
    autostart: [{ file: 'notes.desktop', text: '[Desktop Entry]\nType=Application\nExec=x\n' }],
    watchRules: [RULE],
    ...over,
  };
}

describe('setup files', () => {
  let root: string;
  let deps: SetupDeps;
  /** systemd's view: which units are loaded, enabled, running. */
  let states: Map<string, { enabled: boolean; running: boolean }>;
  let crontab: string;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'dd-setup-'));
    const env = {
      HOME: root,
      XDG_CONFIG_HOME: join(root, 'config'),
      XDG_DATA_HOME: join(root, 'data'),
      XDG_STATE_HOME: join(root, 'state'),
    };
    const host = createLocalHost(env);
    states = new Map();
    crontab = '# mine\n';
    const unitDir = join(env.XDG_CONFIG_HOME, 'systemd', 'user');
    deps = {
      host,
      units: {
        detail: (name: string) => {
          const s = states.get(name);
          return Promise.resolve(
            s === undefined
              ? fail('no-such-unit', `${name} does not exist.`)
              : ok({
                  unitFileState: s.enabled ? 'enabled' : 'disabled',
                  activeState: s.running ? 'active' : 'inactive',
                }),
          );
        },
        act: (name: string, action: string) => {
          const s = states.get(name) ?? { enabled: false, running: false };
          if (action === 'enable' || action === 'disable') s.enabled = action === 'enable';
          else s.running = action !== 'stop';
          states.set(name, s);
          return Promise.resolve(ok({}));
        },
      } as unknown as SetupDeps['units'],
      authoring: {
        unitDir,
        backups: new BackupStore(backupDir(env), host),
        reload: async () => {
          for (const name of await readdir(unitDir).catch(() => []))
            if (!states.has(name)) states.set(name, { enabled: false, running: false });
        },
      },
      crontab: {
        read: () => Promise.resolve(ok(crontab)),
        locked: (fn) => fn(),
        commit: (expected: string, next: string): Promise<Result<never>> => {
          if (crontab !== expected) return Promise.resolve(fail('conflict', 'changed'));
          crontab = next;
          return Promise.resolve(ok({} as never));
        },
      },
      rules: createMemoryWatchRules(),
    };
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  const unitPath = () => join(deps.authoring.unitDir, 'web.service');
  const desktopPath = () => join(root, 'config', 'autostart', 'notes.desktop');
  const exists = (p: string) =>
    readFile(p).then(
      () => true,
      () => false,
    );
  const leftBackups = async () => readdir(deps.authoring.backups.dir).catch(() => []);

  it('refuses a broken file naming the field', () => {
    const text = (o: unknown) => JSON.stringify(o);
    const good = setupOf();
    const refused = (t: string) => {
      try {
        parseSetup(t);
      } catch (err) {
        return (err as Error).message;
      }
      return 'accepted';
    };
    expect(refused('{')).toMatch(/not JSON/);
    expect(refused(text({ ...good, version: 2 }))).toMatch(/at version: /);
    expect(refused(text({ ...good, units: [{ ...good.units[0], name: 'a/b.service' }] }))).toMatch(
      /at units\.0\.name: /,
    );
    expect(refused(text({ ...good, units: [{ ...good.units[0], enabled: 'yes' }] }))).toMatch(
      /at units\.0\.enabled: /,
    );
    expect(refused(text({ ...good, crontab: [{ line: '* * * * * x', enabled: true }] }))).toMatch(
      /at crontab\.0\.line: .*@reboot/,
    );
    expect(refused(text({ ...good, autostart: [...good.autostart, ...good.autostart] }))).toMatch(
      /at autostart\.1: .*twice/,
    );
    expect(refused(text({ ...good, watchRules: [{ ...RULE, name: 'bad name' }] }))).toMatch(
      /at watchRules\.0: /,
    );
    expect(refused(text({ ...good, surprise: true }))).toMatch(/surprise/);
    expect(refused(text(good))).toBe('accepted');
  });

  it("notes home folders a file names that are not this host's, and keeps its bytes", async () => {
    const text = 'ExecStart=/home/alice/bin/x --cfg /root/.x\nWorkingDirectory=/home/bob\n';
    expect(otherHomes(Buffer.from(text), '/home/bob')).toEqual(['/home/alice', '/root']);
    expect(otherHomes(Buffer.from('ExecStart=/home/bobby/x'), '/home/bob')).toEqual([
      '/home/bobby',
    ]);
    const s = await surveySetup(
      deps,
      setupOf({ units: [{ name: 'web.service', enabled: false, running: false, text }] }),
    );
    expect(s.plan.items[0]).toMatchObject({
      action: 'create',
      otherHomes: ['/home/alice', '/home/bob', '/root'],
    });
    expect(s.units[0]!.bytes.toString()).toBe(text);
  });

  it('writes a stable text: the same setup in any order is the same bytes, and it reads back', () => {
    const two = setupOf({
      units: [
        { name: 'b.service', enabled: false, running: false, text: 'b' },
        { name: 'a.service', enabled: true, running: false, base64: 'gA==' },
      ],
    });
    const swapped = { ...two, units: [...two.units].reverse() };
    expect(serializeSetup(swapped)).toBe(serializeSetup(two));
    expect(serializeSetup(parseSetup(serializeSetup(two)))).toBe(serializeSetup(two));
    expect(serializeSetup(two)).toMatch(/^\{\n {2}"kind": "daemon-deck-setup",\n {2}"version": 1,/);
  });

  it('exports bytes exactly: UTF-8 as text, anything else as base64', async () => {
    await deps.host.writeFileAtomic(unitPath(), Buffer.from([0x23, 0xe9, 0x0a]));
    states.set('web.service', { enabled: true, running: false });
    const f = await exportSetup(deps);
    expect(f.units).toEqual([
      { name: 'web.service', enabled: true, running: false, base64: 'I+kK' },
    ]);
    expect(f.crontab).toEqual([]);
  });

  it('a failing step undoes the steps before it: files, units, crontab, rules as before', async () => {
    const before = crontab;
    const failing = importSetup(deps, setupOf(), {
      replace: false,
      hook: (step) => {
        if (step === 'add the watch rules') throw new Error('disk on fire');
      },
    });
    await expect(failing).rejects.toThrow(
      /failed at "add the watch rules": disk on fire; the \d+ steps before it were undone/,
    );
    expect(await exists(unitPath())).toBe(false);
    expect(await exists(desktopPath())).toBe(false);
    expect(states.get('web.service') ?? { enabled: false, running: false }).toEqual({
      enabled: false,
      running: false,
    });
    expect(crontab).toBe(before);
    expect(deps.rules.list()).toEqual([]);
    expect(await leftBackups()).toEqual([]);
  });

  it('imports, changes nothing the second time, and its Undo puts the before state back', async () => {
    const crontabBefore = crontab;
    const first = await importSetup(deps, setupOf(), { replace: false });
    expect(first.plan.counts).toEqual({ create: 4, same: 0, differs: 0 });
    expect(await readFile(unitPath(), 'utf8')).toBe(UNIT);
    expect(states.get('web.service')).toEqual({ enabled: true, running: true });
    expect(crontab).toBe('# mine\n@reboot /bin/true\n');
    expect(deps.rules.list()).toEqual([RULE]);
    const second = await importSetup(deps, setupOf(), { replace: false });
    expect(second).toMatchObject({
      steps: [],
      undo: null,
      plan: { counts: { create: 0, same: 4, differs: 0 } },
    });

    await undoSetup(deps, first.undo!.id);
    expect(await exists(unitPath())).toBe(false);
    expect(await exists(desktopPath())).toBe(false);
    expect(states.get('web.service')).toEqual({ enabled: false, running: false });
    expect(crontab).toBe(crontabBefore);
    expect(deps.rules.list()).toEqual([]);
    await expect(undoSetup(deps, first.undo!.id)).rejects.toThrow(/no import to undo/);
  });

  it('carries drop-ins: exported with their unit, compared, written and undone with it', async () => {
    const conf = join(deps.authoring.unitDir, 'web.service.d', 'env.conf');
    const withDropIn = setupOf({
      units: [
        {
          name: 'web.service',
          enabled: false,
          running: false,
          text: UNIT,
          dropIns: [{ file: 'env.conf', text: '[Service]\nEnvironment=A=1\n' }],
        },
      ],
    });
    const first = await importSetup(deps, withDropIn, { replace: false });
    expect(await readFile(conf, 'utf8')).toBe('[Service]\nEnvironment=A=1\n');
    expect((await exportSetup(deps)).units[0]!.dropIns).toEqual(withDropIn.units[0]!.dropIns);
    await deps.host.writeFileAtomic(conf, '[Service]\nEnvironment=A=2\n');
    const plan = (await surveySetup(deps, withDropIn)).plan.items[0]!;
    expect(plan).toMatchObject({ action: 'differs', differences: ['content'] });
    expect(plan.diff?.text).toMatch(/-Environment=A=2\n\+Environment=A=1/);
    await deps.host.writeFileAtomic(conf, '[Service]\nEnvironment=A=1\n');
    await undoSetup(deps, first.undo!.id);
    expect(await exists(conf)).toBe(false);
    expect(await exists(unitPath())).toBe(false);
  });

  it('refuses what differs without replace, writes nothing; an Undo over a later change is refused', async () => {
    await importSetup(deps, setupOf(), { replace: false });
    const changed = setupOf({
      units: [{ name: 'web.service', enabled: false, running: true, text: `${UNIT}# v2\n` }],
    });
    await expect(importSetup(deps, changed, { replace: false })).rejects.toThrow(
      /web\.service.*--replace/,
    );
    expect(await readFile(unitPath(), 'utf8')).toBe(UNIT);
    const replaced = await importSetup(deps, changed, { replace: true });
    expect(replaced.plan.items[0]).toMatchObject({
      action: 'differs',
      differences: ['content', 'enabled'],
      diff: { added: 1, removed: 0 },
    });
    expect(states.get('web.service')).toEqual({ enabled: false, running: true });
    await deps.host.writeFileAtomic(unitPath(), 'edited by hand\n');
    await expect(undoSetup(deps, replaced.undo!.id)).rejects.toThrow(/changed after the import/);
    expect(await readFile(unitPath(), 'utf8')).toBe('edited by hand\n');
  });
});
