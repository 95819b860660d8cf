// The one function that quotes an argument vector for the far side's POSIX shell (issue 17):
// every argument must come out of `sh -c LINE` exactly as it went in, whatever bytes it holds.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quoteArg, shellCommand } from '../../main/core/host/shell-quote.js';

/**
 * The words a shell hands `printf '%s\0'` when it runs the quoted line, split at NUL (a first
 * word of our own, so that no arguments at all still prints nothing for them).
 */
function wordsThrough(shell: string, argv: string[]): string[] {
  const line = shellCommand(['printf', '%s\\0', 'first', ...argv]);
  const out = execFileSync(shell, ['-c', line], { encoding: 'utf8' });
  const words = out.split('\0');
  words.pop();
  expect(words.shift()).toBe('first');
  return words;
}

const SHELLS = ['/bin/sh', '/bin/bash'].filter((s) => existsSync(s));

/** Every byte a shell treats specially, alone, then words that mix them. */
const SPECIAL = [...'\'"\\$`*?[]~;&|<>!#(){}= \t\n%'];
const NASTY = [
  ...SPECIAL,
  ...["''", "a'b", "'\\''", '$HOME', '${HOME}', '$(id -u)', '`id -u`', '[a]', '~root', '-n', '--'],
  ...['a b', 'line\nbreak', '&&', '%s', 'é한글🙂', 'x=y', ''],
];

describe('shellCommand', () => {
  it("quotes each argument in single quotes, a quote as the four bytes '\\''", () => {
    expect(quoteArg("it's")).toBe(`'it'\\''s'`);
    expect(quoteArg('')).toBe("''");
    expect(shellCommand(['a b', '$x'])).toBe("'a b' '$x'");
  });

  it('refuses a NUL byte and an empty command rather than cutting them short', () => {
    expect(() => quoteArg('a\0b')).toThrow(/NUL/);
    expect(() => shellCommand([])).toThrow();
  });

  it.each(SHELLS)('hands the hard cases through %s unchanged', (shell) => {
    expect(wordsThrough(shell, NASTY)).toEqual(NASTY);
  });

  it('round-trips any argument vector through sh -c (property)', () => {
    expect(SHELLS.length).toBeGreaterThan(0);
    const arg = fc.string({ unit: 'binary', maxLength: 40 }).filter((s) => !s.includes('\0'));
    fc.assert(
      fc.property(fc.array(arg, { maxLength: 6 }), (argv) => {
        for (const shell of SHELLS) expect(wordsThrough(shell, argv)).toEqual(argv);
      }),
      { numRuns: 60 },
    );
  }, 90_000);
});
