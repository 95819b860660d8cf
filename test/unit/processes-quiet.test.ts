// Issue 16: the quiet poll (no window shows processes) and the exit watch, on the real /proc.
// - ProcessScanner.quietScan finds a process started since the last pass without listing /proc
//   (from the last pid in /proc/loadavg), skips threads' ids, and drops a process that ended;
// - the exit watch (pidfd helper) tells a watched process's end at once, tells a pid whose start
//   time no longer matches as ended, and falls back to the next helper when one is missing;
// - young processes are read at every pass, so a wrapper's exec in place is seen at once;
// - the poll's watch rules are not read from settings.json again while nothing tells a change.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ProcessScanner } from '../../main/core/processes/proc-scanner.js';
import { createExitWatch, EXIT_HELPERS } from '../../main/core/processes/exit-watch.js';
import { createWatchRuleStore } from '../../main/core/processes/watch-rules.js';
import { openConfBackend } from '../../main/core/settings/settings.js';
import { waitFor } from '../helpers/units.js';

const children: ChildProcess[] = [];
function sleeper(seconds: number): ChildProcess {
  const c = spawn('sleep', [String(seconds)], { stdio: 'ignore' });
  children.push(c);
  return c;
}
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
});

function starttime(pid: number): number {
  const s = readFileSync(`/proc/${pid}/stat`, 'latin1');
  return Number(s.slice(s.lastIndexOf(')') + 2).split(' ')[19]);
}

describe('ProcessScanner.quietScan', () => {
  it('finds new processes from the pids handed out since, and drops ended hot ones', async () => {
    const scanner = new ProcessScanner({ includeSelf: true });
    try {
      const first = scanner.scan({ hot: new Set(), rotation: 30 });
      expect(first.quiet).toBeUndefined();
      // (On a busy machine a pass may list /proc after all, when more pids were handed out
      // than are worth looking at one by one: what it finds is the same either way.)
      const a = sleeper(61_001);
      await waitFor(() => existsPid(a.pid!), 'the sleeper');
      const seen = scanner.quietScan({ hot: new Set(), rotation: 1_000_000 });
      expect(seen.byPid.get(a.pid!)?.argv).toEqual(['sleep', '61001']);
      expect(seen.processes).toContain(seen.byPid.get(a.pid!));
      // The threads of this Node process are no processes of their own.
      const tids = readdirTids();
      for (const tid of tids) if (tid !== process.pid) expect(seen.byPid.has(tid)).toBe(false);
      // A hot process that ended leaves the table at the next quiet pass.
      a.kill('SIGKILL');
      await new Promise((r) => a.once('exit', r));
      const after = scanner.quietScan({ hot: new Set([a.pid!]), rotation: 1_000_000 });
      expect(after.byPid.has(a.pid!)).toBe(false);
      expect(after.processes.some((p) => p.pid === a.pid)).toBe(false);
      // The table handed out before is left as it was.
      expect(seen.byPid.has(a.pid!)).toBe(true);
    } finally {
      scanner.close();
    }
  });
});

describe('the recent processes a quiet pass reads', () => {
  it('keep only processes that still run: full scans alone (no rule, no quiet pass) forget ended ones', async () => {
    const scanner = new ProcessScanner();
    const recent = () => (scanner as unknown as { recent: Set<number> }).recent;
    try {
      scanner.scan();
      const short = [sleeper(0.05), sleeper(0.05), sleeper(0.05)];
      await waitFor(() => short.every((c) => c.pid !== undefined), 'the sleepers');
      const pids = short.map((c) => c.pid!);
      const seen = scanner.scan();
      expect(pids.some((p) => seen.byPid.has(p) && recent().has(p))).toBe(true);
      await Promise.all(short.map((c) => new Promise((r) => c.once('exit', r))));
      scanner.scan();
      expect(pids.filter((p) => recent().has(p))).toEqual([]);
    } finally {
      scanner.close();
    }
  });
});

describe('young processes', () => {
  /** A wrapper (sh) first read by a full scan, then exec'd in place into `sleep ARG`. */
  async function execedWrapper(arg: string): Promise<{ pid: number; scanner: ProcessScanner }> {
    const wrapper = spawn('sh', ['-c', `sleep 0.3; exec sleep ${arg}`], { stdio: 'ignore' });
    children.push(wrapper);
    const pid = wrapper.pid!;
    const scanner = new ProcessScanner();
    await waitFor(() => existsPid(pid), 'the wrapper');
    expect(scanner.scan().byPid.get(pid)?.argv[0]).toBe('sh');
    await waitFor(() => readFileSync(`/proc/${pid}/comm`, 'latin1') === 'sleep\n', 'exec');
    return { pid, scanner };
  }
  const poll = { hot: new Set<number>(), rotation: 1_000_000 };

  it('are read at every quiet pass: a wrapper that execs its program is seen at the next one', async () => {
    const { pid, scanner } = await execedWrapper('61003');
    try {
      // An older process waits for its turn in the rotation (a pass may list /proc: the same).
      expect(scanner.quietScan(poll).byPid.get(pid)?.argv[0]).toBe('sh');
      expect(scanner.scan(poll).byPid.get(pid)?.argv[0]).toBe('sh');
      expect(scanner.quietScan({ ...poll, youngMs: 10_000 }).byPid.get(pid)?.argv).toEqual([
        'sleep',
        '61003',
      ]);
    } finally {
      scanner.close();
    }
  });

  it('are read at every partial scan', async () => {
    const { pid, scanner } = await execedWrapper('61004');
    try {
      expect(scanner.scan({ ...poll, youngMs: 10_000 }).byPid.get(pid)?.argv).toEqual([
        'sleep',
        '61004',
      ]);
    } finally {
      scanner.close();
    }
  });
});

