// A lossless crontab document. Pure: no I/O.
//
// The text is kept as lines, each with its own terminator ('\n', or '' for a last line without
// one), so parse then serialise gives back every byte: comments, environment lines, blank lines,
// tabs, trailing spaces, `%` escapes, @-specials, five-field lines and lines cron would reject.
// An edit replaces, inserts or drops exactly one line; every other byte stays as it was.
//
// Each job line has a stable key: a hash of its job text (without the disabled marker, so a line
// keeps its key across disable/enable) plus an occurrence counter among equal hashes. Editing
// other lines never changes a key; editing a line gives it a new one (returned by the edit).
//
// A disabled job is the original line behind DISABLED_MARKER; enabling strips exactly the marker,
// so the original bytes come back.

import { t } from '../../../i18n/index.js';

export const DISABLED_MARKER = '#daemon-deck:disabled# ';

export const SPECIALS = [
  'reboot',
  'yearly',
  'annually',
  'monthly',
  'weekly',
  'daily',
  'midnight',
  'hourly',
] as const;
export type Special = (typeof SPECIALS)[number];

export type LineKind = 'blank' | 'comment' | 'env' | 'job' | 'disabled-job' | 'unknown';

export interface JobSchedule {
  /** `@reboot` and friends, or null for a five-field line. */
  special: Special | null;
  /** The five fields (minute hour day-of-month month day-of-week) of a five-field line. */
  fields: [string, string, string, string, string] | null;
  /** The schedule as written, e.g. `@reboot` or `*\/5 * * * *`. */
  text: string;
}

export interface CrontabLine {
  /** The line without its terminator. */
  raw: string;
  /** '\n', or '' for a last line that has none. */
  eol: '\n' | '';
  kind: LineKind;
  /** For job and disabled-job lines. */
  key: string | null;
  schedule: JobSchedule | null;
  /** The command as cron sees it (still `%`-escaped), for job and disabled-job lines. */
  command: string | null;
  /** For env lines. */
  env: { name: string; value: string } | null;
}

export interface JobLine extends CrontabLine {
  kind: 'job' | 'disabled-job';
  key: string;
  schedule: JobSchedule;
  command: string;
}

interface ParsedJob {
  schedule: JobSchedule;
  command: string;
}

const FIELD = /^[^\s]+$/;

/** Parse one job line (`@special CMD` or five fields and CMD), or null if it is not one. */
export function parseJob(raw: string): ParsedJob | null {
  const m = /^[ \t]*@([A-Za-z]+)[ \t]+(\S.*)$/s.exec(raw);
  if (m) {
    const word = m[1]!.toLowerCase();
    if (!(SPECIALS as readonly string[]).includes(word)) return null;
    return {
      schedule: { special: word as Special, fields: null, text: `@${m[1]!}` },
      command: m[2]!,
    };
  }
  const f = /^[ \t]*(\S+)[ \t]+(\S+)[ \t]+(\S+)[ \t]+(\S+)[ \t]+(\S+)[ \t]+(\S.*)$/s.exec(raw);
  if (!f) return null;
  const fields = [f[1]!, f[2]!, f[3]!, f[4]!, f[5]!] as [string, string, string, string, string];
  if (!fields.every((x) => FIELD.test(x) && /^[0-9A-Za-z*,/-]+$/.test(x))) return null;
  if (!/[0-9*]/.test(fields[0])) return null;
  return { schedule: { special: null, fields, text: fields.join(' ') }, command: f[6]! };
}

