// Pure logic of the processes area: pgrep selection, strays, watch rules and their entries.
import { describe, expect, it } from 'vitest';
import {
  createMatcher,
  matchSubject,
  resolveUsers,
  MatchError,
} from '../../main/core/processes/matcher.js';
import type {
  PartialScan,
  ProcessInfo,
  ProcessScanner,
  ProcessTable,
} from '../../main/core/processes/proc-scanner.js';
import { classifyOrigin, findStrays, isStray } from '../../main/core/processes/strays.js';
import { checkRule, createMemoryWatchRules } from '../../main/core/processes/watch-rules.js';
import { ProcessService, adoptArgv, ruleEntry } from '../../main/core/processes/process-service.js';
import { parseExecStart, quoteExecStart } from '../../main/core/systemd/unit-file.js';
import { parseSignal } from '../../main/core/processes/control.js';
import { AppFailure } from '../../main/core/errors.js';
import type { WatchRule } from '../../main/core/model/processes.js';

function proc(pid: number, over: Partial<ProcessInfo> = {}): ProcessInfo {
  return {
    pid,
    starttime: 1000 + pid,
    ppid: 1,
    uid: 1000,
    comm: 'sleep',
    argv: ['sleep', '100'],
    state: 'S',
    ttyNr: 0,
    tty: null,
    session: pid,
    pgid: pid,
    rss: 4096,
    cpuTicks: 0,
    cpu: null,
    startedAt: 1_700_000_000_000 + pid,
    elapsedMs: 5,
    cgroup: null,
    unit: null,
    kernelThread: false,
    ...over,
  };
}
function table(ps: ProcessInfo[]): ProcessTable {
  return { at: 0, processes: ps, byPid: new Map(ps.map((p) => [p.pid, p])) };
}
const pids = (ps: ProcessInfo[]) => ps.map((p) => p.pid);

