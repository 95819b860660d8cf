// "Copy to host..." (issue 17) through the IPC handlers the app serves: an entry of this machine
// (a private systemd --user, sandbox.ts) exported, its import planned on a real far host (sshd on
// loopback with a second user and that user's own systemd --user, far-host.ts) over the app's one
// connection to it, applied there (the far user gets the byte-identical unit file, enabled and
// running as exported), planned again (nothing to do), and undone (the file gone, the unit
// stopped). A host not in settings is refused in words; this machine is never written. The same
// connection serves a far stray's Adopt (the Strays page): listed naming the host, adopted there
// and undone there.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../main/core/app.js';
import { createIpcTable, type IpcTable } from '../../main/core/api/ipc-table.js';
import type { SetupOutcome, SetupPlan } from '../../main/core/model/setup.js';
import type { Result } from '../../main/core/model/domain.js';
import { createMemoryBackend } from '../../main/core/settings/settings.js';
import { startFarHost, startLocalSide, type FarHost, type LocalSide } from '../harness/far-host.js';
import { startSandbox, type Sandbox } from '../harness/sandbox.js';
import { watchRule } from '../harness/drill.js';
import { noWindows } from '../helpers/ipc.js';
import { sleeperUnit, waitFor } from '../helpers/units.js';

const UNIT = 'dd-copied.service';
const TEXT = sleeperUnit('copied to the far host');

let far: FarHost;
let local: LocalSide;
let sb: Sandbox;
let core: Core;
let table: IpcTable;

function value<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

/** The far unit's ActiveState and UnitFileState, as the far user's systemctl says. */
async function farState(): Promise<string> {
  const r = await far.systemctl('show', '-p', 'ActiveState', '-p', 'UnitFileState', UNIT);
  return r.stdout.trim().split('\n').sort().join(' ');
}

async function farFile(): Promise<string | null> {
  const r = await far.ssh(`cat ${join(far.unitDir, UNIT)}`);
  return r.code === 0 ? r.stdout : null;
}

/** The far user's own settings.json, as that user reads it. */
async function farSettings(): Promise<unknown> {
  const r = await far.ssh('cat "$HOME/.config/daemon-deck/settings.json"');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as unknown;
}

function farRuleNames(settings: unknown): string[] {
  const rules = (settings as { watchRules?: Array<{ name: string }> }).watchRules ?? [];
  return rules.map((r) => r.name);
}

beforeAll(async () => {
  far = await startFarHost({ label: 'copyhost' });
  local = await startLocalSide(far);
  sb = await startSandbox({ label: 'copyhost' });
  await sb.writeUnit(UNIT, TEXT);
  await sb.daemonReload();
  expect((await sb.systemctl('enable', '--now', UNIT)).code).toBe(0);
  core = createCore({
    env: sb.env,
    busAddress: sb.busAddress,
    settingsBackend: createMemoryBackend({ hosts: [{ name: 'far', destination: far.alias }] }),
    crontab: [join(sb.root, 'no-crontab-here')],
    farHosts: { env: local.env, startupPollMs: 60_000 },
  });
  table = createIpcTable({
    ...core.ipcDeps,
    windows: noWindows,
    appInfo: { version: 'test', transport: 'electron', systemLanguage: 'en' },
  });
  await core.monitor.start();
  await waitFor(
    () => core.hosts!.view().hosts.some((h) => h.name === 'far' && h.state === 'connected'),
    'the far host connected',
    60_000,
  );
}, 180_000);

afterAll(async () => {
  // In order: the core (and its ssh connection) first, the far host last.
  for (const part of [core, sb, local, far]) await part?.stop();
}, 60_000);

