// Runs in the page before its own scripts (page.addInitScript): builds window.daemonDeck with
// the preload's own createApi over fetch + Server-Sent Events to transport-server.ts, so the
// renderer talks to the real IPC handler table exactly as it would through Electron.
import { asksSnapshotEarly, createApi, type Transport } from '../../preload/api.js';
import type {
  DaemonDeckApi,
  EventChannel,
  EventMap,
  InvokeChannel,
  InvokePayload,
  InvokeResult,
} from '../../contract/ipc.js';

/** Resolves in the task after the init scripts (see invoke). */
const initScriptsRan = new Promise<void>((resolve) => setTimeout(resolve));

/** The first snapshot:get in flight, and the newest version answered: see openEvents. */
let snapshotAnswer: Promise<unknown> | null = null;
let snapshotVersion: number | null = null;

/** The event stream, once open, and the handlers to put on it until then. */
let events: EventSource | null = null;
let opening: Promise<void> | null = null;
const handlers = new Set<[string, (event: Event) => void]>();

/**
 * Opens the event stream after the init scripts, and after the snapshot asked for by then: the
 * server sends the current snapshot as the stream connects (a change may have come between), but
 * not when it is the version this page has (`?snapshot=`), where it sent 1,000 entries again
 * beside the answer during the panel's first render (issue 16).
 */
async function openEvents(): Promise<void> {
  await initScriptsRan;
  await snapshotAnswer?.catch(() => undefined);
  events = new EventSource(
    snapshotVersion === null ? '/events' : `/events?snapshot=${snapshotVersion}`,
  );
  for (const [channel, handler] of handlers) events.addEventListener(channel, handler);
}

async function request<C extends InvokeChannel>(
  channel: C,
  payload: InvokePayload<C>,
): Promise<InvokeResult<C>> {
  // A request made while the init scripts run (the panel's early snapshot, as the preload asks
  // for it) leaves once they all have: a later one (the panel bench's fetch wrapper) sees it.
  await initScriptsRan;
  const response = await fetch(`/ipc/${encodeURIComponent(channel)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(payload),
  });
  if (!response.ok) throw new Error(`${channel}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as InvokeResult<C>;
}

const transport: Transport = {
  invoke<C extends InvokeChannel>(channel: C, payload: InvokePayload<C>): Promise<InvokeResult<C>> {
    const answer = request(channel, payload);
    if (channel === 'snapshot:get') {
      const snapshot = answer as Promise<InvokeResult<'snapshot:get'>>;
      snapshotAnswer ??= snapshot;
      void snapshot.then(
        (s) => (snapshotVersion = Math.max(snapshotVersion ?? s.version, s.version)),
        () => undefined,
      );
    }
    return answer;
  },

  subscribe<E extends EventChannel>(channel: E, listener: (value: EventMap[E]) => void) {
    const handler = (event: Event) => {
      const data = (event as MessageEvent).data as unknown;
      listener(JSON.parse(String(data)) as EventMap[E]);
    };
    const entry: [string, (event: Event) => void] = [channel, handler];
    handlers.add(entry);
    events?.addEventListener(channel, handler);
    opening ??= openEvents();
    return () => {
      handlers.delete(entry);
      events?.removeEventListener(channel, handler);
    };
  },
};

(globalThis as unknown as { daemonDeck: DaemonDeckApi }).daemonDeck = createApi(transport, {
  askEarly: asksSnapshotEarly(),
});
