// glibc's regcomp/regexec as an oracle for the ERE translator: a tiny C program built with the
// system compiler into a temp dir. Each case is one line `PATTERN\x01SUBJECT\x01SUBJECT...`; the
// answer is `E message` for a pattern glibc rejects, else one 0/1 per subject.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SOURCE = String.raw`
#include <locale.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
int main(void) {
  setlocale(LC_ALL, "C.UTF-8");
  char *line = NULL; size_t cap = 0; ssize_t n;
  while ((n = getline(&line, &cap, stdin)) > 0) {
    if (line[n - 1] == '\n') line[--n] = 0;
    char *save = line; char *pat = strsep(&save, "\x01");
    regex_t re; int rc = regcomp(&re, pat, REG_EXTENDED | REG_NOSUB);
    if (rc) { char buf[256]; regerror(rc, &re, buf, sizeof buf); printf("E %s\n", buf); continue; }
    char *s;
    while ((s = strsep(&save, "\x01")) != NULL) putchar(regexec(&re, s, 0, NULL, 0) == 0 ? '1' : '0');
    putchar('\n'); regfree(&re);
  }
  return 0;
}
`;

export interface OracleAnswer {
  error: string | null;
  matches: boolean[];
}

export interface Oracle {
  (cases: Array<{ pattern: string; subjects: string[] }>): OracleAnswer[];
  /** Removes the temp dir with the program. */
  dispose(): void;
}

export function buildOracle(): Oracle {
  const dir = mkdtempSync(join(tmpdir(), 'dd-regex-oracle-'));
  writeFileSync(join(dir, 'oracle.c'), SOURCE);
  const bin = join(dir, 'oracle');
  execFileSync('cc', ['-O1', '-o', bin, join(dir, 'oracle.c')]);
  const run = (cases: Array<{ pattern: string; subjects: string[] }>): OracleAnswer[] => {
    const input = cases.map((c) => [c.pattern, ...c.subjects].join('\x01') + '\n').join('');
    const out = execFileSync(bin, [], { input, maxBuffer: 64 * 1024 * 1024 }).toString('utf8');
    return out
      .split('\n')
      .slice(0, cases.length)
      .map((l) =>
        l.startsWith('E ')
          ? { error: l.slice(2), matches: [] }
          : { error: null, matches: [...l].map((c) => c === '1') },
      );
  };
  return Object.assign(run, {
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  });
}
