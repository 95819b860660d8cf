// Timer jobs' pure parts: the two unit files rendered and read back, a run from systemd's
// ExecMain* properties, the bounded run store, runs read back from journal JSON, and merging.
import { describe, expect, it } from 'vitest';
import type { TimerJobForm, TimerRun } from '../../main/core/model/timers.js';
import { createMemoryBackend } from '../../main/core/settings/settings.js';
import { jobFormIssues, parseJobUnits, renderJobUnits } from '../../main/core/timers/job-units.js';
import {
  RunStore,
  TIMER_RUNS_KEY,
  lastLines,
  mergeRuns,
  runFromProps,
  runsFromJournal,
} from '../../main/core/timers/run-history.js';

const form = (over: Partial<TimerJobForm> = {}): TimerJobForm => ({
  name: 'backup',
  description: 'Back up 100% of it',
  argv: ['/usr/bin/rsync', '-a', '/home/me/My Documents', '/mnt/b$x'],
  when: { kind: 'calendar', expr: 'Mon..Fri *-*-* 09:00:00' },
  persistent: true,
  randomDelaySec: 30,
  ...over,
});

describe('job units', () => {
  it('renders a oneshot service and its timer, and reads the form back', () => {
    const [svc, tmr] = renderJobUnits(
      form(),
      '/home/me/.local/state/daemon-deck/timer-output/backup.log',
    );
    expect(svc!.name).toBe('backup.service');
    expect(svc!.text).toContain('Type=oneshot');
    expect(svc!.text).toContain(
      'ExecStart="/usr/bin/rsync" "-a" "/home/me/My Documents" "/mnt/b$$x"',
    );
    expect(svc!.text).toContain(
      'StandardOutput=truncate:/home/me/.local/state/daemon-deck/timer-output/backup.log',
    );
    expect(svc!.text).toContain('Description=Back up 100%% of it');
    expect(svc!.text).not.toContain('[Install]');
    expect(tmr!.name).toBe('backup.timer');
    for (const line of [
      'OnCalendar=Mon..Fri *-*-* 09:00:00',
      'Persistent=true',
      'RandomizedDelaySec=30',
      'Unit=backup.service',
      'WantedBy=timers.target',
    ])
      expect(tmr!.text).toContain(line);
    expect(parseJobUnits('backup', svc!.text, tmr!.text)).toEqual(form());
  });

  it('writes each other schedule form, and Persistent= only for a calendar', () => {
    const lines = (when: TimerJobForm['when']) =>
      renderJobUnits(form({ when, randomDelaySec: null }), '/o.log')[1]!.text.split('\n');
    expect(lines({ kind: 'after-boot', span: '15min' })).toContain('OnBootSec=15min');
    expect(lines({ kind: 'after-login', span: '1h' })).toContain('OnStartupSec=1h');
    const every = lines({ kind: 'every', span: '2h' });
    expect(every).toEqual(expect.arrayContaining(['OnActiveSec=2h', 'OnUnitActiveSec=2h']));
    expect(every).not.toContain('Persistent=true');
    const back = renderJobUnits(
      form({ when: { kind: 'every', span: '2h' }, persistent: false }),
      '/o.log',
    );
    expect(parseJobUnits('backup', back[0]!.text, back[1]!.text)?.when).toEqual({
      kind: 'every',
      span: '2h',
    });
  });

  it('finds the problems a form has before systemd sees it', () => {
    expect(jobFormIssues(form({ name: 'a b' })).map((i) => i.field)).toEqual(['name']);
    expect(jobFormIssues(form({ argv: [] })).map((i) => i.field)).toEqual(['argv']);
    expect(
      jobFormIssues(form({ when: { kind: 'calendar', expr: 'daily\nOnBootSec=1' } })).map(
        (i) => i.field,
      ),
    ).toEqual(['when']);
    expect(jobFormIssues(form({ randomDelaySec: -1 })).map((i) => i.field)).toEqual([
      'randomDelaySec',
    ]);
  });

  it('a unit the app did not write is not a job', () => {
    expect(
      parseJobUnits(
        'x',
        '[Service]\nType=oneshot\nExecStart=/bin/true\n',
        '[Timer]\nOnCalendar=daily\n',
      ),
    ).toBeNull();
  });
});

