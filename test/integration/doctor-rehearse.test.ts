// Rehearsals (issue 15, "Done when" 2): for each mechanism, one entry that comes up, one that exits
// at once, and one that hangs; and the rehearsal leaves nothing running behind it. Also the CLI's
// doctor --rehearse, --timing and --json contract against the same sandbox.
import { execFile } from 'node:child_process';
import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DoctorFinding, Rehearsal, StartupTiming } from '../../main/core/model/doctor.js';
import { sandboxPids } from '../harness/sandbox.js';
import { startDoctorWorld, type DoctorWorld } from './doctor-world.js';
import { runCli } from '../../main/cli.js';

const execFileP = promisify(execFile);
const WATCH = 1500;

describe('rehearsals', () => {
  let w: DoctorWorld;
  let fifo: string;
  beforeAll(async () => {
    w = await startDoctorWorld('rehearse');
    fifo = join(w.sb.root, 'never-written.fifo');
    await execFileP('mkfifo', [fifo]);
  });
  afterAll(async () => {
    await w?.stop();
  });

  const rehearse = async (id: string): Promise<Rehearsal> => {
    const r = await w.doctor.rehearse(id, WATCH);
    expect(r.ok, JSON.stringify(r)).toBe(true);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.summary.length).toBeGreaterThan(5);
    return r.value;
  };
  /** Nothing the rehearsal started is left: no process runs this marker argument. */
  const noneLeft = async (marker: string) => {
    await new Promise((r) => setTimeout(r, 1300));
    const { stdout } = await execFileP('ps', ['-eo', 'args']);
    expect(stdout.split('\n').filter((l) => l.includes(marker) && !l.includes('ps -eo'))).toEqual(
      [],
    );
  };

  describe('a user unit', () => {
    it('comes up, and is stopped again after', async () => {
      await w.sb.writeUnit(
        'up.service',
        '[Service]\nExecStart=/bin/sh -c "echo hello-up; exec sleep 7771"\n',
      );
      await w.sb.daemonReload();
      const r = await rehearse('systemd:up.service');
      expect(r).toMatchObject({ outcome: 'up', cameUp: true, stayedUp: true });
      await new Promise((res) => setTimeout(res, 500));
      expect((await w.sb.systemctl('is-active', 'up.service')).stdout.trim()).not.toBe('active');
    });
    it('exits at once with an error', async () => {
      await w.sb.writeUnit('quits.service', '[Service]\nExecStart=/bin/sh -c "echo bye; exit 3"\n');
      await w.sb.daemonReload();
      const r = await rehearse('systemd:quits.service');
      expect(r).toMatchObject({ outcome: 'failed', stayedUp: false, exitCode: 3 });
    });
    it('hangs: a start that never finishes', async () => {
      await w.sb.writeUnit('hangs.service', '[Service]\nType=oneshot\nExecStart=/bin/sleep 7772\n');
      await w.sb.daemonReload();
      const r = await rehearse('systemd:hangs.service');
      expect(r).toMatchObject({ outcome: 'hung', cameUp: true });
      await noneLeft('sleep 7772');
    });
    it('a unit that runs now is not started a second time', async () => {
      await w.sb.writeUnit('busy.service', '[Service]\nExecStart=/bin/sleep 7773\n');
      await w.sb.daemonReload();
      await w.sb.systemctl('start', 'busy.service');
      const r = await w.doctor.rehearse('systemd:busy.service', WATCH);
      expect(r.ok).toBe(false);
      await w.sb.systemctl('stop', 'busy.service');
    });
  });

  describe('an @reboot line, with cron environment', () => {
    const add = async (argv: string[]) => {
      const r = await w.startup.cron.add(argv);
      if (!r.ok) throw new Error(r.error.message);
      return `cron:${r.value.key!}`;
    };
    it('comes up (and sees cron PATH, not the user one)', async () => {
      const id = await add(['/bin/sh', '-c', 'echo "path=$PATH"; exec sleep 7781']);
      const r = await rehearse(id);
      expect(r).toMatchObject({ outcome: 'up', stayedUp: true });
      expect(r.output).toContain('path=/usr/bin:/bin');
      await noneLeft('sleep 7781');
    });
    it('exits at once with an error', async () => {
      const id = await add(['/bin/sh', '-c', 'echo oops >&2; exit 4']);
      const r = await rehearse(id);
      expect(r).toMatchObject({ outcome: 'failed', exitCode: 4 });
      expect(r.output).toContain('oops');
    });
    it('hangs, blocked waiting for input', async () => {
      const id = await add(['/bin/cat', fifo]);
      const r = await rehearse(id);
      expect(r).toMatchObject({ outcome: 'hung', stayedUp: true });
      await noneLeft(`cat ${fifo}`);
    });
  });

  describe('an autostart entry, as the session runs it', () => {
    const add = async (name: string, argv: string[]) => {
      const r = await w.startup.autostart.add(name, argv);
      if (!r.ok) throw new Error(r.error.message);
      return r.value.id;
    };
    it('comes up', async () => {
      const r = await rehearse(await add('r-up', ['/bin/sleep', '7791']));
      expect(r).toMatchObject({ outcome: 'up', cameUp: true, stayedUp: true });
      await noneLeft('sleep 7791');
    });
    it('exits at once with an error', async () => {
      const prog = join(w.tools, 'crashes');
      await writeFile(prog, '#!/bin/sh\necho "cannot open display" >&2\nexit 1\n');
      await chmod(prog, 0o755);
      const r = await rehearse(await add('r-quits', [prog]));
      expect(r).toMatchObject({ outcome: 'failed', exitCode: 1, stayedUp: false });
      expect(r.output).toContain('cannot open display');
    });
    it('hangs, blocked waiting for input', async () => {
      const r = await rehearse(await add('r-hangs', ['/bin/cat', fifo]));
      expect(r.outcome).toBe('hung');
      await noneLeft(`cat ${fifo}`);
    });
  });

  describe('the CLI', () => {
    const cli = async (args: string[]) => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await runCli(args, {
        out: (s) => out.push(s),
        err: (s) => err.push(s),
        env: w.env,
      });
      return { code, out: out.join('\n'), err: err.join('\n') };
    };

    it('doctor --json is an array of findings with the contract fields, exit 1 on an error', async () => {
      await w.sb.writeUnit(
        'cli-broken.service',
        '[Service]\nExecStart=/nonexistent/cli-prog\n[Install]\nWantedBy=default.target\n',
      );
      await w.sb.systemctl('enable', 'cli-broken.service');
      await w.sb.daemonReload();
      const r = await cli(['doctor', '--json']);
      expect(r.code, r.err).toBe(1);
      const list = JSON.parse(r.out) as DoctorFinding[];
      expect(Array.isArray(list)).toBe(true);
      const f = list.find((x) => x.entry === 'systemd:cli-broken.service');
      expect(f).toMatchObject({ severity: 'error', code: 'unit-program-missing' });
      for (const x of list)
        for (const k of ['entry', 'severity', 'code', 'message', 'fix'])
          expect(x).toHaveProperty(k);
      const one = await cli(['doctor', 'cli-broken.service']);
      expect(one.code).toBe(1);
      expect(one.out).toContain('unit-program-missing');
      await w.sb.systemctl('disable', 'cli-broken.service');
      const fine = await cli(['doctor', 'systemd:up.service']);
      expect(fine.code, fine.out).toBe(0);
    });

    it('doctor --rehearse ID and doctor --timing', async () => {
      const r = await cli([
        'doctor',
        '--rehearse',
        'systemd:quits.service',
        '--watch',
        '1',
        '--json',
      ]);
      expect(r.code).toBe(1);
      expect((JSON.parse(r.out) as Rehearsal).outcome).toBe('failed');
      await w.sb.systemctl('start', 'up.service');
      const t = await cli(['doctor', '--timing', '--json']);
      expect(t.code, t.err).toBe(0);
      const timing = JSON.parse(t.out) as StartupTiming;
      expect(timing.units.some((u) => u.unit === 'up.service')).toBe(true);
      const ms = timing.units.map((u) => u.ms);
      expect(ms).toEqual([...ms].sort((a, b) => b - a));
      expect(timing.managerStartupMs).not.toBeNull();
      const text = await cli(['doctor', '--timing']);
      expect(text.out).toContain('up.service');
      await w.sb.systemctl('stop', 'up.service');
    });
  });

  it('leaves no process of the sandbox behind but the manager and its bus', () => {
    const left = sandboxPids(w.sb.runtimeDir);
    expect(left.length).toBeLessThan(10);
  });
});
