// The startup area of the IPC contract (issue 5: crontab @reboot, XDG autostart, linger, how things start).
// Channels, payload/result types and the named API methods for this area; contract.ts and
// api.ts compose every area into InvokeMap, INVOKE_CHANNELS and DaemonDeckApi.
import type { Transport } from '../api.js';

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface StartupInvokeMap {}

export const STARTUP_CHANNELS = [] as const satisfies readonly (keyof StartupInvokeMap)[];

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface StartupApi {}

export function createStartupApi(_transport: Transport): StartupApi {
  return {};
}
