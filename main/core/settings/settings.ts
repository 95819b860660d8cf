// The settings interface the rest of the app sees. Backed by electron-store in the Electron shell
// and by conf (the same engine, without electron) in Node: the CLI and tests. Both point at the
// one settings.json; values are checked and older files migrated by settings-schema.ts when the
// store opens, and the migrated values are written back in one atomic write by conf.
//
// settings.json is one file shared by the app and every CLI process (watch rules, crash history
// and the settings proper are keys in it), so every write is a read-modify-write of the whole
// file: conf and electron-store read the file on every get and set (no cache unless asked for)
// and write it atomically. Each change holds the store lock of settings.json
// (store/file-store.ts) from its read to its write, and SettingsStore.update re-reads the file
// under that lock before applying its patch, so the app and a CLI writing at the same moment
// lose nothing. conf and electron-store are synchronous, so the lock is too (withLockSync).
import { statSync, watch, type FSWatcher } from 'node:fs';
import { readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { AlertSettings } from '../model/alerts.js';
import type { Settings } from '../model/domain.js';
import { AppFailure, appError, fileError } from '../errors.js';
import { t } from '../../../i18n/index.js';
import { couldNot, withLock, withLockSync } from '../store/file-store.js';
import { settingsDir } from '../xdg.js';
import {
  SETTINGS_KEYS,
  VERSION_KEY,
  migrateSettings,
  normaliseSettings,
  type SettingsReport,
} from './settings-schema.js';

export { DEFAULT_SETTINGS, SETTINGS_VERSION, type SettingsReport } from './settings-schema.js';

/** What the core may change; the alert options merge into the current ones. */
export interface SettingsUpdate {
  pinned?: string[];
  theme?: Settings['theme'];
  language?: Settings['language'];
  ignoredStrays?: string[];
  pollIntervalMs?: number;
  logWarnBytes?: number;
  alerts?: Partial<AlertSettings>;
}

export interface SettingsStore {
  get(): Settings;
  update(patch: SettingsUpdate): Settings;
  onChange(listener: (settings: Settings) => void): () => void;
  /** What opening the settings found: the format it migrated from and any values replaced. */
  readonly report: SettingsReport;
}

/** Anything with conf's get/set shape: conf itself and electron-store both are. */
export interface KeyValueBackend {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  /** Several keys in one write (conf's and electron-store's set(object)). */
  setMany?(values: Record<string, unknown>): void;
  /** Problems met opening the file (e.g. an unreadable file set aside), for the report. */
  readonly issues?: readonly string[];
  /** The file it keeps (conf and electron-store both say), for error messages. */
  readonly path?: string;
  /**
   * Runs `fn` holding the file's store lock: what it gets and sets inside is one
   * read-modify-write no other process interleaves with. Absent: `fn` runs as it is (memory).
   */
  transact?<T>(fn: () => T): T;
  /**
   * A number that moves whenever the file may have changed (a write through this backend, an
   * event of the watch on its folder), or null when nothing tells (no watch: read each time).
   * Read before a get, the same number later means that get's value still holds, a change by
   * another process counting from the moment its event was handled (the process poll's rules).
   */
  version?(): number | null;
}

/** `fn` as one read-modify-write of the backend (see KeyValueBackend.transact). */
export function transact<T>(backend: KeyValueBackend, fn: () => T): T {
  return backend.transact ? backend.transact(fn) : fn();
}

/** A failed write of the settings file (a full disk) as an AppFailure that names the file. */
function writeFailure(backend: KeyValueBackend, err: unknown): AppFailure {
  const file = backend.path ?? t('settings:errors.theFile');
  return new AppFailure(
    fileError(err, file) ?? appError('internal', couldNot('write', file, err), String(err)),
  );
}

/** backend.set; a failed write (a full disk) throws an AppFailure that names the file. */
export function setOrFail(backend: KeyValueBackend, key: string, value: unknown): void {
  try {
    backend.set(key, value);
  } catch (err) {
    throw writeFailure(backend, err);
  }
}

function writeKeys(backend: KeyValueBackend, values: Record<string, unknown>): void {
  if (Object.keys(values).length === 0) return;
  try {
    if (backend.setMany) backend.setMany(values);
    else for (const [k, v] of Object.entries(values)) backend.set(k, v);
  } catch (err) {
    throw writeFailure(backend, err);
  }
}

function readOwned(backend: KeyValueBackend): Record<string, unknown> {
  const stored: Record<string, unknown> = {};
  for (const key of SETTINGS_KEYS) {
    const value = backend.get(key);
    if (value !== undefined) stored[key] = value;
  }
  return stored;
}

export function createSettingsStore(
  backend: KeyValueBackend,
  opts: { clock?: () => number } = {},
): SettingsStore {
  const clock = opts.clock ?? Date.now;
  const listeners = new Set<(s: Settings) => void>();
  const issues = [...(backend.issues ?? [])];
  const opened = transact(backend, () => {
    const read = migrateSettings(readOwned(backend), clock());
    if (read.changed) {
      // Writing the migrated file back is a courtesy: where it fails (a full disk), the app runs
      // on the migrated values in memory and tries again with the next change.
      try {
        writeKeys(backend, Object.fromEntries(SETTINGS_KEYS.map((k) => [k, read.values[k]])));
      } catch (err) {
        issues.push(
          t('settings:errors.inMemoryOnly', {
            reason: err instanceof AppFailure ? err.error.message : String(err),
          }),
        );
      }
    }
    return read;
  });
  issues.splice(backend.issues?.length ?? 0, 0, ...opened.report.issues);
  let current = opened.settings;
  const report: SettingsReport = { ...opened.report, issues };
  return {
    get: () => current,
    update(patch) {
      // Under the lock, from the file as it is now: another process (the CLI, a second window of
      // the app) may have changed it since this one last read it.
      current = transact(backend, () => {
        const fresh = migrateSettings(readOwned(backend), clock());
        const { settings } = normaliseSettings(
          {
            ...fresh.settings,
            ...patch,
            alerts: { ...fresh.settings.alerts, ...patch.alerts },
          },
          clock(),
        );
        const changed: Record<string, unknown> = fresh.changed
          ? Object.fromEntries(SETTINGS_KEYS.map((k) => [k, fresh.values[k]]))
          : {};
        for (const [k, v] of Object.entries(settings))
          if (JSON.stringify(v) !== JSON.stringify(fresh.settings[k as keyof Settings]))
            changed[k] = v;
        if (Object.keys(changed).length > 0) {
          // The version goes with every write (a newer file keeps its own: report.to is it).
          // The settings in memory change only once they are on disk: a failed write (a full
          // disk) throws an AppFailure naming the file and changes nothing.
          changed[VERSION_KEY] = fresh.report.to;
          writeKeys(backend, changed);
        }
        return settings;
      });
      for (const l of listeners) l(current);
      return current;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    report,
  };
}

/** A store kept in memory only (tests that do not care about persistence). */
export function createMemorySettings(initial: Record<string, unknown> = {}): SettingsStore {
  return createSettingsStore(createMemoryBackend(initial));
}

/** A KeyValueBackend over a Map (tests, and the e2e transport). */
export function createMemoryBackend(
  initial: Record<string, unknown> = {},
): KeyValueBackend & { map: Map<string, unknown> } {
  const map = new Map<string, unknown>(Object.entries(initial));
  return {
    map,
    get: (k) => map.get(k),
    set: (k, v) => void map.set(k, v),
    setMany: (values) => {
      for (const [k, v] of Object.entries(values)) map.set(k, v);
    },
  };
}

// settingsDir lives in xdg.ts, so the CLI finds the language setting without loading this module.
export { settingsDir };

export const SETTINGS_FILE_NAME = 'settings';

/** What conf and electron-store both offer (electron-store is conf with Electron's paths). */
export interface ConfLike {
  get(key: string): unknown;
  set(values: Record<string, unknown>): void;
  readonly path: string;
}

/**
 * conf and electron-store throw on a settings.json that is not JSON (or not an object), which
 * would stop the app and the CLI. Such a file is renamed aside (kept for the person to look at,
 * never deleted) and the store starts from the defaults. Returns the sentence to report (the CLI
 * prints it, the app shows it as a notice), or null. Call it holding the file's lock.
 */
export async function setAsideUnreadableSettings(
  dir: string,
  clock: () => number = Date.now,
): Promise<string | null> {
  const path = join(dir, `${SETTINGS_FILE_NAME}.json`);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as { code?: unknown }).code === 'ENOENT') return null; // The store makes one.
    throw new AppFailure(
      fileError(err, path, 'read') ?? appError('internal', couldNot('read', path, err)),
    );
  }
  let why: string | null = null;
  try {
    const value: unknown = JSON.parse(text.replace(/^\uFEFF/, ''));
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      why = t('settings:errors.noValues');
  } catch {
    why = t('settings:errors.notJson');
  }
  if (why === null) return null;
  const aside = `${path}.unreadable-${new Date(clock()).toISOString().replace(/[:.]/g, '-')}`;
  try {
    await rename(path, aside);
  } catch (err) {
    throw new AppFailure(
      fileError(err, path, 'move aside') ?? appError('internal', couldNot('moveAside', path, err)),
    );
  }
  return t('settings:errors.setAside', { path, why, aside });
}