describe('pgrep selection', () => {
  const t = table([
    proc(10, { comm: 'node', argv: ['node', 'server.js', '--port=80'], ppid: 5 }),
    proc(11, { comm: 'sleep', argv: ['sleep', '100'], starttime: 5000 }),
    proc(12, { comm: 'sleep', argv: ['sleep', '200'], starttime: 5000, uid: 0 }),
    proc(13, { comm: 'a-very-long-nam', argv: ['/bin/a-very-long-name-indeed'] }),
    proc(14, { comm: 'kworker/0:1', argv: [], kernelThread: true, ppid: 2 }),
    proc(15, { comm: 'zomb', argv: [], state: 'Z' }),
    proc(16, { comm: 'x', argv: ['x', 'a\nb', ''] }),
  ]);
  it('matches the name, or the command line with -f', () => {
    expect(pids(createMatcher({ pattern: 'sle' })(t))).toEqual([11, 12]);
    expect(pids(createMatcher({ pattern: 'server' })(t))).toEqual([]);
    expect(pids(createMatcher({ pattern: 'server', full: true })(t))).toEqual([10]);
    expect(pids(createMatcher({ pattern: 'sleep 2', full: true })(t))).toEqual([12]);
  });
  it('-x anchors; names longer than 15 characters never match a name', () => {
    expect(pids(createMatcher({ pattern: 'slee', exact: true })(t))).toEqual([]);
    expect(pids(createMatcher({ pattern: 'sleep', exact: true })(t))).toEqual([11, 12]);
    expect(pids(createMatcher({ pattern: 'a-very-long-name' })(t))).toEqual([]);
    expect(pids(createMatcher({ pattern: 'a-very-long-name', full: true })(t))).toEqual([13]);
  });
  it('renders kernel threads and zombies as libproc2 does for -f', () => {
    expect(matchSubject(t.byPid.get(14)!, true)).toBe('[kworker/0:1]');
    expect(matchSubject(t.byPid.get(15)!, true)).toBe('[zomb] <defunct>');
    expect(matchSubject(t.byPid.get(16)!, true)).toBe('x a b');
    expect(pids(createMatcher({ pattern: '^\\[kworker', full: true })(t))).toEqual([14]);
  });
  it('-u, -P and the AND of criteria', () => {
    const passwd = new Map([
      ['root', 0],
      ['me', 1000],
    ]);
    expect(pids(createMatcher({ users: ['root'] }, { passwd })(t))).toEqual([12]);
    expect(pids(createMatcher({ users: ['me'], pattern: 'sleep' }, { passwd })(t))).toEqual([11]);
    expect(
      pids(createMatcher({ users: ['0,1000'.split(',')].flat() }, { passwd })(t)),
    ).toHaveLength(7);
    expect(pids(createMatcher({ parents: [5] })(t))).toEqual([10]);
    expect(pids(createMatcher({ parents: [5], pattern: 'sleep' })(t))).toEqual([]);
    expect(() => resolveUsers(['nobody-here'], passwd)).toThrow('invalid user name: nobody-here');
  });
  it('-n and -o pick by start time, ties by pid as pgrep does', () => {
    expect(pids(createMatcher({ pattern: 'sleep', newest: true })(t))).toEqual([12]);
    expect(pids(createMatcher({ pattern: 'sleep', oldest: true })(t))).toEqual([11]);
    expect(pids(createMatcher({ pattern: '.', oldest: true })(t))).toEqual([10]);
    expect(pids(createMatcher({ pattern: 'nothing', newest: true })(t))).toEqual([]);
  });
  it('refuses a selection without criteria and an invalid pattern', () => {
    expect(() => createMatcher({})).toThrow(MatchError);
    expect(() => createMatcher({ pattern: '(' })).toThrow(/Unmatched \( or/);
  });
});

describe('strays', () => {
  const probe = (hup: number[] = [], cwd = '/') => ({
    cwd: () => cwd,
    ignoresHup: (pid: number) => hup.includes(pid),
  });
  const shell = proc(100, { comm: 'bash', argv: ['bash'], ttyNr: 34816, session: 100, ppid: 50 });
  const t = table([
    proc(1, { comm: 'init', argv: ['/sbin/init'], uid: 0, session: 1 }),
    shell,
    proc(101, { comm: 'sleep', ppid: 1, session: 100, pgid: 101 }), // nohup'd from the shell, shell alive
    proc(102, { comm: 'daemon', argv: ['daemon'], ppid: 1, session: 999, pgid: 999 }), // double fork
    proc(103, { comm: 'srv', argv: ['srv'], ppid: 100, session: 103, pgid: 103 }), // setsid
    proc(104, { comm: 'svc', argv: ['svc'], unit: 'x.service', ppid: 1 }), // managed
    proc(105, { comm: 'firefox', argv: ['firefox'], unit: 'app-gnome-firefox-3.scope', ppid: 1 }),
    proc(106, {
      comm: 'job',
      argv: ['job'],
      unit: 'vte-spawn-1.scope',
      ppid: 1,
      session: 100,
      pgid: 106,
    }),
    proc(107, { comm: 'dbus-daemon', argv: ['dbus-daemon'], ppid: 1 }),
    proc(108, { comm: 'child', argv: ['child'], ppid: 100, session: 100, pgid: 100 }), // a shell's child
    proc(109, { comm: 'other', argv: ['other'], uid: 0, ppid: 1 }),
    proc(110, { comm: 'kthr', argv: [], kernelThread: true, ppid: 2 }),
  ]);
  it("lists the user's detached, unmanaged processes and nothing else", () => {
    expect(pids(t.processes.filter((p) => isStray(p, t, 1000)))).toEqual([101, 102, 103, 106]);
  });
  it('says how each was most likely started', () => {
    const by = (pid: number, hup: number[] = []) =>
      classifyOrigin(t.byPid.get(pid)!, t, probe(hup));
    expect(by(101, [101])).toBe('nohup');
    expect(by(101)).toBe('background-job');
    expect(by(102)).toBe('daemon');
    expect(by(103)).toBe('setsid');
    const s = findStrays(t, 1000, probe([101], '/srv'));
    expect(s.map((x) => [x.pid, x.origin, x.cwd])).toEqual([
      [101, 'nohup', '/srv'],
      [102, 'daemon', '/srv'],
      [103, 'setsid', '/srv'],
      [106, 'background-job', '/srv'],
    ]);
    expect(s[0]!.originText).toMatch(/nohup/);
  });
});

describe('watch rules', () => {
  const rule: WatchRule = {
    name: 'web',
    pattern: 'node',
    full: false,
    exact: false,
    start: ['node', 'web.js'],
    cwd: '/srv',
    log: null,
  };
  it('are validated', () => {
    expect(checkRule(rule)).toBeNull();
    expect(checkRule({ ...rule, name: 'a b' })).toMatch(/rule name/);
    expect(checkRule({ ...rule, pattern: '(' })).toMatch(/Unmatched/);
    expect(checkRule({ ...rule, cwd: 'rel' })).toMatch(/absolute/);
    expect(checkRule({ ...rule, start: [] })).toMatch(/empty/);
  });
  it('are added once, removed (returning the rule) and notify', () => {
    const store = createMemoryWatchRules();
    let changes = 0;
    store.onChange(() => changes++);
    store.add(rule);
    expect(() => store.add(rule)).toThrow(AppFailure);
    expect(store.list()).toEqual([rule]);
    expect(store.remove('web')).toEqual(rule);
    expect(() => store.remove('web')).toThrow(/no watch rule/);
    expect(changes).toBe(2);
  });
  it('become entries: running with pids, or stopped with start when it can', () => {
    const running = ruleEntry(rule, [
      proc(5, { cpu: 1.5, rss: 100 }),
      proc(6, { cpu: 2, rss: 50 }),
    ]);
    expect(running).toMatchObject({
      id: 'process:web',
      kind: 'process',
      state: 'running',
      pids: [5, 6],
      cpu: 3.5,
      memory: 150,
      actions: ['stop', 'restart'],
    });
    const stopped = ruleEntry(rule, []);
    expect(stopped).toMatchObject({
      state: 'stopped',
      pids: [],
      actions: ['start'],
      description: 'node web.js',
    });
    expect(ruleEntry({ ...rule, start: null }, []).actions).toEqual([]);
  });
  it('are polled from partial scans that keep what they matched hot, and not at all without rules', () => {
    const calls: Array<PartialScan | undefined> = [];
    let ps = [proc(5, { comm: 'node' }), proc(6, { comm: 'bash' })];
    // A window shows processes (the default): polls need no listing of /proc either.
    const scanner = {
      quietScan: (partial?: PartialScan) => {
        calls.push(partial);
        return table(ps);
      },
    } as unknown as ProcessScanner;
    const rules = createMemoryWatchRules();
    const service = new ProcessService({ rules, scanner });
    expect(service.pollEntries()).toEqual([]);
    expect(calls).toEqual([]); // no rule: nothing to read
    rules.add(rule);
    expect(service.pollEntries().map((e) => e.pids)).toEqual([[5]]);
    ps = [proc(5, { comm: 'node' }), proc(7, { comm: 'node' })];
    expect(service.pollEntries().map((e) => e.pids)).toEqual([[5, 7]]);
    expect(calls.map((c) => (c ? [...c.hot] : null))).toEqual([[], [5]]);
    expect(calls.every((c) => c?.rotation === 30 && c.youngMs === 5_000)).toBe(true);
  });
  it('hand out the same entries while nothing they show moved, and new ones when a state, figure, process or rule did', () => {
    const watched = proc(5, { comm: 'node', cpu: 0, rss: 4096 });
    let t = table([watched, proc(6, { comm: 'bash' })]);
    const scanner = { quietScan: () => t } as unknown as ProcessScanner;
    const rules = createMemoryWatchRules([rule]);
    const service = new ProcessService({ rules, scanner });
    const first = service.pollEntries();
    expect(first.map((e) => e.pids)).toEqual([[5]]);
    // The same list (a quiet pass that found nothing new hands it out again): the same array.
    t = { ...t, at: 1 };
    expect(service.pollEntries()).toBe(first);
    // A figure the entry shows, read again in place: new entries.
    watched.cpu = 2.5;
    const second = service.pollEntries();
    expect(second).not.toBe(first);
    expect(second[0]?.cpu).toBe(2.5);
    expect(service.pollEntries()).toBe(second);
    // Gone to zombie: it no longer counts.
    watched.state = 'Z';
    expect(service.pollEntries()[0]).toMatchObject({ state: 'stopped', pids: [] });
    // A new list, and a new rule.
    t = table([proc(7, { comm: 'node' })]);
    expect(service.pollEntries().map((e) => e.pids)).toEqual([[7]]);
    const third = service.pollEntries();
    rules.add({ ...rule, name: 'bash', pattern: 'bash' });
    expect(service.pollEntries()).not.toBe(third);
    expect(service.pollEntries().map((e) => e.id)).toEqual(['process:web', 'process:bash']);
  });
});

describe('stopping a list of processes', () => {
  it('stops those still running and passes over one that exited since the list was shown', async () => {
    const { spawn } = await import('node:child_process');
    const child = spawn('sleep', ['1234.8'], { stdio: 'ignore' });
    const gone = spawn('true', [], { stdio: 'ignore' });
    await new Promise((r) => gone.once('exit', r));
    await new Promise((r) => setTimeout(r, 50));
    const service = new ProcessService({ rules: createMemoryWatchRules() });
    try {
      const report = await service.stop([gone.pid!, child.pid!]);
      expect(report.pids).toEqual([child.pid]);
      expect(report.steps.at(-1)?.phase).toBe('exited');
      // Nothing in the list runs: an error, as for one process that is not running.
      await expect(service.stop([gone.pid!])).rejects.toThrow(
        `Process ${gone.pid} is not running.`,
      );
      await expect(service.stop([gone.pid!, child.pid!])).rejects.toThrow(
        `None of processes ${gone.pid}, ${child.pid} is running.`,
      );
    } finally {
      child.kill('SIGKILL');
    }
  });
});

describe('signals', () => {
  it('parse names and numbers', () => {
    expect(parseSignal('TERM')).toBe(15);
    expect(parseSignal('sigkill')).toBe(9);
    expect(parseSignal('1')).toBe(1);
    expect(() => parseSignal('NOPE')).toThrow(/not a signal/);
  });
});

describe('adopt argv', () => {
  it('keeps argv[0] exactly: "@" and the executable when argv[0] is not its path', () => {
    expect(adoptArgv({ argv: ['sleep', '1000'] }, '/usr/bin/sleep')).toEqual([
      '@/usr/bin/sleep',
      'sleep',
      '1000',
    ]);
    expect(adoptArgv({ argv: ['/usr/bin/sleep', '1'] }, '/usr/bin/sleep')).toEqual([
      '/usr/bin/sleep',
      '1',
    ]);
    expect(adoptArgv({ argv: ['python3', 'x.py'] }, '/usr/bin/python3.11')).toEqual([
      '@/usr/bin/python3.11',
      'python3',
      'x.py',
    ]);
    // No readable executable: as it is (authoring resolves a bare name on PATH).
    expect(adoptArgv({ argv: ['sleep', '1'] }, null)).toEqual(['sleep', '1']);
  });

  it('renders an ExecStart= that systemd reads back as the same argv', () => {
    const argv = adoptArgv({ argv: ['my prog', '100% $HOME', ''] }, '/opt/x/prog');
    expect(quoteExecStart(argv)).toBe('"@/opt/x/prog" "my prog" "100%% $$HOME" ""');
    expect(parseExecStart(quoteExecStart(argv))).toEqual(argv);
  });
});
