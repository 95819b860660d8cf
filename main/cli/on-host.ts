// The process commands on another host (`--host NAME`, issue 17): the far host's process table
// read in one round trip (SshHost.readProcesses, far-processes.ts), and its watch rules kept in
// its own settings file (the far user's settings.json, read and written through the host under
// its lock), so rules made there travel with that user's setup. Nothing here signals or starts a
// process of this machine: a ProcessService over a FarProcessScanner only reads its table.
import { join } from 'node:path';
import { AppFailure, appError } from '../core/errors.js';
import type { Host } from '../core/host/host.js';
import { FarProcessScanner } from '../core/host/far-processes.js';
import { isSshHost } from '../core/host/hosts.js';
import type { SshHost } from '../core/host/ssh-host.js';
import { ProcessService } from '../core/processes/process-service.js';
import { createWatchRuleStore, type WatchRuleStore } from '../core/processes/watch-rules.js';
import { createMemoryBackend, SETTINGS_FILE_NAME } from '../core/settings/settings.js';
import { settingsDir } from '../core/xdg.js';
import { t } from '../../i18n/index.js';
import { CliFailure, type CliIo } from './command.js';
import { cliHost } from './hosts.js';

/** Whether the command acts on another host. */
export function onFarHost(io: CliIo): boolean {
  return io.host !== undefined && io.host !== 'local';
}

const opened = new WeakMap<CliIo, Promise<Host>>();

/** The far host of `io` (connected once per command, whatever asks for it). */
export async function farHost(io: CliIo): Promise<SshHost> {
  let host = opened.get(io);
  if (host === undefined) opened.set(io, (host = cliHost(io)));
  const h = await host;
  if (!isSshHost(h)) throw new CliFailure(t('hosts:errors.unknown', { name: io.host ?? '' }));
  return h;
}

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

/** A process service on the far host's table (read once, now) and its watch rules. */
export async function farProcessService(
  io: CliIo,
): Promise<{ host: SshHost; service: ProcessService }> {
  const host = await farHost(io);
  const scanner = new FarProcessScanner(host);
  const [rules] = await Promise.all([farRules(host), scanner.refresh()]);
  const service = new ProcessService({
    scanner,
    rules,
    env: host.env,
    uid: host.uid,
    // The far host's processes are not this machine's to watch for their exit.
    exitWatch: () => ({ watch: () => undefined, live: false, close: () => undefined }),
  });
  return { host, service };
}
