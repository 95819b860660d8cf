// Settings for the commands that only read them (`list`, `sources`): settings.json as it is on
// disk, one read and no write. Opening it the usual way (openConfBackend) takes the store lock (a
// lock directory made and removed), loads conf and may create the folder: a third of `list`'s
// own work on a quiet machine, for values it only reads. A file that is not plain JSON takes the
// usual way, which sets it aside and says so, as every command does.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SETTINGS_FILE_NAME, type KeyValueBackend } from '../core/settings/settings.js';
import { settingsDir } from '../core/xdg.js';

type Values = Record<string, unknown>;

/** A value as conf reads it: `a.b` is key b of the object at a. */
function valueAt(values: Values, key: string): unknown {
  let at: unknown = values;
  for (const part of key.split('.')) {
    if (typeof at !== 'object' || at === null) return undefined;
    at = (at as Values)[part];
  }
  return at;
}

/**
 * The settings file read once, or null when the usual way must open it (it is not a JSON object,
 * or cannot be read). What the core would write meanwhile (a migration of an older file) stays in
 * memory: the next command that changes settings writes it.
 */
export function readSettingsOnce(env: NodeJS.ProcessEnv): KeyValueBackend | null {
  const path = join(settingsDir(env), `${SETTINGS_FILE_NAME}.json`);
  let values: Values = {};
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
    values = parsed as Values;
  } catch (err) {
    if ((err as { code?: unknown }).code !== 'ENOENT') return null;
  }
  const written = new Map<string, unknown>();
  // A copy each time, as conf reads the file afresh for every get: callers may change what they get.
  const copy = (value: unknown) =>
    typeof value === 'object' && value !== null ? structuredClone(value) : value;
  return {
    get: (key) => copy(written.has(key) ? written.get(key) : valueAt(values, key)),
    set: (key, value) => void written.set(key, value),
    setMany: (many) => {
      for (const [key, value] of Object.entries(many)) written.set(key, value);
    },
    issues: [],
    path,
  };
}
