// systemd's unit-file list, remembered with the look of the folders it came from, so a command
// that only reads (`daemon-deck list`, `sources`) need not ask for it again while they stay as
// they were.
//
// Why: ListUnitFilesByPatterns is most of a `list`. systemd 252 works out every file's state anew
// for each call (about 1 ms of the manager's CPU per file here, 100 ms for 97 files), where the
// answer can only change when something under the unit search path changes: ListUnitFiles reads
// the folders, the files' [Install] sections and the .wants/.requires links, never the manager's
// loaded state. A status bar running `list` every few seconds made the manager do that each time.
//
// How it stays true (the folders' fingerprint, fingerprint()):
// - every folder of the manager's own search path (its UnitPath property, checked against what is
//   remembered on each use), each entry in it and in its subfolders (.wants, .requires, .d): name,
//   inode, size, mode, mtime and ctime, a link's target and what it points to (a linked unit file
//   outside the path), and which folders are missing. Adding, removing, renaming, linking,
//   masking or editing a file changes it; ctime cannot be set back by touch(1) or cp -p.
// - the list is kept only when the fingerprint taken before the request was sent equals the one
//   taken after the answer: nothing changed while systemd read the folders.
// - timestamps are as fine as the kernel's clock tick: a folder changed within the last
//   RACY_MS of the fingerprint is not kept (as git does with racily clean index entries), so two
//   same-size edits within one tick cannot leave a stale list behind.
// - another bus (the key: bus address and user) or another search path is a miss.
// The memo file is the app's own cache ($XDG_CACHE_HOME/daemon-deck), written atomically; two
// writers at once each leave a whole, valid file (the last one wins), so no lock is taken.
import { lstatSync, readFileSync, readdirSync, readlinkSync, statSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../atomic-write.js';
import { xdgDirs } from '../xdg.js';
import { sessionBusAddress } from './bus.js';

/** [path, state] rows as ListUnitFilesByPatterns answers them. */
export type UnitFileRows = Array<[string, string]>;

/** What read() found: the remembered search path, the folders' fingerprint now, the rows. */
export interface MemoRead {
  unitPath: readonly string[];
  /** The folders under `unitPath` as they look now (taken before any request is sent). */
  fingerprint: string;
  /** The remembered rows, when the folders still look as they did then; else null. */
  rows: UnitFileRows | null;
}

export interface UnitFilesMemo {
  /** What is remembered, checked against the folders now; null when nothing usable is kept. */
  read(): MemoRead | null;
  /** The folders under `unitPath` as they look now. */
  fingerprint(unitPath: readonly string[]): string;
  /**
   * Remember `rows`, answered between two fingerprints; kept only when `before` equals
   * `after`. `after` null: remember the search path alone (the next use fingerprints it).
   */
  keep(
    unitPath: readonly string[],
    before: string | null,
    after: string | null,
    rows: unknown,
  ): void;
  /** Resolves once a write keep() started is done (or failed: the memo is only a cache). */
  settled(): Promise<void>;
}

/** Changes this recent (ms) may share a timestamp with a later one: not kept (see header). */
export const RACY_MS = 2000;
const VERSION = 1;
/** Subfolders deeper than this are not looked into (a unit folder has .wants and .d only). */
const MAX_DEPTH = 2;

function statLine(st: Stats): string {
  return `${st.mode} ${st.ino} ${st.size} ${st.mtimeMs} ${st.ctimeMs}`;
}

/** A look that failed, by its errno name. */
function failed(err: unknown): string {
  return `!${(err as { code?: string }).code ?? 'error'}`;
}

/**
 * The fingerprint of the folders `dirs` and everything below them (see the header), and the
 * newest ctime seen (ms), for the racy check.
 */
export function folderFingerprint(dirs: readonly string[]): { text: string; newest: number } {
  const lines: string[] = [];
  let newest = 0;
  const visit = (path: string, depth: number): void => {
    let st: Stats | undefined;
    try {
      st = lstatSync(path, { throwIfNoEntry: false });
    } catch (err) {
      lines.push(`${path}\t${failed(err)}`);
      return;
    }
    if (st === undefined) {
      lines.push(`${path}\t-`);
      return;
    }
    newest = Math.max(newest, st.ctimeMs, st.mtimeMs);
    let line = `${path}\t${statLine(st)}`;
    if (st.isSymbolicLink()) {
      try {
        line += `\t${readlinkSync(path)}`;
        const target = statSync(path, { throwIfNoEntry: false });
        if (target !== undefined) newest = Math.max(newest, target.ctimeMs, target.mtimeMs);
        line += `\t${target === undefined ? '-' : statLine(target)}`;
      } catch (err) {
        line += `\t${failed(err)}`;
      }
    }
    lines.push(line);
    if (!st.isDirectory() || depth > MAX_DEPTH) return;
    let names: string[];
    try {
      names = readdirSync(path).sort();
    } catch (err) {
      lines.push(`${path}/\t${failed(err)}`);
      return;
    }
    for (const name of names) visit(join(path, name), depth + 1);
  };
  for (const dir of dirs) visit(dir, 0);
  return { text: lines.join('\n'), newest };
}

interface MemoFile {
  version: number;
  key: string;
  unitPath: string[];
  fingerprint: string;
  rows: UnitFileRows | null;
}

/** An array of strings (the search path as the bus gives it, a row of the list). */
export const isStrings = (v: unknown): v is string[] =>
  Array.isArray(v) && v.every((s) => typeof s === 'string');

function parseMemo(text: string, key: string): MemoFile | null {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  const m = v as Partial<MemoFile> | null;
  if (
    m === null ||
    typeof m !== 'object' ||
    m.version !== VERSION ||
    m.key !== key ||
    !isStrings(m.unitPath) ||
    typeof m.fingerprint !== 'string' ||
    (m.rows !== null && asRows(m.rows) === null)
  )
    return null;
  return m as MemoFile;
}

/** Rows as the bus gave them, when they have the shape of ListUnitFiles' answer. */
function asRows(rows: unknown): UnitFileRows | null {
  return Array.isArray(rows) && rows.every((r) => isStrings(r) && r.length === 2)
    ? (rows as UnitFileRows)
    : null;
}

/**
 * The memo kept in the file `path` for the bus and user named by `key`. `now` is the clock the
 * racy check compares ctimes with.
 */
export function fileUnitFilesMemo(
  path: string,
  key: string,
  now: () => number = Date.now,
): UnitFilesMemo {
  let writing: Promise<void> = Promise.resolve();
  const fingerprint = (unitPath: readonly string[]) => {
    const { text, newest } = folderFingerprint(unitPath);
    // A folder changed within a clock tick or two of now may change again unseen: such a
    // fingerprint never matches a kept one (it is not kept either: see keep()).
    return newest > now() - RACY_MS ? `racy\n${text}` : text;
  };
  return {
    read() {
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch {
        return null;
      }
      const kept = parseMemo(text, key);
      if (kept === null) return null;
      const now = fingerprint(kept.unitPath);
      const same = kept.rows !== null && !now.startsWith('racy\n') && now === kept.fingerprint;
      return { unitPath: kept.unitPath, fingerprint: now, rows: same ? kept.rows : null };
    },
    fingerprint,
    keep(unitPath, before, after, rows) {
      const valid = asRows(rows);
      const stable =
        valid !== null && before !== null && before === after && !before.startsWith('racy\n');
      const file: MemoFile = {
        version: VERSION,
        key,
        unitPath: [...unitPath],
        fingerprint: stable ? before : '',
        rows: stable ? valid : null,
      };
      writing = writing
        .then(() => writeFileAtomic(path, JSON.stringify(file), 0o600))
        .catch(() => undefined);
    },
    settled: () => writing,
  };
}

/**
 * The memo of this user's session bus named by `env` (the CLI's read-only commands), in
 * $XDG_CACHE_HOME/daemon-deck; null without a bus address (nothing to key it by) or without a
 * home or cache folder (no cache is written under / for an environment that names none).
 */
export function sessionUnitFilesMemo(env: NodeJS.ProcessEnv): UnitFilesMemo | null {
  const address = sessionBusAddress(env);
  const placed = [env.XDG_CACHE_HOME, env.HOME].some((d) => d?.startsWith('/') === true);
  if (address === null || !placed) return null;
  return fileUnitFilesMemo(
    join(xdgDirs(env).cache, 'daemon-deck', 'unit-files.json'),
    `${process.getuid?.() ?? ''} ${address}`,
  );
}
