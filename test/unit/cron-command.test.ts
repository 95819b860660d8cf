import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cronArgv,
  cronCommand,
  cronSplit,
  cronWord,
  shellWords,
} from '../../main/core/cron/cron-command.js';
import { nextRun } from '../../main/core/cron/cron-schedule.js';
import { jobNotices } from '../../main/core/cron/cron-service.js';
import { pidsRunning, RunningIndex } from '../../main/core/cron/proc-list.js';

const arg = fc.string({
  unit: fc.constantFrom('a', ' ', '%', '\\', "'", '"', '$', '`', '#', '*', ';', '&', '~', 'é'),
});

describe('cron commands from argument lists', () => {
  it('decode back to the same arguments (and log file)', () => {
    fc.assert(
      fc.property(
        fc.tuple(fc.constantFrom('/usr/bin/x', 'rel'), fc.array(arg, { maxLength: 6 })),
        fc.option(fc.constantFrom('/tmp/log file', '/var/log/x.log', '/tmp/50%')),
        ([prog, rest], log) => {
          const cmd = cronCommand([prog, ...rest], { log });
          expect(cronSplit(cmd).stdin).toBeNull();
          expect(cronArgv(cmd)).toEqual({ argv: [prog, ...rest], log: log ?? null });
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('escapes % for cron and quotes for sh', () => {
    expect(cronWord('/usr/bin/x')).toBe('/usr/bin/x');
    expect(cronWord('50%')).toBe("'50'\\%");
    expect(cronWord("it's")).toBe("'it'\\''s'");
    expect(cronWord('')).toBe("''");
    expect(cronSplit('date +\\%F%line1%line2')).toEqual({
      shell: 'date +%F',
      stdin: 'line1\nline2',
    });
    expect(() => cronCommand(['a\nb'])).toThrow(/newline/);
  });

  it('does not pretend to parse shell syntax it does not know', () => {
    expect(shellWords('a | b')).toBeNull();
    expect(shellWords('echo $HOME')).toBeNull();
    expect(shellWords('~/bin/x')).toBeNull();
    expect(shellWords('/bin/x # comment')).toBeNull();
    expect(shellWords('/bin/x a#b')).toEqual({ argv: ['/bin/x', 'a#b'], log: null });
    expect(shellWords('/bin/x > /tmp/o 2>&1')).toEqual({ argv: ['/bin/x'], log: '/tmp/o' });
  });
});

describe('next run of five-field lines', () => {
  const at = (s: string) => new Date(s);
  const sched = (text: string) => ({
    special: null,
    fields: text.split(' ') as [string, string, string, string, string],
    text,
  });
  it.each([
    ['*/5 * * * *', '2026-01-01T10:02:30', '2026-01-01T10:05:00'],
    ['0 9 * * mon-fri', '2026-01-02T09:00:00', '2026-01-05T09:00:00'],
    ['30 4 1,15 * *', '2026-02-02T00:00:00', '2026-02-15T04:30:00'],
    ['0 0 13 * 5', '2026-03-01T00:00:00', '2026-03-06T00:00:00'],
    ['0 12 29 feb *', '2026-03-01T00:00:00', '2028-02-29T12:00:00'],
    ['0 0 * * 7', '2026-01-01T00:00:00', '2026-01-04T00:00:00'],
  ])('%s after %s is %s', (fields, after, expected) => {
    expect(nextRun(sched(fields), at(after))?.getTime()).toBe(at(expected).getTime());
  });
  it('has none for @reboot or nonsense', () => {
    expect(nextRun({ special: 'reboot', fields: null, text: '@reboot' }, new Date())).toBeNull();
    expect(nextRun(sched('99 * * * *'), new Date())).toBeNull();
    expect(
      nextRun(
        { special: 'daily', fields: null, text: '@daily' },
        at('2026-01-01T10:00:00'),
      )?.getTime(),
    ).toBe(at('2026-01-02T00:00:00').getTime());
  });
});

describe('what cron users are told', () => {
  it('warns about relative paths, desktop programs and stray %', () => {
    const codes = (argv: string[] | null, command: string, reboot = true) =>
      jobNotices({ argv, command, reboot }).map((n) => n.code);
    expect(codes(['/usr/bin/true'], '/usr/bin/true')).toEqual([]);
    expect(codes(['myscript.sh'], 'myscript.sh')).toEqual(['relative-path']);
    expect(codes(['/bin/x', './data'], '/bin/x ./data')).toEqual(['relative-path']);
    expect(codes(['/usr/bin/notify-send', 'hi'], '/usr/bin/notify-send hi')).toEqual([
      'no-display',
    ]);
    expect(codes(['/usr/bin/notify-send', 'hi'], '/usr/bin/notify-send hi', false)).toEqual([]);
    expect(codes(null, 'date +%F')).toEqual(['stdin-in-command']);
    expect(codes(null, 'a | b')).toEqual(['unparsed-command']);
  });

  it('finds the processes running a command, directly or under sh -c', () => {
    const procs = [
      { pid: 1, comm: 'x', argv: ['/bin/x', 'a'] },
      { pid: 2, comm: 'sh', argv: ['/bin/sh', '-c', '/bin/x a | tee'] },
      { pid: 3, comm: 'x', argv: ['/bin/x'] },
    ];
    expect(pidsRunning(procs, ['/bin/x', 'a'], null)).toEqual([1]);
    expect(pidsRunning(procs, null, '/bin/x a | tee')).toEqual([2]);
  });

  it('answers many lookups from one index exactly as one pass per lookup would', () => {
    const procs = [
      { pid: 40, comm: 'sh', argv: ['/bin/sh', '-c', 'run me'] },
      { pid: 7, comm: 'x', argv: ['/bin/x', 'a'] },
      { pid: 9, comm: 'dash', argv: ['dash', '-c', 'run me'] },
      { pid: 8, comm: 'x', argv: ['/bin/x', 'a'] },
      { pid: 3, comm: 'zsh', argv: ['zsh', '-c', 'run me'] },
      { pid: 5, comm: 'x', argv: ['/bin/x', 'a\0b'] },
      { pid: 6, comm: 'k', argv: [] },
    ];
    const slow = (argv: string[] | null, shell: string | null) =>
      procs
        .filter(
          (p) =>
            (argv !== null &&
              argv.length > 0 &&
              p.argv.length === argv.length &&
              p.argv.every((a, i) => a === argv[i])) ||
            (shell !== null &&
              p.argv.length === 3 &&
              /(^|\/)(sh|dash|bash)$/.test(p.argv[0]!) &&
              p.argv[1] === '-c' &&
              p.argv[2] === shell),
        )
        .map((p) => p.pid);
    const index = new RunningIndex(procs);
    const asks: Array<[string[] | null, string | null]> = [
      [['/bin/x', 'a'], null],
      [null, 'run me'],
      [['/bin/sh', '-c', 'run me'], 'run me'], // both ways: once each, in list order
      [['/bin/x', 'a'], 'run me'],
      [[], null],
      [['/bin/x', 'a', 'b'], null],
      [['zsh', '-c', 'run me'], 'nothing'],
    ];
    for (const [argv, shell] of asks) expect(index.pids(argv, shell)).toEqual(slow(argv, shell));
  });
});
