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
   * Ask for the snapshot now, while the page's scripts load, and give that answer to the page's
   * first getSnapshot() (issue 16: the panel's first render; see asksSnapshotEarly).
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
    const method = invokeChannels['snapshot:get'].method;
    const ask = api[method]!;
    const early = earlySnapshot(transport);
    api[method] = () => early() ?? ask();
  }
  return api as unknown as DaemonDeckApi;
}

/**
 * Asks for the snapshot now; the returned function gives that answer once (null after). The
 * snapshot events seen meanwhile are kept, and the newest version wins: a change between this
 * ask and the page's own subscription (made before its first getSnapshot) is not lost.
 */
function earlySnapshot(transport: Transport): () => Promise<Snapshot> | null {
  let latest: Snapshot | null = null;
  const unsubscribe = transport.subscribe('snapshot:changed', (s) => {
    if (latest === null || s.version > latest.version) latest = s;
  });
  const answer = transport.invoke('snapshot:get', null);
  answer.catch(() => unsubscribe()); // the page's call reports the failure
  let taken = false;
  return () => {
    if (taken) return null;
    taken = true;
    return answer.then((s) => {
      unsubscribe();
      return latest !== null && latest.version > s.version ? latest : s;
    });
  };
}
