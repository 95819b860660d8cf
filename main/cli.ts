// The `daemon-deck` command: the same core as the app, scriptable, with JSON output.
// Exit status: 0 success, 1 the operation failed (one readable line on stderr), 2 bad usage.
// Each command is parsed by commander (a well-kept library made for command lines): options
// take their value whatever it starts with (`--arg -m`, `--arg=-m`), and everything after the
// first `--` is split off before parsing, so a command line given there is never read as options.
//
// Start-up is what people feel (scripts, status bars, shell prompts, TAB completion), so this
// file loads nothing heavy: each command group (and through it the core) is imported only when
// one of its commands runs, and commander only when a command's arguments are parsed.
// `--version` and `--help` load neither. Everything printed for people comes from the `cli`
// message catalogs (English, Korean), in the language of LANGUAGE, LC_ALL, LC_MESSAGES and LANG
// or the one the settings choose; they load on the first word printed, never for `--version`.
// JSON output is never translated.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CliIo, Command, EarlyStart, ParsedArgs } from './cli/command.js';
import { CliFailure, UsageError } from './cli/errors.js';
import { ENTRY_VERBS } from './core/monitor/entry-verbs.js';
import { settingsDir } from './core/xdg.js';

export type { CliIo } from './cli/command.js';

/** Commands loaded together, on first use: `names` are theirs, so nothing loads to find one. */
export interface CommandGroup {
  names: readonly string[];
  load: () => Promise<readonly Command[]>;
  /** Commands with work to start before the words load (Command.early): their group loads first. */
  early?: readonly string[];
}

const group = (
  names: readonly string[],
  load: CommandGroup['load'],
  early?: readonly string[],
): CommandGroup => ({ names, load, ...(early !== undefined ? { early } : {}) });

/** Every command, in the order --help lists them. A new group is one line here. */
export const GROUPS: readonly CommandGroup[] = [
  group(
    ['list', 'sources', ...ENTRY_VERBS],
    async () => (await import('./cli/units.js')).unitCommands,
    ['list', 'sources'],
  ),
  group(
    ['cron', 'autostart', 'linger'],
    async () => (await import('./cli/startup.js')).startupCommands,
  ),
  group(
    ['ps', 'watch', 'run', 'sessions', 'strays', 'adopt'],
    async () => (await import('./cli/processes.js')).processCommands,
  ),
  group(['unit', 'timers'], async () => (await import('./cli/authoring.js')).authoringCommands),
  group(['events'], async () => (await import('./cli/events.js')).eventCommands),
  group(['doctor'], async () => (await import('./cli/doctor.js')).doctorCommands),
  group(['timer', 'calendar'], async () => (await import('./cli/timers.js')).timerCommands),
  group(['export', 'import'], async () => (await import('./cli/setup.js')).setupCommands),
  group(['host'], async () => (await import('./cli/hosts.js')).hostCommands),
  group(['completion', '__complete'], async () =>
    (await import('./cli/completion.js')).completionCommands({
      commandNames,
      findCommand,
      usageLines,
    }),
  ),
];

/** The names --help lists (hidden ones, like the shells' `__complete`, start with `_`). */
export function commandNames(): string[] {
  return GROUPS.flatMap((g) => g.names).filter((n) => !n.startsWith('_'));
}

/** The command called `name`, its group loaded; undefined for an unknown name. */
export async function findCommand(name: string): Promise<Command | undefined> {
  const g = GROUPS.find((x) => x.names.includes(name));
  return g === undefined ? undefined : (await g.load()).find((c) => c.name === name);
}

type I18n = typeof import('../i18n/index.js');
let i18n: I18n | undefined;

/** The catalogs (loaded once), set to the language of `env` or the settings' choice. */
export async function words(env: NodeJS.ProcessEnv): Promise<I18n> {
  i18n ??= await import('../i18n/index.js');
  i18n.setLanguage(i18n.resolveLanguage(env, languageSetting(env, i18n.LANGUAGE_SETTINGS)));
  return i18n;
}

/** The language settings.json chooses ('system' when none, or when it cannot be read). */
function languageSetting<T extends string>(
  env: NodeJS.ProcessEnv,
  known: readonly T[],
): T | 'system' {
  try {
    const raw = JSON.parse(readFileSync(join(settingsDir(env), 'settings.json'), 'utf8')) as {
      language?: unknown;
    };
    return known.find((l) => l === raw.language) ?? 'system';
  } catch {
    return 'system';
  }
}

/** A command's usage forms, as its help and shell completion read them. */
export function usageLines(command: Command): string[] {
  const key = `cli:commands.${command.name}.usage`;
  if (i18n?.hasKey(key)) return i18n.t(key).split('\n');
  return command.usage ?? [];
}

