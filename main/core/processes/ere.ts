// POSIX extended regular expressions (ERE) as pgrep reads them, translated to a JS RegExp.
//
// The dialect is glibc's regcomp(REG_EXTENDED | REG_NOSUB) (what procps' pgrep calls), in a
// UTF-8 locale:
// - `| ( ) * + ? {n} {n,} {,m} {n,m} . ^ $` and bracket expressions with `[:class:]`,
//   `[=c=]`, `[.c.]`, ranges, `]` first as a literal and `\` as a literal inside brackets;
// - GNU escapes `\w \W \s \S \b \B \< \> \` \'` and back-references `\1`-`\9`; any other
//   escaped character stands for itself (`\d` is the letter d, not a digit as in JS);
// - `*`, `+`, `?` or `{` at the start of an expression or a group, or after `|`, is an error;
//   quantifiers stack (`a+?` is `(a+)?`, never lazy); a `)` without a `(` is a literal;
// - `.` and `[^...]` match a newline too (no REG_NEWLINE); no lookaround, no lazy quantifier,
//   no JS escape ever leaks through; letters are Unicode letters (glibc's iswalpha in
//   C.UTF-8), `[:digit:]` is 0-9, the other classes are ASCII.
// Invalid patterns throw PatternError with glibc's own words (what `pgrep` prints).

export class PatternError extends Error {
  constructor(
    readonly pattern: string,
    readonly reason: string,
  ) {
    super(`Invalid pattern "${pattern}": ${reason}.`);
    this.name = 'PatternError';
  }
}

const CLASSES: Record<string, string> = {
  alpha: '\\p{L}',
  digit: '0-9',
  alnum: '\\p{L}\\p{N}',
  upper: '\\p{Lu}',
  lower: '\\p{Ll}',
  space: ' \\t\\n\\v\\f\\r',
  blank: ' \\t',
  punct: '!-\\/:-@\\[-`{-~',
  print: ' -~',
  graph: '!-~',
  cntrl: '\\0-\\x1f\\x7f',
  xdigit: '0-9A-Fa-f',
};

const SYNTAX = new Set('^$\\.*+?()[]{}|/'.split(''));

function lit(ch: string): string {
  return SYNTAX.has(ch) ? `\\${ch}` : ch;
}

function classLit(ch: string): string {
  const cp = ch.codePointAt(0)!;
  return `\\u{${cp.toString(16)}}`;
}

// Word characters as glibc sees them in a UTF-8 locale: letters and digits of any script, `_`.
// JS's own \w and \b are ASCII-only even with the `u` flag, so the assertions are spelled out.
const WORD = '[\\p{L}\\p{N}_]';
const NOT_WORD = '[^\\p{L}\\p{N}_]';
const BOUNDARY = `(?:(?<=${WORD})(?!${WORD})|(?<!${WORD})(?=${WORD}))`;
const NOT_BOUNDARY = `(?:(?<=${WORD})(?=${WORD})|(?<!${WORD})(?!${WORD}))`;
const WORD_START = `(?<!${WORD})(?=${WORD})`;
const WORD_END = `(?<=${WORD})(?!${WORD})`;
const ANCHORS = new Set(['^', '$', BOUNDARY, NOT_BOUNDARY, WORD_START, WORD_END]);

interface Parser {
  src: string[];
  i: number;
  groups: number;
  closed: Set<number>;
  depth: number;
}

const MSG = {
  paren: 'Unmatched ( or \\(',
  brace: 'Unmatched \\{',
  braceContent: 'Invalid content of \\{\\}',
  bracket: 'Unmatched [, [^, [:, [., or [=',
  preceding: 'Invalid preceding regular expression',
  backslash: 'Trailing backslash',
  backref: 'Invalid back reference',
  range: 'Invalid range end',
  ctype: 'Invalid character class name',
  collate: 'Invalid collation character',
  big: 'Regular expression too big',
};