describe('Copy to host... over the IPC handlers', () => {
  it('plans, imports, re-plans and undoes an entry on the far host', async () => {
    const { handlers } = table;
    const text = value(await handlers['setup:export']({ ids: [`systemd:${UNIT}`] }));
    const file = JSON.parse(text) as { units: Array<{ name: string }> };
    expect(file.units.map((u) => u.name)).toEqual([UNIT]);
    expect(await farFile()).toBeNull();

    const plan: SetupPlan = value(await handlers['setup:plan']({ text, host: 'far' }));
    expect(plan.host).toBe('far');
    expect(plan.counts.create).toBe(1);
    expect(plan.items.map((i) => [i.action, i.name])).toEqual([['create', UNIT]]);
    // Planning wrote nothing there.
    expect(await farFile()).toBeNull();

    const out: SetupOutcome = value(
      await handlers['setup:import']({ text, replace: false, host: 'far' }),
    );
    expect(out.undo).not.toBeNull();
    expect(await farFile()).toBe(TEXT);
    expect(await farState()).toBe('ActiveState=active UnitFileState=enabled');

    // The same file again: nothing to do there.
    const again: SetupPlan = value(await handlers['setup:plan']({ text, host: 'far' }));
    expect(again.counts.create + again.counts.differs).toBe(0);

    value(await handlers['setup:undo']({ token: out.undo!.id, host: 'far' }));
    expect(await farFile()).toBeNull();
    expect((await farState()).startsWith('ActiveState=inactive')).toBe(true);
    // This machine kept its own unit as it was.
    expect(await readFile(join(sb.unitDir, UNIT), 'utf8')).toBe(TEXT);
  }, 120_000);

  it("imports a watch rule into the far user's own settings, not this machine's, and undoes it there", async () => {
    const { handlers } = table;
    core.processes.rules.add(watchRule('dd-far-rule', 'dd-far-rule'));
    const text = value(await handlers['setup:export']({ ids: ['process:dd-far-rule'] }));
    core.processes.rules.remove('dd-far-rule');
    const out: SetupOutcome = value(
      await handlers['setup:import']({ text, replace: false, host: 'far' }),
    );
    expect(farRuleNames(await farSettings())).toEqual(['dd-far-rule']);
    expect(core.processes.rules.list().map((r) => r.name)).not.toContain('dd-far-rule');
    value(await handlers['setup:undo']({ token: out.undo!.id, host: 'far' }));
    expect(farRuleNames(await farSettings())).toEqual([]);
  }, 120_000);

  it('refuses a host that is not in settings, in words', async () => {
    const r = await table.handlers['setup:plan']({ text: '{}', host: 'nowhere' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toContain('nowhere');
    const bad = await table.handlers['setup:import']({ text: '{}', replace: false, host: 'a b' });
    expect(bad.ok).toBe(false);
  });
});

/** The pids of the far user's `sleep ARG` processes, as that user's pgrep sees them. */
async function farSleeps(arg: string): Promise<number[]> {
  const r = await far.ssh(`pgrep -u "$(id -u)" -f -x 'sleep ${arg}' || true`);
  return r.stdout.split('\n').filter(Boolean).map(Number);
}

describe('a far stray adopted over the IPC handlers (the app’s Strays page)', () => {
  it('lists it naming the host, adopts it there, and Undo brings the command back there', async () => {
    const { handlers } = table;
    const started = await far.ssh('setsid sleep 4721 </dev/null >/dev/null 2>&1 & echo $!');
    expect(started.code, started.stderr).toBe(0);
    const pid = Number(started.stdout.trim());
    await waitFor(async () => ((await farSleeps('4721')).includes(pid) ? true : null), 'the stray');

    const listed = value(await handlers['processes:strays']({ host: 'far' }));
    expect(listed.find((s) => s.pid === pid)).toMatchObject({ command: 'sleep 4721', host: 'far' });
    // This machine's list is this machine's: neither the far one nor a host named.
    const here = value(await handlers['processes:strays'](null));
    expect(here.some((s) => s.pid === pid || s.host !== undefined)).toBe(false);

    const preview = value(
      await handlers['processes:adopt-preview']({
        pid,
        name: 'dd-far-app',
        environment: [],
        host: 'far',
      }),
    );
    expect(preview.unitText).toMatch(/^ExecStart=.*"sleep" "4721"$/m);
    const out = value(
      await handlers['processes:adopt']({
        pid,
        starttime: preview.starttime,
        name: 'dd-far-app',
        environment: [],
        enable: false,
        host: 'far',
      }),
    );
    expect(out.unit).toBe('dd-far-app.service');
    const shown = await far.systemctl('show', '-p', 'ActiveState', '-p', 'MainPID', out.unit);
    expect(shown.stdout).toMatch(/^ActiveState=active$/m);
    const main = Number(/^MainPID=(\d+)$/m.exec(shown.stdout)?.[1]);
    expect(await farSleeps('4721')).toEqual([main]);
    // Written there, as the far user; nothing here.
    expect((await far.ssh(`test -f ${join(far.unitDir, out.unit)}`)).code).toBe(0);
    expect((await sb.systemctl('cat', out.unit)).code).not.toBe(0);

    value(await handlers['processes:adopt-undo']({ token: out.undoToken!, host: 'far' }));
    expect((await far.ssh(`test -f ${join(far.unitDir, out.unit)}`)).code).not.toBe(0);
    const again = await waitFor(async () => {
      const pids = await farSleeps('4721');
      return pids.length === 1 && pids[0] !== main ? pids[0]! : null;
    }, 'the command running again there');
    await far.ssh(`kill ${again}`);
  }, 120_000);

  it('refuses Adopt on a host that is not in settings, in words', async () => {
    const r = await table.handlers['processes:adopt']({
      pid: 1234,
      starttime: null,
      name: 'x',
      environment: [],
      enable: false,
      host: 'nowhere',
    });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toContain('nowhere');
  });
});
