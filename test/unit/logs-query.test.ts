// The logs' filters (main/core/logs/log-query.ts): journalctl's arguments, the same filters over
// a file's lines, and how the reader reports a filter that matches nothing or is refused.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  filterLines,
  journalFilterArgs,
  journalTime,
  logLineText,
  parsePriority,
  searchRegExp,
} from '../../main/core/logs/log-query.js';
import { exportText } from '../../main/core/logs/logs-service.js';
import { LogReader } from '../../main/core/systemd/logs.js';
import type { LogLine } from '../../main/core/model/authoring.js';
import type { RunResult } from '../../main/core/host/host.js';

const line = (message: string, priority: number | null, time: string | null = null): LogLine => ({
  cursor: message,
  time,
  priority,
  message,
  pid: null,
});

function ran(stdout: string, code = 0, stderr = ''): RunResult {
  return {
    stdout,
    stderr,
    code,
    signal: null,
    stdoutBytes: Buffer.from(stdout),
    spawnError: null,
    timedOut: false,
  };
}

describe('log filters', () => {
  it('names priorities as journalctl does', () => {
    expect(
      ['emerg', '3', 'err', 'error', 'WARNING', 'warn', 'debug', '7'].map(parsePriority),
    ).toEqual([0, 3, 3, 3, 4, 4, 7, 7]);
    expect(parsePriority('8')).toBeNull();
    expect(parsePriority('loud')).toBeNull();
  });

  it('builds journalctl arguments, ISO times as epochs, values that start with - kept values', () => {
    expect(journalFilterArgs({})).toEqual([]);
    expect(
      journalFilterArgs({
        priority: 4,
        since: '2026-12-06T10:00:00Z',
        until: '-1h',
        grep: '--help',
      }),
    ).toEqual(['-p', '4', '--since=@1796551200', '--until=-1h', '--grep=--help']);
    expect(journalTime('2026-12-06T19:00:00+09:00')).toBe('@1796551200');
    expect(journalTime('yesterday')).toBe('yesterday');
    expect(journalFilterArgs({ since: '  ', grep: '' })).toEqual([]);
  });

  it('filters read lines with journalctl smart case; a bad pattern is the user input error', () => {
    const lines = [
      line('Started ok', 6, '2026-12-06T10:00:00.000Z'),
      line('disk ERROR', 3, '2026-12-06T11:00:00.000Z'),
      line('plain file line', null),
    ];
    expect(filterLines(lines, { grep: 'error' }).map((l) => l.message)).toEqual(['disk ERROR']);
    expect(filterLines(lines, { grep: 'Error' })).toEqual([]);
    // A line without a priority counts as info, as journald takes a service's stdout.
    expect(filterLines(lines, { priority: 3 }).map((l) => l.message)).toEqual(['disk ERROR']);
    expect(filterLines(lines, { priority: 6 })).toHaveLength(3);
    expect(filterLines(lines, { since: '2026-12-06T10:30:00Z' }).map((l) => l.message)).toEqual([
      'disk ERROR',
      'plain file line',
    ]);
    expect(() => searchRegExp('(')).toThrow(/not a valid regular expression/);
  });

  it('writes an export as one line per log line', () => {
    expect(exportText([line('a', 3, '2026-12-06T10:00:00.000Z'), line('b', null)])).toBe(
      '2026-12-06T10:00:00.000Z <err> a\nb\n',
    );
    expect(logLineText(line('x', 6))).toBe('<info> x');
  });
});

describe('the reader with filters', () => {
  it('passes the filters to journalctl and says when journalctl refuses them', async () => {
    const calls: string[][] = [];
    let answer = ran('', 1, 'Failed to parse timestamp: garbage\n');
    const reader = new LogReader({
      env: {},
      run: (argv) => {
        calls.push([...argv]);
        return Promise.resolve(answer);
      },
      journalSocket: '/',
    });
    const refused = await reader.read('x.service', [], { since: 'garbage', lines: 5 });
    expect(calls[0]).toEqual([
      'journalctl',
      '--user',
      '-u',
      'x.service',
      '-o',
      'json',
      '--no-pager',
      '-q',
      '--since=garbage',
      '-n',
      '5',
    ]);
    expect(refused.emptyReason).toBe(
      'journalctl refused the filter: Failed to parse timestamp: garbage',
    );
    // --grep exits 1 and says nothing when nothing matches: no lines, and no reason to explain.
    answer = ran('', 1);
    expect((await reader.read('x.service', [], { grep: 'nothing' })).emptyReason).toBeNull();
  });

  it('searches a file log and notes the filters a file cannot honour', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dd-logq-'));
    try {
      const f = join(dir, 'out.log');
      await writeFile(f, 'one\n<4>two warn\n<3>three\nfour warn\n');
      const reader = new LogReader({
        env: {},
        run: () => Promise.reject(new Error('no journalctl')),
      });
      const unit = [`[Service]\nStandardOutput=append:${f}\n`];
      const r = await reader.read('x.service', unit, { grep: 'warn', lines: 1 });
      expect(r.lines.map((l) => l.message)).toEqual(['four warn']);
      expect(r.filterNote).toBeNull();
      // sd-daemon's <N> prefixes are the lines' priorities; the others are info.
      const p = await reader.read('x.service', unit, { priority: 4 });
      expect(p.lines.map((l) => [l.priority, l.message])).toEqual([
        [4, 'two warn'],
        [3, 'three'],
      ]);
      expect(p.filterNote).toBeNull();
      const s = await reader.read('x.service', unit, { since: 'today' });
      expect(s.lines).toHaveLength(4);
      expect(s.filterNote).toMatch(/carry no time/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
