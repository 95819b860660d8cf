// The processes commands of the built CLI against the live process table and real tools:
// `ps` compared with procps' pgrep, `run` surviving its terminal, TERM-then-KILL, and strays
// next to a sandboxed systemd --user whose unit processes must not be listed.
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stray } from '../../main/core/model/processes.js';
import { startSandbox, type Sandbox } from '../harness/sandbox.js';
import { sleeperUnit, waitFor } from '../helpers/units.js';
import { DAEMON_DECK_BIN, runCli, runFile } from '../helpers/cli.js';

/** (pid, starttime) of every process now: a PID compared across two tools must be the same process. */
function identities(): Map<number, string> {
  const out = new Map<number, string>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      out.set(Number(name), stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]!);
    } catch {
      continue;
    }
  }
  return out;
}

describe('processes CLI', () => {
  let sb: Sandbox;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const children: ChildProcess[] = [];
  const cli = (...args: string[]) => runCli(env, ...args);
  const alive = (pid: number) => {
    try {
      const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return !/\) [ZX] /.test(s);
    } catch {
      return false;
    }
  };

  beforeAll(async () => {
    sb = await startSandbox({ label: 'processes' });
    dir = mkdtempSync(join(tmpdir(), 'dd-processes-'));
    env = { ...sb.env };
    await sb.writeUnit('dd-managed.service', sleeperUnit('A managed sleeper'));
    await sb.daemonReload();
    const r = await sb.systemctl('start', 'dd-managed.service');
    expect(r.code).toBe(0);
    // A live table for the differential test: names longer than 15 characters, regex specials.
    const longName = join(dir, 'dd-a-very-long-process-name');
    copyFileSync('/bin/sleep', longName);
    for (const [file, args] of [
      ['sleep', ['31337.25']],
      ['sleep', ['31337.5']],
      [longName, ['31337.75']],
      ['sh', ['-c', 'sleep 31338 # a+b[c] (x)|y', 'dd-special']],
    ] as const) {
      children.push(spawn(file, [...args], { stdio: 'ignore', detached: true }));
    }
    await waitFor(
      () => children.every((c) => c.pid !== undefined && alive(c.pid)),
      'test processes',
    );
  });

  afterAll(async () => {
    for (const c of children) {
      try {
        if (c.pid !== undefined) process.kill(-c.pid, 'SIGKILL');
      } catch {
        c.kill('SIGKILL');
      }
    }
    await sb?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('ps selects exactly the PIDs pgrep selects', async () => {
    const me = String(process.pid);
    const cases: string[][] = [
      ['sleep'],
      ['^sle+p$'],
      ['sl(e|x)ep', '-x'],
      ['sle', '-x'],
      ['dd-a-very-long-process-name'],
      ['dd-a-very-long-proc'],
      ['dd-a-very-long-proc', '-f'],
      ['dd-a-very-long-pr', '-x'],
      ['[[:digit:]]{5}\\.[27]5?', '-f'],
      ['a\\+b\\[c\\] \\(x\\)\\|y', '-f'],
      ['sleep 31337\\.(25|5)', '-f', '-x'],
      ['sleep 31337\\.(25|5)$', '-f'],
      ['sleep', '-u', 'root'],
      ['sleep', '-u', '0,65534'],
      ['sleep', '-P', me],
      ['.', '-P', me, '-f'],
      ['sleep 3133', '-f', '-n'],
      ['sleep 3133', '-f', '-o'],
      ['^(sh|sleep)$', '-P', `${me},1`],
      ['s.*p', '-u', 'root', '-f'],
    ];
    for (const args of cases) {
      // The table is live and shared with other suites: a process can exec (same pid and start
      // time, new name) between the two runs. A real difference in selection persists, churn
      // does not, so a case is retried twice before its last answer is asserted.
      for (let attempt = 1; ; attempt++) {
        const before = identities();
        // One after the other: run together, each would see the other's command line.
        const ours = await cli('ps', ...args);
        const theirs = await runFile('pgrep', args, env);
        const after = identities();
        const stable = (pid: number) => before.has(pid) && before.get(pid) === after.get(pid);
        const set = (text: string) =>
          text
            .split('\n')
            .filter((l) => l.trim() !== '')
            .map((l) => Number(l.trim().split(/\s+/)[0]))
            .filter(stable)
            .sort((a, b) => a - b);
        const same =
          JSON.stringify(set(ours.stdout)) === JSON.stringify(set(theirs.stdout)) &&
          ours.code === theirs.code;
        if (same || attempt === 3) {
          expect(ours.stderr).toBe('');
          expect(theirs.code === 2 ? 'pgrep failed' : 'ok').toBe('ok');
          expect({ args, pids: set(ours.stdout) }).toEqual({ args, pids: set(theirs.stdout) });
          expect({ args, code: ours.code }).toEqual({ args, code: theirs.code });
          break;
        }
      }
    }
    // The test's own processes are in the table: a comparison over an empty set proves nothing.
    const all = await cli('ps', '-f', '3133[78]');
    expect(all.stdout.split('\n').filter(Boolean).length).toBeGreaterThanOrEqual(4);
  });

  it('ps reports an invalid pattern and an unknown user as pgrep does, on one line', async () => {
    // pgrep exits 2 on a pattern that is no regular expression (1 means "nothing matched").
    const bad = await cli('ps', 'a(');
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe('daemon-deck: Invalid pattern "a(": Unmatched ( or \\(.');
    const user = await cli('ps', '-u', 'no-such-user-here', 'x');
    expect(user.code).toBe(2);
    expect(user.stderr).toMatch(/invalid user name: no-such-user-here/);
  });

  it('run survives the CLI and its terminal, writes its log; kill escalates to KILL', async () => {
    const log = join(dir, 'stubborn.log');
    // `script` gives the CLI a real terminal; it closes (hang-up) when the CLI exits.
    const line = `${process.execPath} ${DAEMON_DECK_BIN} run stubborn --log ${log} --cwd ${dir} -- sh -c 'trap "" TERM HUP; echo started; while :; do sleep 0.2; done'`;
    const r = await runFile('script', ['-qec', line, '/dev/null'], env);
    expect(r.code).toBe(0);
    const pid = Number(/pid (\d+)/.exec(r.stdout)?.[1]);
    expect(pid).toBeGreaterThan(0);
    await new Promise((res) => setTimeout(res, 500));
    expect(alive(pid)).toBe(true);
    await waitFor(
      () => existsSync(log) && readFileSync(log, 'utf8').includes('started'),
      'the log line',
    );
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    expect(Number(f[3])).toBe(pid); // its own session (setsid)
    expect(Number(f[4])).toBe(0); // no controlling terminal
    expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0]).toBe('sh');
    const k = await cli('kill', String(pid), '--timeout', '1');
    expect(k.code).toBe(0);
    expect(k.stdout).toMatch(/sent TERM/);
    expect(k.stdout).toMatch(/sent KILL/);
    expect(k.stdout).toMatch(/stopped/);
    expect(alive(pid)).toBe(false);
  });

  it('kill sends a chosen signal and refuses a bad one', async () => {
    const c = spawn('sleep', ['31339'], { stdio: 'ignore' });
    children.push(c);
    await waitFor(() => c.pid !== undefined && alive(c.pid), 'sleep');
    const bad = await cli('kill', String(c.pid), '--signal', 'NOPE');
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim()).toBe('daemon-deck: "NOPE" is not a signal name or number.');
    const exited = new Promise((r) => c.once('exit', (_code, sig) => r(sig)));
    expect((await cli('kill', String(c.pid), '--signal', 'USR1')).code).toBe(0);
    expect(await exited).toBe('SIGUSR1');
  });

  it('watch rules: add, list as entries with PIDs, rm', async () => {
    const add = await cli('watch', 'add', 'sleepers', '--match', 'sleep 31337', '-f');
    expect(add.code).toBe(0);
    const list = await cli('watch', 'list', '--json');
    const entries = JSON.parse(list.stdout) as Array<{ id: string; state: string; pids: number[] }>;
    const e = entries.find((x) => x.id === 'process:sleepers')!;
    expect(e.state).toBe('running');
    expect(e.pids.sort()).toEqual([children[0]!.pid, children[1]!.pid].sort());
    expect((await cli('watch', 'add', 'sleepers', '--match', 'x')).code).toBe(1);
    expect((await cli('watch', 'add', 'bad', '--match', '(')).stderr).toMatch(/Unmatched/);
    expect((await cli('watch', 'rm', 'sleepers')).code).toBe(0);
    expect((await cli('watch', 'rm', 'sleepers')).code).toBe(1);
  });

  it('strays: a nohup sleep, a setsid daemon and a double-forked daemon; no unit process', async () => {
    await runFile('sh', ['-c', 'nohup sleep 41001 >/dev/null 2>&1 &'], env);
    const setsidChild = spawn('setsid', ['sleep', '41002'], { stdio: 'ignore', cwd: dir });
    children.push(setsidChild);
    // fork, setsid, fork, chdir /, umask; the middle process exits.
    await runFile(
      'sh',
      ['-c', 'cd / && umask 022 && setsid sh -c "sleep 41003 >/dev/null 2>&1 & exit 0"'],
      env,
    );
    const pidOf = async (n: string) =>
      Number((await runFile('pgrep', ['-f', '-x', `sleep ${n}`], env)).stdout.trim());
    const [nohupPid, setsidPid, daemonPid] = await waitFor(async () => {
      const p = await Promise.all(['41001', '41002', '41003'].map(pidOf));
      return p.every((x) => x > 0) ? (p as [number, number, number]) : null;
    }, 'the three strays');
    const r = await cli('strays', '--json');
    expect(r.code).toBe(0);
    const strays: Stray[] = JSON.parse(r.stdout) as Stray[];
    const by = new Map(strays.map((s) => [s.pid, s]));
    expect(by.get(nohupPid)).toMatchObject({ origin: 'nohup', argv: ['sleep', '41001'] });
    expect(by.get(setsidPid)).toMatchObject({ origin: 'setsid', cwd: dir });
    expect(by.get(daemonPid)).toMatchObject({ origin: 'daemon', cwd: '/' });
    // Every process in the sandbox's unit cgroups is managed, so none is a stray.
    const main = Number(
      (await sb.systemctl('show', '-p', 'MainPID', '--value', 'dd-managed.service')).stdout,
    );
    expect(main).toBeGreaterThan(0);
    expect(by.has(main)).toBe(false);
    for (const s of strays) {
      const cg = (() => {
        try {
          return readFileSync(`/proc/${s.pid}/cgroup`, 'utf8');
        } catch {
          return '';
        }
      })();
      expect({ pid: s.pid, managed: /^0::.*\.service$/m.test(cg) }).toEqual({
        pid: s.pid,
        managed: false,
      });
    }
    expect(by.has(sb.managerPid)).toBe(false);
    for (const p of [nohupPid, daemonPid]) process.kill(p, 'SIGKILL');
  });
});
