import { mkdtemp, rm, writeFile, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  emptyJournalReason,
  fileLines,
  hostWindow,
  journalLine,
  LogReader,
  outputTarget,
  tailFile,
} from '../../main/core/systemd/logs.js';
import { parseCalendarOutput } from '../../main/core/systemd/timers.js';
import { runLocal } from '../../main/core/host/local-host.js';
import type { Host } from '../../main/core/host/host.js';
import { usageByUnit } from '../../main/core/systemd/resources.js';
import type { ProcessInfo } from '../../main/core/processes/proc-scanner.js';

const env = { HOME: '/home/u', XDG_RUNTIME_DIR: '/run/user/1' };

describe('where a unit logs', () => {
  it('follows the last StandardOutput=/StandardError= across fragment and drop-ins', () => {
    expect(outputTarget(['[Service]\nExecStart=/bin/x\n'], env)).toEqual({
      kind: 'journal',
      path: null,
    });
    expect(outputTarget(['[Service]\nStandardOutput=append:/var/log/x.log\n'], env)).toEqual({
      kind: 'file',
      path: '/var/log/x.log',
    });
    expect(outputTarget(['[Service]\nStandardOutput=file:%h/out 100%%.log\n'], env)).toEqual({
      kind: 'file',
      path: '/home/u/out 100%.log',
    });
    expect(outputTarget(['[Service]\nStandardOutput=truncate:%t/o\n'], env)).toEqual({
      kind: 'file',
      path: '/run/user/1/o',
    });
    expect(
      outputTarget(['[Service]\nStandardOutput=append:/a\n', '[Service]\nStandardOutput=\n'], env),
    ).toEqual({ kind: 'journal', path: null });
    expect(
      outputTarget(['[Service]\nStandardOutput=null\nStandardError=append:/err\n'], env),
    ).toEqual({ kind: 'file', path: '/err' });
    expect(outputTarget(['[Service]\nStandardOutput=null\n'], env)).toEqual({
      kind: 'other',
      path: null,
    });
    expect(outputTarget(['[Service]\nStandardOutput=append:%n.log\n'], env)).toEqual({
      kind: 'other',
      path: null,
    });
  });
});

describe('journal records', () => {
  it('turns journalctl JSON into lines', () => {
    expect(
      journalLine(
        JSON.stringify({
          __CURSOR: 's=1;i=2',
          __REALTIME_TIMESTAMP: '1700000000000000',
          PRIORITY: '6',
          MESSAGE: 'hello',
          _PID: '42',
        }),
      ),
    ).toEqual({
      cursor: 's=1;i=2',
      time: '2023-11-14T22:13:20.000Z',
      priority: 6,
      message: 'hello',
      pid: 42,
    });
    expect(journalLine(JSON.stringify({ __CURSOR: 'c', MESSAGE: [104, 105, 255] }))?.message).toBe(
      'hi\ufffd',
    );
    expect(journalLine('not json')).toBeNull();
    expect(journalLine('{}')).toBeNull();
  });
  it('explains an empty journal', () => {
    expect(emptyJournalReason('a.service', false, true, null)).toMatch(
      /journald is not running.*StandardOutput=append/,
    );
    expect(emptyJournalReason('a.service', true, false, null)).toMatch(/in memory only/);
    expect(emptyJournalReason('a.service', true, true, 'No journal files were found.')).toMatch(
      /could not be read: No journal files/,
    );
    expect(emptyJournalReason('a.service', true, true, null)).toBe(
      'a.service has not logged anything yet.',
    );
  });
});

