// The shape of a CLI command group. Each area (units, processes, cron...) registers its
// commands in main/cli.ts, which parses them with commander; they share the io, the error
// classes and the output helpers here.
import type { AppError, Result } from '../core/model/domain.js';
import type { StopStep } from '../core/model/processes.js';
import { withDetail } from '../core/monitor/entry-verbs.js';
import { t } from '../../i18n/index.js';
import { CliFailure, UsageError } from './errors.js';

export { CliFailure, UsageError };

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  env: NodeJS.ProcessEnv;
  /** `--host NAME` (`-H NAME`): the host from settings the command acts on; absent, this one. */
  host?: string;
}

/** Whether the command acts on another host (`--host NAME` other than `local`). */
export function onFarHost(io: CliIo): boolean {
  return io.host !== undefined && io.host !== 'local';
}

export interface ParsedArgs {
  values: Record<string, string | boolean | Array<string | boolean> | undefined>;
  positionals: string[];
  /** Arguments after a literal `--`, verbatim (for commands that take a command line). */
  rest: string[];
}

/** One option: `--name VALUE` (string) or `--name` (boolean), with an optional one-letter form. */
export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** May be given more than once; the values come as an array. */
  multiple?: boolean;
  /** The values shell completion offers (parsing leaves checking them to the command). */
  choices?: readonly string[];
}

export interface Command {
  name: string;
  /**
   * One usage line per form, e.g. `list [--json] [--kind KIND]`, and what it does: for the
   * commands in the `cli` catalog (cli:commands.NAME.usage and .summary) the catalog's words
   * win, so --help needs no command group loaded; these are for a command without them.
   */
  usage?: string[];
  summary?: string;
  options?: Record<string, OptionSpec>;
  /**
   * Takes a command line after `--` (run, cron add...): it comes verbatim in `rest`. For other
   * commands, what follows `--` is more positionals (`ps -- -pattern`).
   */
  takesCommand?: boolean;
  /** Gets its arguments verbatim, unparsed (the shells' `__complete`, which sees half-typed words). */
  raw?: boolean;
  /**
   * Work started before the catalogs load and the arguments are parsed, given the words after
   * the command's name (`list` sends systemd its requests, the slow part of it, first):
   * `ready` resolves once it is under way; runCli hands it to run(), which may take what was
   * started over, and calls `release` after run(), which lets go of whatever run() did not take.
   * Undefined when these arguments want nothing early. Only for commands named in their group's
   * `early` (main/cli.ts).
   */
  early?(args: readonly string[], io: CliIo): EarlyStart | undefined;
  /** `early`: what this command's own early() started, if anything. */
  run(args: ParsedArgs, io: CliIo, early?: EarlyStart): Promise<number>;
}

export interface EarlyStart {
  ready: Promise<void>;
  /**
   * What was started, for run() to own from then on (it stops it): given once, undefined after,
   * and after release. Its type is the command's own (its early() made it).
   */
  take(): unknown;
  release(): void;
}

export function describeError(error: AppError): string {
  return withDetail(error);
}

/** The value of a Result, or the failure as the command's one line on stderr (exit 1). */
export function unwrap<T>(r: Result<T>): T {
  if (!r.ok) throw new CliFailure(describeError(r.error));
  return r.value;
}

export function exactlyOne(positionals: string[], command: string, what = 'ID'): string {
  const [first] = positionals;
  if (positionals.length !== 1 || first === undefined)
    throw new UsageError(t('cli:errors.exactlyOne', { command, what }));
  return first;
}

/** Columns a terminal gives `s`: two for wide (East Asian) characters, such as Hangul. */
export function width(s: string): number {
  let n = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    const wide =
      (c >= 0x1100 && c <= 0x115f) ||
      (c >= 0x2e80 && c <= 0xa4cf) ||
      (c >= 0xac00 && c <= 0xd7a3) ||
      (c >= 0xf900 && c <= 0xfaff) ||
      (c >= 0xfe30 && c <= 0xfe4f) ||
      (c >= 0xff00 && c <= 0xff60) ||
      (c >= 0xffe0 && c <= 0xffe6);
    n += wide ? 2 : 1;
  }
  return n;
}

export function pad(s: string, n: number): string {
  const w = width(s);
  return w >= n ? s : s + ' '.repeat(n - w);
}

/** A plain table: columns padded to their widest cell, the last column left ragged. */
export function table(header: string[], rows: string[][]): string {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => width(r[i] ?? ''))));
  return all
    .map((r) =>
      r
        .map((cell, i) => (i === r.length - 1 ? cell : pad(cell, widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** What a command prints: `value` as JSON with --json, else `text(value)`. */
export function output<T>(io: CliIo, json: unknown, value: T, text: (v: T) => string): void {
  io.out(json === true ? JSON.stringify(value, null, 2) : text(value));
}

/** A list as a command prints it: JSON with --json, else `empty` or a table of one row per item. */
export function outputList<T>(
  io: CliIo,
  json: unknown,
  list: readonly T[],
  empty: string,
  header: string[],
  row: (x: T) => string[],
): void {
  output(io, json, list, (l) => (l.length === 0 ? empty : table(header, l.map(row))));
}

/** For tests: a JSON argv prefix that runs crontab(1) (e.g. inside a private mount namespace). */
export const CRONTAB_ENV = 'DAEMON_DECK_CRONTAB_ARGV';

/** The crontab(1) argv prefix $DAEMON_DECK_CRONTAB_ARGV names, or undefined for plain `crontab`. */
export function crontabFromEnv(env: NodeJS.ProcessEnv): string[] | undefined {
  const raw = env[CRONTAB_ENV];
  if (!raw) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    parsed = null;
  }
  if (!Array.isArray(parsed) || parsed.length === 0 || !parsed.every((x) => typeof x === 'string'))
    throw new CliFailure(t('cli:errors.crontabArgv', { name: CRONTAB_ENV }));
  return parsed;
}

/** One line per step of a stop: `0.0s sent TERM (123 left)`. */
export function stepLine(s: StopStep): string {
  const left =
    s.remaining.length > 0 ? ` ${t('cli:steps.left', { pids: s.remaining.join(', ') })}` : '';
  const what: Record<StopStep['phase'], string> = {
    'term-sent': t('cli:steps.termSent'),
    waiting: t('cli:steps.waiting'),
    'kill-sent': t('cli:steps.killSent'),
    exited: t('cli:steps.exited'),
    gone: t('cli:steps.gone'),
  };
  return `${(s.atMs / 1000).toFixed(1)}s ${what[s.phase]}${left}`;
}

/**
 * Resolves on the first SIGINT or SIGTERM, for commands that run until interrupted (events,
 * logs -f), which then end with status 0. The listeners stay for the rest of the process, on
 * purpose: conf's atomically loads when-exit, whose own once-listener re-sends the signal to the
 * process, and proper-lockfile's signal-exit re-sends it when it finds itself the only listener;
 * a listener of ours still there absorbs that second signal instead of dying by it.
 */
export function interrupted(): Promise<void> {
  return new Promise<void>((resolve) => {
    process.on('SIGINT', () => resolve());
    process.on('SIGTERM', () => resolve());
  });
}
