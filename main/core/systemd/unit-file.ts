// Pure unit-file logic: render a service (and its socket or timer) from a form, quote a command
// for ExecStart=, split a typed command line, validate, and read back a unit the app wrote.
// No I/O here: unit-authoring.ts writes what this renders.
//
// Quoting rules relied on (systemd 252; systemd.service(5) "Command lines", systemd.syntax(7)
// "Quoting", systemd.unit(5) "Specifiers"):
// - ExecStart= is split into words; a word wholly wrapped in double quotes is one argument, C-style
//   escapes (\\ \" ...) are unescaped inside it. Every argument is written quoted, so a word that
//   is a lone ";" (a command separator) or starts with a prefix character (@ - : + !) never
//   reaches systemd raw.
// - "%" starts a specifier in ExecStart=, Environment=, Description=, WorkingDirectory= and
//   ListenStream=: written as "%%".
// - "$" starts a variable in ExecStart= (expanded when the command runs, quoted or not): "$$".
// - A newline, NUL or other control character cannot be written into a unit line at all (a
//   line ends at the newline; the parser rejects NUL): such input is refused with a clear error.
// - A line ending in a backslash continues on the next line: values may not end in one.
// - Unit names (systemd.unit(5)): at most 255 bytes of [A-Za-z0-9:_.\-], here without "@"
//   (templates) and without a leading dot.
import { t } from '../../../i18n/index.js';
import type {
  FormIssue,
  RenderedFile,
  RestartPolicy,
  ServiceForm,
  SocketForm,
  TimerForm,
  UnitPreview,
} from '../model/authoring.js';
import type { Result } from '../model/domain.js';
import { fail, ok } from '../errors.js';

/** The first line of every unit file the app writes: how it recognises its own units. */
export const APP_MARKER = '# Created by Daemon Deck. Edit it in Daemon Deck, or here by hand.';

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Bytes meant as a unit file's text, or why they are not: a unit file is UTF-8 (systemd refuses
 * invalid UTF-8 in most settings), and decoding would silently turn bad bytes into U+FFFD.
 */
export function decodeUnitText(bytes: Uint8Array, what: string): Result<string> {
  try {
    return ok(new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes));
  } catch {
    // Feed the bytes one at a time: the decoder throws at the first byte that cannot be UTF-8.
    const d = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    let at = 0;
    try {
      for (; at < bytes.length; at++) d.decode(bytes.subarray(at, at + 1), { stream: true });
      d.decode();
    } catch {
      // `at` is the bad byte (or the end, for a truncated sequence)
    }
    return fail(
      'invalid-input',
      `${what} is not valid UTF-8 text (a bad byte near offset ${at}); nothing was written. Save it as UTF-8 and try again.`,
    );
  }
}

/** Why `s` cannot be written into a unit file line, or null when it can. */
export function lineProblem(s: string, what: string): string | null {
  if (s.includes('\0')) return t('errors:unitFile.nul', { what });
  if (/[\n\r]/.test(s)) return t('errors:unitFile.lineBreak', { what });
  if (CONTROL.test(s)) return t('errors:unitFile.control', { what });
  if (LONE_SURROGATE.test(s)) return t('errors:unitFile.unicode', { what });
  return null;
}

function escapeSpecifiers(s: string): string {
  return s.replace(/%/g, '%%');
}

/** One argument of ExecStart=, always double-quoted. Assumes lineProblem(arg) is null. */
export function quoteExecArg(arg: string): string {
  const escaped = arg
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/%/g, '%%')
    .replace(/\$/g, '$$$$');
  return `"${escaped}"`;
}

/**
 * The program (argv[0]) of ExecStart=. systemd expands specifiers in it but not variables, and
 * refuses quotes, backslashes and a path that is not normalised (string_is_safe,
 * path_is_normalized in load-fragment.c: "Executable name contains special characters").
 */
export function quoteExecProgram(path: string): string {
  return `"${path.replace(/%/g, '%%')}"`;
}

