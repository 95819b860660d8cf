// The shape of a CLI command group. Each area (units, processes, cron...) registers its
// commands in main/cli.ts; they share the io, the error classes and the output helpers here.
import type { ParseArgsConfig } from 'node:util';
import type { AppError } from '../core/model/domain.js';

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  env: NodeJS.ProcessEnv;
}

export interface ParsedArgs {
  values: Record<string, string | boolean | Array<string | boolean> | undefined>;
  positionals: string[];
  /** Arguments after a literal `--`, verbatim (for commands that take a command line). */
  rest: string[];
}

export interface Command {
  name: string;
  /** One usage line per form, e.g. `list [--json] [--kind KIND]`. */
  usage: string[];
  summary: string;
  options?: NonNullable<ParseArgsConfig['options']>;
  run(args: ParsedArgs, io: CliIo): Promise<number>;
}

/** Bad usage: exit status 2. */
export class UsageError extends Error {}

/** The operation failed: exit status 1, the message as the one line on stderr. */
export class CliFailure extends Error {}

export function describeError(error: AppError): string {
  const detail = error.detail?.split('\n')[0];
  return detail && !error.message.includes(detail) && error.code === 'bus-unavailable'
    ? `${error.message} (${detail})`
    : error.message;
}

export function exactlyOne(positionals: string[], command: string, what = 'ID'): string {
  const [first] = positionals;
  if (positionals.length !== 1 || first === undefined)
    throw new UsageError(`${command} takes exactly one ${what}`);
  return first;
}

export function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

/** A plain table: columns padded to their widest cell, the last column left ragged. */
export function table(header: string[], rows: string[][]): string {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  return all
    .map((r) =>
      r
        .map((cell, i) => (i === r.length - 1 ? cell : pad(cell, widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
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
    throw new CliFailure(`${CRONTAB_ENV} must be a JSON array of strings.`);
  return parsed;
}