function existsPid(pid: number): boolean {
  try {
    readFileSync(`/proc/${pid}/stat`);
    return true;
  } catch {
    return false;
  }
}

/** The thread ids of this process (its main thread's id is its pid). */
function readdirTids(): number[] {
  const tids = readdirSync('/proc/self/task').map(Number);
  expect(tids.length).toBeGreaterThan(1);
  return tids;
}

describe('the exit watch', () => {
  for (const [i, helper] of EXIT_HELPERS.entries()) {
    it(`tells a watched process's end at once (${helper[0]})`, async () => {
      const exits: Array<{ pid: number; at: number }> = [];
      const watch = createExitWatch((pid) => exits.push({ pid, at: performance.now() }), {
        helpers: [EXIT_HELPERS[i]!],
      });
      try {
        const a = sleeper(61_002);
        const b = sleeper(61_003);
        await waitFor(() => existsPid(a.pid!) && existsPid(b.pid!), 'the sleepers');
        // b's start time is not the one we saw: that process is not the one we watch.
        watch.watch(
          new Map([
            [a.pid!, starttime(a.pid!)],
            [b.pid!, starttime(b.pid!) + 1],
          ]),
        );
        await waitFor(() => exits.some((e) => e.pid === b.pid), 'b told as ended', 20_000);
        expect(watch.live).toBe(true);
        expect(exits.map((e) => e.pid)).toEqual([b.pid]);
        const killed = performance.now();
        a.kill('SIGKILL');
        await waitFor(() => exits.some((e) => e.pid === a.pid), 'a told as ended', 5_000);
        const told = exits.find((e) => e.pid === a.pid)!.at - killed;
        expect(told).toBeLessThan(1000);
        // Nothing left to watch: the helper ends.
        watch.watch(new Map());
        expect(watch.live).toBe(false);
      } finally {
        watch.close();
      }
    }, 30_000);
  }

  it('falls back to the next helper when one cannot be started', async () => {
    const logs: string[] = [];
    const exits: number[] = [];
    const watch = createExitWatch((pid) => exits.push(pid), {
      helpers: [['daemon-deck-no-such-helper'], EXIT_HELPERS[0]!],
      log: (m) => logs.push(m),
    });
    try {
      const a = sleeper(61_004);
      await waitFor(() => existsPid(a.pid!), 'the sleeper');
      watch.watch(new Map([[a.pid!, starttime(a.pid!)]]));
      await waitFor(() => logs.some((l) => /ENOENT/.test(l)), 'the first helper missing');
      a.kill('SIGKILL');
      await waitFor(() => exits.includes(a.pid!), 'told by the second helper', 20_000);
    } finally {
      watch.close();
    }
  }, 30_000);
});

describe("the poll's watch rules", () => {
  it('are not read from settings.json again until a write or the watch on its folder tells a change', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dd-quiet-rules-'));
    const env = { HOME: dir, DAEMON_DECK_CONFIG_DIR: dir, XDG_STATE_HOME: `${dir}-state` };
    try {
      const appBackend = await openConfBackend(env);
      let reads = 0;
      const app = createWatchRuleStore({
        ...appBackend,
        get: (key) => (reads++, appBackend.get(key)),
        set: (key, value) => appBackend.set(key, value),
      });
      // Another process (the CLI) with the same file.
      const cli = createWatchRuleStore(await openConfBackend(env));
      const none = { start: null, cwd: null, log: null };
      const rule = { name: 'a', pattern: 'x', full: false, exact: false, ...none };
      app.add(rule);
      const first = app.current();
      expect(first.map((r) => r.name)).toEqual(['a']);
      reads = 0;
      for (let i = 0; i < 5; i++) expect(app.current()).toBe(first);
      expect(reads).toBe(0);
      // list() still reads the file, and sees another process's write at once.
      cli.add({ ...rule, name: 'b' });
      expect(app.list().map((r) => r.name)).toEqual(['a', 'b']);
      // current() once the watch's event is handled (within a poll of the app).
      cli.remove('a');
      await waitFor(
        () => app.current().length === 1 && app.current()[0]?.name === 'b',
        'the change',
      );
      // (The write's later events, a rename and a change, may come apart: let them all come.)
      await new Promise((r) => setTimeout(r, 200));
      const second = app.current();
      reads = 0;
      expect(app.current()).toBe(second);
      expect(reads).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
      await rm(`${dir}-state`, { recursive: true, force: true });
    }
  });
});
