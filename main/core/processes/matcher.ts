// Process selection with pgrep's semantics (procps-ng 4 src/pgrep.c, select_procs):
// - the pattern is a POSIX ERE (see ere.ts) searched in the process name (comm, at most 15
//   characters: longer name patterns match nothing) or, with -f, in the command line: argv
//   joined by spaces, trailing NULs dropped, newlines as spaces, `[comm]` when there is no
//   cmdline (kernel threads) and ` <defunct>` after it for zombies, as libproc2 renders it;
// - -x anchors as `^(PATTERN)$`; -u matches the effective uid (names or numbers, comma lists);
//   -P the parent pid; all criteria must hold; with no pattern at least one other is needed;
// - -n keeps the match with the latest start time (ties: the higher pid), -o the earliest
//   (ties: the lower pid);
// - pgrep excludes only itself; the scanner already leaves the app's own processes out.
import { readFileSync } from 'node:fs';
import { compileEre } from './ere.js';
import type { ProcessInfo, ProcessTable } from './proc-scanner.js';

export interface MatchOptions {
  /** POSIX ERE; optional when another criterion is given. */
  pattern?: string | null;
  /** -f: match the full command line instead of the process name. */
  full?: boolean;
  /** -x: the whole name (or command line) must match. */
  exact?: boolean;
  /** -i */
  ignoreCase?: boolean;
  /** -u: user names or uids. */
  users?: string[];
  /** -P: parent pids. */
  parents?: number[];
  newest?: boolean;
  oldest?: boolean;
}

export class MatchError extends Error {}

function hasControl(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

/** libproc2 shows control characters as '?' (newlines as spaces). */
function clean(s: string): string {
  if (!hasControl(s)) return s; // the usual case, without a replace per character
  return s.replace(/\n/g, ' ').replace(/./gsu, (c) => (c < ' ' || c === '\u007f' ? '?' : c));
}

/**
 * Command-line subjects by argv array: the scanner hands out the same array for a process as
 * long as its identity lasts, so a periodic poll joins and cleans each command line once.
 */
const fullSubjects = new WeakMap<readonly string[], string>();

/** The text pgrep matches against for one process. */
export function matchSubject(p: Pick<ProcessInfo, 'argv' | 'comm' | 'state'>, full: boolean) {
  if (!full) return clean(p.comm);
  const known = fullSubjects.get(p.argv);
  if (known !== undefined) return known;
  let argv = p.argv;
  while (argv.length > 0 && argv[argv.length - 1] === '') argv = argv.slice(0, -1);
  // Depends on comm and state: not kept.
  if (argv.length === 0) return `[${clean(p.comm)}]${p.state === 'Z' ? ' <defunct>' : ''}`;
  const subject = clean(argv.join(' '));
  fullSubjects.set(p.argv, subject);
  return subject;
}

/** uids by user name from /etc/passwd (local users; what getpwnam finds on a plain desktop). */
export function passwdUids(path = '/etc/passwd'): Map<string, number> {
  const map = new Map<string, number>();
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return map;
  }
  for (const line of text.split('\n')) {
    const [name, , uid] = line.split(':');
    if (name && uid !== undefined && /^\d+$/.test(uid)) map.set(name, Number(uid));
  }
  return map;
}

export function resolveUsers(users: string[], known = passwdUids()): Set<number> {
  const out = new Set<number>();
  for (const u of users) {
    if (/^\d+$/.test(u)) out.add(Number(u));
    else {
      const uid = known.get(u);
      if (uid === undefined) throw new MatchError(`invalid user name: ${u}`);
      out.add(uid);
    }
  }
  return out;
}

export interface SelectDeps {
  /** Exact effective uid for a pid (status file); defaults to the scanned owner uid. */
  euid?: (p: ProcessInfo) => number | null;
  passwd?: Map<string, number>;
}

/** A compiled selection: call with a table, get the processes pgrep would print, in pid order. */
export function createMatcher(
  opts: MatchOptions,
  deps: SelectDeps = {},
): (table: ProcessTable | ProcessInfo[]) => ProcessInfo[] {
  const pattern = opts.pattern ?? null;
  const users = opts.users && opts.users.length > 0 ? resolveUsers(opts.users, deps.passwd) : null;
  const parents = opts.parents && opts.parents.length > 0 ? new Set(opts.parents) : null;
  if (pattern === null && users === null && parents === null)
    throw new MatchError('no matching criteria specified');
  if (opts.newest && opts.oldest) throw new MatchError('-n and -o are mutually exclusive');
  const re =
    pattern === null
      ? null
      : compileEre(pattern, {
          ...(opts.exact ? { exact: true } : {}),
          ...(opts.ignoreCase ? { ignoreCase: true } : {}),
        });
  const full = opts.full ?? false;
  return (table) => {
    const list = Array.isArray(table) ? table : table.processes;
    const hits: ProcessInfo[] = [];
    for (const p of list) {
      if (parents !== null && !parents.has(p.ppid)) continue;
      if (users !== null) {
        const uid = deps.euid?.(p) ?? p.uid;
        if (!users.has(uid)) continue;
      }
      if (re !== null && !re.test(matchSubject(p, full))) continue;
      hits.push(p);
    }
    hits.sort((a, b) => a.pid - b.pid);
    if (hits.length === 0 || (!opts.newest && !opts.oldest)) return hits;
    let best = hits[0]!;
    for (const p of hits) {
      if (opts.newest) {
        if (p.starttime > best.starttime || (p.starttime === best.starttime && p.pid > best.pid))
          best = p;
      } else if (
        p.starttime < best.starttime ||
        (p.starttime === best.starttime && p.pid < best.pid)
      ) {
        best = p;
      }
    }
    return [best];
  };
}
