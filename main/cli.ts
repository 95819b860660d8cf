// The `daemon-deck` command: the same core as the app, scriptable, with JSON output.
// Exit status: 0 success, 1 the operation failed (one readable line on stderr), 2 bad usage.
// Each command is parsed by commander (a well-kept library made for command lines): options
// take their value whatever it starts with (`--arg -m`, `--arg=-m`), and everything after the
// first `--` is split off before parsing, so a command line given there is never read as options.
//
// Start-up is what people feel (scripts, status bars, shell prompts, TAB completion), so this
// file loads nothing heavy: each command group (and through it the core) is imported only when
// one of its commands runs, and commander only when a command's arguments are parsed.
// `--version` and `--help` load neither.
import { readFileSync } from 'node:fs';
import type { CliIo, Command, ParsedArgs } from './cli/command.js';
import { CliFailure, UsageError } from './cli/errors.js';

export type { CliIo } from './cli/command.js';

/** Commands loaded together, on first use: `names` are theirs, so nothing loads to find one. */
export interface CommandGroup {
  names: readonly string[];
  load: () => Promise<readonly Command[]>;
}

const group = (names: readonly string[], load: CommandGroup['load']): CommandGroup => ({
  names,
  load,
});

/** Every command, in the order --help lists them. A new group is one line here. */
export const GROUPS: readonly CommandGroup[] = [
  group(
    [
      'list',
      'sources',
      'status',
      'start',
      'stop',
      'restart',
      'reload',
      'enable',
      'disable',
      'logs',
      'kill',
      'rm',
    ],
    async () => (await import('./cli/units.js')).unitCommands,
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
  group(
    ['completion', '__complete'],
    async () => (await import('./cli/completion.js')).completionCommands,
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

async function usage(): Promise<string> {
  // Each command's forms, then its summary indented below: long forms (unit create) stay readable.
  const commands = await Promise.all(commandNames().map(findCommand));
  const lines = commands.flatMap((c) =>
    c === undefined ? [] : [...usageLines(c).map((u) => `  ${u}`), `      ${c.summary}`],
  );
  return [
    'Usage: daemon-deck COMMAND [OPTIONS]',
    '',
    'Everything you keep running in the background, from the command line.',
    '',
    'Commands:',
    ...lines,
    '',
    'IDs are as the app shows them, e.g. systemd:NAME.service, process:RULE, cron:KEY,',
    'autostart:FILE, session:tmux:NAME; for units a bare unit name works too.',
    '',
    '  -h, --help        this text (COMMAND --help: that command only)',
    '  -V, --version     the version',
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

/** A command's usage forms, as its help and shell completion read them. */
export function usageLines(command: Command): string[] {
  return command.usage;
}

function commandHelp(command: Command): string {
  return (
    usageLines(command)
      .map((u) => `Usage: daemon-deck ${u}`)
      .join('\n') + `\n\n${command.summary}`
  );
}

const camel = (name: string) => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** The command's arguments before `--`, parsed by commander; null when help was printed. */
async function parse(command: Command, argv: string[], io: CliIo): Promise<ParsedArgs | null> {
  const { Command: Parser, CommanderError, Option } = await import('commander');
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
    .configureHelp({ formatHelp: () => commandHelp(command) });
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
      throw new UsageError(err.message.replace(/^error: /, ''));
    }
    throw err;
  }
  const opts = parser.opts();
  const values: ParsedArgs['values'] = {};
  for (const [name] of specs) values[name] = opts[camel(name)] as ParsedArgs['values'][string];
  const positionals = [...parser.args];
  if (command.takesCommand) return { values, positionals, rest: after };
  return { values, positionals: [...positionals, ...after], rest: [] };
}

/** A command's arguments as its run() gets them (for tests of the parsing); null for help. */
export async function parseCommandLine(name: string, argv: string[]): Promise<ParsedArgs | null> {
  const command = await findCommand(name);
  if (command === undefined) throw new UsageError(`unknown command "${name}"`);
  return parse(command, argv, { out: () => undefined, err: () => undefined, env: {} });
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  try {
    const [name, ...args] = argv;
    if (name === undefined) {
      io.out(await usage());
      return 2;
    }
    if (name === '-h' || name === '--help' || name === 'help') {
      io.out(await usage());
      return 0;
    }
    if (name === '-V' || name === '--version') {
      io.out(version());
      return 0;
    }
    const command = await findCommand(name);
    if (command === undefined) throw new UsageError(`unknown command "${name}"`);
    const parsed = command.raw
      ? { values: {}, positionals: args, rest: [] }
      : await parse(command, args, io);
    if (parsed === null) return 0;
    return await command.run(parsed, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(
        `daemon-deck: ${err.message}${err.hint ? "\nRun 'daemon-deck --help' for usage." : ''}`,
      );
      return 2;
    }
    const message = err instanceof CliFailure || err instanceof Error ? err.message : String(err);
    io.err(`daemon-deck: ${message.split('\n')[0]}`);
    return 1;
  }
}
