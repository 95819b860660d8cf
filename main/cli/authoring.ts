// Unit authoring commands: `unit create|show|delete|undo|edit|revert` and `timers` (logs: units.ts).
import { readFile } from 'node:fs/promises';
import type { AuthoringOutcome, RestartPolicy, ServiceForm } from '../core/model/authoring.js';
import type { Result } from '../core/model/domain.js';
import { RESTART_POLICIES } from '../core/model/authoring.js';
import { AuthoringService } from '../core/systemd/authoring-service.js';
import { decodeUnitText, renderServiceUnit, splitCommandLine } from '../core/systemd/unit-file.js';
import {
  CliFailure,
  UsageError,
  exactlyOne,
  output,
  table,
  type CliIo,
  type Command,
  type ParsedArgs,
  unwrap,
} from './command.js';
import { t } from '../../i18n/index.js';
import { showDefinition, withMonitor } from './units.js';
import { sourceOfId } from '../core/monitor/entry-verbs.js';

function withAuthoring<T>(io: CliIo, fn: (a: AuthoringService) => Promise<T>): Promise<T> {
  return withMonitor(io, (m, host) =>
    fn(
      new AuthoringService({
        bus: m.bus,
        units: m.units,
        env: host?.env ?? io.env,
        ...(host ? { host } : {}),
      }),
    ),
  );
}

function strings(v: ParsedArgs['values'][string]): string[] {
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string');
}

function str(v: ParsedArgs['values'][string]): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** The form from `unit create` options. The command is `--exec PROG --arg A...`, `-- PROG A...`,
 *  or one `--exec "LINE"` split with shell-like rules. */
export function formFromArgs({ values, positionals, rest }: ParsedArgs): ServiceForm {
  // `unit create NAME -- CMD ARGS...` or `unit create --name NAME --exec CMD`.
  const [, given, ...extra] = positionals;
  if (extra.length > 0)
    throw new UsageError(t('cli:authoring.oneName', { args: positionals.slice(1).join(' ') }));
  if (given !== undefined && str(values.name) !== undefined && given !== str(values.name))
    throw new UsageError(t('cli:authoring.nameTwice'));
  const name = given ?? str(values.name);
  if (name === undefined || name === '') throw new UsageError('unit create needs a NAME');
  const exec = str(values.exec);
  const args = strings(values.arg);
  let argv: string[];
  if (rest.length > 0) {
    if (exec !== undefined || args.length > 0)
      throw new UsageError(t('cli:authoring.commandTwice'));
    argv = rest;
  } else if (exec === undefined) {
    throw new UsageError(t('cli:authoring.needsExec'));
  } else if (args.length > 0) argv = [exec, ...args];
  else {
    const s = splitCommandLine(exec);
    if (!s.ok) throw new CliFailure(`--exec: ${s.message}`);
    argv = s.argv;
  }
  const restart = str(values.restart) ?? 'no';
  if (!(RESTART_POLICIES as readonly string[]).includes(restart))
    throw new UsageError(
      t('cli:authoring.restartOneOf', { policies: RESTART_POLICIES.join(', ') }),
    );
  const rs = str(values['restart-sec']);
  const restartSec = rs === undefined ? null : Number(rs);
  if (restartSec !== null && !Number.isFinite(restartSec))
    throw new UsageError(t('cli:authoring.restartSec', { value: rs }));
  const environment = strings(values.env).map((kv) => {
    const eq = kv.indexOf('=');
    if (eq <= 0) throw new UsageError(t('cli:authoring.envForm', { value: kv }));
    return { name: kv.slice(0, eq), value: kv.slice(eq + 1) };
  });
  const listen = str(values.listen);
  return {
    name,
    description: str(values.description) ?? '',
    argv,
    workingDirectory: str(values.workdir) ?? null,
    environment,
    restart: restart as RestartPolicy,
    restartSec,
    startAtLogin: values.enable === true,
    afterNetwork: values['after-network'] === true,
    socket: listen === undefined ? null : { listen, accept: values.accept === true },
  };
}

