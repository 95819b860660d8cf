// `daemon-deck host add NAME DEST | rm NAME | list [--json]` (issue 17), and the Host a command
// acts on: this machine, or with `--host NAME` (`-H NAME`) a host from settings over SSH.
import { AppFailure } from '../core/errors.js';
import type { Host } from '../core/host/host.js';
import { addHost, openHost, readHosts, removeHost } from '../core/host/hosts.js';
import { openConfBackend } from '../core/settings/settings.js';
import { t } from '../../i18n/index.js';
import { CliFailure, UsageError, outputList, type CliIo, type Command } from './command.js';

/** The machine a command acts on: io.host from settings over SSH, else this one. */
export async function cliHost(io: CliIo): Promise<Host> {
  try {
    return await openHost(io.host, { backend: await openConfBackend(io.env), env: io.env });
  } catch (err) {
    if (err instanceof AppFailure) throw new CliFailure(err.message);
    throw err;
  }
}

async function attempt<T>(fn: () => T): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof AppFailure) throw new CliFailure(err.message);
    throw err;
  }
}

export const hostCommands: Command[] = [
  {
    name: 'host',
    usage: ['host add NAME DESTINATION', 'host rm NAME', 'host list [--json]'],
    get summary() {
      return t('hosts:cli.summary');
    },
    options: { json: { type: 'boolean' } },
    async run({ values, positionals }, io) {
      const [verb, ...rest] = positionals;
      const backend = await openConfBackend(io.env);
      if (verb === 'list' && rest.length === 0) {
        outputList(
          io,
          values.json,
          readHosts(backend),
          t('hosts:cli.empty'),
          [t('hosts:cli.name'), t('hosts:cli.destination')],
          (h) => [h.name, h.destination],
        );
        return 0;
      }
      if (verb === 'add' && rest.length === 2) {
        const [name, destination] = rest as [string, string];
        const added = await attempt(() => addHost(backend, name, destination));
        io.out(t('hosts:cli.added', { ...added }));
        return 0;
      }
      if (verb === 'rm' && rest.length === 1) {
        const removed = await attempt(() => removeHost(backend, rest[0]!));
        io.out(t('hosts:cli.removed', { ...removed }));
        return 0;
      }
      throw new UsageError(t('hosts:cli.usage'), true);
    },
  },
];