describe('runs', () => {
  const props = {
    startUsec: 1_767_261_600_000_000,
    exitUsec: 1_767_261_601_250_000,
    code: 1,
    status: 3,
    result: 'exit-code',
    invocation: 'ab12',
  };

  it('a finished run from the ExecMain* properties; none while it runs', () => {
    expect(runFromProps(props, ['oops'], 'watched')).toEqual({
      id: 'ab12',
      start: '2026-01-01T10:00:00.000Z',
      end: '2026-01-01T10:00:01.250Z',
      durationMs: 1250,
      result: 'exit-code',
      exitStatus: 3,
      signal: null,
      output: ['oops'],
      source: 'watched',
    });
    expect(
      runFromProps({ ...props, code: 2, status: 9, result: 'signal' }, [], 'systemd'),
    ).toMatchObject({ exitStatus: null, signal: 'SIGKILL' });
    expect(runFromProps({ ...props, code: 0 }, [], 'watched')).toBeNull();
    expect(runFromProps({ ...props, startUsec: 0 }, [], 'watched')).toBeNull();
  });

  it('keeps the last lines of output', () => {
    const text = Array.from({ length: 30 }, (_, i) => `line ${i}`).join('\n') + '\n';
    expect(lastLines(text)).toHaveLength(20);
    expect(lastLines(text).at(-1)).toBe('line 29');
    expect(lastLines('')).toEqual([]);
  });

  const run = (i: number, over: Partial<TimerRun> = {}): TimerRun => ({
    id: `r${i}`,
    start: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(),
    end: null,
    durationMs: null,
    result: 'success',
    exitStatus: 0,
    signal: null,
    output: [],
    source: 'watched',
    ...over,
  });

  it('the store is bounded per job and in jobs, newest first, and drops bad records', () => {
    const backend = createMemoryBackend();
    const store = new RunStore(backend, { perJob: 3, maxJobs: 2 });
    for (let i = 0; i < 5; i++) store.add('a', run(i));
    expect(store.of('a').map((r) => r.id)).toEqual(['r4', 'r3', 'r2']);
    expect(store.add('a', run(4))).toBe(false);
    store.add('b', run(10));
    store.add('c', run(11));
    expect(store.of('a')).toEqual([]);
    expect(store.of('c')).toHaveLength(1);
    backend.set(TIMER_RUNS_KEY, { c: [{ nonsense: true }, run(12)] });
    expect(store.of('c').map((r) => r.id)).toEqual(['r12']);
  });

  it('reads runs back from journal JSON by invocation', () => {
    const j = (o: Record<string, unknown>) => JSON.stringify(o);
    const text = [
      j({
        __REALTIME_TIMESTAMP: '1767261600000000',
        MESSAGE_ID: '7d4958e842da4a758f6c1cdc7b36dcc5',
        USER_INVOCATION_ID: 'aa',
        MESSAGE: 'Starting x...',
      }),
      j({
        __REALTIME_TIMESTAMP: '1767261600100000',
        _SYSTEMD_INVOCATION_ID: 'aa',
        MESSAGE: 'hello',
      }),
      j({
        __REALTIME_TIMESTAMP: '1767261600200000',
        _SYSTEMD_INVOCATION_ID: 'aa',
        MESSAGE: [119, 255],
      }),
      j({
        __REALTIME_TIMESTAMP: '1767261601000000',
        MESSAGE_ID: '98e322203f7a4ed290d09fe03c09fe15',
        USER_INVOCATION_ID: 'aa',
        EXIT_CODE: 'exited',
        EXIT_STATUS: '3',
      }),
      j({
        __REALTIME_TIMESTAMP: '1767261601000100',
        MESSAGE_ID: 'd9b373ed55a64feb8242e02dbe79a49c',
        USER_INVOCATION_ID: 'aa',
        UNIT_RESULT: 'exit-code',
      }),
      'not json',
      j({
        __REALTIME_TIMESTAMP: '1767265200000000',
        MESSAGE_ID: '7d4958e842da4a758f6c1cdc7b36dcc5',
        USER_INVOCATION_ID: 'bb',
      }),
      j({
        __REALTIME_TIMESTAMP: '1767265200500000',
        MESSAGE_ID: '98e322203f7a4ed290d09fe03c09fe15',
        USER_INVOCATION_ID: 'bb',
        EXIT_CODE: 'killed',
        EXIT_STATUS: '15',
      }),
      j({
        __REALTIME_TIMESTAMP: '1767265200600000',
        MESSAGE_ID: 'd9b373ed55a64feb8242e02dbe79a49c',
        USER_INVOCATION_ID: 'bb',
        UNIT_RESULT: 'signal',
      }),
    ].join('\n');
    const runs = runsFromJournal(text);
    expect(runs).toHaveLength(2);
    expect(runs[0]).toMatchObject({
      id: 'aa',
      start: '2026-01-01T10:00:00.000Z',
      durationMs: 1000,
      result: 'exit-code',
      exitStatus: 3,
      signal: null,
      source: 'journal',
    });
    expect(runs[0]!.output).toEqual(['hello', 'w\ufffd']);
    expect(runs[1]).toMatchObject({
      id: 'bb',
      result: 'signal',
      exitStatus: null,
      signal: 'SIGTERM',
      durationMs: 500,
    });
  });

  it('merges sources: one record per run, the first source listed wins, newest first', () => {
    const watched = run(1, { id: 'aa', source: 'watched', output: ['x'] });
    const systemd = run(1, { id: 'aa', source: 'systemd' });
    const journal = [
      run(0, { id: 'zz', source: 'journal' }),
      run(1, { id: 'aa', source: 'journal' }),
    ];
    const merged = mergeRuns([watched], [systemd], journal);
    expect(merged.map((r) => [r.id, r.source])).toEqual([
      ['aa', 'watched'],
      ['zz', 'journal'],
    ]);
  });
});