/** cron(5): `name = value`, the name optionally quoted. Checked before jobs, as cron does. */
export function parseEnv(raw: string): { name: string; value: string } | null {
  const m = /^[ \t]*("[^"]*"|'[^']*'|[^\s="']+)[ \t]*=[ \t]*(.*)$/s.exec(raw);
  if (!m) return null;
  let name = m[1]!;
  if (/^["']/.test(name)) name = name.slice(1, -1);
  if (/^[0-9*@]/.test(name)) return null;
  let value = m[2]!.replace(/[ \t]+$/, '');
  if (/^"[^"]*"$|^'[^']*'$/.test(value) && value.length >= 2) value = value.slice(1, -1);
  return { name, value };
}

/** FNV-1a, 32 bit, as 8 hex digits: a short stable hash that needs no crypto module. */
export function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

interface Classified {
  kind: LineKind;
  schedule: JobSchedule | null;
  command: string | null;
  env: { name: string; value: string } | null;
  /** fnv1a of the job text (without the disabled marker), for job and disabled-job lines. */
  hash: string | null;
}

function classify(raw: string): Classified {
  const c: Classified = { kind: 'unknown', schedule: null, command: null, env: null, hash: null };
  if (/^[ \t]*$/.test(raw)) {
    c.kind = 'blank';
    return c;
  }
  if (raw.startsWith(DISABLED_MARKER)) {
    const inner = raw.slice(DISABLED_MARKER.length);
    const job = parseJob(inner);
    if (job && parseEnv(inner) === null && !/^[ \t]*#/.test(inner)) {
      c.kind = 'disabled-job';
      c.schedule = job.schedule;
      c.command = job.command;
      c.hash = fnv1a(inner);
      return c;
    }
  }
  if (/^[ \t]*#/.test(raw)) {
    c.kind = 'comment';
    return c;
  }
  const env = parseEnv(raw);
  if (env) {
    c.kind = 'env';
    c.env = env;
    return c;
  }
  const job = parseJob(raw);
  if (job) {
    c.kind = 'job';
    c.schedule = job.schedule;
    c.command = job.command;
    c.hash = fnv1a(raw);
  }
  return c;
}

type Piece = { raw: string; eol: '\n' | '' } | CrontabLine;

/** What a line of a built document already knows (its key starts with its 8-digit hash). */
function known(line: CrontabLine): Classified {
  return {
    kind: line.kind,
    schedule: line.schedule,
    command: line.command,
    env: line.env,
    hash: line.key === null ? null : line.key.slice(0, 8),
  };
}

/** Lines with their keys; lines of a built document are reused as they are where possible. */
function build(pieces: readonly Piece[]): CrontabLine[] {
  const seen = new Map<string, number>();
  const out = new Array<CrontabLine>(pieces.length);
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i]!;
    const line = 'kind' in piece ? piece : null;
    const c = line !== null ? known(line) : classify(piece.raw);
    let key: string | null = null;
    if (c.hash !== null) {
      const n = seen.get(c.hash) ?? 0;
      seen.set(c.hash, n + 1);
      key = n === 0 ? c.hash : `${c.hash}-${n}`;
    }
    out[i] =
      line !== null && line.key === key
        ? line // unchanged, and so is its key
        : {
            raw: piece.raw,
            eol: piece.eol,
            kind: c.kind,
            key,
            schedule: c.schedule,
            command: c.command,
            env: c.env,
          };
  }
  return out;
}

export class CrontabDocument {
  readonly lines: readonly CrontabLine[];

  private constructor(lines: CrontabLine[]) {
    this.lines = lines;
  }

  static parse(text: string): CrontabDocument {
    const parts = text.split('\n');
    // "a\n" splits into ["a", ""]: the empty tail is no line.
    const n = parts[parts.length - 1] === '' ? parts.length - 1 : parts.length;
    const pieces = new Array<{ raw: string; eol: '\n' | '' }>(n);
    for (let i = 0; i < n; i++)
      pieces[i] = { raw: parts[i]!, eol: i < parts.length - 1 ? '\n' : '' };
    return new CrontabDocument(build(pieces));
  }

  toString(): string {
    return this.lines.map((l) => l.raw + l.eol).join('');
  }

  /** Job lines, enabled and disabled, in order. */
  jobs(): JobLine[] {
    return this.lines.filter((l): l is JobLine => l.kind === 'job' || l.kind === 'disabled-job');
  }

  find(key: string): JobLine | null {
    return this.jobs().find((l) => l.key === key) ?? null;
  }

