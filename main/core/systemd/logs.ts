// A unit's logs: the journal (`journalctl --user -u NAME -o json`), or the file its output goes
// to (StandardOutput=file:/append:/truncate:), with a cursor to follow either by polling.
//
// Relies on / works around:
// - `journalctl --user -u NAME -o json -n N [--after-cursor C]` prints one JSON object per line;
//   MESSAGE is a string, or an array of bytes when it is not valid UTF-8; __REALTIME_TIMESTAMP
//   is microseconds as a decimal string. It exits 0 with no output when there is nothing, also
//   when journald is not running at all (no /run/systemd/journal/socket, as in the test sandbox
//   and in some containers): that is why an empty result carries a reason.
// - A volatile journal (no /var/log/journal) keeps only what was logged since boot.
// - systemd 252 does not expose the path of StandardOutput=file:PATH over D-Bus
//   (StandardOutputFileDescriptorName is empty), so the unit's files are read: the last
//   StandardOutput= (or StandardError=) in the fragment and its drop-ins wins, an empty
//   assignment resets it. %h, %t, %% are resolved; other specifiers make it unknown.
// - That file is on the unit's machine: on another host (over SSH) its size comes from
//   `stat -L -c %s` and its bytes from `tail -c +OFFSET` there, in one command (hostWindow),
//   not from this machine's file of the same path.
import { t } from '../../../i18n/index.js';
import { open, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import type { LogLine, LogsResult } from '../model/authoring.js';
import type { Host } from '../host/host.js';
import { AppFailure, appError } from '../errors.js';
import { parseUnitText } from './unit-file.js';
import {
  fileFilterNote,
  filterLines,
  journalFilterArgs,
  type LogQuery,
} from '../logs/log-query.js';

export interface OutputTarget {
  kind: 'journal' | 'file' | 'other';
  path: string | null;
}

/** Where the unit's stdout (or else stderr) goes, from its unit file texts in load order. */
export function outputTarget(texts: readonly string[], env: NodeJS.ProcessEnv): OutputTarget {
  let out: string | null = null;
  let err: string | null = null;
  for (const t of texts) {
    for (const [k, v] of parseUnitText(t).get('Service') ?? []) {
      if (k === 'StandardOutput') out = v === '' ? null : v;
      if (k === 'StandardError') err = v === '' ? null : v;
    }
  }
  for (const v of [out, err]) {
    const m = v === null ? null : /^(file|append|truncate):(.+)$/.exec(v);
    if (m === null) continue;
    const path = resolveSpecifiers(m[2]!, env);
    if (path !== null) return { kind: 'file', path };
  }
  if (out === null || out.startsWith('journal') || out === 'inherit')
    return { kind: 'journal', path: null };
  return { kind: 'other', path: null };
}

function resolveSpecifiers(s: string, env: NodeJS.ProcessEnv): string | null {
  let bad = false;
  const r = s.replace(/%(.)/g, (_, c: string) => {
    if (c === '%') return '%';
    if (c === 'h' && env.HOME) return env.HOME;
    if (c === 't' && env.XDG_RUNTIME_DIR) return env.XDG_RUNTIME_DIR;
    bad = true;
    return '';
  });
  return bad || !r.startsWith('/') ? null : r;
}

/** One journal JSON record to a LogLine. Pure. */
export function journalLine(json: string): LogLine | null {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return null;
  }
  const cursor = typeof o.__CURSOR === 'string' ? o.__CURSOR : null;
  if (cursor === null) return null;
  const m = o.MESSAGE;
  const message =
    typeof m === 'string'
      ? m
      : Array.isArray(m)
        ? Buffer.from(m.filter((x): x is number => typeof x === 'number')).toString('utf8')
        : '';
  const usec = typeof o.__REALTIME_TIMESTAMP === 'string' ? Number(o.__REALTIME_TIMESTAMP) : NaN;
  const prio = typeof o.PRIORITY === 'string' ? Number(o.PRIORITY) : NaN;
  const pid = typeof o._PID === 'string' ? Number(o._PID) : NaN;
  return {
    cursor,
    time: Number.isFinite(usec) ? new Date(usec / 1000).toISOString() : null,
    priority: Number.isInteger(prio) ? prio : null,
    message,
    pid: Number.isInteger(pid) ? pid : null,
  };
}

