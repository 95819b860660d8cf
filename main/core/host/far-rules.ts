// A host's own watch rules (issue 17): the rules live in the settings.json of the user a host
// runs as, so rules made on another machine stay there and travel with that user's setup. Read
// through the host and changed under that file's lock (Host.updateFile); the file keeps its other
// keys, and one that is not a JSON object is refused, never overwritten.
import { join } from 'node:path';
import { t } from '../../../i18n/index.js';
import { AppFailure, appError } from '../errors.js';
import { createWatchRuleStore, type WatchRuleStore } from '../processes/watch-rules.js';
import { createMemoryBackend, SETTINGS_FILE_NAME } from '../settings/settings.js';
import { settingsDir } from '../xdg.js';
import type { Host } from './host.js';

/** The far user's settings.json, as a path on the far side. */
function settingsPath(host: Host): string {
  return join(settingsDir(host.env), `${SETTINGS_FILE_NAME}.json`);
}

/** The settings file's values; one that is not a JSON object is refused, never overwritten. */
function parseSettings(host: Host, data: Buffer | null): Record<string, unknown> {
  if (data === null || data.length === 0) return {};
  try {
    const value = JSON.parse(data.toString('utf8')) as unknown;
    if (typeof value === 'object' && value !== null && !Array.isArray(value))
      return value as Record<string, unknown>;
  } catch {
    // said below
  }
  throw new AppFailure(
    appError(
      'invalid-input',
      t('hosts:far.badSettings', { name: host.name, path: settingsPath(host) }),
    ),
  );
}

/** The far host's watch rules as they are now (read only). */
export async function farRules(host: Host): Promise<WatchRuleStore> {
  const data = await host.readOrNull(settingsPath(host));
  return createWatchRuleStore(createMemoryBackend(parseSettings(host, data)));
}

/** Changes the far host's watch rules under its settings file's lock; the file keeps the rest. */
export async function changeFarRules<T>(host: Host, fn: (rules: WatchRuleStore) => T): Promise<T> {
  let result: T | undefined;
  await host.updateFile(
    settingsPath(host),
    (current) => {
      const backend = createMemoryBackend(parseSettings(host, current));
      result = fn(createWatchRuleStore(backend));
      return `${JSON.stringify(Object.fromEntries(backend.map), null, '\t')}\n`;
    },
    0o600,
  );
  return result as T;
}
