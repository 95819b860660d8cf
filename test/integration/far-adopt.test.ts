// Adopt on another host (issue 17), against a real sshd on loopback with a second user and its
// own systemd --user (test/harness/far-host.ts): a stray `sleep` started there as the far user
// over ssh becomes that user's service with `daemon-deck --host far adopt`, running the same
// argv, the old process gone; the core's Adopt over the same host is undone (the unit gone, the
// command running again there), rolls back a failed step, and never signals a pid whose process
// is not the one that was seen; `kill PID` there signals and stops the far host's process. The
// far host is this machine's kernel, so what is claimed is checked against /proc and the far
// user's systemctl and files, never against our output alone.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { farControl, farSignals, openFarProcessService } from '../../main/core/host/far-control.js';
import { openSshHost } from '../../main/core/host/hosts.js';
import type { SshHost } from '../../main/core/host/ssh-host.js';
import {
  createSystemdMonitor,
  type SystemdMonitor,
} from '../../main/core/monitor/create-monitor.js';
import { stopProcesses } from '../../main/core/processes/control.js';
import { ProcessService } from '../../main/core/processes/process-service.js';
import { FarProcessScanner } from '../../main/core/host/far-processes.js';
import { createWatchRuleStore } from '../../main/core/processes/watch-rules.js';
import { createMemoryBackend } from '../../main/core/settings/settings.js';
import { AuthoringService } from '../../main/core/systemd/authoring-service.js';
import { farCliSuite } from '../harness/far-cli-suite.js';
import { ownedBy } from '../harness/far-host.js';
import { waitFor } from '../helpers/units.js';

const suite = farCliSuite('adopt');
const { onFar } = suite;

/** The pids of the far user's processes running exactly `argv` (this machine's /proc). */
function farPids(argv: string[]): number[] {
  const want = `${argv.join('\0')}\0`;
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        const status = readFileSync(`/proc/${d}/status`, 'latin1');
        const uid = /^Uid:\s+(\d+)/m.exec(status)?.[1];
        const zombie = /^State:\s+Z/m.test(status);
        return (
          !zombie &&
          Number(uid) === suite.far.uid &&
          readFileSync(`/proc/${d}/cmdline`, 'latin1') === want
        );
      } catch {
        return false;
      }
    })
    .map(Number);
}

/**
 * Whether the process runs (a zombie has exited: an orphan of the far shell waits there for a
 * subreaper of the test's own to read its status).
 */
function running(pid: number): boolean {
  try {
    return !/^State:\s+[ZX]/m.test(readFileSync(`/proc/${pid}/status`, 'latin1'));
  } catch {
    return false;
  }
}

/** /proc/PID/stat's start time (the far host shares this kernel). */
function starttimeOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
}

/** Starts `sleep SECONDS` as the far user over ssh, detached (a stray there); its pid. */
async function farStray(seconds: string): Promise<number> {
  const r = await suite.far.ssh(`setsid sleep ${seconds} </dev/null >/dev/null 2>&1 & echo $!`);
  expect(r.code, r.stderr).toBe(0);
  const pid = Number(r.stdout.trim());
  await waitFor(() => (farPids(['sleep', seconds]).includes(pid) ? true : null), 'the stray');
  return pid;
}

/** The one far `sleep ARG` running again after an Undo, outside `unit`'s cgroup: its pid. */
async function againOutside(arg: string, unit: string): Promise<number> {
  const again = await waitFor(() => {
    const pids = farPids(['sleep', arg]);
    return pids.length === 1 ? pids[0]! : null;
  }, 'the command running again there');
  expect(readFileSync(`/proc/${again}/cgroup`, 'latin1')).not.toContain(`/${unit}`);
  return again;
}

async function unitState(unit: string): Promise<{ active: string; mainPid: number }> {
  const r = await suite.far.systemctl('show', '-p', 'ActiveState', '-p', 'MainPID', unit);
  const active = /^ActiveState=(.*)$/m.exec(r.stdout)?.[1] ?? '';
  return { active, mainPid: Number(/^MainPID=(\d+)$/m.exec(r.stdout)?.[1] ?? 0) };
}

