// Commands in crontab lines, both ways. Pure: no I/O.
//
// cron hands the command to /bin/sh -c after its own pass: an unescaped `%` ends the command (the
// rest, with `%` turned into newlines, is the job's stdin) and `\%` becomes `%`; every other
// backslash is left for the shell. So an argument list is written as sh words (single-quoted
// where needed) and every `%` is moved outside the quotes as `\%`, which also keeps a literal
// backslash from ever standing right before the `\%`.
import { t } from '../../../i18n/index.js';

const SAFE_WORD = /^[A-Za-z0-9_@+=:,./-]+$/;

/** One argument as a /bin/sh word, `%`-escaped for cron. */
export function cronWord(arg: string): string {
  if (SAFE_WORD.test(arg)) return arg;
  if (arg === '') return "''";
  return arg
    .split('%')
    .map((part) => (part === '' ? '' : `'${part.replace(/'/g, `'\\''`)}'`))
    .join('\\%');
}

/** An argument list as a crontab command, with an optional `>> LOG 2>&1`. */
export function cronCommand(argv: readonly string[], opts: { log?: string | null } = {}): string {
  if (argv.length === 0) throw new Error(t('errors:cron.noProgram'));
  for (const a of argv) {
    if (/[\n\r\0]/.test(a)) throw new Error(t('errors:cron.argumentBreak'));
  }
  const cmd = argv.map(cronWord).join(' ');
  if (opts.log === undefined || opts.log === null || opts.log === '') return cmd;
  if (/[\n\r\0]/.test(opts.log)) throw new Error(t('errors:cron.logBreak'));
  return `${cmd} >> ${cronWord(opts.log)} 2>&1`;
}

/** Characters that end a run of plain word characters in shellWords. */
const PLAIN_END = ' \t\'"\\>|&;<()$`*?[';

/** What cron does with a command before the shell sees it: `%` handling (vixie cron do_command). */
export function cronSplit(command: string): { shell: string; stdin: string | null } {
  // The usual command has neither: the shell sees it as it is (and no string is rebuilt from its
  // characters, which V8 keeps as a chain of ten-thousands of pieces for a large crontab).
  if (!command.includes('%') && !command.includes('\\')) return { shell: command, stdin: null };
  let out = '';
  let escaped = false;
  for (let i = 0; i < command.length; i++) {
    const ch = command[i]!;
    if (escaped) {
      escaped = false;
      if (ch === '%') {
        out = out.slice(0, -1) + '%';
        continue;
      }
    } else if (ch === '\\') {
      escaped = true;
    } else if (ch === '%') {
      return { shell: out, stdin: command.slice(i + 1).replace(/%/g, '\n') };
    }
    out += ch;
  }
  return { shell: out, stdin: null };
}

/**
 * Split a /bin/sh command line into words, for the plain cases this app writes and people
 * commonly type: words, '...', "..." and backslashes. Returns null for anything with expansions,
 * pipes, redirections other than a trailing `>> FILE 2>&1` / `> FILE 2>&1`, or `;`/`&`.
 */
export function shellWords(shell: string): { argv: string[]; log: string | null } | null {
  const words: string[] = [];
  let cur: string | null = null;
  let i = 0;
  const push = () => {
    if (cur !== null) {
      words.push(cur);
    }
    cur = null;
  };
  while (i < shell.length) {
    const ch = shell[i]!;
    if (ch === ' ' || ch === '\t') {
      push();
      i++;
    } else if (ch === "'") {
      const end = shell.indexOf("'", i + 1);
      if (end === -1) return null;
      cur = (cur ?? '') + shell.slice(i + 1, end);
      i = end + 1;
    } else if (ch === '"') {
      let j = i + 1;
      let s = '';
      for (;;) {
        if (j >= shell.length) return null;
        const c = shell[j]!;
        if (c === '"') break;
        if (c === '$' || c === '`') return null;
        if (c === '\\' && j + 1 < shell.length && '$`"\\\n'.includes(shell[j + 1]!)) {
          s += shell[j + 1]!;
          j += 2;
          continue;
        }
        s += c;
        j++;
      }
      cur = (cur ?? '') + s;
      i = j + 1;
    } else if (ch === '\\') {
      if (i + 1 >= shell.length) return null;
      cur = (cur ?? '') + shell[i + 1]!;
      i += 2;
    } else if (ch === '>') {
      // A redirection at the end is the one we recognise: `>> FILE 2>&1` or `> FILE 2>&1`.
      const m = /^(>>?)[ \t]*(.+?)[ \t]+2>&1[ \t]*$/.exec(shell.slice(i));
      if (!m || cur !== null) return null;
      const target = shellWords(m[2]!);
      if (!target || target.argv.length !== 1 || target.log !== null) return null;
      return words.length > 0 ? { argv: words, log: target.argv[0]! } : null;
    } else if ('|&;<()$`*?['.includes(ch)) {
      return null;
    } else if ((ch === '~' || ch === '#') && cur === null) {
      return null;
    } else {
      // A run of plain characters in one slice (not one concatenation per character).
      let j = i + 1;
      while (j < shell.length && !PLAIN_END.includes(shell[j]!)) j++;
      cur = (cur ?? '') + shell.slice(i, j);
      i = j;
    }
  }
  push();
  return words.length > 0 ? { argv: words, log: null } : null;
}

/** The argument list of a crontab command when it is a plain one, else null. */
export function cronArgv(command: string): { argv: string[]; log: string | null } | null {
  const { shell, stdin } = cronSplit(command);
  if (stdin !== null) return null;
  return shellWords(shell);
}