function programIssue(program: string): string | null {
  if (program === '') return t('errors:unitFile.programEmpty');
  if (!program.startsWith('/'))
    return t('errors:unitFile.programAbsolute', { example: program.split('/').pop() ?? program });
  if (/["'\\]/.test(program)) return t('errors:unitFile.programQuotes');
  if (program.endsWith('/')) return t('errors:unitFile.programDirectory');
  if (/\/\.{1,2}(\/|$)|\/\//.test(program)) return t('errors:unitFile.programNormalised');
  return null;
}

/**
 * systemd.service(5) "@" prefix: `@/usr/bin/sleep sleep 1000` runs /usr/bin/sleep with argv
 * ["sleep", "1000"]. In an argument list, argv[0] "@/abs/program" means the same: the program is
 * the path after "@" and argv[1] is the process's own argv[0] (how Adopt keeps it exactly).
 */
export const SEPARATE_ARGV0 = '@';

/** Problems of an argument list, one issue per bad argument (`argv.N`). */
export function argvIssues(argv: readonly string[]): FormIssue[] {
  const issues: FormIssue[] = [];
  if (argv.length === 0) {
    issues.push({ field: 'argv', message: t('errors:unitFile.argvEmpty') });
    return issues;
  }
  argv.forEach((arg, i) => {
    const what =
      i === 0 ? t('errors:unitFile.what.program') : t('errors:unitFile.what.argument', { n: i });
    const p = lineProblem(arg, what);
    if (p !== null) issues.push({ field: `argv.${i}`, message: p });
  });
  const first = argv[0] ?? '';
  const separate = first.startsWith(SEPARATE_ARGV0);
  if (!issues.some((i) => i.field === 'argv.0')) {
    const p = programIssue(separate ? first.slice(SEPARATE_ARGV0.length) : first);
    if (p !== null) issues.push({ field: 'argv.0', message: p });
  }
  if (separate && (argv[1] ?? '') === '' && !issues.some((i) => i.field === 'argv.1'))
    issues.push({
      field: 'argv.1',
      message: t('errors:unitFile.argv0Missing', { first }),
    });
  return issues;
}

/**
 * The ExecStart= value that makes systemd run exactly `argv` (argv[0] is the absolute program,
 * or "@" and the program, then the process's own argv[0]: see SEPARATE_ARGV0).
 * Throws on an argument list argvIssues() rejects.
 */
export function quoteExecStart(argv: readonly string[]): string {
  const issues = argvIssues(argv);
  if (issues.length > 0) throw new Error(issues.map((i) => i.message).join(' '));
  const [program, ...args] = argv;
  // systemd unquotes the first word before it reads prefixes: "@/usr/bin/x" is the "@" prefix.
  return [quoteExecProgram(program!), ...args.map(quoteExecArg)].join(' ');
}

const C_ESCAPES: Record<string, string> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  s: ' ',
  '\\': '\\',
  '"': '"',
  "'": "'",
};

/**
 * Split an ExecStart= value back into arguments, as systemd does (quotes, C escapes, then
 * `%%` and `$$`). Enough for what the app writes and for common hand edits; returns null for
 * specifiers or variables it does not resolve, and for prefixes (@ - : + !) other than a lone
 * "@" before an absolute program (kept on argv[0]: see SEPARATE_ARGV0). With `ignorePrefixes`,
 * the prefixes that do not change the command (- : + !) are dropped instead: what runs, for
 * comparing commands ("how does this start?").
 */
export function parseExecStart(
  value: string,
  opts: { ignorePrefixes?: boolean } = {},
): string[] | null {
  const words = splitUnitWords(value);
  if (words !== null && opts.ignorePrefixes === true && words.length > 0)
    words[0] = words[0]!.replace(/^[-:+!]+/, '');
  if (words === null) return null;
  const out: string[] = [];
  for (const [i, w] of words.entries()) {
    if (w.replace(/%%/g, '').includes('%')) return null;
    if (i === 0) {
      // Variables are not expanded in the program path.
      out.push(w.replace(/%%/g, '%'));
      continue;
    }
    if (w.replace(/\$\$/g, '').includes('$')) return null;
    out.push(w.replace(/%%/g, '%').replace(/\$\$/g, '$'));
  }
  // "@/program argv0 ..." (SEPARATE_ARGV0) is what Adopt writes; other prefixes are not read back.
  if (out.length > 0 && out[0]!.startsWith(`${SEPARATE_ARGV0}/`))
    return out.length >= 2 && out[1] !== '' ? out : null;
  if (out.length > 0 && /^[@\-:+!]/.test(out[0]!)) return null;
  return out;
}

/** systemd's quoted-word splitting (extract_first_word with UNQUOTE|CUNESCAPE); null when unsure. */
export function splitUnitWords(value: string): string[] | null {
  const words: string[] = [];
  let i = 0;
  const n = value.length;
  while (i < n) {
    while (i < n && /\s/.test(value[i]!)) i++;
    if (i >= n) break;
    let word = '';
    let quote: string | null = null;
    let started = false;
    while (i < n) {
      const c = value[i]!;
      if (quote === null && /\s/.test(c)) break;
      if (quote === null && (c === '"' || c === "'") && !started) {
        quote = c;
        started = true;
        i++;
        continue;
      }
      if (quote !== null && c === quote) {
        quote = null;
        i++;
        continue;
      }
      started = true;
      if (c === '\\') {
        const next = value[i + 1];
        if (next === undefined) return null;
        const mapped = C_ESCAPES[next];
        if (mapped === undefined) return null;
        word += mapped;
        i += 2;
        continue;
      }
      word += c;
      i++;
    }
    if (quote !== null) return null;
    words.push(word);
  }
  return words;
}

export type SplitResult = { ok: true; argv: string[] } | { ok: false; message: string };

const SHELL_OPERATORS = new Set(['|', '&', ';', '<', '>', '(', ')', '`']);

/**
 * Split a typed command line into arguments with shell-like rules: whitespace separates,
 * '...' is literal, "..." keeps $ ` " \ escapable by a backslash, a backslash outside quotes
 * takes the next character literally. Nothing is expanded. Unquoted shell operators (| & ; < >
 * ( ) `) are refused: a service runs no shell, so they would become plain arguments.
 */
export function splitCommandLine(line: string): SplitResult {
  const argv: string[] = [];
  let word = '';
  let inWord = false;
  let i = 0;
  const n = line.length;
  while (i < n) {
    const c = line[i]!;
    if (c === ' ' || c === '\t' || c === '\n') {
      if (inWord) argv.push(word);
      word = '';
      inWord = false;
      i++;
      continue;
    }
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end === -1) return { ok: false, message: t('errors:unitFile.singleQuote') };
      word += line.slice(i + 1, end);
      inWord = true;
      i = end + 1;
      continue;
    }
    if (c === '"') {
      i++;
      let closed = false;
      while (i < n) {
        const d = line[i]!;
        if (d === '"') {
          closed = true;
          i++;
          break;
        }
        if (d === '\\' && i + 1 < n && '$`"\\\n'.includes(line[i + 1]!)) {
          if (line[i + 1] !== '\n') word += line[i + 1];
          i += 2;
          continue;
        }
        word += d;
        i++;
      }
      if (!closed) return { ok: false, message: t('errors:unitFile.doubleQuote') };
      inWord = true;
      continue;
    }
    if (c === '\\') {
      if (i + 1 >= n) return { ok: false, message: t('errors:unitFile.loneBackslash') };
      if (line[i + 1] !== '\n') {
        word += line[i + 1];
        inWord = true;
      }
      i += 2;
      continue;
    }
    if (SHELL_OPERATORS.has(c)) {
      return {
        ok: false,
        message: t('errors:unitFile.shellSyntax', { c }),
      };
    }
    word += c;
    inWord = true;
    i++;
  }
  if (inWord) argv.push(word);
  return { ok: true, argv };
}