const DUP_MAX = 0x7fff;

/** Translate a POSIX ERE to JS RegExp source (flags `su`). Throws PatternError. */
export function ereToJs(pattern: string): string {
  const p: Parser = { src: [...pattern], i: 0, groups: 0, closed: new Set(), depth: 0 };
  const fail = (why: string): never => {
    throw new PatternError(pattern, why);
  };
  const out = parseAlt(p, fail);
  if (p.i < p.src.length) fail(MSG.paren);
  return out;
}

function parseAlt(p: Parser, fail: (why: string) => never): string {
  // glibc (parse_reg_exp): each branch after the first sees only the groups closed before the
  // alternation, so `()|\1` is an invalid back reference; after it, the groups of every branch.
  const initial = new Set(p.closed);
  const branches = [parseBranch(p, fail)];
  while (p.src[p.i] === '|') {
    p.i++;
    const accumulated = p.closed;
    p.closed = new Set(initial);
    branches.push(parseBranch(p, fail));
    for (const n of accumulated) p.closed.add(n);
  }
  return branches.join('|');
}

function atBranchEnd(p: Parser): boolean {
  const c = p.src[p.i];
  return c === undefined || c === '|' || (c === ')' && p.depth > 0);
}

function parseBranch(p: Parser, fail: (why: string) => never): string {
  let out = '';
  let first = true;
  while (!atBranchEnd(p)) {
    const c = p.src[p.i]!;
    if (c === '*' || c === '+' || c === '?' || c === '{') {
      // glibc: a repetition operator with nothing before it
      if (first) fail(MSG.preceding);
    }
    let atom = parseAtom(p, fail);
    const q0 = p.src[p.i];
    // glibc: an anchor or word assertion cannot be repeated
    if (ANCHORS.has(atom) && (q0 === '*' || q0 === '+' || q0 === '?' || q0 === '{'))
      fail(MSG.preceding);
    // quantifiers, stacking
    for (;;) {
      const q = p.src[p.i];
      if (q === '*' || q === '+' || q === '?') {
        p.i++;
        atom = `(?:${atom})${q}`;
      } else if (q === '{') {
        p.i++;
        atom = `(?:${atom})${parseInterval(p, fail)}`;
      } else break;
    }
    out += atom;
    first = false;
  }
  return out;
}

function readNumber(p: Parser): number | null {
  let s = '';
  while (p.i < p.src.length && /[0-9]/.test(p.src[p.i]!)) s += p.src[p.i++];
  return s === '' ? null : Number(s);
}

function parseInterval(p: Parser, fail: (why: string) => never): string {
  const min = readNumber(p);
  let max: number | null | 'inf';
  if (p.src[p.i] === ',') {
    p.i++;
    const m = readNumber(p);
    max = m === null ? 'inf' : m;
  } else {
    max = min;
  }
  if (p.src[p.i] !== '}') {
    if (p.i >= p.src.length) fail(MSG.brace);
    fail(MSG.braceContent);
  }
  p.i++;
  const lo = min ?? 0;
  if (min === null && max === 'inf') return '*';
  if (max !== 'inf' && max !== null && max < lo) fail(MSG.braceContent);
  if (lo > DUP_MAX || (typeof max === 'number' && max > DUP_MAX)) fail(MSG.big);
  if (max === 'inf') return `{${lo},}`;
  return max === lo ? `{${lo}}` : `{${lo},${String(max)}}`;
}

