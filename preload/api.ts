// Builds the named-method API from any transport that can invoke a channel and subscribe to an
// event channel. The Electron preload passes ipcRenderer; the e2e tests pass fetch + EventSource.
// Every method comes from its channel's declaration (contract/): nothing here names a channel,
// but the panel's first snapshot, asked for before the page's scripts load (askEarly).
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
import type { Snapshot } from '../contract/index.js';

export interface Transport {
  invoke<C extends InvokeChannel>(channel: C, payload: InvokePayload<C>): Promise<InvokeResult<C>>;
  subscribe<E extends EventChannel>(channel: E, listener: (value: EventMap[E]) => void): () => void;
}

type Method = (...args: unknown[]) => unknown;

export interface ApiOptions {
  /**
   * Ask now, while the page's scripts load, for what the panel shows first (the snapshot, and what
   * its language is chosen from), and give those answers to the page's first calls (issue 16: the
   * panel's first render; see asksSnapshotEarly).
   */
  askEarly?: boolean;
}

/**
 * Whether this window's preload asks for the snapshot at once: the panel's, which shows it first.
 * (A sandboxed preload sees the window's location, as the e2e tests' client does.)
 */
export function asksSnapshotEarly(): boolean {
  const { location } = globalThis as unknown as { location?: { pathname: string } };
  return location?.pathname.endsWith('/panel.html') === true;
}

export function createApi(transport: Transport, options: ApiOptions = {}): DaemonDeckApi {
  const api: Record<string, Method> = {};
  for (const [channel, decl] of Object.entries(invokeChannels)) {
    const toPayload = decl.args as (...args: unknown[]) => InvokePayload<InvokeChannel>;
    api[decl.method] = (...args) => transport.invoke(channel as InvokeChannel, toPayload(...args));
  }
  for (const [channel, decl] of Object.entries(eventChannels))
    api[decl.method] = (listener) =>
      transport.subscribe(channel as EventChannel, listener as (value: unknown) => void);
  if (options.askEarly === true) {
    // The snapshot: the newest version wins. Settings: the last to arrive (an event after the
    // answer is newer; one before it, the answer already holds). The app's facts never change.
    askedEarly(api, transport, 'snapshot:get', {
      event: 'snapshot:changed',
      newer: (next: Snapshot, current: Snapshot) => next.version > current.version,
    });
    askedEarly(api, transport, 'settings:get', { event: 'settings:changed', newer: () => true });
    askedEarly(api, transport, 'app:info');
  }
  return api as unknown as DaemonDeckApi;
}

type Follow<E extends EventChannel> = {
  event: E;
  /** Whether `next`, arrived after `current`, replaces it. */
  newer: (next: EventMap[E], current: EventMap[E]) => boolean;
};

/**
 * Asks `channel` (no payload) now; the API's method for it gives that answer to its first call
 * and asks again after. With `follow`, the events seen meanwhile are kept, and the answer is the
 * newest: a change between this ask and the page's own subscription (made before its first call,
 * as SnapshotState does) is not lost.
 */
function askedEarly<C extends 'snapshot:get' | 'settings:get' | 'app:info'>(
  api: Record<string, Method>,
  transport: Transport,
  channel: C,
  follow?: C extends 'snapshot:get'
    ? Follow<'snapshot:changed'>
    : C extends 'settings:get'
      ? Follow<'settings:changed'>
      : never,
): void {
  type Value = InvokeResult<C>;
  const newer = follow?.newer as ((next: Value, current: Value) => boolean) | undefined;
  let current: { value: Value } | null = null;
  /** Each value as it arrives, the answer too: it replaces the one held when newer. */
  const keep = (value: Value) => {
    if (current === null || newer === undefined || newer(value, current.value)) current = { value };
  };
  const unsubscribe =
    follow === undefined
      ? () => {}
      : transport.subscribe(follow.event, keep as (value: unknown) => void);
  const answer = transport.invoke(channel, null as InvokePayload<C>).then(keep);
  answer.catch(() => unsubscribe()); // the page's call reports the failure
  const method = invokeChannels[channel].method;
  const ask = api[method]!;
  let taken = false;
  api[method] = () => {
    if (taken) return ask();
    taken = true;
    return answer.then(() => {
      unsubscribe();
      return current!.value;
    });
  };
}
