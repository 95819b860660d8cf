import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PatternError, compileEre } from '../../main/core/processes/ere.js';
import { buildOracle, type Oracle, type OracleAnswer } from '../helpers/regex-oracle.js';

let oracle: Oracle | undefined;
beforeAll(() => {
  oracle = buildOracle();
});
afterAll(() => oracle?.dispose());

function ours(pattern: string, subjects: string[]): OracleAnswer {
  try {
    const re = compileEre(pattern);
    return { error: null, matches: subjects.map((s) => re.test(s)) };
  } catch (err) {
    if (err instanceof PatternError) return { error: err.reason, matches: [] };
    throw err;
  }
}

function compare(cases: Array<{ pattern: string; subjects: string[] }>): void {
  if (oracle === undefined) throw new Error('the glibc oracle was not built');
  const want = oracle(cases);
  cases.forEach((c, i) => {
    const w = want[i]!;
    const got = ours(c.pattern, c.subjects);
    expect({ pattern: c.pattern, error: got.error !== null, matches: got.matches }).toEqual({
      pattern: c.pattern,
      error: w.error !== null,
      matches: w.matches,
    });
  });
}

const SUBJECTS = [
  '',
  'a',
  'abc',
  'aaa',
  'abab',
  'sleep 100',
  'node server.js --port=8080',
  'x.y',
  'a+b',
  '[x]',
  'a\\b',
  'foo-bar_baz',
  'AbC',
  '123',
  'a{2}',
  'tab\there',
  'ünï',
  ')',
  'a|b',
  '^$',
  'd',
  'word boundary',
];

describe('POSIX ERE translation against glibc regcomp', () => {
  it('agrees on hand-picked patterns, valid and invalid', () => {
    const patterns = [
      'abc',
      '^abc$',
      'a|b',
      'a|',
      '|a',
      '()',
      '(a|b)+',
      'a**',
      'a+?',
      'a{2}',
      'a{2,}',
      'a{,2}',
      'a{1,2}',
      'a{2}{3}',
      'a{3,1}',
      'a{',
      'a{1',
      'a{x}',
      '{a',
      'x|{a',
      '*a',
      '+a',
      '?a',
      '(*a)',
      'a|*b',
      '^*',
      'a$*',
      '(',
      ')',
      'a)',
      '(a))',
      '[',
      '[]',
      '[]a]',
      '[^]a]',
      '[a-]',
      '[-a]',
      '[a-c]',
      '[c-a]',
      '[[:digit:]]+',
      '[[:alpha:][:digit:]]',
      '[[:nope:]]',
      '[[=a=]]',
      '[[.-.]]',
      '[[.ab.]]',
      '[\\]',
      '[\\w]',
      '\\d',
      '\\w+',
      '\\W',
      '\\s',
      '\\S',
      '\\bword',
      'ry\\b',
      '\\Boun',
      '\\<word',
      'd\\>',
      '\\`a',
      "c\\'",
      '(a)\\1',
      '\\1',
      '(a\\1)',
      // glibc: a later branch sees only the groups closed before the alternation
      '()|\\1',
      '(a)|b\\1',
      '(a)(b|\\1)',
      'x(a)|(b)\\2',
      'x\\',
      '\\.',
      '\\(',
      '\\{',
      '.',
      'a.c',
      '[.]',
      '[*]',
      '[$^]',
      '[a^]',
      'ü',
      '[ü]',
      '[[:upper:]]',
      '[[:punct:]]+',
      '[[:space:]]',
      'sleep [0-9]+',
      'node .*--port=[0-9]{4}',
      '(?=a)',
      'a*?',
      'a{0}',
      'a{0,0}b',
      '(ab|a)(c|bcd)',
      '^(a|b)*$',
      '$a',
      'a^',
      'a{32768}',
      '[a-z',
      'a\\|b',
      'a{1,2}{3}',
      '(|a)',
    ];
    compare(patterns.map((pattern) => ({ pattern, subjects: SUBJECTS })));
  });

  it('agrees on random patterns built from ERE syntax (property)', () => {
    const token = fc.constantFrom(
      'a',
      'b',
      'c',
      '.',
      '^',
      '$',
      '|',
      '(',
      ')',
      '*',
      '+',
      '?',
      '{1}',
      '{1,2}',
      '{,2}',
      '{2,}',
      '[ab]',
      '[^a]',
      '[]a]',
      '[a-c]',
      '[[:digit:]]',
      '[[:alpha:]]',
      '\\.',
      '\\w',
      '\\1',
      '\\',
      '1',
      ' ',
      '-',
      '{',
      '}',
      '[',
      ']',
    );
    const subjects = fc.array(fc.stringMatching(/^[abc1 .\-{}()[\]|+*?^$\\]{0,8}$/), {
      minLength: 1,
      maxLength: 6,
    });
    fc.assert(
      fc.property(
        fc.array(fc.record({ parts: fc.array(token, { maxLength: 8 }), subjects }), {
          minLength: 50,
          maxLength: 50,
        }),
        (cases) => {
          compare(cases.map((c) => ({ pattern: c.parts.join(''), subjects: c.subjects })));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('says what is wrong with an invalid pattern', () => {
    expect(() => compileEre('a(')).toThrow('Invalid pattern "a(": Unmatched ( or \\(.');
    expect(() => compileEre('*x')).toThrow(/Invalid preceding regular expression/);
    expect(() => compileEre('[[:nope:]]')).toThrow(/Invalid character class name/);
  });

  it('anchors -x as pgrep does, around the whole pattern', () => {
    expect(compileEre('sleep', { exact: true }).test('sleep')).toBe(true);
    expect(compileEre('slee', { exact: true }).test('sleep')).toBe(false);
    expect(compileEre('a|sleep', { exact: true }).test('sleep')).toBe(true);
    // pgrep builds ^(a)|(b)$ from "a)|(b": the text after the user's ) is outside the group.
    expect(compileEre('a)|(b', { exact: true }).test('xb')).toBe(true);
    expect(compileEre('a)|(b', { exact: true }).test('ax')).toBe(true);
  });
});
