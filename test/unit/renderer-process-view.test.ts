import { describe, expect, it } from 'vitest';
import type { StopStep } from '../../main/core/model/processes.js';
import {
  adoptSteps,
  clipCommand,
  collapseSteps,
  detailKind,
  formatCpu,
  filterStrays,
  formatMemory,
  liveOldestFirst,
  originSentence,
  parseSessionId,
  patternWarning,
  pgrepLine,
  ruleQuery,
  signalChoices,
  signalLabel,
  signalNeedsConfirm,
  stopStepText,
  stopSummary,
  suggestName,
} from '../../renderer/src/processes/process-view.js';

const step = (phase: StopStep['phase'], atMs: number, remaining: number[] = [42]): StopStep => ({
  phase,
  atMs,
  remaining,
});

describe('formatting', () => {
  it('memory in binary units, as ps and top count', () => {
    expect(formatMemory(0)).toBe('0 B');
    expect(formatMemory(1023)).toBe('1,023 B');
    expect(formatMemory(1536)).toBe('1.5 KiB');
    expect(formatMemory(12_345_678)).toBe('11.8 MiB');
    expect(formatMemory(300 * 1024 * 1024)).toBe('300 MiB');
    expect(formatMemory(null)).toBe('—');
    expect(formatMemory(-1)).toBe('—');
  });

  it('CPU in percent of one core, a dash before the second sample', () => {
    expect(formatCpu(null)).toBe('—');
    expect(formatCpu(0)).toBe('0%');
    expect(formatCpu(3.14159)).toBe('3.1%');
    expect(formatCpu(187.4)).toBe('187%');
  });
});

describe('stop progress in words', () => {
  it('says what was sent, to whom and when', () => {
    expect(stopStepText(step('term-sent', 0))).toBe('Sent TERM to 42, asking it to exit.');
    expect(stopStepText(step('waiting', 2000))).toBe('Still running after 2.0 s: 42.');
    expect(stopStepText(step('kill-sent', 5012))).toBe(
      'It ignored TERM: sent KILL to 42 after 5.0 s.',
    );
    expect(stopStepText(step('exited', 5100, []))).toBe('Exited after 5.1 s.');
    expect(stopStepText(step('gone', 0, []))).toBe('It had already exited.');
    expect(stopStepText(step('waiting', 12_400, [1, 2, 3, 4, 5, 6, 7]))).toBe(
      'Still running after 12 s: 1, 2, 3, 4, 5 and 2 more.',
    );
  });

  it('shows a run of waiting steps as one line', () => {
    const steps = [
      step('term-sent', 0),
      step('waiting', 1000),
      step('waiting', 2000),
      step('waiting', 3000),
      step('kill-sent', 5000),
      step('exited', 5050, []),
    ];
    expect(collapseSteps(steps).map((s) => `${s.phase}@${s.atMs}`)).toEqual([
      'term-sent@0',
      'waiting@3000',
      'kill-sent@5000',
      'exited@5050',
    ]);
    expect(steps).toHaveLength(6);
  });

  it('sums a stop up by whether KILL was needed', () => {
    expect(stopSummary([step('term-sent', 0), step('exited', 120, [])])).toBe(
      'Stopped after 0.1 s: it exited on TERM.',
    );
    expect(
      stopSummary([step('term-sent', 0), step('kill-sent', 5000), step('exited', 5030, [])]),
    ).toBe('Stopped with KILL after 5.0 s: it did not exit on TERM.');
    expect(stopSummary([step('gone', 0, [])])).toBe('It had already exited.');
    expect(stopSummary([])).toBe('');
  });
});

describe('signals', () => {
  it('offers every signal once, the common ones first', () => {
    const names = signalChoices().map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.slice(0, 5)).toEqual(['TERM', 'HUP', 'INT', 'QUIT', 'KILL']);
    expect(names).toEqual(expect.arrayContaining(['USR1', 'USR2', 'STOP', 'CONT', 'WINCH']));
    for (const s of signalChoices()) expect(s.meaning).not.toBe('');
  });

  it('asks before KILL and STOP, however they are written', () => {
    for (const s of ['KILL', 'kill', 'SIGKILL', ' 9 ', 'STOP', 'sigstop', '19'])
      expect([s, signalNeedsConfirm(s)]).toEqual([s, true]);
    for (const s of ['TERM', 'HUP', '15', 'USR1', 'CONT', 'KILLER'])
      expect([s, signalNeedsConfirm(s)]).toEqual([s, false]);
    expect(signalLabel('sigusr1')).toBe('USR1');
    expect(signalLabel('10')).toBe('10');
  });
});