/**
 * The longest unit file name the app writes: a file name holds 255 bytes (NAME_MAX), and every
 * file is first written as `.NAME.dd-XXXXXXXXXXXX` beside it (atomic-write.ts), 17 bytes more.
 */
export const MAX_UNIT_FILE_NAME = 255 - '..dd-'.length - 12;

/** A unit name with the given suffix added when missing, or why it is not a valid name. */
export function unitNameIssue(name: string, suffix: 'service' | 'socket' | 'timer'): string | null {
  const base = name.endsWith(`.${suffix}`) ? name.slice(0, -(suffix.length + 1)) : name;
  if (base.length === 0) return t('errors:unitFile.nameEmpty');
  const p = lineProblem(base, t('errors:unitFile.what.name'));
  if (p !== null) return p;
  if (base.startsWith('.')) return t('errors:unitFile.nameDot');
  if (base.includes('@')) return t('errors:unitFile.nameAt');
  if (!/^[A-Za-z0-9:_.-]+$/.test(base)) {
    const bad = [...base].find((ch) => !/[A-Za-z0-9:_.-]/.test(ch)) ?? '';
    return t('errors:unitFile.nameChars', { bad });
  }
  if (/\.(service|socket|timer|target|mount|path|slice|scope|device|swap|automount)$/.test(base))
    return t('errors:unitFile.nameSuffix', { suffix: base.split('.').pop() ?? '' });
  if (Buffer.byteLength(`${base}.${suffix}`) > MAX_UNIT_FILE_NAME)
    return t('errors:unitFile.nameLong', { max: MAX_UNIT_FILE_NAME - suffix.length - 1 });
  return null;
}

