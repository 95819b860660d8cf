// The settings interface the rest of the app sees. Backed by electron-store in the Electron shell
// and by conf (the same engine, without electron) in Node: the CLI and tests. Both point at the
// one settings.json; values are checked and older files migrated by settings-schema.ts when the
// store opens, and the migrated values are written back in one atomic write by conf.
import { readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { AlertSettings } from '../model/alerts.js';
import type { Settings } from '../model/domain.js';
import { AppFailure, appError, fileError } from '../errors.js';
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
  pollIntervalMs?: number;
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
}

/** A failed write of the settings file (a full disk) as an AppFailure that names the file. */
function writeFailure(backend: KeyValueBackend, err: unknown): AppFailure {
  const file = backend.path ?? 'the settings file';
  return new AppFailure(
    fileError(err, file) ??
      appError('internal', `Could not save ${file}: ${String(err)}`, String(err)),
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

export function createSettingsStore(
  backend: KeyValueBackend,
  opts: { clock?: () => number } = {},
): SettingsStore {
  const clock = opts.clock ?? Date.now;
  const listeners = new Set<(s: Settings) => void>();
  const stored: Record<string, unknown> = {};
  for (const key of SETTINGS_KEYS) {
    const value = backend.get(key);
    if (value !== undefined) stored[key] = value;
  }
  const opened = migrateSettings(stored, clock());
  const issues = [...(backend.issues ?? []), ...opened.report.issues];
  if (opened.changed) {
    // Writing the migrated file back is a courtesy: where it fails (a full disk), the app runs
    // on the migrated values in memory and tries again with the next change.
    try {
      writeKeys(
        backend,
        Object.fromEntries(SETTINGS_KEYS.map((k) => [k, opened.values[k]] as const)),
      );
    } catch (err) {
      issues.push(
        `${err instanceof AppFailure ? err.error.message : String(err)} (the settings were updated in memory only)`,
      );
    }
  }
  let current = opened.settings;
  const report: SettingsReport = { ...opened.report, issues };
  return {
    get: () => current,
    update(patch) {
      const { settings } = normaliseSettings(
        { ...current, ...patch, alerts: { ...current.alerts, ...patch.alerts } },
        clock(),
      );
      const changed = Object.fromEntries(
        Object.entries(settings).filter(
          ([k, v]) => JSON.stringify(v) !== JSON.stringify(current[k as keyof Settings]),
        ),
      );
      if (Object.keys(changed).length > 0) {
        // The version goes with every write (a newer file keeps its own: report.to is it).
        // The settings in memory change only once they are on disk: a failed write (a full
        // disk) throws an AppFailure naming the file and changes nothing.
        changed[VERSION_KEY] = report.to;
        writeKeys(backend, changed);
      }
      current = settings;
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

/**
 * The folder the app and the CLI keep settings in: $DAEMON_DECK_CONFIG_DIR, else
 * $XDG_CONFIG_HOME/daemon-deck (~/.config/daemon-deck). electron-store is pointed here too, so
 * both read and write the one settings.json.
 */
export function settingsDir(env: NodeJS.ProcessEnv): string {
  if (env.DAEMON_DECK_CONFIG_DIR) return env.DAEMON_DECK_CONFIG_DIR;
  const base = env.XDG_CONFIG_HOME || `${env.HOME ?? '/tmp'}/.config`;
  return `${base}/daemon-deck`;
}

export const SETTINGS_FILE_NAME = 'settings';

/**
 * conf and electron-store throw on a settings.json that is not JSON (or not an object), which
 * would stop the app and the CLI. Such a file is renamed aside (kept for the person to look at,
 * never deleted) and the store starts from the defaults. Returns the sentence to report, or null.
 */
export async function setAsideUnreadableSettings(
  dir: string,
  clock: () => number = Date.now,
): Promise<string | null> {
  const path = join(dir, `${SETTINGS_FILE_NAME}.json`);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return null; // No file yet (or none to read): the store makes one.
  }
  let ok: boolean;
  try {
    const value: unknown = JSON.parse(text);
    ok = typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    ok = false;
  }
  if (ok) return null;
  const aside = `${path}.unreadable-${new Date(clock()).toISOString().replace(/[:.]/g, '-')}`;
  await rename(path, aside);
  return `${path} could not be read as settings; it was kept as ${aside} and the defaults are used.`;
}

/** conf (electron-store's engine, without electron) on settings.json in `cwd` (absolute). */
export async function openConfBackend(cwd: string): Promise<KeyValueBackend> {
  const aside = await setAsideUnreadableSettings(cwd);
  const { default: Conf } = await import('conf');
  const conf = new Conf<Record<string, unknown>>({
    projectName: 'daemon-deck',
    cwd,
    configName: SETTINGS_FILE_NAME,
  });
  return {
    get: (key) => conf.get(key),
    set: (key, value) => conf.set(key, value),
    setMany: (values) => conf.set(values),
    issues: aside === null ? [] : [aside],
    path: conf.path,
  };
}

/** conf-backed settings for plain Node (CLI, tests). */
export async function createConfSettings(cwd: string): Promise<SettingsStore> {
  return createSettingsStore(await openConfBackend(cwd));
}
