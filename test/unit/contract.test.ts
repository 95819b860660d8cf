// The IPC contract is declared once per channel; these check what the derivations rely on.
import { describe, expect, it } from 'vitest';
import { eventChannels, invokeChannels } from '../../contract/ipc.js';
import { createApi, type Transport } from '../../preload/api.js';

describe('the channel declarations', () => {
  it('name every API method once, so no channel hides another in the preload API', () => {
    const methods = [
      ...Object.values(invokeChannels).map((d) => d.method),
      ...Object.values(eventChannels).map((d) => d.method),
    ];
    expect(methods.filter((m, i) => methods.indexOf(m) !== i)).toEqual([]);
  });

  it('give the preload API one method per channel, each sending its own channel', async () => {
    const sent: string[] = [];
    const subscribed: string[] = [];
    const transport: Transport = {
      invoke: (channel) => (sent.push(channel), Promise.resolve(null as never)),
      subscribe: (channel) => (subscribed.push(channel), () => undefined),
    };
    const api = createApi(transport) as unknown as Record<string, (...a: unknown[]) => unknown>;
    expect(Object.keys(api).length).toBe(
      Object.keys(invokeChannels).length + Object.keys(eventChannels).length,
    );
    for (const [channel, decl] of Object.entries(invokeChannels)) {
      // Arguments that every args function accepts without throwing (it only builds an object).
      await api[decl.method]!('x', 'y', 'z');
      expect(sent.at(-1)).toBe(channel);
    }
    for (const [channel, decl] of Object.entries(eventChannels)) {
      api[decl.method]!(() => undefined);
      expect(subscribed.at(-1)).toBe(channel);
    }
  });

  it('refuse unknown payload keys on every object payload', () => {
    for (const [channel, decl] of Object.entries(invokeChannels)) {
      const r = decl.payload.safeParse({ surely: 'not a key' });
      expect([channel, r.success]).toEqual([channel, false]);
    }
  });
});