describe('names, ids and rules', () => {
  it('suggests a unit name from the program, or the script an interpreter runs', () => {
    expect(suggestName(['/usr/bin/syncthing', 'serve'])).toBe('syncthing');
    expect(suggestName(['python3', '-m', 'http.server', '8080'])).toBe('http-server');
    expect(suggestName(['node', '/srv/app/index.js'])).toBe('index');
    expect(suggestName(['bash', '-c', 'sleep 1 &'])).toBe('bash');
    expect(suggestName(['sh', '/home/me/run me.sh'])).toBe('run-me');
    expect(suggestName(['sleep', '30'])).toBe('sleep');
    expect(suggestName([])).toBe('command');
    expect(suggestName(['/tmp/...'])).toBe('command');
    expect(suggestName(['a'.repeat(80)])).toHaveLength(48);
    for (const argv of [['x y'], ['ünïcode'], ['.hidden'], ['@x@']])
      expect(suggestName(argv)).toMatch(/^[A-Za-z0-9][A-Za-z0-9_@-]*$|^command$/);
  });

  it('tells which detail view an id gets', () => {
    expect(detailKind('systemd:web.service')).toBe('unit');
    expect(detailKind('process:bot')).toBe('watch');
    expect(detailKind('session:tmux:work')).toBe('session');
    expect(detailKind('pid:1234')).toBe('process');
    expect(detailKind('pid:12x')).toBe('unit');
    expect(parseSessionId('session:screen:a:b')).toEqual({ kind: 'screen', name: 'a:b' });
    expect(parseSessionId('session:zellij:x')).toBeNull();
  });

  it('turns a rule into its pgrep query and command line', () => {
    const rule = { pattern: "bot's\\.py", full: true, exact: false };
    expect(ruleQuery(rule)).toEqual({
      pattern: "bot's\\.py",
      full: true,
      exact: false,
      users: [],
      parents: [],
      pick: 'all',
    });
    expect(pgrepLine(rule)).toBe("pgrep -f 'bot'\\''s\\.py'");
    expect(pgrepLine({ pattern: 'sshd', full: false, exact: true })).toBe("pgrep -x 'sshd'");
  });

  it('warns about name patterns that cannot match a 15-character name', () => {
    expect(patternWarning({ pattern: 'my-long-daemon-name', full: false })).toMatch(
      /15 characters/,
    );
    expect(patternWarning({ pattern: '^my-long-daemon-name$', full: false })).toMatch(/15/);
    expect(patternWarning({ pattern: 'my-long-daemon-name', full: true })).toBeNull();
    expect(patternWarning({ pattern: 'python3 bot', full: false })).toMatch(/spaces/);
    expect(patternWarning({ pattern: 'sshd', full: false })).toBeNull();
    expect(patternWarning({ pattern: 'a.*b.*c.*d.*e.*f', full: false })).toBeNull();
  });

  it('says how each kind of stray started', () => {
    for (const origin of ['nohup', 'background-job', 'setsid', 'daemon', 'orphan'] as const)
      expect(originSentence(origin)).toMatch(/^[A-Z].*\.$/);
    expect(originSentence('nohup')).toMatch(/nohup/);
  });
});

describe('the Adopt checklist', () => {
  const labels = (enable: boolean) =>
    adoptSteps('web.service', 42, enable, null, 'running').map((s) => s.label);

  it('names the unit, the process and whether it is enabled', () => {
    expect(labels(true)).toEqual([
      'Write web.service and enable it at login',
      'Stop process 42 (TERM, then KILL if it does not exit)',
      'Start web.service',
    ]);
    expect(labels(false)[0]).toBe('Write web.service');
  });

  it('marks the steps done up to the phase reported', () => {
    const states = (
      phase: Parameters<typeof adoptSteps>[3],
      outcome: Parameters<typeof adoptSteps>[4],
    ) => adoptSteps('u.service', 1, true, phase, outcome).map((s) => s.state);
    expect(states(null, 'running')).toEqual(['running', 'pending', 'pending']);
    expect(states('stop', 'running')).toEqual(['done', 'running', 'pending']);
    expect(states('start', 'running')).toEqual(['done', 'done', 'running']);
    expect(states('start', 'done')).toEqual(['done', 'done', 'done']);
    expect(states('write', 'failed')).toEqual(['failed', 'pending', 'pending']);
    expect(states('rollback', 'failed')).toEqual(['done', 'done', 'failed']);
  });
});

describe('lists', () => {
  it('cuts a long command at a word, and leaves a short one alone', () => {
    expect(clipCommand('sleep 30')).toEqual({ text: 'sleep 30', clipped: false });
    const long = `node server.js ${'--flag=value '.repeat(30)}`;
    const c = clipCommand(long, 100);
    expect(c.clipped).toBe(true);
    expect(c.text.endsWith('…')).toBe(true);
    expect(c.text.length).toBeLessThanOrEqual(101);
    expect(long.startsWith(c.text.slice(0, -1))).toBe(true);
    expect(c.text.slice(0, -1).endsWith(' ')).toBe(false);
    const word = 'x'.repeat(300);
    expect(clipCommand(word, 100).text).toBe(`${'x'.repeat(100)}…`);
  });

  it('filters strays by every word, over command, folder and PID', () => {
    const strays = [
      { pid: 101, command: 'sleep 30', cwd: '/home/me' },
      { pid: 202, command: 'python3 -m http.server', cwd: '/srv/www' },
      { pid: 303, command: 'rclone mount', cwd: null },
    ];
    expect(filterStrays(strays, '')).toBe(strays);
    expect(filterStrays(strays, '  ').map((s) => s.pid)).toEqual([101, 202, 303]);
    expect(filterStrays(strays, 'HTTP www').map((s) => s.pid)).toEqual([202]);
    expect(filterStrays(strays, '303').map((s) => s.pid)).toEqual([303]);
    expect(filterStrays(strays, 'sleep www')).toEqual([]);
  });

  it('lists a rule’s processes oldest first, without zombies', () => {
    const rows = [
      { pid: 1, state: 'S', elapsedMs: 10 },
      { pid: 2, state: 'Z', elapsedMs: 99 },
      { pid: 3, state: 'R', elapsedMs: 50 },
      { pid: 4, state: 'X', elapsedMs: 70 },
    ];
    expect(liveOldestFirst(rows).map((r) => r.pid)).toEqual([3, 1]);
  });
});
