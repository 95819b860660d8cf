// The crontab document is lossless and its edits are surgical, over generated crontabs that hold
// every oddity real ones have (issue 5, "Done when" 1).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CrontabDocument,
  DISABLED_MARKER,
  parseEnv,
  parseJob,
} from '../../main/core/cron/crontab-document.js';

const RUNS = 10_000;

const text = fc
  .array(fc.constantFrom('a', 'Z', '9', ' ', '\t', '%', '\\', '#', '"', "'", '$', '=', '*', '/'), {
    maxLength: 24,
  })
  .map((cs) => cs.join(''));
const ws = fc.constantFrom(' ', '\t', '  ', ' \t', '\t\t');
const trailing = fc.constantFrom('', '', ' ', '\t', '  \t');
const command = fc
  .tuple(
    fc.constantFrom('/usr/bin/true', 'echo', '/opt/x/run.sh', "printf '%s'", 'date +\\%F'),
    text,
    fc.constantFrom('', ' # a trailing comment', ' >> /tmp/log 2>&1', ' %stdin%more', ' 50\\%'),
  )
  .map(([a, b, c]) => `${a} ${b}${c}`.replace(/^\s+/, '') || 'x');
const field = fc.constantFrom('*', '0', '*/5', '1-5', '1,15,30', 'mon-fri', 'jan', '7', '0-23/2');
const special = fc.constantFrom(
  '@reboot',
  '@daily',
  '@HOURLY',
  '@weekly',
  '@monthly',
  '@yearly',
  '@annually',
  '@midnight',
);

const line = fc.oneof(
  fc.constantFrom('', ' ', '\t', '  \t '),
  fc.tuple(fc.constantFrom('#', '# ', ' #', '\t# '), text).map(([a, b]) => a + b),
  fc
    .tuple(
      fc.constantFrom('MAILTO', 'PATH', 'SHELL', '"A B"', "'Q'", 'X_1'),
      fc.constantFrom('=', ' = ', '=\t'),
      fc.constantFrom('', '""', '/usr/bin:/bin', 'a b', "'x'"),
      trailing,
    )
    .map((p) => p.join('')),
  fc.tuple(fc.constantFrom('', ' ', '\t'), special, ws, command, trailing).map((p) => p.join('')),
  fc
    .tuple(field, ws, field, ws, field, ws, field, ws, field, ws, command, trailing)
    .map((p) => p.join('')),
  fc.tuple(special, ws, command).map((p) => DISABLED_MARKER + p.join('')),
  fc
    .tuple(field, ws, field, ws, field, ws, field, ws, field, ws, command)
    .map((p) => DISABLED_MARKER + p.join('')),
  fc.constantFrom('garbage line', '@bogus cmd', '* * *', 'not = ', '\r', '@reboot'),
  text,
);

const crontab = fc
  .tuple(fc.array(line, { maxLength: 14 }), fc.boolean())
  .map(([ls, finalNewline]) => ls.join('\n') + (finalNewline && ls.length > 0 ? '\n' : ''));

function linesOf(doc: CrontabDocument): string[] {
  return doc.lines.map((l) => l.raw + l.eol);
}

/** The crontab, one of its job lines (skipping crontabs without one), its index and its lines. */
function pickJob(t: string, pick: number) {
  const doc = CrontabDocument.parse(t);
  const jobs = doc.jobs();
  fc.pre(jobs.length > 0);
  const target = jobs[pick % jobs.length]!;
  return { doc, target, i: doc.lines.indexOf(target), before: linesOf(doc) };
}

function uniqueKeys(doc: CrontabDocument): Map<string, string> {
  // Keys of lines whose job text is unique; duplicates are told apart by order only.
  const out = new Map<string, string>();
  for (const j of doc.jobs()) if (!j.key.includes('-')) out.set(j.key, j.raw);
  return out;
}

