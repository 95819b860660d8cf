// Timer job commands (issue 14): `timer add|edit|rm|run|history|list` and `calendar EXPR`.
// (`timers` lists every timer of the user: main/cli/authoring.ts.)
import type { TimerJobForm, TimerRun, TimerWhen } from '../core/model/timers.js';
import { createLocalHost } from '../core/host/local-host.js';
import { analyzeCalendar } from '../core/timers/calendar.js';
import type { TimerJobs } from '../core/timers/timer-jobs.js';
import {
  CliFailure,
  UsageError,
  exactlyOne,
  output,
  outputList,
  type CliIo,
  type Command,
  type ParsedArgs,
  unwrap,
} from './command.js';
import { printOutcome } from './authoring.js';
import { withCore } from './units.js';

type Values = ParsedArgs['values'];

const str = (v: Values[string]): string | undefined => (typeof v === 'string' ? v : undefined);

function withTimers<T>(io: CliIo, fn: (t: TimerJobs) => Promise<T>): Promise<T> {
  return withCore(io, (core) => fn(core.timers), { sources: ['systemd'], needsBus: true });
}

/** The schedule options given (at most one of --on, --after-boot, --after-login, --every). */
function whenOf(values: Values): TimerWhen | null {
  const given: TimerWhen[] = [];
  const on = str(values.on);
  if (on !== undefined) given.push({ kind: 'calendar', expr: on });
  const boot = str(values['after-boot']);
  if (boot !== undefined) given.push({ kind: 'after-boot', span: boot });
  const login = str(values['after-login']);
  if (login !== undefined) given.push({ kind: 'after-login', span: login });
  const every = str(values.every);
  if (every !== undefined) given.push({ kind: 'every', span: every });
  if (given.length > 1)
    throw new UsageError('give one schedule: --on, --after-boot, --after-login or --every');
  return given[0] ?? null;
}

function randomDelay(values: Values): number | null | undefined {
  const v = str(values['random-delay']);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!/^\d+$/.test(v.trim()) || !Number.isSafeInteger(n))
    throw new UsageError(`--random-delay takes whole seconds, not "${v}"`);
  return n === 0 ? null : n;
}

function whenText(w: TimerWhen): string {
  switch (w.kind) {
    case 'calendar':
      return w.expr;
    case 'after-boot':
      return `${w.span} after boot`;
    case 'after-login':
      return `${w.span} after login`;
    case 'every':
      return `every ${w.span}`;
  }
}

function exitText(r: TimerRun): string {
  if (r.signal !== null) return `killed by ${r.signal}`;
  if (r.exitStatus !== null) return `status ${r.exitStatus}`;
  return '-';
}