describe('daemon-deck --host far adopt', () => {
  it('turns the far user’s stray into that user’s service running the same argv', async () => {
    const { far } = suite;
    const pid = await farStray('4711');
    const dry = await onFar('adopt', String(pid), '--name', 'faradopt', '--dry-run');
    expect(dry.code, dry.stderr).toBe(0);
    // The executable, argv and working folder read from the far /proc (one round trip).
    expect(dry.stdout).toMatch(/^ExecStart="@\/\S*\/sleep" "sleep" "4711"$/m);
    expect(dry.stdout).toContain(`\nWorkingDirectory=${far.home}\n`);
    expect(existsSync(join(far.unitDir, 'faradopt.service'))).toBe(false);
    expect(farPids(['sleep', '4711'])).toEqual([pid]);

    const r = await onFar('adopt', String(pid), '--name', 'faradopt');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/faradopt\.service/);
    // The unit is the far user's own file, and that user's manager runs it.
    const file = join(far.unitDir, 'faradopt.service');
    expect(ownedBy(file, far.uid)).toBe(true);
    const state = await unitState('faradopt.service');
    expect(state.active).toBe('active');
    expect(state.mainPid).toBeGreaterThan(0);
    expect(state.mainPid).not.toBe(pid);
    // The same argv, as the far user; the old process gone.
    expect(farPids(['sleep', '4711'])).toEqual([state.mainPid]);
    expect(running(pid)).toBe(false);
    expect(readFileSync(`/proc/${state.mainPid}/cgroup`, 'latin1')).toMatch(
      /\/faradopt\.service$/m,
    );
    expect(r.stdout).toMatch(/^Undo with: daemon-deck --host far adopt --undo faradopt$/m);

    // The Undo record is kept on the far host (beside its unit backups), none on this machine.
    const kept = join(far.home, '.local/share/daemon-deck/adopt-undos.json');
    expect(ownedBy(kept, far.uid)).toBe(true);
    expect(readFileSync(kept, 'utf8')).toContain('"unit": "faradopt.service"');
    expect(existsSync(join(suite.local.env.XDG_DATA_HOME!, 'daemon-deck'))).toBe(false);

    // Undone by another CLI process, from the record kept on the far host: the unit stopped and
    // gone there, the command running again as the far user, outside any unit.
    const undone = await onFar('adopt', '--undo', 'faradopt');
    expect(undone.code, undone.stderr).toBe(0);
    expect(undone.stdout).toMatch(/Undone: faradopt\.service/);
    expect(existsSync(file)).toBe(false);
    expect(running(state.mainPid)).toBe(false);
    process.kill(await againOutside('4711', 'faradopt.service'), 'SIGKILL');
  });

  it('refuses a pid the far table does not have, and a protected one, in words', async () => {
    const none = await onFar('adopt', '4194000', '--name', 'nothing');
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/Process 4194000 is not running/);
    const init = await onFar('adopt', '1', '--name', 'init');
    expect(init.code).toBe(1);
    expect(init.stderr).toMatch(/init process/);
    expect(existsSync(join(suite.far.unitDir, 'init.service'))).toBe(false);
  });
});

describe('daemon-deck --host far kill PID', () => {
  it('stops, or signals, the far host’s process with that pid, through the far host', async () => {
    const pid = await farStray('4716');
    const sent = await onFar('kill', '--signal', 'STOP', String(pid));
    expect(sent.code, sent.stderr).toBe(0);
    await waitFor(
      () => (/^State:\s+T/m.test(readFileSync(`/proc/${pid}/status`, 'latin1')) ? true : null),
      'the far process stopped by SIGSTOP',
    );
    process.kill(pid, 'SIGCONT');
    const r = await onFar('kill', String(pid), '--timeout', '5');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/stopped/);
    expect(running(pid)).toBe(false);
    const again = await onFar('kill', '--signal', 'TERM', String(pid));
    expect(again.code).toBe(1);
    // Gone from the far table, or still in it (a zombie its parent has not reaped) and gone by
    // the signal: either is said in words.
    expect(again.stderr).toMatch(new RegExp(`Process ${pid} (is not running|has exited)`));
  });
});