describe('CrontabDocument over generated crontabs', () => {
  it('parse then serialise is byte-identical', () => {
    fc.assert(
      fc.property(crontab, (t) => {
        expect(CrontabDocument.parse(t).toString()).toBe(t);
      }),
      { numRuns: RUNS },
    );
  });

  it('append changes nothing but the new line (and a missing final newline)', () => {
    fc.assert(
      fc.property(crontab, fc.tuple(special, ws, command), (t, parts) => {
        const newLine = parts.join('');
        const doc = CrontabDocument.parse(t);
        const { doc: next, key } = doc.append(newLine);
        const sep = t === '' || t.endsWith('\n') ? '' : '\n';
        expect(next.toString()).toBe(t + sep + newLine + '\n');
        expect(key).not.toBeNull();
        expect(next.find(key!)?.raw).toBe(newLine);
      }),
      { numRuns: RUNS },
    );
  });

  it('remove, disable, enable and replace touch only their own line', () => {
    fc.assert(
      fc.property(crontab, fc.nat(), fc.tuple(special, ws, command), (t, pick, parts) => {
        const { doc, target, i, before } = pickJob(t, pick);

        const removed = doc.remove(target.key);
        expect(removed.toString()).toBe([...before.slice(0, i), ...before.slice(i + 1)].join(''));

        const disabled = doc.disable(target.key);
        const dl = linesOf(disabled);
        expect(dl.length).toBe(before.length);
        dl.forEach((l, j) => {
          if (j !== i) expect(l).toBe(before[j]);
        });
        const wasEnabled = target.kind === 'job';
        expect(dl[i]).toBe(wasEnabled ? DISABLED_MARKER + before[i] : before[i]);
        expect(disabled.find(target.key)?.kind).toBe('disabled-job');
        // Keys of other lines stay as they were.
        for (const [k, raw] of uniqueKeys(doc))
          if (k !== target.key) expect(disabled.find(k)?.raw).toBe(raw);

        const enabled = disabled.enable(target.key);
        expect(enabled.find(target.key)?.kind).toBe('job');
        if (wasEnabled) expect(enabled.toString()).toBe(t);
        const el = linesOf(enabled);
        el.forEach((l, j) => {
          if (j !== i) expect(l).toBe(before[j]);
        });

        const newLine = parts.join('');
        const replaced = doc.replace(target.key, newLine);
        const rl = linesOf(replaced.doc);
        rl.forEach((l, j) => {
          expect(l).toBe(j === i ? newLine + target.eol : before[j]);
        });
        expect(replaced.doc.find(replaced.key!)?.raw).toBe(newLine);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('line classification', () => {
  it.each([
    ['@reboot /usr/bin/true', 'job'],
    ['\t@Reboot\t/usr/bin/true  ', 'job'],
    ['*/5 * * * * date +\\%F', 'job'],
    ['0 9 * * mon-fri /bin/backup # nightly', 'job'],
    ['MAILTO=""', 'env'],
    ['"A B" = c', 'env'],
    ['# a comment', 'comment'],
    [`${DISABLED_MARKER}@reboot /usr/bin/true`, 'disabled-job'],
    [`${DISABLED_MARKER}not a job`, 'comment'],
    ['', 'blank'],
    [' \t ', 'blank'],
    ['@bogus cmd', 'unknown'],
    ['* * * cmd', 'unknown'],
    ['@reboot', 'unknown'],
  ])('%j is a %s line', (raw, kind) => {
    expect(CrontabDocument.parse(raw).lines[0]?.kind ?? 'blank').toBe(kind);
  });

  it('splits schedule and command', () => {
    expect(parseJob('@reboot  /a b')).toMatchObject({
      schedule: { special: 'reboot', text: '@reboot' },
      command: '/a b',
    });
    expect(parseJob('1 2 3 4 5 cmd  x ')).toMatchObject({
      schedule: { special: null, fields: ['1', '2', '3', '4', '5'] },
      command: 'cmd  x ',
    });
    expect(parseEnv("PATH = '/x:/y'  ")).toEqual({ name: 'PATH', value: '/x:/y' });
  });

  it('gives identical lines distinct keys and keeps keys when other lines change', () => {
    const doc = CrontabDocument.parse('@reboot /a\n@reboot /a\n# x\n@reboot /b\n');
    const keys = doc.jobs().map((j) => j.key);
    expect(new Set(keys).size).toBe(3);
    const bKey = keys[2]!;
    const edited = doc.replace(keys[0]!, '@reboot /c').doc;
    expect(edited.find(bKey)?.raw).toBe('@reboot /b');
  });

  it('refuses lines with newlines and unknown keys', () => {
    const doc = CrontabDocument.parse('@reboot /a\n');
    expect(() => doc.append('@reboot /a\n* * * * * evil')).toThrow(/newline/);
    expect(() => doc.remove('nope')).toThrow(/key/);
  });
});

describe('edits of timed lines over generated crontabs (issue 14, Done when 3)', () => {
  it('edits of a timed line (schedule, command, both) change only that line', () => {
    const schedule = fc
      .tuple(
        fc.constantFrom('*', '0', '*/5', '1-5', '1,15,30', '0-23/2'),
        field,
        field,
        field,
        field,
      )
      .map((f) => f.join(' '))
      .chain((five) => fc.constantFrom(five, '@daily', '@HOURLY', '*/10 * * * *'));
    fc.assert(
      fc.property(crontab, fc.nat(), schedule, command, fc.nat(2), (t, pick, sched, cmd, what) => {
        const { doc, target, i, before } = pickJob(t, pick);
        const change =
          what === 0
            ? { schedule: sched }
            : what === 1
              ? { command: cmd }
              : { schedule: sched, command: cmd };
        const { doc: next, key } = doc.editJob(target.key, change);
        const nl = linesOf(next);
        expect(nl.length).toBe(before.length);
        nl.forEach((l, j) => {
          if (j !== i) expect(l).toBe(before[j]);
        });
        const edited = next.find(key!)!;
        expect(edited.kind).toBe(target.kind);
        expect(edited.eol).toBe(target.eol);
        expect(edited.command).toBe(change.command ?? target.command);
        expect(edited.schedule.text).toBe(change.schedule ?? target.schedule.text);
        if (change.schedule === undefined) {
          // The schedule keeps its bytes, spacing included: only the command's bytes changed.
          const head = (l: string) =>
            l.slice(0, l.length - (l === edited.raw ? edited.command : target.command).length);
          expect(head(edited.raw)).toBe(head(target.raw));
        } else if (change.command === undefined) {
          expect(edited.raw.endsWith(` ${target.command}`)).toBe(true);
        }
        for (const [k, raw] of uniqueKeys(doc))
          if (k !== target.key) expect(next.find(k)?.raw).toBe(raw);
        // Disable then enable gives back every byte of the edited crontab.
        const round = next.disable(key!).enable(key!);
        if (edited.kind === 'job') expect(round.toString()).toBe(next.toString());
      }),
      { numRuns: RUNS },
    );
  });

  it('disable then enable gives back every byte, for every timed line', () => {
    fc.assert(
      fc.property(crontab, (t) => {
        let doc = CrontabDocument.parse(t);
        const enabled = doc.jobs().filter((j) => j.kind === 'job' && j.schedule.special === null);
        for (const j of enabled) doc = doc.disable(j.key);
        for (const j of enabled) expect(doc.find(j.key)?.kind).toBe('disabled-job');
        for (const j of enabled) doc = doc.enable(j.key);
        expect(doc.toString()).toBe(t);
      }),
      { numRuns: RUNS },
    );
  });

  it('refuses a schedule or command that would not read back', () => {
    const doc = CrontabDocument.parse('*/5 * * * * /usr/bin/true\n');
    const [job] = doc.jobs();
    expect(() => doc.editJob(job!.key, { schedule: '* * *' })).toThrow(/not a schedule/);
    expect(() => doc.editJob(job!.key, { schedule: '@bogus' })).toThrow(/not a schedule/);
    expect(() => doc.editJob(job!.key, { command: ' x' })).toThrow(/empty or start with a space/);
    expect(() => doc.editJob(job!.key, { command: 'a\nb' })).toThrow(/newline/);
    expect(doc.editJob(job!.key, { schedule: ' 0  3 * * * ' }).doc.toString()).toBe(
      '0 3 * * * /usr/bin/true\n',
    );
  });
});
