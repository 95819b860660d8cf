// The processes area of the IPC contract (issue 4: processes, watch rules, sessions, strays, adopt).
// Channels, payload/result types and the named API methods for this area; contract.ts and
// api.ts compose every area into InvokeMap, INVOKE_CHANNELS and DaemonDeckApi.
import type { Transport } from '../api.js';

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ProcessesInvokeMap {}

export const PROCESSES_CHANNELS = [] as const satisfies readonly (keyof ProcessesInvokeMap)[];

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ProcessesApi {}

export function createProcessesApi(_transport: Transport): ProcessesApi {
  return {};
}
