// Builds the named-method API from any transport that can invoke a channel and subscribe to an
// event channel. The Electron preload passes ipcRenderer; the e2e tests pass fetch + EventSource.
// Every method comes from its channel's declaration (contract/): nothing here names a channel.
import {
  eventChannels,
  invokeChannels,
  type DaemonDeckApi,
  type EventChannel,
  type EventMap,
  type InvokeChannel,
  type InvokePayload,
  type InvokeResult,
} from '../contract/ipc.js';

export interface Transport {
  invoke<C extends InvokeChannel>(channel: C, payload: InvokePayload<C>): Promise<InvokeResult<C>>;
  subscribe<E extends EventChannel>(channel: E, listener: (value: EventMap[E]) => void): () => void;
}

type Method = (...args: unknown[]) => unknown;

export function createApi(transport: Transport): DaemonDeckApi {
  const api: Record<string, Method> = {};
  for (const [channel, decl] of Object.entries(invokeChannels)) {
    const toPayload = decl.args as (...args: unknown[]) => InvokePayload<InvokeChannel>;
    api[decl.method] = (...args) => transport.invoke(channel as InvokeChannel, toPayload(...args));
  }
  for (const [channel, decl] of Object.entries(eventChannels))
    api[decl.method] = (listener) =>
      transport.subscribe(channel as EventChannel, listener as (value: unknown) => void);
  return api as unknown as DaemonDeckApi;
}