/** Lines of a chunk of a file starting at byte `base`; a trailing partial line is left for later. */
export function fileLines(chunk: Buffer, base: number): { lines: LogLine[]; consumed: number } {
  const lines: LogLine[] = [];
  let start = 0;
  for (;;) {
    const nl = chunk.indexOf(0x0a, start);
    if (nl === -1) break;
    const text = chunk.toString('utf8', start, nl);
    // sd-daemon(3)'s "<N>" prefix, as journald reads it from a service's stdout.
    const level = /^<([0-7])>/.exec(text);
    lines.push({
      cursor: `file:${base + nl + 1}`,
      time: null,
      priority: level === null ? null : Number(level[1]),
      message: level === null ? text : text.slice(3),
      pid: null,
    });
    start = nl + 1;
  }
  return { lines, consumed: start };
}

const TAIL_BYTES = 4 * 1024 * 1024;

/**
 * Where tailFile reads a file: the bytes from `after` (or from the start, when the file is now
 * shorter than that), or the last `max` bytes when `after` is null; at most `max` bytes, and
 * the offset they start at. null: the file does not exist.
 */
export type FileWindow = (
  path: string,
  after: number | null,
  max: number,
) => Promise<{ from: number; bytes: Buffer } | null>;

/** A window's offset in a file of `size` bytes. */
function windowStart(size: number, after: number | null, max: number): number {
  // A cursor beyond the end means the file was truncated or replaced: start again.
  return after !== null ? (after <= size ? after : 0) : Math.max(0, size - max);
}

/** This machine's files. */
const localWindow: FileWindow = async (path, after, max) => {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (err) {
    if ((err as { code?: unknown }).code === 'ENOENT') return null;
    throw err;
  }
  const from = windowStart(size, after, max);
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(Math.min(size - from, max));
    const { bytesRead } = await fh.read(buf, 0, buf.length, from);
    return { from, bytes: buf.subarray(0, bytesRead) };
  } finally {
    await fh.close();
  }
};

/**
 * hostWindow's one round trip: $1 the file, $2 the cursor offset or "-", $3 the most bytes.
 * Prints the offset the window starts at on a line, then the bytes; exit 44 when no file. The file
 * is opened first (fd 3), so one it may not read fails with the shell's words, not as an empty
 * window (a pipeline's status is its last command's).
 */
const WINDOW_SCRIPT =
  '[ -e "$1" ] || exit 44; exec 3<"$1" || exit 1; s=$(stat -L -c %s -- "$1") || exit 1; ' +
  'if [ "$2" = - ]; then f=$((s > $3 ? s - $3 : 0)); elif [ "$2" -le "$s" ]; then f=$2; else f=0; fi; ' +
  'echo "$f"; tail -c "+$((f + 1))" <&3 | head -c "$3"';

/** The files of `host` (another machine, over SSH): read there, in one command. */
export function hostWindow(host: Pick<Host, 'run'>, env: NodeJS.ProcessEnv): FileWindow {
  return async (path, after, max) => {
    const r = await host.run(
      ['sh', '-c', WINDOW_SCRIPT, 'sh', path, after === null ? '-' : String(after), String(max)],
      { env: { ...env, LC_ALL: 'C' } },
    );
    if (r.code === 44) return null;
    const nl = r.stdoutBytes.indexOf(0x0a);
    const from = nl > 0 ? Number(r.stdoutBytes.toString('utf8', 0, nl)) : NaN;
    if (r.code !== 0 || !Number.isInteger(from))
      throw new AppFailure(
        appError('internal', r.stderr.trim() || `reading ${path}: exit ${r.code}`),
      );
    return { from, bytes: r.stdoutBytes.subarray(nl + 1) };
  };
}

/** The files of `host`: this machine's read here, another's there (hostWindow). */
export function filesOn(host: Pick<Host, 'name' | 'run'>, env: NodeJS.ProcessEnv): FileWindow {
  return host.name === 'local' ? localWindow : hostWindow(host, env);
}

/** The last `n` lines of a file (of those the query's search keeps), or those after a
 *  `file:OFFSET` cursor. The last 4 MiB are the window searched. */
export async function tailFile(
  path: string,
  n: number,
  afterCursor?: string,
  query: LogQuery = {},
  read: FileWindow = localWindow,
): Promise<LogLine[] | null> {
  const m = afterCursor === undefined ? null : /^file:(\d+)$/.exec(afterCursor);
  const got = await read(path, m === null ? null : Number(m[1]), TAIL_BYTES);
  if (got === null) return null;
  let chunk = got.bytes;
  let base = got.from;
  if (m === null && base > 0) {
    // Started mid-line: skip to the first full line.
    const nl = chunk.indexOf(0x0a);
    chunk = chunk.subarray(nl + 1);
    base += nl + 1;
  }
  return filterLines(fileLines(chunk, base).lines, query).slice(-n);
}

