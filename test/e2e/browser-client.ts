// Runs in the page before its own scripts (page.addInitScript): builds window.daemonDeck with
// the preload's own createApi over fetch + Server-Sent Events to transport-server.ts, so the
// renderer talks to the real IPC handler table exactly as it would through Electron.
import { createApi, type Transport } from '../../preload/api.js';
import type {
  DaemonDeckApi,
  EventChannel,
  EventMap,
  InvokeChannel,
  InvokePayload,
  InvokeResult,
} from '../../contract/ipc.js';

let events: EventSource | null = null;

function eventSource(): EventSource {
  events ??= new EventSource('/events');
  return events;
}

const transport: Transport = {
  async invoke<C extends InvokeChannel>(
    channel: C,
    payload: InvokePayload<C>,
  ): Promise<InvokeResult<C>> {
    const response = await fetch(`/ipc/${encodeURIComponent(channel)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payload),
    });
    if (!response.ok)
      throw new Error(`${channel}: HTTP ${response.status} ${await response.text()}`);
    return (await response.json()) as InvokeResult<C>;
  },
  subscribe<E extends EventChannel>(channel: E, listener: (value: EventMap[E]) => void) {
    const handler = (event: Event) => {
      const data = (event as MessageEvent).data as unknown;
      listener(JSON.parse(String(data)) as EventMap[E]);
    };
    const source = eventSource();
    source.addEventListener(channel, handler);
    return () => source.removeEventListener(channel, handler);
  },
};

(globalThis as unknown as { daemonDeck: DaemonDeckApi }).daemonDeck = createApi(transport);