export function baseName(name: string): string {
  return name.replace(/\.(service|socket|timer)$/, '');
}

function valueIssue(value: string, what: string): string | null {
  const p = lineProblem(value, what);
  if (p !== null) return p;
  if (value.endsWith('\\')) return t('errors:unitFile.trailingBackslash', { what });
  return null;
}

function pathIssue(path: string, what: string): string | null {
  const p = valueIssue(path, what);
  if (p !== null) return p;
  if (!path.startsWith('/')) return t('errors:unitFile.pathAbsolute', { what });
  if (path !== path.trim()) return t('errors:unitFile.pathSpaceEnds', { what });
  if (path.split('/').includes('..')) return t('errors:unitFile.pathDotDot', { what });
  return null;
}

/** A loopback `host:port` for ListenStream=, or why `listen` is not one (paths are checked apart). */
export function parseListen(
  listen: string,
): { ok: true; value: string; kind: 'tcp' | 'unix' } | { ok: false; message: string } {
  const s = listen.trim();
  if (s.startsWith('/')) {
    const p = pathIssue(s, t('errors:unitFile.what.socketPath'));
    if (p !== null) return { ok: false, message: p };
    if (/\s/.test(s)) return { ok: false, message: t('errors:unitFile.socketSpaces') };
    if (Buffer.byteLength(s) > 107) return { ok: false, message: t('errors:unitFile.socketLong') };
    return { ok: true, value: s, kind: 'unix' };
  }
  const m = /^(?:(127\.0\.0\.1|localhost|\[::1\]):)?(\d{1,5})$/.exec(s);
  if (m === null)
    return {
      ok: false,
      message: t('errors:unitFile.listen'),
    };
  const port = Number(m[2]);
  if (port < 1 || port > 65535) return { ok: false, message: t('errors:unitFile.port') };
  const host = m[1] === '[::1]' ? '[::1]' : '127.0.0.1';
  return { ok: true, value: `${host}:${port}`, kind: 'tcp' };
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Every problem of the form, one per field, for validation as the user types. */
export function validateServiceForm(form: ServiceForm): FormIssue[] {
  const issues: FormIssue[] = [];
  const nameProblem = unitNameIssue(form.name, 'service');
  if (nameProblem !== null) issues.push({ field: 'name', message: nameProblem });
  const d = valueIssue(form.description, t('errors:unitFile.what.description'));
  if (d !== null) issues.push({ field: 'description', message: d });
  issues.push(...argvIssues(form.argv));
  if (form.workingDirectory !== null && form.workingDirectory !== '') {
    const w = pathIssue(form.workingDirectory, t('errors:unitFile.what.workingDirectory'));
    if (w !== null) issues.push({ field: 'workingDirectory', message: w });
  }
  const seen = new Set<string>();
  form.environment.forEach((v, i) => {
    if (!ENV_NAME.test(v.name))
      issues.push({
        field: `environment.${i}.name`,
        message: t('errors:unitFile.envName', { name: v.name }),
      });
    else if (seen.has(v.name))
      issues.push({
        field: `environment.${i}.name`,
        message: t('errors:unitFile.envTwice', { name: v.name }),
      });
    seen.add(v.name);
    const p = valueIssue(
      v.value,
      v.name
        ? t('errors:unitFile.what.valueOf', { name: v.name })
        : t('errors:unitFile.what.valueOfThis'),
    );
    if (p !== null) issues.push({ field: `environment.${i}.value`, message: p });
  });
  if (!(['no', 'on-failure', 'always'] as RestartPolicy[]).includes(form.restart))
    issues.push({ field: 'restart', message: t('errors:unitFile.restart') });
  if (form.restartSec !== null) {
    if (!Number.isFinite(form.restartSec) || form.restartSec < 0 || form.restartSec > 86_400)
      issues.push({
        field: 'restartSec',
        message: t('errors:unitFile.restartSec'),
      });
  }
  if (form.socket !== null) {
    const l = parseListen(form.socket.listen);
    if (!l.ok) issues.push({ field: 'socket.listen', message: l.message });
    if (form.socket.accept && form.restart !== 'no')
      issues.push({
        field: 'restart',
        message: t('errors:unitFile.acceptRestart'),
      });
  }
  return issues;
}

function formatSeconds(s: number): string {
  return `${Number(s.toFixed(3))}s`;
}

/** The service unit's name: NAME@.service for a per-connection (Accept=yes) socket service. */
export function serviceUnitName(form: ServiceForm): string {
  const base = baseName(form.name);
  return form.socket?.accept === true ? `${base}@.service` : `${base}.service`;
}

function renderSocket(form: ServiceForm, socket: SocketForm, listen: string): RenderedFile {
  const base = baseName(form.name);
  const lines = [
    APP_MARKER,
    '[Unit]',
    `Description=${escapeSpecifiers(`Socket for ${form.description.trim() || base}`)}`,
    '',
    '[Socket]',
    `ListenStream=${escapeSpecifiers(listen)}`,
    `Accept=${socket.accept ? 'yes' : 'no'}`,
    '',
  ];
  // Always an [Install] section, so the unit can be enabled later (startAtLogin only enables it).
  lines.push('[Install]', 'WantedBy=sockets.target', '');
  return { name: `${base}.socket`, text: lines.join('\n') };
}

/**
 * The files a form makes: NAME.service (or NAME@.service and NAME.socket for a socket), and the
 * exact ExecStart= line. Returns the form's issues instead when it has any.
 */
export function renderServiceUnit(form: ServiceForm): UnitPreview {
  const issues = validateServiceForm(form);
  const argvOk = argvIssues(form.argv).length === 0;
  const execStart = argvOk ? `ExecStart=${quoteExecStart(form.argv)}` : null;
  if (issues.length > 0) return { issues, files: [], execStart };
  const base = baseName(form.name);
  const lines = [APP_MARKER, '[Unit]'];
  lines.push(`Description=${escapeSpecifiers(form.description.trim() || base)}`);
  if (form.afterNetwork) lines.push('Wants=network-online.target', 'After=network-online.target');
  lines.push('', '[Service]');
  if (form.socket?.accept === true) lines.push('StandardInput=socket');
  lines.push(execStart!);
  if (form.workingDirectory !== null && form.workingDirectory !== '')
    lines.push(`WorkingDirectory=${escapeSpecifiers(form.workingDirectory)}`);
  for (const v of form.environment) {
    const kv = `${v.name}=${v.value}`.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
    lines.push(`Environment="${escapeSpecifiers(kv)}"`);
  }
  if (form.restart !== 'no') lines.push(`Restart=${form.restart}`);
  if (form.restartSec !== null) lines.push(`RestartSec=${formatSeconds(form.restartSec)}`);
  lines.push('');
  // Always an [Install] section, so the service can be enabled later: startAtLogin (and the
  // create's enable) only decide whether it is enabled now. A socket's service is started by its
  // socket, which is the unit enabled instead.
  if (form.socket === null) lines.push('[Install]', 'WantedBy=default.target', '');
  const files: RenderedFile[] = [{ name: serviceUnitName(form), text: lines.join('\n') }];
  if (form.socket !== null) {
    const l = parseListen(form.socket.listen);
    if (l.ok) files.push(renderSocket(form, form.socket, l.value));
  }
  return { issues: [], files, execStart };
}

/** Split a unit file into sections of key/value pairs (comments and blank lines dropped). */
export function parseUnitText(text: string): Map<string, Array<[string, string]>> {
  const sections = new Map<string, Array<[string, string]>>();
  let current: Array<[string, string]> | null = null;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const sec = /^\[(.+)\]$/.exec(line);
    if (sec !== null) {
      current = sections.get(sec[1]!) ?? [];
      sections.set(sec[1]!, current);
      continue;
    }
    const eq = line.indexOf('=');
    if (eq === -1 || current === null) continue;
    current.push([line.slice(0, eq).trim(), line.slice(eq + 1).trim()]);
  }
  return sections;
}

