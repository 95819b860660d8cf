// The panel's preload asks for the snapshot, the settings and the app's facts before the page's
// scripts load (issue 16): the page's first calls get those answers, never an older state than an
// event it may have missed.
import { describe, expect, it } from 'vitest';
import { createApi, type Transport } from '../../preload/api.js';
import type { Snapshot } from '../../main/core/model/domain.js';

const snapshot = (version: number): Snapshot => ({
  version,
  generatedAt: '2026-12-07T00:00:00.000Z',
  entries: [],
  sources: { systemd: { status: 'ok' } },
});

/** A transport whose answers are given by hand (`answer`), and whose events too (`emit`). */
function fakeTransport() {
  const sent: string[] = [];
  const pending = new Map<string, Array<(value: unknown) => void>>();
  const listeners = new Map<string, Set<(value: unknown) => void>>();
  const transport: Transport = {
    invoke: ((channel: string) => {
      sent.push(channel);
      return new Promise<unknown>((resolve) =>
        pending.set(channel, [...(pending.get(channel) ?? []), resolve]),
      );
    }) as Transport['invoke'],
    subscribe: ((channel: string, listener: (value: unknown) => void) => {
      const set = listeners.get(channel) ?? new Set();
      listeners.set(channel, set.add(listener));
      return () => set.delete(listener);
    }) as Transport['subscribe'],
  };
  return {
    transport,
    sent,
    /** Answers the oldest call of `channel` still waiting. */
    answer(channel: string, value: unknown) {
      pending.get(channel)!.shift()!(value);
    },
    emit(channel: string, value: unknown) {
      for (const l of listeners.get(channel) ?? []) l(value);
    },
    listening: (channel: string) => listeners.get(channel)?.size ?? 0,
  };
}

describe('the preload asking early', () => {
  it('asks once at creation and gives that answer to the first call, asking again after', async () => {
    const fake = fakeTransport();
    const api = createApi(fake.transport, { askEarly: true });
    expect([...fake.sent].sort()).toEqual(['app:info', 'settings:get', 'snapshot:get']);
    const first = api.getSnapshot();
    expect(fake.sent.filter((c) => c === 'snapshot:get').length).toBe(1);
    fake.answer('snapshot:get', snapshot(3));
    expect((await first).version).toBe(3);
    // Its own listener is gone once the answer is taken; a later call asks again.
    expect(fake.listening('snapshot:changed')).toBe(0);
    const second = api.getSnapshot();
    fake.answer('snapshot:get', snapshot(4));
    expect((await second).version).toBe(4);
    const info = api.getAppInfo();
    fake.answer('app:info', { version: '1' });
    expect(await info).toEqual({ version: '1' });
    expect(fake.sent.filter((c) => c === 'app:info').length).toBe(1);
  });

  it('gives a newer snapshot seen by event before the answer, else the answer', async () => {
    const fake = fakeTransport();
    const api = createApi(fake.transport, { askEarly: true });
    fake.emit('snapshot:changed', snapshot(8));
    fake.emit('snapshot:changed', snapshot(7));
    const first = api.getSnapshot();
    fake.answer('snapshot:get', snapshot(6));
    expect((await first).version).toBe(8);

    const other = fakeTransport();
    const api2 = createApi(other.transport, { askEarly: true });
    other.emit('snapshot:changed', snapshot(5));
    other.answer('snapshot:get', snapshot(9));
    expect((await api2.getSnapshot()).version).toBe(9);
  });

  it('gives settings as they last arrived: the answer over an earlier event, a later event over it', async () => {
    const fake = fakeTransport();
    const api = createApi(fake.transport, { askEarly: true });
    fake.emit('settings:changed', { theme: 'dark' });
    const first = api.getSettings();
    fake.answer('settings:get', { theme: 'light' });
    expect(await first).toEqual({ theme: 'light' });
    expect(fake.listening('settings:changed')).toBe(0);

    const other = fakeTransport();
    const api2 = createApi(other.transport, { askEarly: true });
    other.answer('settings:get', { theme: 'light' });
    await Promise.resolve();
    other.emit('settings:changed', { theme: 'dark' });
    expect(await api2.getSettings()).toEqual({ theme: 'dark' });
  });

  it('asks nothing before a call when not asked to', () => {
    const fake = fakeTransport();
    createApi(fake.transport);
    expect(fake.sent).toEqual([]);
    expect(fake.listening('snapshot:changed')).toBe(0);
  });
});