function parseAtom(p: Parser, fail: (why: string) => never): string {
  const c = p.src[p.i++]!;
  switch (c) {
    case '(': {
      const n = ++p.groups;
      p.depth++;
      const c2 = p.src[p.i];
      if (c2 === '*' || c2 === '+' || c2 === '?' || c2 === '{') fail(MSG.preceding);
      const inner = parseAlt(p, fail);
      if (p.src[p.i] !== ')') fail(MSG.paren);
      p.i++;
      p.depth--;
      p.closed.add(n);
      return `(${inner})`;
    }
    case ')':
      return '\\)';
    case '[':
      return parseBracket(p, fail);
    case '.':
      return '.';
    case '^':
      return '^';
    case '$':
      return '$';
    case '\\': {
      const e = p.src[p.i++];
      if (e === undefined) return fail(MSG.backslash);
      switch (e) {
        case 'w':
          return WORD;
        case 'W':
          return NOT_WORD;
        case 's':
          return '[ \\t\\n\\v\\f\\r]';
        case 'S':
          return '[^ \\t\\n\\v\\f\\r]';
        case 'b':
          return BOUNDARY;
        case 'B':
          return NOT_BOUNDARY;
        case '<':
          return WORD_START;
        case '>':
          return WORD_END;
        case '`':
          return '^';
        case "'":
          return '$';
        default:
          break;
      }
      if (/[1-9]/.test(e)) {
        const n = Number(e);
        if (!p.closed.has(n)) fail(MSG.backref);
        return `\\${e}`;
      }
      return lit(e);
    }
    default:
      return lit(c);
  }
}

/** One element of a bracket expression: a character (for ranges) or a ready class. */
type BracketItem = { ch: string } | { cls: string };

function parseBracket(p: Parser, fail: (why: string) => never): string {
  let negate = false;
  if (p.src[p.i] === '^') {
    negate = true;
    p.i++;
  }
  const parts: string[] = [];
  let first = true;
  const readItem = (): BracketItem => {
    const c = p.src[p.i];
    if (c === undefined) return fail(MSG.bracket);
    if (c === '[' && (p.src[p.i + 1] === ':' || p.src[p.i + 1] === '=' || p.src[p.i + 1] === '.')) {
      const kind = p.src[p.i + 1]!;
      let j = p.i + 2;
      let name = '';
      while (j < p.src.length && !(p.src[j] === kind && p.src[j + 1] === ']')) name += p.src[j++];
      if (j >= p.src.length) return fail(MSG.bracket);
      p.i = j + 2;
      if (kind === ':') {
        const cls = CLASSES[name];
        if (cls === undefined) return fail(MSG.ctype);
        return { cls };
      }
      if ([...name].length !== 1) return fail(MSG.collate);
      return { ch: name };
    }
    p.i++;
    return { ch: c };
  };
  for (;;) {
    const c = p.src[p.i];
    if (c === undefined) fail(MSG.bracket);
    if (c === ']' && !first) {
      p.i++;
      break;
    }
    first = false;
    const start = readItem();
    if (p.src[p.i] === '-' && p.src[p.i + 1] !== ']' && p.src[p.i + 1] !== undefined) {
      p.i++;
      const end = readItem();
      if ('cls' in start || 'cls' in end) fail(MSG.range);
      const a = start.ch.codePointAt(0)!;
      const b = end.ch.codePointAt(0)!;
      if (b < a) fail(MSG.range);
      parts.push(`${classLit(start.ch)}-${classLit(end.ch)}`);
    } else if ('cls' in start) {
      parts.push(start.cls);
    } else {
      parts.push(classLit(start.ch));
    }
  }
  return `[${negate ? '^' : ''}${parts.join('')}]`;
}

/** Compile a POSIX ERE (optionally anchored as pgrep -x does: `^(PATTERN)$`). */
export function compileEre(pattern: string, opts: { exact?: boolean; ignoreCase?: boolean } = {}) {
  const re = opts.exact ? `^(${pattern})$` : pattern;
  let source: string;
  try {
    source = ereToJs(re);
  } catch (err) {
    if (err instanceof PatternError) throw new PatternError(pattern, err.reason);
    throw err;
  }
  try {
    return new RegExp(source, opts.ignoreCase ? 'sui' : 'su');
  } catch (err) {
    throw new PatternError(pattern, err instanceof Error ? err.message : String(err));
  }
}