function unescapeSpecifiers(s: string): string | null {
  const stripped = s.replace(/%%/g, '');
  if (stripped.includes('%')) return null;
  return s.replace(/%%/g, '%');
}

/**
 * Read back the form of a service the app wrote, for editing in the same form. Returns null when
 * the text no longer matches what the form can express (a hand edit added other settings).
 * `socketText` is the NAME.socket the app wrote beside it, if any.
 */
export function parseServiceUnit(
  name: string,
  text: string,
  socketText: string | null = null,
): ServiceForm | null {
  if (!text.startsWith(APP_MARKER)) return null;
  const sections = parseUnitText(text);
  const known = new Set(['Unit', 'Service', 'Install']);
  for (const s of sections.keys()) if (!known.has(s)) return null;
  const form = blankServiceForm(baseName(name).replace(/@$/, ''));
  let sawExec = false;
  let acceptStdin = false;
  for (const [k, v] of sections.get('Unit') ?? []) {
    if (k === 'Description') {
      const d = unescapeSpecifiers(v);
      if (d === null) return null;
      form.description = d;
    } else if ((k === 'Wants' || k === 'After') && v === 'network-online.target')
      form.afterNetwork = true;
    else return null;
  }
  for (const [k, v] of sections.get('Service') ?? []) {
    if (k === 'ExecStart') {
      if (sawExec) return null;
      const argv = parseExecStart(v);
      if (argv === null) return null;
      form.argv = argv;
      sawExec = true;
    } else if (k === 'WorkingDirectory') {
      const w = unescapeSpecifiers(v);
      if (w === null) return null;
      form.workingDirectory = w;
    } else if (k === 'Environment') {
      const words = splitUnitWords(v);
      if (words === null) return null;
      for (const quoted of words) {
        const w = unescapeSpecifiers(quoted);
        if (w === null) return null;
        const eq = w.indexOf('=');
        if (eq <= 0) return null;
        form.environment.push({ name: w.slice(0, eq), value: w.slice(eq + 1) });
      }
    } else if (k === 'Restart' && (v === 'no' || v === 'on-failure' || v === 'always'))
      form.restart = v;
    else if (k === 'RestartSec' && /^\d+(\.\d+)?s?$/.test(v))
      form.restartSec = Number(v.replace(/s$/, ''));
    else if (k === 'StandardInput' && v === 'socket') acceptStdin = true;
    else return null;
  }
  // WantedBy= is always written: whether it starts at login is the unit's enablement, which the
  // caller fills in (startAtLogin stays false here).
  for (const [k, v] of sections.get('Install') ?? []) {
    if (!(k === 'WantedBy' && v === 'default.target')) return null;
  }
  if (!sawExec) return null;
  if (socketText !== null) {
    const s = parseUnitText(socketText);
    const listen = s.get('Socket')?.find(([k]) => k === 'ListenStream')?.[1];
    const accept = s.get('Socket')?.find(([k]) => k === 'Accept')?.[1] === 'yes';
    if (listen === undefined) return null;
    form.socket = { listen: unescapeSpecifiers(listen) ?? listen, accept };
  } else if (acceptStdin) return null;
  return form;
}

