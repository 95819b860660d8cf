// Desktop entry files (.desktop) for XDG autostart. Pure: no I/O.
//
// Desktop Entry Specification 1.5:
// - A key file: `[Group]` headers, `Key=Value` and `Key[locale]=Value` lines, `#` comments. Edits
//   here change one line of the [Desktop Entry] group and keep every other byte.
// - String values escape `\s \n \t \r \\`.
// - Exec: arguments with reserved characters (space, tab, newline, " ' \ > < ~ | & ; $ * ? # ( ) `)
//   are double-quoted, and inside the quotes " ` $ \ take a backslash; a literal % is %%; %f %u
//   and the other field codes are expanded by the launcher (dropped here: autostart passes no
//   files). The Exec value is then escaped again as a string, so one `\` in an argument is four
//   in the file.
// Autostart spec 0.5: Hidden=true means "do not start" (and hides the system file of the same
// name); OnlyShowIn/NotShowIn against XDG_CURRENT_DESKTOP; TryExec names a program that must
// exist (and be executable), else the entry is ignored.
// Quirk: systemd 252's xdg-autostart-generator unescapes backslashes once more than the spec says
// (`"a\\\\sb"` becomes `a b`), so an argument holding a backslash gets a notice.

export const MAIN_GROUP = 'Desktop Entry';

interface KeyLine {
  kind: 'key';
  raw: string;
  group: string;
  key: string;
  value: string;
}
type Line = KeyLine | { kind: 'other'; raw: string; group: string | null };

export class DesktopEntry {
  private constructor(
    private readonly lines: Line[],
    private readonly trailingNewline: boolean,
  ) {}

  static parse(text: string): DesktopEntry {
    const parts = text.split('\n');
    const trailingNewline = parts.length > 1 && parts[parts.length - 1] === '';
    if (trailingNewline) parts.pop();
    let group: string | null = null;
    const lines: Line[] = parts.map((raw) => {
      const g = /^\[([^\]]+)\][ \t]*$/.exec(raw);
      if (g) {
        group = g[1]!;
        return { kind: 'other', raw, group };
      }
      const kv = /^([A-Za-z0-9-]+(?:\[[^\]]+\])?)[ \t]*=[ \t]*(.*)$/.exec(raw);
      if (kv && group !== null) return { kind: 'key', raw, group, key: kv[1]!, value: kv[2]! };
      return { kind: 'other', raw, group };
    });
    return new DesktopEntry(lines, trailingNewline);
  }

  static create(values: Array<[string, string]>): DesktopEntry {
    return DesktopEntry.parse(
      `[${MAIN_GROUP}]\n` + values.map(([k, v]) => `${k}=${escapeString(v)}\n`).join(''),
    );
  }

  toString(): string {
    return this.lines.map((l) => l.raw).join('\n') + (this.trailingNewline ? '\n' : '');
  }

  hasMainGroup(): boolean {
    return this.lines.some((l) => l.kind === 'other' && l.raw.trim() === `[${MAIN_GROUP}]`);
  }

  /** The raw (still escaped) value of a key of [Desktop Entry]; the last one wins, as GLib does. */
  raw(key: string): string | null {
    let v: string | null = null;
    for (const l of this.lines)
      if (l.kind === 'key' && l.group === MAIN_GROUP && l.key === key) v = l.value;
    return v;
  }

  /** A string value, unescaped. */
  get(key: string): string | null {
    const r = this.raw(key);
    return r === null ? null : unescapeString(r);
  }

  bool(key: string): boolean {
    return this.get(key)?.trim() === 'true';
  }

  list(key: string): string[] {
    const v = this.get(key);
    if (v === null) return [];
    return v.split(';').filter((s) => s !== '');
  }

  /** Set a key of [Desktop Entry] (string-escaped), replacing its line or adding one. */
  set(key: string, value: string): DesktopEntry {
    const line = `${key}=${escapeString(value)}`;
    const lines = [...this.lines];
    const idx = lines.findIndex((l) => l.kind === 'key' && l.group === MAIN_GROUP && l.key === key);
    const entry: KeyLine = {
      kind: 'key',
      raw: line,
      group: MAIN_GROUP,
      key,
      value: escapeString(value),
    };
    if (idx !== -1) {
      lines[idx] = entry;
    } else {
      const start = lines.findIndex(
        (l) => l.kind === 'other' && l.raw.trim() === `[${MAIN_GROUP}]`,
      );
      if (start === -1) {
        lines.unshift({ kind: 'other', raw: `[${MAIN_GROUP}]`, group: MAIN_GROUP }, entry);
      } else {
        let at = start + 1;
        for (let i = start + 1; i < lines.length && lines[i]!.group === MAIN_GROUP; i++)
          if (lines[i]!.kind === 'key') at = i + 1;
        lines.splice(at, 0, entry);
      }
    }
    return new DesktopEntry(lines, this.trailingNewline || lines.length > 0);
  }

  /** Remove every line of a key in [Desktop Entry]. */
  delete(key: string): DesktopEntry {
    return new DesktopEntry(
      this.lines.filter((l) => !(l.kind === 'key' && l.group === MAIN_GROUP && l.key === key)),
      this.trailingNewline,
    );
  }
}

