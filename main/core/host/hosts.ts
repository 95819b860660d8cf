// The hosts the user added (issue 17): a list in settings.json under its own key, `hosts`, each
// a name and an SSH destination, nothing else. The CLI's `host add/rm/list`, its `--host NAME`,
// and the IPC contract all go through here: a host that is not in this list is never reached.
// openHost() is the one way to get the core's Host for a name.
import { z } from 'zod';
import { t } from '../../../i18n/index.js';
import { hostSchema } from '../../../contract/settings-schemas.js';
import { AppFailure, appError } from '../errors.js';
import { setOrFail, transact, type KeyValueBackend } from '../settings/settings.js';
import type { Host } from './host.js';
import { createLocalHost } from './local-host.js';
import { connectSshHost, type SshHost } from './ssh-host.js';

export const HOSTS_KEY = 'hosts';
/** For tests: a JSON argv prefix for the ssh client (e.g. ["ssh", "-F", "/tmp/x/ssh_config"]). */
export const SSH_ARGV_ENV = 'DAEMON_DECK_SSH_ARGV';

export interface HostEntry {
  name: string;
  destination: string;
}

/** The hosts in settings; entries that are not valid are left out (and left in the file). */
export function readHosts(backend: KeyValueBackend): HostEntry[] {
  const raw = backend.get(HOSTS_KEY);
  if (!Array.isArray(raw)) return [];
  const out: HostEntry[] = [];
  for (const item of raw) {
    const parsed = hostSchema.safeParse(item);
    if (parsed.success && !out.some((h) => h.name === parsed.data.name)) out.push(parsed.data);
  }
  return out;
}

/** Adds a host; a name already there is a conflict, a bad name or destination invalid-input. */
export function addHost(backend: KeyValueBackend, name: string, destination: string): HostEntry {
  const parsed = hostSchema.safeParse({ name, destination });
  if (!parsed.success)
    throw new AppFailure(
      appError(
        'invalid-input',
        t('hosts:errors.invalid', { reason: parsed.error.issues[0]?.message ?? '' }),
      ),
    );
  return transact(backend, () => {
    const raw = backend.get(HOSTS_KEY);
    const list: unknown[] = Array.isArray(raw) ? [...(raw as unknown[])] : [];
    if (readHosts(backend).some((h) => h.name === name))
      throw new AppFailure(appError('conflict', t('hosts:errors.exists', { name })));
    setOrFail(backend, HOSTS_KEY, [...list, parsed.data]);
    return parsed.data;
  });
}

/** Removes a host by name; one that is not there is an error that says so. */
export function removeHost(backend: KeyValueBackend, name: string): HostEntry {
  return transact(backend, () => {
    const hit = readHosts(backend).find((h) => h.name === name);
    if (hit === undefined)
      throw new AppFailure(appError('invalid-input', t('hosts:errors.unknown', { name })));
    const raw = backend.get(HOSTS_KEY) as unknown[];
    setOrFail(
      backend,
      HOSTS_KEY,
      raw.filter((item) => hostSchema.safeParse(item).data?.name !== name),
    );
    return hit;
  });
}

/** The ssh client argv prefix $DAEMON_DECK_SSH_ARGV names, or undefined for plain `ssh`. */
export function sshArgvFromEnv(env: NodeJS.ProcessEnv): string[] | undefined {
  const raw = env[SSH_ARGV_ENV];
  if (raw === undefined || raw === '') return undefined;
  const argv = z.array(z.string()).min(1).safeParse(jsonOrNull(raw));
  if (argv.success) return argv.data;
  throw new AppFailure(
    appError('invalid-input', `${SSH_ARGV_ENV} must be a JSON array of strings.`),
  );
}

function jsonOrNull(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

export interface OpenHostOptions {
  /** Settings: only a host named there is opened. */
  backend: KeyValueBackend;
  /** This machine's environment. */
  env: NodeJS.ProcessEnv;
  /** How long the shared connection outlives its last use, in seconds. */
  controlPersistS?: number;
}

/**
 * The Host a core for `name` is built on: this machine for undefined or 'local', else the host
 * of that name in settings, connected over SSH. An unknown name, or a host that cannot be
 * reached, rejects with an AppFailure in words (host-unreachable says how to set up key login).
 */
export async function openHost(name: string | undefined, opts: OpenHostOptions): Promise<Host> {
  if (name === undefined || name === 'local') return createLocalHost(opts.env);
  return openSshHost(name, opts);
}

/** openHost for a host in settings, always over SSH. */
export async function openSshHost(name: string, opts: OpenHostOptions): Promise<SshHost> {
  const entry = readHosts(opts.backend).find((h) => h.name === name);
  if (entry === undefined)
    throw new AppFailure(appError('invalid-input', t('hosts:errors.unknown', { name })));
  const sshArgv = sshArgvFromEnv(opts.env);
  return connectSshHost({
    name: entry.name,
    destination: entry.destination,
    localEnv: opts.env,
    ...(sshArgv !== undefined ? { sshArgv } : {}),
    ...(opts.controlPersistS !== undefined ? { controlPersistS: opts.controlPersistS } : {}),
  });
}

/** Whether a host is another machine reached over SSH. */
export function isSshHost(host: Host): host is SshHost {
  return (host as Partial<SshHost>).destination !== undefined;
}
