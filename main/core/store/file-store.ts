// The one store layer for every file the app writes (settings.json, unit files, drop-ins,
// autostart files, and the crontab's turn): each read-modify-write holds a lock that the app and
// every CLI process respect, writes atomically (atomic-write.ts), and a create never replaces.
//
// Relies on proper-lockfile (https://github.com/moxystudio/node-proper-lockfile): the lock is an
// atomic mkdir(2) of a lock folder, refreshed while held and taken over when stale (a process
// killed while holding it does not block the others for longer than `stale`). Chosen over a
// home-made scheme, and over flock(2), which Node cannot call without a native addon (and this
// project approves no install scripts). The lock folders live in the app's own state folder,
// keyed by the target's absolute path, so nothing is added to the user's folders and a read-only
// unit folder can still be locked (and then fail its write in words).
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import lockfile from 'proper-lockfile';
import { writeFileAtomic } from '../atomic-write.js';
import { AppFailure, appError, fileError } from '../errors.js';
import { t } from '../../../i18n/index.js';
import { appDirs } from '../xdg.js';

export interface StoreOptions {
  env: NodeJS.ProcessEnv;
  /** How long to wait for another writer before giving up, in ms. */
  waitMs?: number;
}

/** The lock folder that guards `target` (an absolute path, or a name like "crontab"). */
export function lockPathFor(env: NodeJS.ProcessEnv, target: string): string {
  const key = target.startsWith('/') ? resolve(target) : target;
  const hash = createHash('sha256').update(key).digest('hex').slice(0, 16);
  return join(appDirs(env).locks, `${basename(key).replace(/[^\w.@-]/g, '_')}-${hash}`);
}

/**
 * How long a writer waits for the others before it gives up with a `conflict`. Each holds the
 * lock for milliseconds of work, but twenty CLI processes at once on a loaded machine queue for
 * seconds; a holder that died is taken over after `stale` anyway.
 */
const WAIT_MS = 20_000;

const LOCK_OPTIONS = {
  realpath: false,
  stale: 10_000,
  update: 2_000,
  // A lock taken over while held (its holder stalled past `stale`, 10 s, with the refresh every
  // 2 s not running): the library's default throws from a timer, which would crash the app. The
  // turn finishes instead; its write is still atomic, only the order with the taker is lost.
  onCompromised: () => undefined,
} as const;

/** The words for a file call that failed with no errno fileError knows: "Could not read F: E". */
export function couldNot(verb: keyof typeof VERBS, file: string, err: unknown): string {
  return t('errors:store.couldNot', { verb: t(VERBS[verb]), file, reason: String(err) });
}

const VERBS = {
  read: 'errors:verb.read',
  create: 'errors:verb.create',
  lock: 'errors:verb.lock',
  write: 'errors:verb.write',
  moveAside: 'errors:verb.moveAside',
} as const;

function lockFailure(err: unknown, target: string, lockPath: string): AppFailure {
  if ((err as { code?: unknown }).code === 'ELOCKED')
    return new AppFailure(
      appError('conflict', t('errors:store.locked', { file: target }), String(err)),
    );
  return new AppFailure(
    fileError(err, lockPath, 'lock') ?? appError('internal', couldNot('lock', target, err)),
  );
}

function lockDirFailure(err: unknown, dir: string): AppFailure {
  return new AppFailure(
    fileError(err, dir, 'create') ?? appError('internal', couldNot('create', dir, err)),
  );
}

/**
 * Runs `fn` holding the lock of `target`. Waits up to `waitMs` (default 20 s) for another
 * holder; after that fails with a `conflict` error that says who is in the way.
 */
export async function withLock<T>(
  opts: StoreOptions,
  target: string,
  fn: () => Promise<T>,
): Promise<T> {
  const lockPath = lockPathFor(opts.env, target);
  const dir = appDirs(opts.env).locks;
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
  } catch (err) {
    throw lockDirFailure(err, dir);
  }
  const waitMs = opts.waitMs ?? WAIT_MS;
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(target, {
      ...LOCK_OPTIONS,
      lockfilePath: `${lockPath}.lock`,
      retries: {
        retries: Math.max(1, Math.ceil(waitMs / 50)),
        factor: 1,
        minTimeout: 20,
        maxTimeout: 50,
      },
    });
  } catch (err) {
    throw lockFailure(err, target, lockPath);
  }
  try {
    return await fn();
  } finally {
    await release().catch(() => undefined);
  }
}

const napCell = new Int32Array(new SharedArrayBuffer(4));

/**
 * withLock for callers that must stay synchronous (the settings backends: conf and
 * electron-store read and write synchronously, and SettingsStore.update is synchronous). The same
 * lock folder as withLock, so the two exclude each other across processes. proper-lockfile's
 * lockSync takes no retries, so the wait is a loop of short sleeps (Atomics.wait: the thread
 * sleeps, it does not spin); a holder keeps a settings write for milliseconds. Never call it for
 * a target this process already holds (it would wait for itself until `waitMs`).
 */
export function withLockSync<T>(opts: StoreOptions, target: string, fn: () => T): T {
  const lockPath = lockPathFor(opts.env, target);
  const dir = appDirs(opts.env).locks;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (err) {
    throw lockDirFailure(err, dir);
  }
  const deadline = Date.now() + (opts.waitMs ?? WAIT_MS);
  let release: () => void;
  for (;;) {
    try {
      release = lockfile.lockSync(target, { ...LOCK_OPTIONS, lockfilePath: `${lockPath}.lock` });
      break;
    } catch (err) {
      if ((err as { code?: unknown }).code !== 'ELOCKED' || Date.now() >= deadline)
        throw lockFailure(err, target, lockPath);
      Atomics.wait(napCell, 0, 0, 10 + Math.floor(Math.random() * 20));
    }
  }
  try {
    return fn();
  } finally {
    try {
      release();
    } catch {
      // Already released (taken over as stale): nothing of ours is left to remove.
    }
  }
}

/** The bytes of `path`, or null when it does not exist; other failures say why, naming it. */
export async function readOrNull(path: string): Promise<Buffer | null> {
  try {
    return await readFile(path);
  } catch (err) {
    if ((err as { code?: unknown }).code === 'ENOENT') return null;
    throw new AppFailure(
      fileError(err, path, 'read') ?? appError('internal', couldNot('read', path, err)),
    );
  }
}

/**
 * Read-modify-write of one file under its lock: `change` gets the current bytes (null when
 * absent) and returns the new contents, or undefined to leave the file as it is. Resolves with
 * what `change` returned once it is on disk.
 */
export async function updateFile(
  opts: StoreOptions,
  path: string,
  change: (
    current: Buffer | null,
  ) => Promise<string | Buffer | undefined> | string | Buffer | undefined,
  mode?: number,
): Promise<string | Buffer | undefined> {
  return withLock(opts, path, async () => {
    const next = await change(await readOrNull(path));
    if (next !== undefined) await writeFileAtomic(path, next, mode);
    return next;
  });
}

/** Creates `path` with `data` under its lock; a file already there is a `conflict`, untouched. */
export async function createFile(
  opts: StoreOptions,
  path: string,
  data: string | Buffer,
  mode?: number,
  what = basename(path),
): Promise<void> {
  await withLock(opts, path, async () => {
    if ((await readOrNull(path)) !== null)
      throw new AppFailure(appError('conflict', t('errors:store.exists', { what, path })));
    await writeFileAtomic(path, data, mode);
  });
}
