// The one answer to "is this program there", as exec would look for it, on any host.
//
// Relies on how a spawn searches (libuv's uv__execvpe, which Node uses, like glibc's execvp):
// - a name holding a `/` is tried as it is (a relative one from the working folder), no search;
// - else each folder of PATH in turn, an empty entry (or a relative one) meaning from the working
//   folder; PATH unset is _PATH_DEFPATH, /usr/bin:/bin;
// - a candidate that exists but cannot be run (a folder, no x bit) is passed over and the search
//   goes on (the spawn ends EACCES, not ENOENT, when nothing else is found).
// Kept light (nothing local-host.ts does not load already): the CLI's runner imports it on its
// start-up path.
import { isAbsolute, join } from 'node:path';
import { AppFailure } from '../errors.js';
import type { FileInfo, Host } from './host.js';

/** What a spawn searches when the environment has no PATH (libuv's _PATH_DEFPATH). */
export const DEFAULT_PATH = '/usr/bin:/bin';

/**
 * Where a spawn would look for `name`, in order: `name` itself when it holds a `/`, else
 * `dir/name` for each PATH entry (`name` alone for an empty entry: the working folder). None for
 * an empty name. Relative results are relative to whatever folder the program would start in.
 */
export function programCandidates(name: string, path: string = DEFAULT_PATH): string[] {
  if (name === '') return [];
  if (name.includes('/')) return [name];
  return path.split(':').map((dir) => (dir === '' ? name : join(dir, name)));
}

export interface FindProgramOptions {
  /** The PATH searched; default the host's own (or DEFAULT_PATH when it has none). */
  path?: string | undefined;
  /**
   * The folder the program would start in, for relative candidates (cron and a desktop session
   * start in HOME); default the host's own working folder, as its `run` without a cwd.
   */
  cwd?: string | undefined;
}

/**
 * A candidate that cannot be looked at (a PATH entry that is a file or a folder the user may not
 * read: ENOTDIR, EACCES) is not there; a far host that cannot be reached says so to the caller.
 */
function notThere(err: unknown): null {
  if (err instanceof AppFailure && err.error.code === 'host-unreachable') throw err;
  return null;
}

/**
 * The file a spawn of `name` would run on `host`, or null when it would find none: the first
 * candidate that exists, is not a folder (through links) and that the user may execute.
 * The candidates are looked at together (on a far host each look is a round trip), then taken
 * in order.
 */
export async function findProgram(
  host: Pick<Host, 'env' | 'stat' | 'canExecute'>,
  name: string,
  opts: FindProgramOptions = {},
): Promise<string | null> {
  const candidates = programCandidates(name, opts.path ?? host.env.PATH ?? DEFAULT_PATH).map((c) =>
    opts.cwd !== undefined && !isAbsolute(c) ? join(opts.cwd, c) : c,
  );
  const runnable = await Promise.all(
    candidates.map(async (c) => {
      const stat = (p: string): Promise<FileInfo | null> => host.stat(p).catch(notThere);
      const st = await stat(c);
      if (st === null || st.kind === 'dir') return false;
      // A link to a folder: `link/.` is that folder (a link to a file makes `file/.` fail).
      if (st.kind === 'link' && (await stat(`${c}/.`))?.kind === 'dir') return false;
      return host.canExecute(c);
    }),
  );
  const at = runnable.indexOf(true);
  return at < 0 ? null : candidates[at]!;
}
