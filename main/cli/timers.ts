// Timer job commands (issue 14): `timer add|edit|rm|run|history|list` and `calendar EXPR`.
// (`timers` lists every timer of the user: main/cli/authoring.ts.)
import { t } from '../../i18n/index.js';
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
  width,
} from './command.js';
import { printOutcome } from './authoring.js';
import { withCore } from './units.js';
import { cliHost } from './hosts.js';

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
  if (given.length > 1) throw new UsageError(t('cli:timers.oneSchedule'));
  return given[0] ?? null;
}

function randomDelay(values: Values): number | null | undefined {
  const v = str(values['random-delay']);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!/^\d+$/.test(v.trim()) || !Number.isSafeInteger(n))
    throw new UsageError(t('cli:timers.randomDelay', { value: v }));
  return n === 0 ? null : n;
}

function whenText(w: TimerWhen): string {
  switch (w.kind) {
    case 'calendar':
      return w.expr;
    case 'after-boot':
      return t('cli:timers.when.afterBoot', { span: w.span });
    case 'after-login':
      return t('cli:timers.when.afterLogin', { span: w.span });
    case 'every':
      return t('cli:timers.when.every', { span: w.span });
  }
}

function exitText(r: TimerRun): string {
  if (r.signal !== null) return t('cli:timers.killedBy', { signal: r.signal });
  if (r.exitStatus !== null) return t('cli:timers.status', { status: r.exitStatus });
  return '-';
}

function seconds(ms: number | null): string {
  return ms === null ? '-' : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 0)}s`;
}

const SOURCE_WORDS: Record<TimerRun['source'], () => string> = {
  watched: () => t('cli:timers.source.watched'),
  systemd: () => t('cli:timers.source.systemd'),
  journal: () => t('cli:timers.source.journal'),
};

function runText(r: TimerRun): string {
  const head = `${r.start}  ${seconds(r.durationMs)}  ${r.result}  ${exitText(r)}  (${SOURCE_WORDS[r.source]()})`;
  return [head, ...r.output.map((l) => `    ${l}`)].join('\n');
}

async function add(args: ParsedArgs, io: CliIo): Promise<number> {
  const { values, positionals, rest } = args;
  const name = exactlyOne(positionals.slice(1), 'timer add', 'NAME');
  const when = whenOf(values);
  if (when === null) throw new UsageError(t('cli:timers.addNeedsSchedule'));
  if (rest.length === 0) throw new UsageError(t('cli:timers.addNeedsCommand'));
  const form: TimerJobForm = {
    name,
    description: str(values.description) ?? '',
    argv: rest,
    when,
    persistent: values.persistent === true,
    randomDelaySec: randomDelay(values) ?? null,
  };
  return withTimers(io, async (jobs) => {
    return printOutcome(io, values.json, await jobs.add(form), 'cli:authoring.created');
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
    throw new UsageError(t('cli:timers.persistentBoth'));
  if (values.persistent === true) patch.persistent = true;
  if (values['not-persistent'] === true) patch.persistent = false;
  const delay = randomDelay(values);
  if (delay !== undefined) patch.randomDelaySec = delay;
  if (Object.keys(patch).length === 0) throw new UsageError(t('cli:timers.editNeedsChange'));
  return withTimers(io, async (jobs) => {
    return printOutcome(io, values.json, await jobs.edit(name, patch), 'cli:authoring.written');
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
        return withTimers(io, async (jobs) => {
          return printOutcome(io, values.json, await jobs.remove(name), 'cli:authoring.deleted');
        });
      }
      case 'run': {
        const name = exactlyOne(positionals.slice(1), 'timer run', 'NAME');
        return withTimers(io, async (jobs) => {
          const o = unwrap(await jobs.run(name, { wait: values.detach !== true }));
          output(io, values.json, o, (v) =>
            v.run === null
              ? t('cli:timers.started', { unit: `${v.name}.service` })
              : runText(v.run),
          );
          // The run failed: as systemctl start would, exit 1 (its outcome is printed all the same).
          return o.run !== null && o.run.result !== 'success' ? 1 : 0;
        });
      }
      case 'history': {
        const name = exactlyOne(positionals.slice(1), 'timer history', 'NAME');
        return withTimers(io, async (jobs) => {
          const h = unwrap(await jobs.history(name));
          output(io, values.json, h, (v) =>
            [
              v.runs.length === 0
                ? t('cli:timers.noRuns', { name: v.name })
                : v.runs.map(runText).join('\n'),
              v.journal ? t('cli:timers.fromJournal') : t('cli:timers.noJournal'),
            ].join('\n'),
          );
          return 0;
        });
      }
      case 'list': {
        if (positionals.length > 1)
          throw new UsageError(t('cli:errors.noArguments', { command: 'timer list' }));
        return withTimers(io, async (jobs) => {
          outputList(
            io,
            values.json,
            unwrap(await jobs.list()),
            t('cli:timers.noJobs'),
            [
              t('cli:timers.columns.name'),
              t('cli:timers.columns.when'),
              t('cli:timers.columns.next'),
              t('cli:timers.columns.last'),
              t('cli:timers.columns.result'),
              t('cli:timers.columns.command'),
            ],
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
          sub === undefined ? t('cli:timers.needsSub') : t('cli:timers.unknownSub', { sub }),
        );
    }
  },
};

/** "Next runs: T1" then T2... aligned under T1, however long the label is in the language. */
function nextLines(next: readonly string[]): string[] {
  const label = t('cli:timers.nextRuns');
  return next.map((at, i) => `${i === 0 ? label : ' '.repeat(width(label))} ${at}`);
}

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
      throw new UsageError(t('cli:timers.count', { value: c }));
    const b = str(values['base-time']);
    const base = b === undefined ? undefined : new Date(b);
    if (base !== undefined && Number.isNaN(base.getTime()))
      throw new UsageError(t('cli:timers.baseTime', { value: b }));
    // Another host (--host): its own systemd-analyze, in its time zone.
    const host = io.host !== undefined ? await cliHost(io) : createLocalHost(io.env);
    const r = await analyzeCalendar(host, expr, {
      count,
      ...(base !== undefined ? { base } : {}),
    });
    if (!r.ok) throw new CliFailure(t('cli:timers.refused', { reason: r.error.message }));
    output(io, values.json, r.value, (v) =>
      [
        t('cli:timers.normalized', { form: v.normalized }),
        ...(v.next.length === 0 ? [t('cli:timers.nextNever')] : nextLines(v.next)),
      ].join('\n'),
    );
    return 0;
  },
};

export const timerCommands: Command[] = [timer, calendar];
