// The settings interface the rest of the app sees. Backed by electron-store in the Electron shell
// and by conf (the same engine, without electron) in Node: tests and the CLI.
import type { Settings } from '../../../preload/contract.js';
import { AppFailure, appError, fileError } from '../errors.js';

export const DEFAULT_SETTINGS: Settings = { pinned: [], theme: 'system' };

export interface SettingsStore {
  get(): Settings;
  update(patch: Partial<Settings>): Settings;
  onChange(listener: (settings: Settings) => void): () => void;
}

/** Anything with conf's get/set shape: conf itself and electron-store both are. */
export interface KeyValueBackend {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  /** The file it keeps (conf and electron-store both say), for error messages. */
  readonly path?: string;
}

/** backend.set; a failed write (a full disk) throws an AppFailure that names the file. */
export function setOrFail(backend: KeyValueBackend, key: string, value: unknown): void {
  try {
    backend.set(key, value);
  } catch (err) {
    const file = backend.path ?? 'the settings file';
    throw new AppFailure(
      fileError(err, file) ??
        appError('internal', `Could not save ${file}: ${String(err)}`, String(err)),
    );
  }
}

function normalise(raw: unknown): Settings {
  const value = (typeof raw === 'object' && raw !== null ? raw : {}) as Partial<Settings>;
  const pinned = Array.isArray(value.pinned)
    ? value.pinned.filter((p): p is string => typeof p === 'string')
    : DEFAULT_SETTINGS.pinned;
  const theme =
    value.theme === 'light' || value.theme === 'dark' || value.theme === 'system'
      ? value.theme
      : DEFAULT_SETTINGS.theme;
  return { pinned: [...new Set(pinned)], theme };
}

export function createSettingsStore(backend: KeyValueBackend): SettingsStore {
  const listeners = new Set<(s: Settings) => void>();
  let current = normalise({ pinned: backend.get('pinned'), theme: backend.get('theme') });
  return {
    get: () => current,
    update(patch) {
      // Only what changed is written (one write for one change), and the settings in memory
      // change only once it is on disk: a failed write (a full disk) throws and changes nothing.
      const next = normalise({ ...current, ...patch });
      if (JSON.stringify(next.pinned) !== JSON.stringify(current.pinned))
        setOrFail(backend, 'pinned', next.pinned);
      if (next.theme !== current.theme) setOrFail(backend, 'theme', next.theme);
      current = next;
      for (const l of listeners) l(current);
      return current;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** A store kept in memory only (tests that do not care about persistence). */
export function createMemorySettings(initial: Partial<Settings> = {}): SettingsStore {
  const map = new Map<string, unknown>(Object.entries(initial));
  return createSettingsStore({ get: (k) => map.get(k), set: (k, v) => void map.set(k, v) });
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

/** conf (electron-store's engine, without electron) on settings.json in `cwd` (absolute). */
export async function openConfBackend(cwd: string): Promise<KeyValueBackend> {
  const { default: Conf } = await import('conf');
  return new Conf<Record<string, unknown>>({
    projectName: 'daemon-deck',
    cwd,
    configName: SETTINGS_FILE_NAME,
    defaults: { ...DEFAULT_SETTINGS },
  });
}

/** conf-backed settings for plain Node (CLI, tests). */
export async function createConfSettings(cwd: string): Promise<SettingsStore> {
  return createSettingsStore(await openConfBackend(cwd));
}