/** The core's words for what a change did ('written', 'enabled web.service'...) in the language;
 * --json keeps them as they are. */
const STEP_WORDS: Record<string, string> = {
  verified: 'cli:authoring.step.verified',
  written: 'cli:authoring.step.written',
  removed: 'cli:authoring.step.removed',
  reloaded: 'cli:authoring.step.reloaded',
  'kept the "Created by Daemon Deck" first line': 'cli:authoring.step.keptMarker',
};
const UNIT_STEP_WORDS: Record<string, string> = {
  started: 'cli:authoring.step.started',
  stopped: 'cli:authoring.step.stopped',
  enabled: 'cli:authoring.step.enabled',
  disabled: 'cli:authoring.step.disabled',
};

function stepText(step: string): string {
  const whole = STEP_WORDS[step];
  if (whole !== undefined) return t(whole);
  const m = /^(\w+) (\S+)$/.exec(step);
  const key = m === null ? undefined : UNIT_STEP_WORDS[m[1] ?? ''];
  return key === undefined ? step : t(key, { unit: m?.[2] ?? '' });
}

/** What a change did, in words: `verb` is its catalog key (cli:authoring.created...); the
 * timer commands' too. */
export function outcomeText(verb: string, o: AuthoringOutcome): string {
  return [
    `${t(verb)}: ${o.paths.join(', ')}`,
    ...(o.steps.length > 0
      ? [t('cli:authoring.steps', { steps: o.steps.map(stepText).join(', ') })]
      : []),
    t('cli:authoring.undoWith', { id: o.undo.id }),
  ].join('\n');
}

/** Prints what an authoring call did (its JSON with --json) in the words of `verb`; 0 once done. */
export function printOutcome(
  io: CliIo,
  json: unknown,
  result: Result<AuthoringOutcome>,
  verb: string,
): number {
  output(io, json, unwrap(result), (x) => outcomeText(verb, x));
  return 0;
}

async function create(args: ParsedArgs, io: CliIo): Promise<number> {
  const form = formFromArgs(args);
  const json = args.values.json === true;
  const first = renderServiceUnit(form);
  const argvIssue = first.issues.find((i) => i.field !== 'argv.0');
  if (argvIssue !== undefined) throw new CliFailure(`${argvIssue.field}: ${argvIssue.message}`);
  const opts = { enable: args.values.enable === true, start: args.values.start === true };
  return withAuthoring(io, async (a) => {
    if (args.values['dry-run'] === true) {
      // Every check the real create makes (name taken, program, systemd's verify), no write.
      const preview = unwrap(await a.checkCreate(form, opts));
      io.out(
        json
          ? JSON.stringify(preview, null, 2)
          : preview.files.map((f) => `# ${f.name}\n${f.text}`).join('\n'),
      );
      return 0;
    }
    const o = unwrap(await a.create(form, opts));
    io.out(json ? JSON.stringify(o, null, 2) : outcomeText('cli:authoring.created', o));
    return 0;
  });
}

async function show(args: ParsedArgs, io: CliIo): Promise<number> {
  const id = exactlyOne(args.positionals.slice(1), 'unit show');
  // Any id list prints: a cron line, an autostart file or a watch rule shows its own definition.
  if (sourceOfId(id) !== 'systemd') return showDefinition(io, id, args.values.json === true);
  return withAuthoring(io, async (a) => {
    const d = unwrap(await a.definition(id));
    if (args.values.json === true) io.out(JSON.stringify(d, null, 2));
    else {
      const parts = [
        `# ${d.fragmentPath ?? t('cli:authoring.noUnitFile')}${d.ownedByApp ? ` ${t('cli:authoring.createdByApp')}` : ''}`,
        d.fragment ?? '',
        ...d.dropIns.flatMap((x) => [`# ${x.path}`, x.text]),
      ];
      io.out(parts.join('\n').trimEnd());
    }
    return 0;
  });
}