export function escapeString(v: string): string {
  return v
    .replace(/\\/g, '\\\\')
    .replace(/\n/g, '\\n')
    .replace(/\t/g, '\\t')
    .replace(/\r/g, '\\r')
    .replace(/^ /, '\\s');
}

export function unescapeString(v: string): string {
  return v.replace(/\\([snrt\\])/g, (_, c: string) =>
    c === 's' ? ' ' : c === 'n' ? '\n' : c === 't' ? '\t' : c === 'r' ? '\r' : '\\',
  );
}

const RESERVED = /[ \t\n"'\\><~|&;$*?#()`]/;

/** One argument quoted for an Exec value (before string escaping). */
export function execWord(arg: string): string {
  const pct = arg.replace(/%/g, '%%');
  if (arg !== '' && !RESERVED.test(arg)) return pct;
  return `"${pct.replace(/(["`$\\])/g, '\\$1')}"`;
}

/** An argument list as an Exec value (unescaped form; DesktopEntry.set escapes it). */
export function execLine(argv: readonly string[]): string {
  if (argv.length === 0) throw new Error('A command needs at least the program to run.');
  return argv.map(execWord).join(' ');
}

const FIELD_CODES = 'fFuUdDnNickvm';

/** Split an (unescaped) Exec value into arguments, dropping field codes; null if malformed. */
export function parseExec(exec: string): string[] | null {
  const out: string[] = [];
  let cur: string | null = null;
  let i = 0;
  while (i < exec.length) {
    const ch = exec[i]!;
    if (ch === ' ' || ch === '\t') {
      if (cur !== null) out.push(cur);
      cur = null;
      i++;
    } else if (ch === '"') {
      let s = '';
      let j = i + 1;
      for (;;) {
        if (j >= exec.length) return null;
        const c = exec[j]!;
        if (c === '"') break;
        if (c === '\\' && j + 1 < exec.length && '"`$\\'.includes(exec[j + 1]!)) {
          s += exec[j + 1]!;
          j += 2;
          continue;
        }
        s += c;
        j++;
      }
      cur = (cur ?? '') + s.replace(/%%/g, '%');
      i = j + 1;
    } else if (ch === '%') {
      const c = exec[i + 1];
      if (c === '%') cur = (cur ?? '') + '%';
      else if (c === undefined || !FIELD_CODES.includes(c)) return null;
      i += 2;
    } else {
      cur = (cur ?? '') + ch;
      i++;
    }
  }
  if (cur !== null) out.push(cur);
  return out.length > 0 ? out : null;
}

export interface EffectiveState {
  effective: boolean;
  hidden: boolean;
  /** Why it does not start, when it does not. */
  reasons: Array<'hidden' | 'not-in-this-desktop' | 'try-exec-missing' | 'not-an-application'>;
}

/** Whether an autostart entry starts at login on these desktops (XDG_CURRENT_DESKTOP, split). */
export function effectiveState(
  entry: DesktopEntry,
  desktops: readonly string[],
  programExists: (name: string) => boolean,
): EffectiveState {
  const reasons: EffectiveState['reasons'] = [];
  const hidden = entry.bool('Hidden');
  if (hidden) reasons.push('hidden');
  const type = entry.get('Type');
  if ((type !== null && type !== 'Application') || entry.get('Exec') === null)
    reasons.push('not-an-application');
  const only = entry.list('OnlyShowIn');
  const not = entry.list('NotShowIn');
  if (only.length > 0 && !only.some((d) => desktops.includes(d)))
    reasons.push('not-in-this-desktop');
  else if (not.some((d) => desktops.includes(d))) reasons.push('not-in-this-desktop');
  const tryExec = entry.get('TryExec');
  if (tryExec !== null && tryExec !== '' && !programExists(tryExec))
    reasons.push('try-exec-missing');
  return { effective: reasons.length === 0, hidden, reasons };
}
