// Unit changes as transactions, against the sandbox's real systemd --user: a failure injected at
// each step of create, edit, delete and Adopt (through the step hook, before the step runs)
// leaves the unit's files, its enablement and its running state exactly as they were, and the
// error names the step. systemd is never mocked: every earlier step really ran and was undone.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppFailure, appError } from '../../main/core/errors.js';
import type { Result } from '../../main/core/model/domain.js';
import {
  createSystemdMonitor,
  type SystemdMonitor,
} from '../../main/core/monitor/create-monitor.js';
import { ProcessService } from '../../main/core/processes/process-service.js';
import { createWatchRuleStore } from '../../main/core/processes/watch-rules.js';
import { AuthoringService } from '../../main/core/systemd/authoring-service.js';
import { backupDir } from '../../main/core/systemd/backup-store.js';
import { memoryBackend, treeBytes } from '../harness/drill.js';
import { startSandbox, type Sandbox } from '../harness/sandbox.js';
import { killAll } from '../helpers/processes.js';
import { runFile } from '../helpers/cli.js';
import { serviceForm, waitFor } from '../helpers/units.js';

describe('unit changes are transactions', () => {
  let sb: Sandbox;
  let monitor: SystemdMonitor;
  let failAt: string | null = null;
  const ran: string[] = [];
  const hook = (step: string) => {
    ran.push(step);
    if (step === failAt) throw new AppFailure(appError('internal', 'injected failure'));
  };
  let authoring: AuthoringService;

  /** The unit folder and backups byte for byte, and each unit's running and enabled state. */
  async function state(units: string[]) {
    const of = async (u: string) => ({
      active: (await sb.systemctl('is-active', u)).stdout.trim(),
      enabled: (await sb.systemctl('is-enabled', u)).stdout.trim(),
      description: (await sb.systemctl('show', '-p', 'Description', '--value', u)).stdout.trim(),
    });
    return {
      files: await treeBytes(sb.unitDir),
      backups: await treeBytes(backupDir(sb.env)),
      units: await Promise.all(units.map(of)),
    };
  }

  /** The step names a successful run goes through (recorded by the hook). */
  async function stepsOf(fn: () => Promise<unknown>): Promise<string[]> {
    failAt = null;
    ran.length = 0;
    await fn();
    return [...ran];
  }

  beforeAll(async () => {
    sb = await startSandbox({ label: 'authoring-tx' });
    monitor = createSystemdMonitor({ env: sb.env });
    await monitor.start();
    authoring = new AuthoringService({
      bus: monitor.bus,
      units: monitor.units,
      env: sb.env,
      stepHook: hook,
    });
  });
  afterAll(async () => {
    await monitor?.stop();
    await sb?.stop();
  });

  /** `change` run with a failure injected at `step`: it fails there, and says so. */
  async function failsAt(step: string, change: () => Promise<Result<unknown>>): Promise<void> {
    failAt = step;
    const r = await change();
    failAt = null;
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toContain(`failed at "${step}": injected failure`);
  }

  /** The running, enabled NAME.service the app made; made by the first test that needs it. */
  async function madeOnce(name: string): Promise<void> {
    if (existsSync(join(sb.unitDir, `${name}.service`))) return;
    failAt = null;
    const made = await authoring.create(serviceForm({ name }), { enable: true, start: true });
    expect(made.ok, JSON.stringify(made)).toBe(true);
  }

  const CREATE_STEPS = [
    'prepare the undo',
    'write tx-new.service',
    'reload systemd',
    'enable tx-new.service',
    'start tx-new.service',
    'record the undo',
  ];

  it('create goes through these steps', async () => {
    const steps = await stepsOf(async () => {
      const r = await authoring.create(serviceForm({ name: 'tx-probe' }), {
        enable: true,
        start: true,
      });
      expect(r.ok, JSON.stringify(r)).toBe(true);
    });
    expect(steps).toEqual(CREATE_STEPS.map((s) => s.replace('tx-new', 'tx-probe')));
  });

  it.each(CREATE_STEPS)(
    'create: a failure at "%s" leaves no file, no unit, nothing enabled or running',
    async (step) => {
      const before = await state(['tx-new.service']);
      await failsAt(step, () =>
        authoring.create(serviceForm({ name: 'tx-new' }), { enable: true, start: true }),
      );
      expect(await state(['tx-new.service'])).toEqual(before);
    },
  );

  const EDIT_STEPS = [
    'prepare the undo',
    'write tx-edit.service',
    'reload systemd',
    'record the undo',
  ];

  it.each(EDIT_STEPS)(
    'edit: a failure at "%s" leaves the file, the loaded unit, its enablement and its process as they were',
    async (step) => {
      await madeOnce('tx-edit');
      const mainPid = () => sb.systemctl('show', '-p', 'MainPID', '--value', 'tx-edit.service');
      const pidBefore = (await mainPid()).stdout;
      const before = await state(['tx-edit.service']);
      const text = readFileSync(join(sb.unitDir, 'tx-edit.service'), 'utf8').replace(
        'Description=test tx-edit',
        'Description=edited',
      );
      await failsAt(step, () => authoring.editText('tx-edit.service', text));
      expect(await state(['tx-edit.service'])).toEqual(before);
      expect((await mainPid()).stdout).toBe(pidBefore);
    },
  );

  const DELETE_STEPS = [
    'stop tx-del.service',
    'disable tx-del.service',
    'prepare the undo',
    'remove tx-del.service',
    'reload systemd',
    'record the undo',
  ];

  it.each(DELETE_STEPS)(
    'delete: a failure at "%s" leaves it on disk, enabled and running',
    async (step) => {
      await madeOnce('tx-del');
      const before = await state(['tx-del.service']);
      expect(before.units[0]).toMatchObject({ active: 'active', enabled: 'enabled' });
      await failsAt(step, () => authoring.remove('tx-del.service'));
      expect(await state(['tx-del.service'])).toEqual(before);
    },
  );

  it('delete goes through exactly those steps', async () => {
    const steps = await stepsOf(async () => {
      const r = await authoring.remove('tx-del.service');
      expect(r.ok, JSON.stringify(r)).toBe(true);
    });
    expect(steps).toEqual(DELETE_STEPS);
    expect(existsSync(join(sb.unitDir, 'tx-del.service'))).toBe(false);
  });

  describe('adopt', () => {
    const ADOPT_STEPS = ['create tx-adopt.service', 'stop process PID', 'start tx-adopt.service'];
    const started: number[] = [];
    let plain: AuthoringService;
    afterAll(() => killAll(started));
    const pgrep = async (arg: string) =>
      (await runFile('pgrep', ['-f', '-x', `sleep ${arg}`], sb.env)).stdout
        .trim()
        .split('\n')
        .filter((l) => l !== '')
        .map(Number);

    it.each(ADOPT_STEPS)(
      'adopt: a failure at "%s" leaves no unit and the command running',
      async (template) => {
        plain ??= new AuthoringService({ bus: monitor.bus, units: monitor.units, env: sb.env });
        const arg = String(52_000 + ADOPT_STEPS.indexOf(template));
        await runFile('sh', ['-c', 'setsid nohup sleep "$1" >/dev/null 2>&1 &', 'sh', arg], sb.env);
        const pid = await waitFor(async () => (await pgrep(arg))[0], `sleep ${arg}`);
        started.push(pid);
        const step = template.replace('PID', String(pid));
        const service = new ProcessService({
          rules: createWatchRuleStore(memoryBackend()),
          env: sb.env,
          authoring: plain,
          unitAct: (id, action) => monitor.act(id, action),
          stepHook: (s) => {
            if (s === step) throw new AppFailure(appError('internal', 'injected failure'));
          },
        });
        const before = await state(['tx-adopt.service']);
        await expect(
          service.adopt({
            pid,
            starttime: null,
            name: 'tx-adopt',
            environment: [],
            enable: true,
          }),
        ).rejects.toThrow(`failed at "${step}": injected failure`);
        expect(await state(['tx-adopt.service'])).toEqual(before);
        // The command runs as before: the same process, or (once it was stopped) started again.
        const now = await waitFor(async () => (await pgrep(arg))[0], `sleep ${arg} again`);
        started.push(now);
        if (step.startsWith('create')) expect(now).toBe(pid);
      },
    );
  });
});