function seconds(ms: number | null): string {
  return ms === null ? '-' : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 0)}s`;
}

const SOURCE_WORDS: Record<TimerRun['source'], string> = {
  watched: 'recorded by Daemon Deck as it ran',
  systemd: "systemd's last run",
  journal: 'read back from the journal',
};

function runText(r: TimerRun): string {
  const head = `${r.start}  ${seconds(r.durationMs)}  ${r.result}  ${exitText(r)}  (${SOURCE_WORDS[r.source]})`;
  return [head, ...r.output.map((l) => `    ${l}`)].join('\n');
}

async function add(args: ParsedArgs, io: CliIo): Promise<number> {
  const { values, positionals, rest } = args;
  const name = exactlyOne(positionals.slice(1), 'timer add', 'NAME');
  const when = whenOf(values);
  if (when === null)
    throw new UsageError(
      'timer add needs a schedule: --on EXPR, --after-boot SPAN or --every SPAN',
    );
  if (rest.length === 0) throw new UsageError('timer add needs the command after --');
  const form: TimerJobForm = {
    name,
    description: str(values.description) ?? '',
    argv: rest,
    when,
    persistent: values.persistent === true,
    randomDelaySec: randomDelay(values) ?? null,
  };
  return withTimers(io, async (t) => {
    return printOutcome(io, values.json, await t.add(form), 'cli:authoring.created');
  });
}

async function edit(args: ParsedArgs, io: CliIo): Promise<number> {
  const { values, positionals, rest } = args;
  const name = exactlyOne(positionals.slice(1), 'timer edit', 'NAME');
  const patch: Partial<TimerJobForm> = {};
  const when = whenOf(values);
  if (when !== null) patch.when = when;
  if (rest.length > 0) patch.argv = rest;
  const d = str(values.description);
  if (d !== undefined) patch.description = d;
  if (values.persistent === true && values['not-persistent'] === true)
    throw new UsageError('give --persistent or --not-persistent, not both');
  if (values.persistent === true) patch.persistent = true;
  if (values['not-persistent'] === true) patch.persistent = false;
  const delay = randomDelay(values);
  if (delay !== undefined) patch.randomDelaySec = delay;
  if (Object.keys(patch).length === 0)
    throw new UsageError('timer edit needs something to change (--on, --every, -- CMD...)');
  return withTimers(io, async (t) => {
    return printOutcome(io, values.json, await t.edit(name, patch), 'cli:authoring.written');
  });
}

const timer: Command = {
  name: 'timer',
  takesCommand: true,
  options: {
    on: { type: 'string' },
    'after-boot': { type: 'string' },
    'after-login': { type: 'string' },
    every: { type: 'string' },
    persistent: { type: 'boolean' },
    'not-persistent': { type: 'boolean' },
    'random-delay': { type: 'string' },
    description: { type: 'string' },
    detach: { type: 'boolean' },
    json: { type: 'boolean' },
  },
  async run(args, io) {
    const { values, positionals } = args;
    const sub = positionals[0];
    switch (sub) {
      case 'add':
        return add(args, io);
      case 'edit':
        return edit(args, io);
      case 'rm': {
        const name = exactlyOne(positionals.slice(1), 'timer rm', 'NAME');
        return withTimers(io, async (t) => {
          return printOutcome(io, values.json, await t.remove(name), 'cli:authoring.deleted');
        });
      }
      case 'run': {
        const name = exactlyOne(positionals.slice(1), 'timer run', 'NAME');
        return withTimers(io, async (t) => {
          const o = unwrap(await t.run(name, { wait: values.detach !== true }));
          output(io, values.json, o, (v) =>
            v.run === null ? `Started ${v.name}.service.` : runText(v.run),
          );
          // The run failed: as systemctl start would, exit 1 (its outcome is printed all the same).
          return o.run !== null && o.run.result !== 'success' ? 1 : 0;
        });
      }
      case 'history': {
        const name = exactlyOne(positionals.slice(1), 'timer history', 'NAME');
        return withTimers(io, async (t) => {
          const h = unwrap(await t.history(name));
          output(io, values.json, h, (v) =>
            [
              v.runs.length === 0 ? `No runs of ${v.name} yet.` : v.runs.map(runText).join('\n'),
              v.journal
                ? 'Runs made while Daemon Deck was not running are read back from the journal.'
                : "journald does not run here: only runs Daemon Deck recorded and systemd's last run are known.",
            ].join('\n'),
          );
          return 0;
        });
      }
      case 'list': {
        if (positionals.length > 1) throw new UsageError('timer list takes no arguments');
        return withTimers(io, async (t) => {
          outputList(
            io,
            values.json,
            unwrap(await t.list()),
            'No timer jobs.',
            ['NAME', 'WHEN', 'NEXT', 'LAST', 'RESULT', 'COMMAND'],
            (j) => [
              j.name,
              whenText(j.when),
              j.nextRun ?? '-',
              j.lastRun ?? '-',
              j.lastResult ?? '-',
              j.argv.join(' '),
            ],
          );
          return 0;
        });
      }
      default:
        throw new UsageError(
          sub === undefined
            ? 'timer needs add, edit, rm, run, history or list'
            : `unknown timer command "${sub}" (add, edit, rm, run, history, list)`,
        );
    }
  },
};

const calendar: Command = {
  name: 'calendar',
  usage: ['calendar EXPR [--count N] [--base-time TIME] [--json]'],
  summary:
    "systemd's normalised form of a calendar expression and its next N runs (exit 1 when refused)",
  options: {
    count: { type: 'string' },
    'base-time': { type: 'string' },
    json: { type: 'boolean' },
  },
  async run({ values, positionals }, io) {
    const expr = exactlyOne(positionals, 'calendar', 'EXPR');
    const c = str(values.count) ?? '5';
    const count = Number(c);
    if (!/^\d+$/.test(c) || count < 1 || count > 100)
      throw new UsageError(`--count takes a number from 1 to 100, not "${c}"`);
    const b = str(values['base-time']);
    const base = b === undefined ? undefined : new Date(b);
    if (base !== undefined && Number.isNaN(base.getTime()))
      throw new UsageError(
        `--base-time takes a date and time such as 2026-01-01T00:00:00Z, not "${b}"`,
      );
    const r = await analyzeCalendar(createLocalHost(io.env), expr, {
      count,
      ...(base !== undefined ? { base } : {}),
    });
    if (!r.ok) throw new CliFailure(r.error.message);
    output(io, values.json, r.value, (v) =>
      [
        `Normalized form: ${v.normalized}`,
        ...(v.next.length === 0
          ? ['Next runs: never']
          : v.next.map((t, i) => `${i === 0 ? 'Next runs:' : '          '} ${t}`)),
      ].join('\n'),
    );
    return 0;
  },
};

export const timerCommands: Command[] = [timer, calendar];