/** Problems of a timer form. */
export function validateTimerForm(form: TimerForm): FormIssue[] {
  const issues: FormIssue[] = [];
  const n = unitNameIssue(form.unit, 'service');
  if (n !== null) issues.push({ field: 'unit', message: n });
  const d = valueIssue(form.description, t('errors:unitFile.what.description'));
  if (d !== null) issues.push({ field: 'description', message: d });
  const given = [form.onCalendar, form.onBootSec, form.onActiveSec].filter(
    (x) => x !== null && x.trim() !== '',
  );
  if (given.length === 0)
    issues.push({
      field: 'onCalendar',
      message: t('errors:unitFile.timerWhen'),
    });
  for (const [field, v] of [
    ['onCalendar', form.onCalendar],
    ['onBootSec', form.onBootSec],
    ['onActiveSec', form.onActiveSec],
  ] as const) {
    if (v === null || v.trim() === '') continue;
    const p = valueIssue(v, t('errors:unitFile.what.thisTime'));
    if (p !== null) issues.push({ field, message: p });
    else if (v.includes('%')) issues.push({ field, message: t('errors:unitFile.timePercent') });
  }
  for (const [field, v] of [
    ['onBootSec', form.onBootSec],
    ['onActiveSec', form.onActiveSec],
  ] as const) {
    if (v === null || v.trim() === '') continue;
    if (
      !/^(\s*\d+(\.\d+)?\s*(us|ms|s|sec|seconds?|m|min|minutes?|h|hr|hours?|d|days?|w|weeks?)?)+\s*$/.test(
        v,
      )
    )
      issues.push({ field, message: t('errors:unitFile.timeSpan', { v }) });
  }
  return issues;
}