describe('the core’s Adopt over the far host', () => {
  let host: SshHost;
  let monitor: SystemdMonitor;
  let authoring: AuthoringService;
  const rules = createWatchRuleStore(createMemoryBackend({}));

  beforeAll(async () => {
    const backend = createMemoryBackend({ hosts: [{ name: 'far', destination: suite.far.alias }] });
    host = await openSshHost('far', { backend, env: suite.local.env, controlPersistS: 30 });
    monitor = createSystemdMonitor({ env: host.env, host });
    await monitor.start();
    expect(monitor.snapshot().sources.systemd.status).toBe('ok');
    authoring = new AuthoringService({
      bus: monitor.bus,
      units: monitor.units,
      env: host.env,
      host,
    });
  }, 60_000);
  afterAll(async () => {
    await monitor?.stop();
    await host?.close();
  });

  const service = (stepHook?: (step: string) => void) =>
    openFarProcessService(host, rules, {
      authoring,
      unitAct: (id, action) => monitor.act(id, action),
      ...(stepHook !== undefined ? { stepHook } : {}),
    });

  it('adopts, and Undo stops the unit, removes its file and runs the command again there', async () => {
    const { far } = suite;
    const pid = await farStray('4712');
    const s = await service();
    const preview = await s.adoptPreview(pid, 'farundo', []);
    expect(preview.starttime).toBe(starttimeOf(pid));
    const steps: string[] = [];
    const out = await s.adopt(
      { pid, starttime: preview.starttime, name: 'farundo', environment: [], enable: true },
      (step) => steps.push(step.phase),
    );
    expect(out).toMatchObject({ unit: 'farundo.service', enabled: true });
    expect(steps).toContain('term-sent');
    const state = await unitState('farundo.service');
    expect(state.active).toBe('active');
    expect(farPids(['sleep', '4712'])).toEqual([state.mainPid]);
    expect((await far.systemctl('is-enabled', 'farundo.service')).stdout.trim()).toBe('enabled');

    expect(out.undoToken).not.toBeNull();
    await s.adoptUndo(out.undoToken!);
    expect(existsSync(join(far.unitDir, 'farundo.service'))).toBe(false);
    expect(running(state.mainPid)).toBe(false);
    process.kill(await againOutside('4712', 'farundo.service'), 'SIGKILL');
  });

  it('a failed step leaves nothing half-done there: the unit removed, the command back', async () => {
    const { far } = suite;
    const pid = await farStray('4713');
    const s = await service((step) => {
      if (/^start farfail/.test(step)) throw new Error('injected: the start fails');
    });
    await expect(
      s.adopt({ pid, starttime: null, name: 'farfail', environment: [], enable: false }),
    ).rejects.toThrow(/injected: the start fails/);
    expect(existsSync(join(far.unitDir, 'farfail.service'))).toBe(false);
    expect(running(pid)).toBe(false);
    const again = await waitFor(() => {
      const pids = farPids(['sleep', '4713']);
      return pids.length === 1 ? pids[0]! : null;
    }, 'the command started again');
    expect(again).not.toBe(pid);
    process.kill(again, 'SIGKILL');
  });

  it('never signals a pid whose process is not the one that was seen, and says so', async () => {
    const { far } = suite;
    const pid = await farStray('4714');
    const seen = starttimeOf(pid);
    // The stop: one round trip checks /proc/PID/stat's start time, and signals only on a match.
    await expect(
      stopProcesses(
        farSignals(host, () => null),
        [{ pid, starttime: seen + 1 }],
        {
          timeoutMs: 500,
        },
      ),
    ).rejects.toThrow(/is now another program .* it was not signalled/);
    // Adopt from a table whose row for that pid is another process (a pid reused since).
    const real = new FarProcessScanner(host);
    await real.refresh();
    const row = real.scan().byPid.get(pid)!;
    const table = { ...real.scan(), byPid: new Map([[pid, { ...row, starttime: seen + 1 }]]) };
    const scanner = Object.assign(Object.create(real) as FarProcessScanner, {
      scan: () => table,
    });
    const stale = new ProcessService({
      scanner,
      rules,
      env: host.env,
      uid: host.uid,
      control: farControl(host, () => table),
      authoring,
      unitAct: (id, action) => monitor.act(id, action),
      exitWatch: () => ({ watch: () => undefined, live: false, close: () => undefined }),
    });
    await expect(
      stale.adopt({ pid, starttime: null, name: 'farreused', environment: [], enable: false }),
    ).rejects.toThrow(/has exited \(its pid may belong to another now\)/);
    expect(existsSync(join(far.unitDir, 'farreused.service'))).toBe(false);
    // Not signalled by any of it: still the same process.
    await new Promise((r) => setTimeout(r, 300));
    expect(farPids(['sleep', '4714'])).toEqual([pid]);
    expect(starttimeOf(pid)).toBe(seen);
    process.kill(pid, 'SIGKILL');
  });
});
