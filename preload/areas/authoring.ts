// The authoring area of the IPC contract (issue 3: create, edit, delete units; logs; resources; sockets and timers).
// Channels, payload/result types and the named API methods for this area; contract.ts and
// api.ts compose every area into InvokeMap, INVOKE_CHANNELS and DaemonDeckApi.
import type { Transport } from '../api.js';

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface AuthoringInvokeMap {}

export const AUTHORING_CHANNELS = [] as const satisfies readonly (keyof AuthoringInvokeMap)[];

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface AuthoringApi {}

export function createAuthoringApi(_transport: Transport): AuthoringApi {
  return {};
}