/** NAME.timer for a timer form, or its issues. */
export function renderTimerUnit(
  form: TimerForm,
): { ok: true; file: RenderedFile; service: string } | { ok: false; issues: FormIssue[] } {
  const issues = validateTimerForm(form);
  if (issues.length > 0) return { ok: false, issues };
  const base = baseName(form.unit);
  const service = `${base}.service`;
  const lines = [
    APP_MARKER,
    '[Unit]',
    `Description=${escapeSpecifiers(form.description.trim() || `Runs ${service}`)}`,
    '',
    '[Timer]',
  ];
  if (form.onCalendar !== null && form.onCalendar.trim() !== '')
    lines.push(`OnCalendar=${form.onCalendar.trim()}`);
  if (form.onBootSec !== null && form.onBootSec.trim() !== '')
    lines.push(`OnBootSec=${form.onBootSec.trim()}`);
  if (form.onActiveSec !== null && form.onActiveSec.trim() !== '')
    lines.push(`OnActiveSec=${form.onActiveSec.trim()}`);
  if (form.persistent && form.onCalendar !== null && form.onCalendar.trim() !== '')
    lines.push('Persistent=true');
  // systemd's default AccuracySec=1min may run a timer up to a minute late (it batches wake-ups);
  // someone who asks for "30 s after start" on a desktop expects about that.
  lines.push('AccuracySec=1s');
  lines.push(`Unit=${service}`, '', '[Install]', 'WantedBy=timers.target', '');
  return { ok: true, file: { name: `${base}.timer`, text: lines.join('\n') }, service };
}

/** A unified diff (3 lines of context) of two texts, by lines; empty when they are equal. */
export function unifiedDiff(before: string, after: string, from = 'before', to = 'after'): string {
  if (before === after) return '';
  const a = before.split('\n');
  const b = after.split('\n');
  const n = a.length;
  const m = b.length;
  // LCS table; unit files are small.
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      lcs[i]![j] =
        a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  type Op = { t: ' ' | '-' | '+'; s: string; ai: number; bi: number };
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) ops.push({ t: ' ', s: a[i]!, ai: i++, bi: j++ });
    else if (i < n && (j >= m || lcs[i + 1]![j]! >= lcs[i]![j + 1]!))
      ops.push({ t: '-', s: a[i]!, ai: i++, bi: j });
    else ops.push({ t: '+', s: b[j]!, ai: i, bi: j++ });
  }
  const out = [`--- ${from}`, `+++ ${to}`];
  const CONTEXT = 3;
  let k = 0;
  while (k < ops.length) {
    if (ops[k]!.t === ' ') {
      k++;
      continue;
    }
    const start = Math.max(0, k - CONTEXT);
    let end = k;
    // extend the hunk while changes are within 2*CONTEXT of each other
    for (;;) {
      while (end < ops.length && ops[end]!.t !== ' ') end++;
      let next = end;
      while (next < ops.length && ops[next]!.t === ' ') next++;
      if (next < ops.length && next - end <= 2 * CONTEXT) end = next;
      else break;
    }
    const stop = Math.min(ops.length, end + CONTEXT);
    const hunk = ops.slice(start, stop);
    const aCount = hunk.filter((o) => o.t !== '+').length;
    const bCount = hunk.filter((o) => o.t !== '-').length;
    const first = hunk[0]!;
    out.push(
      `@@ -${aCount === 0 ? first.ai : first.ai + 1},${aCount} +${bCount === 0 ? first.bi : first.bi + 1},${bCount} @@`,
    );
    for (const o of hunk) out.push(`${o.t}${o.s}`);
    k = stop;
  }
  return out.join('\n') + '\n';
}

/** A "New service" form for `name` with nothing else set: no command, restart no, no socket. */
export function blankServiceForm(name: string): ServiceForm {
  return {
    name,
    description: '',
    argv: [],
    workingDirectory: null,
    environment: [],
    restart: 'no',
    restartSec: null,
    startAtLogin: false,
    afterNetwork: false,
    socket: null,
  };
}
