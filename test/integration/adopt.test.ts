// Adopt end to end against the sandbox's systemd --user: a nohup'd, setsid'd process started in a
// temporary directory becomes a user unit whose main process has the same argv (argv[0] kept with
// the ExecStart "@" prefix) and cwd, and the stray is gone. --dry-run writes nothing; a missing
// PID, an invalid or taken name fail on one readable line. Through the core: undo brings the
// command back, and a failure after the old process was stopped rolls everything back.
import { existsSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stray } from '../../main/core/model/processes.js';
import { fail } from '../../main/core/errors.js';
import {
  createSystemdMonitor,
  type SystemdMonitor,
} from '../../main/core/monitor/create-monitor.js';
import { ProcessService } from '../../main/core/processes/process-service.js';
import { hostAdoptUndos, type AdoptUndoStore } from '../../main/core/processes/adopt-undos.js';
import { createLocalHost } from '../../main/core/host/local-host.js';
import { createWatchRuleStore } from '../../main/core/processes/watch-rules.js';
import { AuthoringService } from '../../main/core/systemd/authoring-service.js';
import { startSandbox, type Sandbox } from '../harness/sandbox.js';
import { sleeperUnit, waitFor } from '../helpers/units.js';
import { runCli, runFile } from '../helpers/cli.js';
import { killAll } from '../helpers/processes.js';