describe('tailing a file', () => {
  it('splits complete lines with byte cursors and keeps a partial line for later', () => {
    const r = fileLines(Buffer.from('a\nbé\npart'), 10);
    expect(r.lines.map((l) => [l.message, l.cursor])).toEqual([
      ['a', 'file:12'],
      ['bé', 'file:16'],
    ]);
    expect(r.consumed).toBe(6);
  });
  it('reads the last lines, follows after a cursor, restarts after truncation', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dd-logs-'));
    try {
      const f = join(dir, 'out.log');
      expect(await tailFile(f, 5)).toBeNull();
      await writeFile(f, Array.from({ length: 10 }, (_, i) => `line ${i}`).join('\n') + '\n');
      const last = (await tailFile(f, 3))!;
      expect(last.map((l) => l.message)).toEqual(['line 7', 'line 8', 'line 9']);
      await appendFile(f, 'line 10\nline 1');
      const more = (await tailFile(f, 100, last[2]!.cursor))!;
      expect(more.map((l) => l.message)).toEqual(['line 10']);
      expect((await tailFile(f, 100, more[0]!.cursor))!).toEqual([]);
      await writeFile(f, 'new\n');
      expect((await tailFile(f, 100, more[0]!.cursor))!.map((l) => l.message)).toEqual(['new']);
      const reader = new LogReader({
        env,
        run: () => Promise.reject(new Error('journalctl must not run')),
      });
      const res = await reader.read('x.service', [`[Service]\nStandardOutput=append:${f}\n`], {
        lines: 10,
      });
      expect(res).toMatchObject({ source: 'file', path: f, emptyReason: null });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
  it("reads another host's file through that host, one command each, as tailFile reads it here", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dd-logs-'));
    try {
      const f = join(dir, 'out 100%.log');
      // The far side's commands run here, so both readers see the same file.
      const calls: string[][] = [];
      const far: Pick<Host, 'run'> = {
        run: (argv, o) => {
          calls.push([...argv]);
          return runLocal(argv, o);
        },
      };
      const there = hostWindow(far, env);
      const both = async (n: number, cursor?: string) => {
        const here = await tailFile(f, n, cursor);
        expect(await tailFile(f, n, cursor, {}, there)).toEqual(here);
        return here;
      };
      expect(await both(5)).toBeNull();
      await writeFile(f, Array.from({ length: 10 }, (_, i) => `line ${i}`).join('\n') + '\n');
      const last = (await both(3))!;
      expect(last.map((l) => l.message)).toEqual(['line 7', 'line 8', 'line 9']);
      await appendFile(f, 'line 10\nline 1');
      const more = (await both(100, last[2]!.cursor))!;
      expect(more.map((l) => l.message)).toEqual(['line 10']);
      await writeFile(f, 'new\n');
      expect((await both(100, more[0]!.cursor))!.map((l) => l.message)).toEqual(['new']);
      // One argument vector per read, the path a word of its own.
      expect(calls).toHaveLength(4);
      for (const c of calls)
        expect(c.slice(0, 2).concat(c.slice(3, 5))).toEqual(['sh', '-c', 'sh', f]);
      const reader = new LogReader({
        env,
        run: () => Promise.reject(new Error('journalctl must not run')),
        files: there,
      });
      const res = await reader.read(
        'x.service',
        [`[Service]\nStandardOutput=append:${f.replace(/%/g, '%%')}\n`],
        {
          lines: 10,
        },
      );
      expect(res).toMatchObject({ source: 'file', path: f, lines: [{ message: 'new' }] });
      expect(calls).toHaveLength(5);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
  it('asks journalctl with an argument vector and explains an empty answer', async () => {
    const calls: string[][] = [];
    const reader = new LogReader({
      env,
      run: (argv) => {
        calls.push([...argv]);
        return Promise.resolve({
          stdout: '',
          stderr: '',
          code: 0,
          signal: null,
          stdoutBytes: Buffer.alloc(0),
          spawnError: null,
          timedOut: false,
        });
      },
      journalSocket: '/nonexistent/socket',
    });
    const r = await reader.read('x.service', ['[Service]\nExecStart=/bin/x\n'], { lines: 7 });
    expect(calls).toEqual([
      ['journalctl', '--user', '-u', 'x.service', '-o', 'json', '--no-pager', '-q', '-n', '7'],
    ]);
    expect(r.emptyReason).toMatch(/journald is not running/);
    await reader.read('x.service', [], { afterCursor: 's=1;x' });
    expect(calls[1]).toContain('--after-cursor');
  });
});

describe('calendar preview', () => {
  it('reads systemd-analyze calendar output as ISO times', () => {
    const out = `  Original form: daily
Normalized form: *-*-* 00:00:00
    Next elapse: Thu 2026-11-26 00:00:00 UTC
       From now: 16h left
       Iter. #2: Fri 2026-11-27 00:00:00 UTC
       From now: 1 day 16h left
`;
    expect(parseCalendarOutput(out)).toEqual([
      '2026-11-26T00:00:00.000Z',
      '2026-11-27T00:00:00.000Z',
    ]);
  });
});

describe('usage by unit', () => {
  const p = (pid: number, unit: string | null, rss: number, cpu: number | null) =>
    ({ pid, unit, rss, cpu, argv: ['x'], comm: 'x' }) as unknown as ProcessInfo;
  it('sums memory and CPU per unit; CPU is unknown while any process lacks a previous sample', () => {
    const m = usageByUnit({
      at: 0,
      byPid: new Map(),
      processes: [
        p(1, 'a.service', 100, 1.5),
        p(2, 'a.service', 50, 2),
        p(3, 'b.service', 10, null),
        p(4, 'b.service', 5, 3),
        p(5, null, 1, 1),
      ],
    });
    expect(m.get('a.service')).toMatchObject({ memory: 150, cpu: 3.5 });
    expect(m.get('b.service')).toMatchObject({ memory: 15, cpu: null });
    expect([...m.keys()].sort()).toEqual(['a.service', 'b.service']);
  });
});
