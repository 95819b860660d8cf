// The process commands on another host (`--host NAME`, issue 17): the far host's process table
// read in one round trip (SshHost.readProcesses, far-processes.ts), and its watch rules kept in
// its own settings file (the far user's settings.json, read and written through the host under
// its lock), so rules made there travel with that user's setup. Nothing here signals or starts a
// process of this machine: a far ProcessService (far-control.ts) reads that host's table and
// stops and starts processes there, over the host's connection.
import type { Host } from '../core/host/host.js';
import { openFarProcessService } from '../core/host/far-control.js';
import { isSshHost } from '../core/host/hosts.js';
import type { SshHost } from '../core/host/ssh-host.js';
import type { ProcessService } from '../core/processes/process-service.js';
import { t } from '../../i18n/index.js';
import { CliFailure, onFarHost, type CliIo } from './command.js';
import { cliHost } from './hosts.js';
import { changeFarRules, farRules } from '../core/host/far-rules.js';

export { changeFarRules, farRules, onFarHost };

const opened = new WeakMap<CliIo, Promise<Host>>();

/** The far host of `io` (connected once per command, whatever asks for it). */
export async function farHost(io: CliIo): Promise<SshHost> {
  let host = opened.get(io);
  if (host === undefined) opened.set(io, (host = cliHost(io)));
  const h = await host;
  if (!isSshHost(h)) throw new CliFailure(t('hosts:errors.unknown', { name: io.host ?? '' }));
  return h;
}

/** A process service on the far host's table (read once, now) and its watch rules. */
export async function farProcessService(
  io: CliIo,
): Promise<{ host: SshHost; service: ProcessService }> {
  const host = await farHost(io);
  const service = await openFarProcessService(host, farRules(host));
  return { host, service };
}