function alive(pid: number): boolean {
  try {
    return !/\) [ZX] /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

function cmdline(pid: number): string[] {
  const raw = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  return raw.split('\0').slice(0, -1);
}

function memoryBackend() {
  const data = new Map<string, unknown>();
  return { get: (k: string) => data.get(k), set: (k: string, v: unknown) => void data.set(k, v) };
}

describe('adopt', () => {
  let sb: Sandbox;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const started: number[] = [];
  const cli = (...args: string[]) => runCli(env, ...args);
  const pidOf = async (arg: string) =>
    Number(
      (await runFile('pgrep', ['-f', '-x', `sleep ${arg}`], env)).stdout.trim().split('\n')[0],
    );

  /** `cd DIR && setsid nohup sleep ARG &` from a shell that exits: a detached stray. */
  async function stray(arg: string): Promise<number> {
    await runFile(
      'sh',
      ['-c', 'cd -- "$1" && setsid nohup sleep "$2" >/dev/null 2>&1 &', 'sh', dir, arg],
      env,
    );
    return liveSleep(arg, `the stray sleep ${arg}`);
  }

  /** The live `sleep ARG` once there is one (killed after the tests). */
  async function liveSleep(arg: string, what: string): Promise<number> {
    const pid = await waitFor(async () => {
      const p = await pidOf(arg);
      return p > 0 && alive(p) ? p : null;
    }, what);
    started.push(pid);
    return pid;
  }

  /** `unit` is gone from disk and from systemd, and the command `sleep ARG` runs again. */
  async function rolledBack(unit: string, arg: string): Promise<number> {
    expect(existsSync(join(sb.unitDir, unit))).toBe(false);
    const state = await sb.systemctl('show', '-p', 'LoadState', '--value', unit);
    expect(state.stdout.trim()).toBe('not-found');
    return liveSleep(arg, 'the command started again');
  }

  const mainPid = async (unit: string) =>
    Number((await sb.systemctl('show', '-p', 'MainPID', '--value', unit)).stdout.trim());

  beforeAll(async () => {
    sb = await startSandbox({ label: 'adopt' });
    dir = mkdtempSync(join(sb.root, 'adopt cwd $x %n-'));
    env = { ...sb.env };
  });

  afterAll(async () => {
    killAll(started);
    await sb?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('--dry-run prints the unit and changes nothing', async () => {
    const pid = await stray('41701');
    const exe = readlinkSync(`/proc/${pid}/exe`);
    const before = readdirSync(sb.unitDir);
    const r = await cli('adopt', String(pid), '--name', 'dd-adopt-dry', '--dry-run', '--enable');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`ExecStart="@${exe}" "sleep" "41701"`);
    expect(r.stdout).toContain(`WorkingDirectory=${dir.replace(/%/g, '%%')}`);
    expect(r.stdout).toContain('Restart=on-failure');
    expect(r.stdout).toContain('WantedBy=default.target');
    expect(readdirSync(sb.unitDir)).toEqual(before);
    expect(existsSync(join(sb.unitDir, 'dd-adopt-dry.service'))).toBe(false);
    expect(alive(pid)).toBe(true);
    const state = await sb.systemctl('show', '-p', 'LoadState', '--value', 'dd-adopt-dry.service');
    expect(state.stdout.trim()).toBe('not-found');
  });

  it('adopting the nohup one leaves an active, enabled unit with the same argv and cwd, and no stray', async () => {
    const pid = await stray('41702');
    const argv = cmdline(pid);
    const cwd = readlinkSync(`/proc/${pid}/cwd`);
    expect(argv).toEqual(['sleep', '41702']);
    expect(cwd).toBe(dir);
    const listed = JSON.parse((await cli('strays', '--json')).stdout) as Stray[];
    expect(listed.some((s) => s.pid === pid)).toBe(true);

    const r = await cli('adopt', String(pid), '--name', 'dd-adopted', '--enable');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      new RegExp(`Adopted process ${pid} as dd-adopted\\.service \\(running, main PID \\d+\\)`),
    );
    expect(r.stdout).toMatch(/enabled at login/);

    expect((await sb.systemctl('is-active', 'dd-adopted.service')).stdout.trim()).toBe('active');
    expect((await sb.systemctl('is-enabled', 'dd-adopted.service')).stdout.trim()).toBe('enabled');
    const main = await mainPid('dd-adopted.service');
    expect(main).toBeGreaterThan(0);
    expect(main).not.toBe(pid);
    started.push(main);
    expect(cmdline(main)).toEqual(argv);
    expect(readlinkSync(`/proc/${main}/cwd`)).toBe(cwd);
    expect(alive(pid)).toBe(false);
    const text = readFileSync(join(sb.unitDir, 'dd-adopted.service'), 'utf8');
    expect(text).toContain('Restart=on-failure');
    expect(text).not.toMatch(/^Environment=/m);

    const after = JSON.parse((await cli('strays', '--json')).stdout) as Stray[];
    expect(after.filter((s) => s.argv.join(' ') === 'sleep 41702')).toEqual([]);
  });

  it('adopt --undo NAME, from another process, undoes the last Adopt as NAME', async () => {
    const pid = await stray('41706');
    const r = await cli('adopt', String(pid), '--name', 'dd-cli-undo', '--enable', '--json');
    expect(r.code, r.stderr).toBe(0);
    const main = await mainPid('dd-cli-undo.service');
    started.push(main);
    expect(alive(pid)).toBe(false);
    // --json: one object, the stop's steps in it rather than printed.
    expect(JSON.parse(r.stdout)).toMatchObject({
      pid,
      unit: 'dd-cli-undo.service',
      enabled: true,
      mainPid: main,
      undo: 'daemon-deck adopt --undo dd-cli-undo',
      stop: {
        steps: expect.arrayContaining([expect.objectContaining({ phase: 'term-sent' })]) as unknown,
      },
    });

    const undone = await cli('adopt', '--undo', 'dd-cli-undo', '--json');
    expect(undone.code, undone.stderr).toBe(0);
    expect(JSON.parse(undone.stdout)).toEqual({
      undone: 'dd-cli-undo.service',
      argv: ['sleep', '41706'],
      cwd: dir,
    });
    expect(alive(main)).toBe(false);
    expect(existsSync(join(sb.unitDir, 'default.target.wants', 'dd-cli-undo.service'))).toBe(false);
    const again = await rolledBack('dd-cli-undo.service', '41706');
    expect(cmdline(again)).toEqual(['sleep', '41706']);
    expect(readlinkSync(`/proc/${again}/cwd`)).toBe(dir);

    // Undone once: a second --undo finds nothing, says so, and touches nothing.
    const twice = await cli('adopt', '--undo', 'dd-cli-undo');
    expect(twice.code).toBe(1);
    expect(twice.stderr).toMatch(/^daemon-deck: There is no Adopt as dd-cli-undo\.service to undo/);
    expect(alive(again)).toBe(true);
    const mixed = await cli('adopt', String(again), '--undo', 'dd-cli-undo');
    expect(mixed.code).toBe(2);
  });

  it('fails on one readable line for a missing PID, an invalid name or a taken name', async () => {
    let missing = 4_194_000;
    while (existsSync(`/proc/${missing}`)) missing--;
    const gone = await cli('adopt', String(missing), '--name', 'dd-nobody');
    expect(gone.code).toBe(1);
    expect(gone.stderr).toBe(`daemon-deck: Process ${missing} is not running.\n`);

    const usage = await cli('adopt', 'abc', '--name', 'x');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/not a process id: abc/);

    const pid = await stray('41703');
    const before = readdirSync(sb.unitDir);
    for (const args of [[], ['--dry-run']]) {
      const bad = await cli('adopt', String(pid), '--name', 'bad name!', ...args);
      expect(bad.code).toBe(1);
      expect(bad.stderr.trim().split('\n')).toHaveLength(1);
      expect(bad.stderr).toMatch(/^daemon-deck: .*name/i);
    }
    await sb.writeUnit('dd-taken.service', sleeperUnit('Already here'));
    await sb.daemonReload();
    const before2 = readdirSync(sb.unitDir);
    // --dry-run makes the real run's checks: a taken name fails it too (it used to pass).
    for (const args of [[], ['--dry-run']]) {
      const taken = await cli('adopt', String(pid), '--name', 'dd-taken', ...args);
      expect(taken.code, args.join(' ')).toBe(1);
      expect(taken.stderr.trim().split('\n')).toHaveLength(1);
      expect(taken.stderr).toMatch(/dd-taken\.service already exists/);
    }
    expect(readdirSync(sb.unitDir)).toEqual(before2);
    expect(before2.filter((f) => !before.includes(f))).toEqual(['dd-taken.service']);
    expect(alive(pid)).toBe(true);
  });

  it('refuses PID 1, a kernel thread and Daemon Deck itself, saying why', async () => {
    const before = readdirSync(sb.unitDir);
    const init = await cli('adopt', '1', '--name', 'dd-init');
    expect(init.code).toBe(1);
    expect(init.stderr).toMatch(/^daemon-deck: Process 1 cannot be adopted\. .*init process/);
    // kthreadd (PID 2) and its children are kernel threads.
    const kthread = await cli('adopt', '2', '--name', 'dd-kthread', '--dry-run');
    expect(kthread.code).toBe(1);
    expect(kthread.stderr).toMatch(/Process 2 cannot be adopted\. .*kernel thread/);
    expect(readdirSync(sb.unitDir)).toEqual(before);
  });

  describe('through the core', () => {
    let monitor: SystemdMonitor;
    let authoring: AuthoringService;
    const service = (failOn: string | null = null, undoStore?: AdoptUndoStore) =>
      new ProcessService({
        rules: createWatchRuleStore(memoryBackend()),
        env,
        authoring,
        ...(undoStore !== undefined ? { undoStore } : {}),
        unitAct: (id, action) =>
          action === failOn
            ? Promise.resolve(fail('internal', `refused to ${action} for the test.`))
            : monitor.act(id, action),
      });

    beforeAll(async () => {
      monitor = createSystemdMonitor({ env: sb.env });
      await monitor.start();
      authoring = new AuthoringService({ bus: monitor.bus, units: monitor.units, env: sb.env });
    });
    afterAll(async () => {
      await monitor?.stop();
    });

    it('refuses this very command', async () => {
      await expect(service().adoptPreview(process.pid, 'dd-self', [])).rejects.toThrow(
        new RegExp(`^Process ${process.pid} cannot be adopted\\. .*the very process asking`),
      );
    });

    it('undo stops, disables and removes the unit and starts the command again', async () => {
      const s = service();
      const pid = await stray('41704');
      const preview = await s.adoptPreview(pid, 'dd-undone', [], true);
      expect(preview.issues).toEqual([]);
      expect(preview.argv).toEqual(['sleep', '41704']);
      expect(preview.cwd).toBe(dir);
      const out = await s.adopt({
        pid,
        starttime: preview.starttime,
        name: 'dd-undone',
        environment: [],
        enable: true,
      });
      expect(out).toMatchObject({ unit: 'dd-undone.service', enabled: true });
      expect(out.undoToken).not.toBeNull();
      const main = await mainPid('dd-undone.service');
      started.push(main);
      expect(cmdline(main)).toEqual(['sleep', '41704']);
      expect(alive(pid)).toBe(false);

      await s.adoptUndo(out.undoToken!);
      expect(alive(main)).toBe(false);
      const again = await rolledBack('dd-undone.service', '41704');
      expect(cmdline(again)).toEqual(['sleep', '41704']);
      expect(readlinkSync(`/proc/${again}/cwd`)).toBe(dir);
      await expect(s.adoptUndo(out.undoToken!)).rejects.toThrow(/can no longer be undone/);
    });

    it('an Adopt undone by another process (the CLI) is not undone again here', async () => {
      const s = service(null, hostAdoptUndos(createLocalHost(env)));
      const pid = await stray('41707');
      const out = await s.adopt({
        pid,
        starttime: null,
        name: 'dd-undone-elsewhere',
        environment: [],
        enable: false,
      });
      started.push(await mainPid('dd-undone-elsewhere.service'));
      const cli = await runCli(env, 'adopt', '--undo', 'dd-undone-elsewhere');
      expect(cli.code, cli.stderr).toBe(0);
      const again = await rolledBack('dd-undone-elsewhere.service', '41707');
      // This service's own record is stale: its Undo says so and touches nothing.
      await expect(s.adoptUndo(out.undoToken!)).rejects.toThrow(/can no longer be undone/);
      expect(alive(again)).toBe(true);
      expect(await pidOf('41707')).toBe(again);
    });

    it('a failure after the process was stopped removes the unit and starts the command again', async () => {
      const s = service('start');
      const pid = await stray('41705');
      await expect(
        s.adopt({ pid, starttime: null, name: 'dd-rolled', environment: [], enable: true }),
      ).rejects.toThrow(
        /^Adopting process \d+ as dd-rolled\.service failed at "start dd-rolled\.service": refused to start for the test; the 2 steps before it were undone \(the command was started again as before, as process \d+\)\.$/,
      );
      expect(alive(pid)).toBe(false);
      const again = await rolledBack('dd-rolled.service', '41705');
      expect(readlinkSync(`/proc/${again}/cwd`)).toBe(dir);
    });
  });
});
