// Every CLI command that acts on a machine takes --host NAME (issue 17), against a real sshd on
// loopback with a second user and its own systemd --user (test/harness/far-host.ts): `run` starts
// a program there as the far user, `ps` finds it in the far table (read in one round trip) and
// `strays` lists it, `watch add` keeps its rule in the far user's own settings file and `watch
// list` sees the process, `timer add` makes a timer of the far user's manager, `doctor` reads the
// far user's setup; `adopt` and `sessions`, which need this machine, say so in words. The far host
// is this machine's kernel, so what the commands claim is checked against /proc (the owner of a
// pid) and the far user's files and systemctl, never against the CLI's own output alone.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ownedBy } from '../harness/far-host.js';
import { farCliSuite } from '../harness/far-cli-suite.js';

const suite = farCliSuite('cli');
const { cli, onFar } = suite;

/** The real uid of a pid, from this machine's /proc (the far host shares its kernel). */
function uidOf(pid: number): number | null {
  try {
    const m = /^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'latin1'));
    return m === null ? null : Number(m[1]);
  } catch {
    return null;
  }
}

describe('process commands with --host', () => {
  let pid = 0;

  it('runs a program there as the far user, and ps lists it from the far table', async () => {
    const started = await onFar('run', 'farsleep', '--json', '--', 'sleep', '3517');
    expect(started.code, started.stderr).toBe(0);
    pid = (JSON.parse(started.stdout) as { pid: number }).pid;
    expect(uidOf(pid)).toBe(suite.far.uid);

    const ps = await onFar('ps', '--json', '-f', '^sleep 3517$');
    expect(ps.code, ps.stderr).toBe(0);
    const rows = JSON.parse(ps.stdout) as Array<{ pid: number; command: string }>;
    expect(rows.map((r) => [r.pid, r.command])).toEqual([[pid, 'sleep 3517']]);
    // Started detached (its own session) and in no unit: a stray of the far user there.
    const strays = await onFar('strays', '--json');
    expect(strays.code, strays.stderr).toBe(0);
    const found = (JSON.parse(strays.stdout) as Array<{ pid: number; command: string }>).filter(
      (x) => x.pid === pid,
    );
    expect(found.map((x) => x.command)).toEqual(['sleep 3517']);
    // pgrep's exit status when nothing matches, there as here.
    const none = await onFar('ps', '-f', '^sleep 9999999$');
    expect(none.code).toBe(1);
    expect(none.stdout).toBe('');
  });

  it('keeps a watch rule in the far user’s settings and sees its process there', async () => {
    const add = await onFar('watch', 'add', 'farsleep', '--match', '^sleep 3517$', '-f');
    expect(add.code, add.stderr).toBe(0);
    const file = join(suite.far.home, '.config', 'daemon-deck', 'settings.json');
    expect(ownedBy(file, suite.far.uid)).toBe(true);
    const stored = JSON.parse(readFileSync(file, 'utf8')) as {
      watchRules?: Array<{ name: string }>;
    };
    expect(stored.watchRules?.map((r) => r.name)).toEqual(['farsleep']);
    // This machine's rules are not touched.
    expect((await cli('watch', 'list', '--json')).stdout.trim()).toBe('[]');

    const list = await onFar('watch', 'list', '--json');
    expect(list.code, list.stderr).toBe(0);
    const entries = JSON.parse(list.stdout) as Array<{ id: string; state: string; pids: number[] }>;
    expect(entries).toEqual([
      expect.objectContaining({ id: 'process:farsleep', state: 'running', pids: [pid] }),
    ]);

    const rm = await onFar('watch', 'rm', 'farsleep');
    expect(rm.code, rm.stderr).toBe(0);
    const after = JSON.parse(readFileSync(file, 'utf8')) as { watchRules?: unknown[] };
    expect(after.watchRules).toEqual([]);
  });

  it('says in words what a far host cannot do yet', async () => {
    const adopt = await onFar('adopt', String(pid), '--name', 'farsleep');
    expect(adopt.code).toBe(1);
    expect(adopt.stderr).toMatch(/`adopt` works on this machine only, not yet on another host/);
    const sessions = await onFar('sessions');
    expect(sessions.code).toBe(1);
    expect(sessions.stderr).toMatch(/`sessions` works on this machine only/);
    const log = await onFar('run', 'x', '--log', '/tmp/x.log', '--', 'true');
    expect(log.code).toBe(1);
    expect(log.stderr).toMatch(/--log is not available on another host \(far\)/);
  });
});

describe('timers and the doctor with --host', () => {
  it('adds a timer to the far user’s manager, lists it there only, and removes it', async () => {
    const add = await onFar('timer', 'add', 'farbeat', '--every', '1h', '--', '/bin/true');
    expect(add.code, add.stderr).toBe(0);
    expect(ownedBy(join(suite.far.unitDir, 'farbeat.timer'), suite.far.uid)).toBe(true);
    expect((await suite.far.systemctl('is-active', 'farbeat.timer')).stdout.trim()).toBe('active');
    expect((await suite.far.systemctl('is-enabled', 'farbeat.timer')).stdout.trim()).toBe(
      'enabled',
    );

    const list = await onFar('timer', 'list', '--json');
    expect(list.code, list.stderr).toBe(0);
    expect((JSON.parse(list.stdout) as Array<{ name: string }>).map((j) => j.name)).toEqual([
      'farbeat',
    ]);
    expect((await cli('timer', 'list', '--json')).stdout).not.toContain('farbeat');

    const rm = await onFar('timer', 'rm', 'farbeat');
    expect(rm.code, rm.stderr).toBe(0);
    expect(ownedBy(join(suite.far.unitDir, 'farbeat.timer'), suite.far.uid)).toBe(false);
    expect((await suite.far.systemctl('is-active', 'farbeat.timer')).stdout.trim()).not.toBe(
      'active',
    );
  });

  it('checks the far user’s setup, not this machine’s', async () => {
    await suite.far.writeUnit(
      'dd-missing.service',
      '[Service]\nExecStart=/nonexistent/dd-prog\n\n[Install]\nWantedBy=default.target\n',
    );
    expect((await suite.far.systemctl('enable', 'dd-missing.service')).code).toBe(0);
    const there = await onFar('doctor', '--json');
    const findings = JSON.parse(there.stdout) as Array<{ entry: string; severity: string }>;
    const missing = findings.filter((f) => f.entry.includes('dd-missing.service'));
    expect(
      missing.some((f) => f.severity === 'error'),
      there.stdout,
    ).toBe(true);
    expect(there.code).toBe(1);
    const here = await cli('doctor', '--json');
    expect(here.stdout).not.toContain('dd-missing.service');
  });
});