/**
 * The settings file as a KeyValueBackend whose every write holds the file's store lock:
 * `open(cwd)` makes the conf or electron-store instance. An unreadable file is set aside first,
 * under the same lock, and reported in `issues`.
 */
export async function openSettingsFile(
  env: NodeJS.ProcessEnv,
  open: (cwd: string) => ConfLike,
): Promise<KeyValueBackend> {
  const cwd = settingsDir(env);
  const path = join(cwd, `${SETTINGS_FILE_NAME}.json`);
  const lock = { env };
  const { store, aside } = await withLock(lock, path, async () => {
    const aside = await setAsideUnreadableSettings(cwd);
    return { store: open(cwd), aside };
  });
  let depth = 0;
  const locked = <T>(fn: () => T): T => {
    if (depth > 0) return fn();
    return withLockSync(lock, path, () => {
      depth++;
      try {
        return fn();
      } finally {
        depth--;
      }
    });
  };
  const cache = readCache(cwd, path);
  return {
    // Inside a change (depth > 0) every read comes from the file, under its lock.
    get: (key) => (depth > 0 ? store.get(key) : cache.get(key, () => store.get(key))),
    set: (key, value) =>
      locked(() => {
        cache.clear();
        store.set({ [key]: value });
      }),
    setMany: (values) =>
      locked(() => {
        cache.clear();
        store.set(values);
      }),
    transact: locked,
    version: () => (depth > 0 ? null : cache.version()),
    issues: aside === null ? [] : [aside],
    path: store.path,
  };
}