async function edit(args: ParsedArgs, io: CliIo): Promise<number> {
  const id = exactlyOne(args.positionals.slice(1), 'unit edit');
  const file = str(args.values.file);
  if (file === undefined) throw new UsageError(t('cli:authoring.editNeedsFile'));
  const text = unwrap(decodeUnitText(await readFile(file), file));
  return withAuthoring(io, async (a) => {
    if (args.values['dry-run'] === true) {
      const p = unwrap(await a.checkEdit(id, text));
      io.out(
        args.values.json === true
          ? JSON.stringify(p, null, 2)
          : [t('cli:authoring.wouldWrite', { path: p.path, mode: p.mode }), p.diff, ...p.problems]
              .join('\n')
              .trimEnd(),
      );
      return 0;
    }
    return printOutcome(io, args.values.json, await a.editText(id, text), 'cli:authoring.written');
  });
}

/** `unit VERB ID`: one authoring call on the unit, what it did printed in the words of `done`. */
function onOneUnit(
  verb: string,
  act: (a: AuthoringService, id: string) => Promise<Result<AuthoringOutcome>>,
  done: string,
): (args: ParsedArgs, io: CliIo) => Promise<number> {
  return (args, io) => {
    const id = exactlyOne(args.positionals.slice(1), `unit ${verb}`);
    return withAuthoring(io, async (a) =>
      printOutcome(io, args.values.json, await act(a, id), done),
    );
  };
}

const remove = onOneUnit('delete', (a, id) => a.remove(id), 'cli:authoring.deleted');
const revert = onOneUnit('revert', (a, id) => a.revertToVendor(id), 'cli:authoring.removed');

async function undo(args: ParsedArgs, io: CliIo): Promise<number> {
  const token = exactlyOne(args.positionals.slice(1), 'unit undo', 'TOKEN');
  return withAuthoring(io, async (a) => {
    const r = unwrap(await a.undo(token));
    output(io, args.values.json, r, (x) => `Restored: ${x.paths.join(', ')}`);
    return 0;
  });
}

/** `unit VERB`: what each verb runs. */
const UNIT_VERBS = new Map<string, (args: ParsedArgs, io: CliIo) => Promise<number>>([
  ['create', create],
  ['show', show],
  ['edit', edit],
  ['delete', remove],
  ['revert', revert],
  ['undo', undo],
]);

const unit: Command = {
  name: 'unit',
  takesCommand: true,
  options: {
    name: { type: 'string' },
    exec: { type: 'string' },
    arg: { type: 'string', multiple: true },
    description: { type: 'string' },
    restart: { type: 'string', choices: RESTART_POLICIES },
    'restart-sec': { type: 'string' },
    workdir: { type: 'string' },
    env: { type: 'string', multiple: true },
    'after-network': { type: 'boolean' },
    listen: { type: 'string' },
    accept: { type: 'boolean' },
    enable: { type: 'boolean' },
    start: { type: 'boolean' },
    'dry-run': { type: 'boolean' },
    file: { type: 'string' },
    json: { type: 'boolean' },
  },
  run(args, io) {
    const sub = args.positionals[0];
    const verb = sub === undefined ? undefined : UNIT_VERBS.get(sub);
    if (verb === undefined)
      throw new UsageError(
        sub === undefined ? t('cli:authoring.needsSub') : t('cli:authoring.unknownSub', { sub }),
      );
    return verb(args, io);
  },
};

const timers: Command = {
  name: 'timers',
  options: { json: { type: 'boolean' } },
  run({ values }, io) {
    return withAuthoring(io, async (a) => {
      const list = unwrap(await a.timers());
      io.out(
        values.json === true
          ? JSON.stringify(list, null, 2)
          : list.length === 0
            ? t('cli:authoring.noTimers')
            : table(
                [
                  t('cli:authoring.columns.timer'),
                  t('cli:authoring.columns.next'),
                  t('cli:authoring.columns.last'),
                  t('cli:authoring.columns.activates'),
                ],
                list.map((t) => [t.unit, t.nextRun ?? '-', t.lastRun ?? '-', t.activates]),
              ),
      );
      return 0;
    });
  },
};

export const authoringCommands: Command[] = [unit, timers];