export interface LogReaderOptions {
  env: NodeJS.ProcessEnv;
  run: Host['run'];
  /** Where journald listens; its absence means no journald. */
  journalSocket?: string;
  /** The persistent journal directory. */
  persistentDir?: string;
  /** Where a unit's output file is read; default this machine's (hostWindow: another's). */
  files?: FileWindow;
}

/** Why a unit's journal view is empty, in the user's words. */
export function emptyJournalReason(
  unit: string,
  journaldRunning: boolean,
  persistent: boolean,
  journalctlError: string | null,
): string {
  if (!journaldRunning) return t('errors:logs.noJournald', { unit });
  if (journalctlError !== null) return t('errors:logs.unreadable', { reason: journalctlError });
  if (!persistent) return t('errors:logs.volatile', { unit });
  return t('errors:logs.nothingYet', { unit });
}

export class LogReader {
  readonly #opts: Required<LogReaderOptions>;

  constructor(opts: LogReaderOptions) {
    this.#opts = {
      journalSocket: '/run/systemd/journal/socket',
      persistentDir: '/var/log/journal',
      files: localWindow,
      ...opts,
    };
  }

  /**
   * The last `lines` lines (or those after `afterCursor`) of `unit`. `unitTexts` are its unit
   * file texts in load order (fragment, then drop-ins), to find a file it writes to.
   */
  async read(unit: string, unitTexts: readonly string[], opts: LogQuery = {}): Promise<LogsResult> {
    const n = opts.lines ?? 200;
    const target = outputTarget(unitTexts, this.#opts.env);
    if (target.kind === 'file' && target.path !== null) {
      const lines = await tailFile(target.path, n, opts.afterCursor, opts, this.#opts.files);
      return {
        source: 'file',
        path: target.path,
        lines: lines ?? [],
        filterNote: fileFilterNote(opts),
        emptyReason:
          lines === null
            ? t('errors:logs.noFile', { unit, path: target.path })
            : lines.length === 0 && opts.afterCursor === undefined
              ? t('errors:logs.emptyFile', { path: target.path })
              : null,
      };
    }
    const args = [
      '--user',
      '-u',
      unit,
      '-o',
      'json',
      '--no-pager',
      '-q',
      ...journalFilterArgs(opts),
    ];
    if (opts.afterCursor !== undefined && !opts.afterCursor.startsWith('file:'))
      args.push('--after-cursor', opts.afterCursor, '-n', String(Math.max(n, 10_000)));
    else args.push('-n', String(n));
    const r = await this.#opts.run(['journalctl', ...args], {
      env: { ...this.#opts.env, LC_ALL: 'C', SYSTEMD_COLORS: '0' },
      timeoutMs: 30_000,
    });
    const lines = r.stdout
      .split('\n')
      .filter((l) => l !== '')
      .map(journalLine)
      .filter((l): l is LogLine => l !== null);
    let emptyReason: string | null = null;
    if (lines.length === 0 && opts.afterCursor === undefined) {
      emptyReason = emptyJournalReason(
        unit,
        existsSync(this.#opts.journalSocket),
        existsSync(this.#opts.persistentDir),
        r.code !== 0 ? (r.stderr.trim().split('\n')[0] ?? 'journalctl failed') : null,
      );
      if (target.kind === 'other')
        emptyReason = t('errors:logs.elsewhere', { unit, reason: emptyReason });
    }
    // A filter that matches nothing needs no reason about the journal (journalctl --grep exits 1
    // when nothing matches, saying nothing); one journalctl refuses (a bad time, a bad pattern)
    // gets journalctl's reason.
    const filtered = journalFilterArgs(opts).length > 0;
    const refusal = r.code !== 0 ? (r.stderr.trim().split('\n')[0] ?? '') : '';
    if (filtered && refusal !== '') emptyReason = t('logs:query.refused', { reason: refusal });
    else if (filtered && lines.length === 0 && existsSync(this.#opts.journalSocket))
      emptyReason = null;
    return { source: 'journal', path: null, lines, emptyReason };
  }
}