/**
 * What settings.json held at the last read, by key: conf and electron-store read and parse the
 * whole file on every get, and the core gets the watch rules at every process poll (2 s). A value
 * is handed out again (a copy: callers may change what they get) while the file is the same one:
 * the same inode, size and change time (every write of conf, electron-store and the CLI is a
 * temp file renamed over it, so a new inode), and no event of a watch on its folder since.
 * Without a watch (no inotify), every get reads the file as before.
 */
function readCache(
  dir: string,
  path: string,
): {
  get(key: string, read: () => unknown): unknown;
  clear(): void;
  version(): number | null;
} {
  const values = new Map<string, unknown>();
  let seen = '';
  let watcher: FSWatcher | null = null;
  let version = 0;
  const clear = () => {
    version++;
    values.clear();
  };
  const name = `${SETTINGS_FILE_NAME}.json`;
  try {
    watcher = watch(dir, { persistent: false }, (_event, file) => {
      if (file === null || file === name) clear();
    });
    watcher.on('error', () => {
      watcher?.close();
      watcher = null;
      clear();
    });
  } catch {
    watcher = null; // no inotify (or the folder is gone): no cache
  }
  const signature = (): string => {
    const st = statSync(path, { bigint: true, throwIfNoEntry: false });
    return st === undefined ? '' : `${st.dev}:${st.ino}:${st.size}:${st.ctimeNs}:${st.mtimeNs}`;
  };
  return {
    get(key, read) {
      if (watcher === null) return read();
      const now = signature();
      if (now !== seen) {
        clear();
        seen = now;
      }
      if (!values.has(key)) values.set(key, read());
      const value = values.get(key);
      return typeof value === 'object' && value !== null ? structuredClone(value) : value;
    },
    clear,
    version: () => (watcher === null ? null : version),
  };
}

/** conf (electron-store's engine, without electron) on settings.json in settingsDir(env). */
export async function openConfBackend(env: NodeJS.ProcessEnv): Promise<KeyValueBackend> {
  const { default: Conf } = await import('conf');
  return openSettingsFile(
    env,
    (cwd) =>
      new Conf<Record<string, unknown>>({
        projectName: 'daemon-deck',
        cwd,
        configName: SETTINGS_FILE_NAME,
      }),
  );
}

/** conf-backed settings for plain Node (CLI, tests). */
export async function createConfSettings(env: NodeJS.ProcessEnv): Promise<SettingsStore> {
  return createSettingsStore(await openConfBackend(env));
}
