// The `daemon-deck` command: the same core as the app, scriptable, with JSON output.
// Exit status: 0 success, 1 the operation failed (one readable line on stderr), 2 bad usage.
// Each command is parsed by commander (a well-kept library made for command lines): options
// take their value whatever it starts with (`--arg -m`, `--arg=-m`), and everything after the
// first `--` is split off before parsing, so a command line given there is never read as options.
import { readFileSync } from 'node:fs';
import { Command as Parser, CommanderError, Option } from 'commander';
import {
  CliFailure,
  UsageError,
  type CliIo,
  type Command,
  type ParsedArgs,
} from './cli/command.js';
import { unitCommands } from './cli/units.js';
import { authoringCommands } from './cli/authoring.js';
import { processCommands } from './cli/processes.js';
import { startupCommands } from './cli/startup.js';
import { eventCommands } from './cli/events.js';
import { timerCommands } from './cli/timers.js';

export type { CliIo } from './cli/command.js';

const COMMANDS: Command[] = [
  ...unitCommands,
  ...startupCommands,
  ...processCommands,
  ...authoringCommands,
  ...eventCommands,
  ...timerCommands,
];

function usage(): string {
  // Each command's forms, then its summary indented below: long forms (unit create) stay readable.
  const lines = COMMANDS.flatMap((c) => [...c.usage.map((u) => `  ${u}`), `      ${c.summary}`]);
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

/** The version in the nearest package.json above this file (source and built layouts differ). */
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

function commandHelp(command: Command): string {
  return command.usage.map((u) => `Usage: daemon-deck ${u}`).join('\n') + `\n\n${command.summary}`;
}

const camel = (name: string) => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** The command's arguments before `--`, parsed by commander; null when help was printed. */
function parse(command: Command, argv: string[], io: CliIo): ParsedArgs | null {
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
export function parseCommandLine(name: string, argv: string[]): ParsedArgs | null {
  const command = COMMANDS.find((c) => c.name === name);
  if (command === undefined) throw new UsageError(`unknown command "${name}"`);
  return parse(command, argv, { out: () => undefined, err: () => undefined, env: {} });
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  try {
    const [name, ...args] = argv;
    if (name === undefined) {
      io.out(usage());
      return 2;
    }
    if (name === '-h' || name === '--help' || name === 'help') {
      io.out(usage());
      return 0;
    }
    if (name === '-V' || name === '--version') {
      io.out(version());
      return 0;
    }
    const command = COMMANDS.find((c) => c.name === name);
    if (command === undefined) throw new UsageError(`unknown command "${name}"`);
    const parsed = parse(command, args, io);
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
