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

/** A transport whose snapshot:get answers are resolved by hand, and whose events are sent by hand. */
function fakeTransport() {
  const asked: Array<(s: Snapshot) => void> = [];
  const listeners = new Set<(s: Snapshot) => void>();
  const transport: Transport = {
    invoke: ((channel: string) => {
      if (channel !== 'snapshot:get') return Promise.resolve(null);
      return new Promise<Snapshot>((resolve) => asked.push(resolve));
    }) as Transport['invoke'],
    subscribe: ((channel: string, listener: (s: Snapshot) => void) => {
      if (channel !== 'snapshot:changed') return () => undefined;
      listeners.add(listener);
      return () => listeners.delete(listener);
    }) as Transport['subscribe'],
  };
  const emit = (s: Snapshot) => {
    for (const l of listeners) l(s);
  };
  return { transport, asked, listeners, emit };
}

describe('the preload asking for the snapshot early', () => {
  it('asks once at creation and gives that answer to the first getSnapshot', async () => {
    const fake = fakeTransport();
    const api = createApi(fake.transport, { askEarly: true });
    expect(fake.asked.length).toBe(1);
    const first = api.getSnapshot();
    expect(fake.asked.length).toBe(1);
    fake.asked[0]!(snapshot(3));
    expect((await first).version).toBe(3);
    // Its own listener is gone once the answer is taken; a later call asks again.
    expect(fake.listeners.size).toBe(0);
    const second = api.getSnapshot();
    expect(fake.asked.length).toBe(2);
    fake.asked[1]!(snapshot(4));
    expect((await second).version).toBe(4);
  });

  it('gives a newer snapshot seen by event before the answer instead of the answer', async () => {
    const fake = fakeTransport();
    const api = createApi(fake.transport, { askEarly: true });
    fake.emit(snapshot(8));
    fake.emit(snapshot(7));
    const first = api.getSnapshot();
    fake.asked[0]!(snapshot(6));
    expect((await first).version).toBe(8);
  });

  it('keeps the answer when it is newer than the events seen', async () => {
    const fake = fakeTransport();
    const api = createApi(fake.transport, { askEarly: true });
    fake.emit(snapshot(5));
    fake.asked[0]!(snapshot(9));
    expect((await api.getSnapshot()).version).toBe(9);
  });

  it('gives settings as they last arrived, and asks for the app facts once', async () => {
    const sent: string[] = [];
    const settingsAnswers: Array<(s: unknown) => void> = [];
    const settingsListeners = new Set<(s: unknown) => void>();
    const transport: Transport = {
      invoke: ((channel: string) => {
        sent.push(channel);
        if (channel === 'settings:get') return new Promise((r) => settingsAnswers.push(r));
        return Promise.resolve({ channel, n: sent.length });
      }) as Transport['invoke'],
      subscribe: ((channel: string, listener: (s: unknown) => void) => {
        if (channel !== 'settings:changed') return () => undefined;
        settingsListeners.add(listener);
        return () => settingsListeners.delete(listener);
      }) as Transport['subscribe'],
    };
    const api = createApi(transport, { askEarly: true });
    expect(sent.sort()).toEqual(['app:info', 'settings:get', 'snapshot:get']);
    // An event before the answer: the answer, later, holds it already and wins.
    for (const l of settingsListeners) l({ theme: 'dark' });
    const first = api.getSettings();
    settingsAnswers[0]!({ theme: 'light' });
    expect(await first).toEqual({ theme: 'light' });
    expect(settingsListeners.size).toBe(0);
    expect(await api.getAppInfo()).toMatchObject({ channel: 'app:info' });
    await api.getAppInfo();
    expect(sent.filter((c) => c === 'app:info').length).toBe(2);
  });

  it('gives a settings change that arrived after the answer', async () => {
    const answers: Array<(s: unknown) => void> = [];
    const listeners = new Set<(s: unknown) => void>();
    const transport: Transport = {
      invoke: ((channel: string) =>
        channel === 'settings:get'
          ? new Promise((r) => answers.push(r))
          : Promise.resolve(null)) as Transport['invoke'],
      subscribe: ((channel: string, listener: (s: unknown) => void) => {
        if (channel !== 'settings:changed') return () => undefined;
        listeners.add(listener);
        return () => listeners.delete(listener);
      }) as Transport['subscribe'],
    };
    const api = createApi(transport, { askEarly: true });
    answers[0]!({ theme: 'light' });
    await Promise.resolve();
    for (const l of listeners) l({ theme: 'dark' });
    expect(await api.getSettings()).toEqual({ theme: 'dark' });
  });

  it('asks nothing before a call when not asked to', () => {
    const fake = fakeTransport();
    createApi(fake.transport);
    expect(fake.asked.length).toBe(0);
    expect(fake.listeners.size).toBe(0);
  });
});