  /** The environment cron gives jobs below each line is not tracked; this is the last value set. */
  env(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const l of this.lines) if (l.env) out[l.env.name] = l.env.value;
    return out;
  }

  private indexOf(key: string): number {
    const i = this.lines.findIndex((l) => l.key === key);
    if (i === -1) throw new CrontabEditError(t('errors:cron.noKey', { key }));
    return i;
  }

  /** A document from these lines, re-reading only the pieces that are not lines of this one. */
  private with(pieces: Piece[]): CrontabDocument {
    return new CrontabDocument(build(pieces));
  }

  /**
   * Append a line. A last line without a terminator gets one (crontab(1) refuses a file without
   * a final newline); nothing else changes. Returns the new document and the new line's key.
   */
  append(line: string): { doc: CrontabDocument; key: string | null } {
    checkLine(line);
    const p: Piece[] = [...this.lines];
    const last = p[p.length - 1];
    if (last && last.eol === '') p[p.length - 1] = { raw: last.raw, eol: '\n' };
    p.push({ raw: line, eol: '\n' });
    const doc = this.with(p);
    return { doc, key: doc.lines[doc.lines.length - 1]!.key };
  }

  /** Replace one job line with another text. Returns the new key. */
  replace(key: string, line: string): { doc: CrontabDocument; key: string | null } {
    checkLine(line);
    const i = this.indexOf(key);
    const p: Piece[] = [...this.lines];
    p[i] = { raw: line, eol: this.lines[i]!.eol };
    const doc = this.with(p);
    return { doc, key: doc.lines[i]!.key };
  }

  /**
   * Change a job line's schedule, its command, or both; a disabled line stays disabled. What is
   * not changed keeps its bytes: a new command keeps the schedule as written (spacing included),
   * a new schedule keeps the command. Returns the new document and the line's new key.
   */
  editJob(
    key: string,
    change: { schedule?: string; command?: string },
  ): { doc: CrontabDocument; key: string | null } {
    const i = this.indexOf(key);
    const line = this.lines[i]!;
    if (line.kind !== 'job' && line.kind !== 'disabled-job')
      throw new CrontabEditError(t('errors:cron.notAJob', { key }));
    const disabled = line.kind === 'disabled-job';
    const inner = disabled ? line.raw.slice(DISABLED_MARKER.length) : line.raw;
    const command = change.command ?? line.command!;
    const head =
      change.schedule === undefined
        ? inner.slice(0, inner.length - line.command!.length)
        : `${change.schedule
            .trim()
            .split(/[ \t]+/)
            .join(' ')} `;
    const text = head + command;
    checkLine(text);
    const job = parseJob(text);
    if (change.schedule !== undefined && (job === null || job.schedule.text !== head.trimEnd()))
      throw new CrontabEditError(t('cron:edit.badSchedule', { schedule: change.schedule.trim() }));
    if (job === null || job.command !== command || parseEnv(text) !== null)
      throw new CrontabEditError(t('cron:edit.badCommand'));
    const p: Piece[] = [...this.lines];
    p[i] = { raw: (disabled ? DISABLED_MARKER : '') + text, eol: line.eol };
    const doc = this.with(p);
    return { doc, key: doc.lines[i]!.key };
  }

  remove(key: string): CrontabDocument {
    const i = this.indexOf(key);
    const p: Piece[] = [...this.lines];
    p.splice(i, 1);
    return this.with(p);
  }

  disable(key: string): CrontabDocument {
    const i = this.indexOf(key);
    const line = this.lines[i]!;
    if (line.kind === 'disabled-job') return this;
    const p: Piece[] = [...this.lines];
    p[i] = { raw: DISABLED_MARKER + line.raw, eol: line.eol };
    return this.with(p);
  }

  enable(key: string): CrontabDocument {
    const i = this.indexOf(key);
    const line = this.lines[i]!;
    if (line.kind === 'job') return this;
    const p: Piece[] = [...this.lines];
    p[i] = { raw: line.raw.slice(DISABLED_MARKER.length), eol: line.eol };
    return this.with(p);
  }
}

export class CrontabEditError extends Error {}

function checkLine(line: string): void {
  if (/[\n\r\0]/.test(line)) throw new CrontabEditError(t('errors:cron.lineBreak'));
}