async function summaryOf(name: string): Promise<string> {
  const key = `cli:commands.${name}.summary`;
  if (i18n?.hasKey(key)) return i18n.t(key);
  return (await findCommand(name))?.summary ?? '';
}

async function usage({ t }: I18n): Promise<string> {
  // Each command's forms, then its summary indented below: long forms (unit create) stay readable.
  // Commands of the catalog need no group loaded; one without its words there loads its group.
  const lines: string[] = [];
  for (const name of commandNames()) {
    const key = `cli:commands.${name}.usage`;
    const forms = i18n?.hasKey(key) ? t(key).split('\n') : usageLines((await findCommand(name))!);
    lines.push(...forms.map((u) => `  ${u}`), `      ${await summaryOf(name)}`);
  }
  return [
    t('cli:help.usage'),
    '',
    t('cli:help.intro'),
    '',
    t('cli:help.commands'),
    ...lines,
    '',
    t('cli:help.ids'),
    '',
    t('cli:help.options'),
    `  -h, --help        ${t('cli:help.helpOption')}`,
    `  -V, --version     ${t('cli:help.versionOption')}`,
    `  -H, --host NAME   ${t('hosts:cli.hostOption')}`,
  ].join('\n');
}

/** The version in the nearest package.json above this file (source, tsc and bundle layouts). */
function version(): string {
  for (const rel of ['../package.json', '../../package.json', '../../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === 'daemon-deck') return pkg.version ?? 'unknown';
    } catch {
      continue;
    }
  }
  return 'unknown';
}

async function commandHelp(command: Command, { t }: I18n): Promise<string> {
  const label = t('cli:help.usageLabel');
  const flags = Object.entries(command.options ?? {}).map(
    ([name, spec]) =>
      `  ${spec.short ? `-${spec.short}, ` : ''}--${name}${spec.type === 'string' ? ' <value>' : ''}`,
  );
  return [
    ...usageLines(command).map((u) => `${label} daemon-deck ${u}`),
    '',
    await summaryOf(command.name),
    '',
    t('cli:help.options'),
    ...flags,
    `  -h, --help  ${t('cli:help.commandHelp')}`,
  ].join('\n');
}

const camel = (name: string) => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/**
 * The command's arguments before `--`, parsed by commander; null when help was printed. Words
 * none of which starts with `-` hold no option, and commander would hand them back as they are:
 * then commander is not loaded at all (`daemon-deck list`, `status UNIT` in a status bar).
 */
async function parse(
  command: Command,
  argv: string[],
  io: CliIo,
  viaCommander = false,
): Promise<ParsedArgs | null> {
  const dashAt = argv.indexOf('--');
  const words0 = dashAt === -1 ? argv : argv.slice(0, dashAt);
  if (!viaCommander && !words0.some((w) => w.startsWith('-'))) {
    const values: ParsedArgs['values'] = {};
    for (const name of Object.keys(command.options ?? {})) values[name] = undefined;
    const rest = dashAt === -1 ? [] : argv.slice(dashAt + 1);
    if (command.takesCommand) return { values, positionals: words0, rest };
    return { values, positionals: [...words0, ...rest], rest: [] };
  }
  const { Command: Parser, CommanderError, Option } = await import('commander');
  const words_ = await words(io.env);
  const { t } = words_;
  const help = await commandHelp(command, words_);
  const dash = argv.indexOf('--');
  const head = dash === -1 ? argv : argv.slice(0, dash);
  const after = dash === -1 ? [] : argv.slice(dash + 1);
  const parser = new Parser(command.name)
    .argument('[args...]')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.out(text.trimEnd()),
      writeErr: (text) => io.err(text.trimEnd()),
      outputError: () => undefined,
    })
    .helpOption('-h, --help', t('cli:help.commandHelp'))
    .configureHelp({ formatHelp: () => help });
  // The global --host NAME (-H NAME), after the command's name as well as before it.
  if (command.options?.host === undefined) parser.addOption(new Option('-H, --host <value>'));
  const specs = Object.entries(command.options ?? {});
  for (const [name, spec] of specs) {
    const flags = `${spec.short ? `-${spec.short}, ` : ''}--${name}${spec.type === 'string' ? ' <value>' : ''}`;
    const option = new Option(flags);
    if (spec.multiple)
      option.argParser((value: string, previous: string[] | undefined) => [
        ...(previous ?? []),
        value,
      ]);
    parser.addOption(option);
  }
  try {
    parser.parse(head, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.help') return null;
      throw new UsageError(commanderMessage(err, t));
    }
    throw err;
  }
  const opts = parser.opts();
  const values: ParsedArgs['values'] = {};
  for (const [name] of specs) values[name] = opts[camel(name)] as ParsedArgs['values'][string];
  if (command.options?.host === undefined && typeof opts.host === 'string')
    values[HOST_VALUE] = opts.host;
  const positionals = [...parser.args];
  if (command.takesCommand) return { values, positionals, rest: after };
  return { values, positionals: [...positionals, ...after], rest: [] };
}

/** commander's own error, in the catalog's words (the option it names kept as typed). */
function commanderMessage(err: { code: string; message: string }, t: I18n['t']): string {
  const option = /'([^']+)'/.exec(err.message)?.[1] ?? '';
  switch (err.code) {
    case 'commander.unknownOption':
      return t('cli:errors.unknownOption', { option });
    case 'commander.optionMissingArgument':
      return t('cli:errors.missingValue', { option });
    default:
      return t('cli:errors.badArguments', { detail: err.message.replace(/^error: /, '') });
  }
}

/**
 * A command's arguments as its run() gets them (for tests of the parsing); null for help.
 * `viaCommander` parses through commander even words without options (to compare the two).
 */
export async function parseCommandLine(
  name: string,
  argv: string[],
  viaCommander = false,
): Promise<ParsedArgs | null> {
  const command = await findCommand(name);
  if (command === undefined) throw new UsageError(`unknown command "${name}"`);
  const io = { out: () => undefined, err: () => undefined, env: {} };
  return parse(command, argv, io, viaCommander);
}

/** Where parse() leaves the global --host for runCli (not an option name a command can have). */
const HOST_VALUE = ' host';

/**
 * The commands that act on another host with --host; the rest (`host`, which keeps this
 * machine's list of hosts, and shell completion) work here only and say so in words.
 */
const ON_HOSTS = new Set<string>([
  'list',
  'sources',
  ...ENTRY_VERBS,
  'unit',
  'timers',
  'events',
  'cron',
  'autostart',
  'linger',
  'export',
  'import',
  'ps',
  'watch',
  'run',
  'strays',
  'sessions',
  'adopt',
  'doctor',
  'timer',
  'calendar',
]);

/** A leading global `--host NAME` / `-H NAME` / `--host=NAME`, and the arguments after it. */
function leadingHost(argv: string[]): { host: string | undefined; rest: string[] } {
  const [first, second] = argv;
  if ((first === '--host' || first === '-H') && second !== undefined)
    return { host: second, rest: argv.slice(2) };
  if (first?.startsWith('--host=') === true)
    return { host: first.slice('--host='.length), rest: argv.slice(1) };
  return { host: undefined, rest: argv };
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const lead = leadingHost(argv);
  const [name, ...args] = lead.rest;
  // The version alone needs no words: it loads no catalog.
  if (name === '-V' || name === '--version') {
    io.out(version());
    return 0;
  }
  // `list` asks systemd first (most of its time is the manager's answer), then loads the words.
  const early = lead.host === undefined ? await startEarly(name, args, io) : undefined;
  const words_ = await words(io.env);
  const { t } = words_;
  try {
    if (name === undefined) {
      io.out(await usage(words_));
      return 2;
    }
    if (name === '-h' || name === '--help' || name === 'help') {
      io.out(await usage(words_));
      return 0;
    }
    const command = await findCommand(name);
    if (command === undefined) throw new UsageError(t('cli:errors.unknownCommand', { name }));
    const parsed = command.raw
      ? { values: {}, positionals: args, rest: [] }
      : await parse(command, args, io);
    if (parsed === null) return 0;
    const hostValue = parsed.values[HOST_VALUE];
    delete parsed.values[HOST_VALUE];
    const host = typeof hostValue === 'string' ? hostValue : lead.host;
    if (host !== undefined && host !== 'local' && !ON_HOSTS.has(command.name))
      throw new CliFailure(t('hosts:errors.notOnHost', { command: command.name }));
    // JSON is for programs: no key or value in it is translated, whatever the core puts there.
    if (parsed.values.json === true) words_.setLanguage('en');
    return await command.run(parsed, host !== undefined ? { ...io, host } : io, early);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`daemon-deck: ${err.message}${err.hint ? `\n${t('cli:help.more')}` : ''}`);
      return 2;
    }
    const message = err instanceof CliFailure || err instanceof Error ? err.message : String(err);
    io.err(`daemon-deck: ${message.split('\n')[0]}`);
    return 1;
  } finally {
    early?.release();
  }
}

/** The command's early work (Command.early) started, if its group names it; else undefined. */
async function startEarly(
  name: string | undefined,
  args: readonly string[],
  io: CliIo,
): Promise<EarlyStart | undefined> {
  if (name === undefined || !GROUPS.some((g) => g.early?.includes(name) === true)) return undefined;
  const early = (await findCommand(name))?.early?.(args, io);
  await early?.ready.catch(() => undefined); // run() meets the same failure, in its words
  return early;
}
