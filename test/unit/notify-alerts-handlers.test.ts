import { describe, expect, it } from 'vitest';
import { createAlertsHandlers } from '../../main/core/api/alerts-handlers.js';
import { CrashHistory } from '../../main/core/monitor/crash-history.js';
import { alertsChannels } from '../../contract/areas/alerts.js';
import { channelsOf } from '../../contract/channel.js';
import type { AlertsState } from '../../main/core/model/alerts.js';
import { createApi, type Transport } from '../../preload/api.js';

function fakeAlerts() {
  const state: AlertsState = { paused: false, mutes: {}, actions: null };
  const calls: string[] = [];
  return {
    calls,
    state: () => state,
    setPaused(p: boolean) {
      calls.push(`pause ${p}`);
      state.paused = p;
      return state;
    },
    mute(id: string, forMs: number | null) {
      calls.push(`mute ${id} ${String(forMs)}`);
      return state;
    },
  };
}

function memory() {
  const map = new Map<string, unknown>();
  return { get: (k: string) => map.get(k), set: (k: string, v: unknown) => void map.set(k, v) };
}

describe('alerts handlers', () => {
  it('without a service every channel answers unsupported', async () => {
    const h = createAlertsHandlers(undefined);
    expect(Object.keys(h).sort()).toEqual(channelsOf(alertsChannels).sort());
    for (const [c, valid] of [
      ['alerts:get', null],
      ['alerts:pause', { paused: true }],
      ['alerts:mute', { id: 'systemd:a.service', minutes: 5 }],
      ['alerts:history', { id: 'systemd:a.service' }],
    ] as const)
      expect(await h[c](valid)).toMatchObject({ ok: false, error: { code: 'unsupported' } });
  });

  it('validates payloads before they reach the core', async () => {
    const a = fakeAlerts();
    const h = createAlertsHandlers({ alerts: a, history: new CrashHistory(memory()) });
    for (const [c, bad] of [
      ['alerts:get', { x: 1 }],
      ['alerts:pause', { paused: 'yes' }],
      ['alerts:pause', { paused: true, extra: 1 }],
      ['alerts:mute', { id: 'a\nb', minutes: 60 }],
      ['alerts:mute', { id: 'systemd:a', minutes: -1 }],
      ['alerts:mute', { id: 'systemd:a', minutes: 1.5 }],
      ['alerts:history', { id: '' }],
      ['alerts:history', null],
    ] as const)
      expect(await h[c](bad)).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(a.calls).toEqual([]);
  });

  it('routes through the named API: pause, mute in minutes, history with flapping', async () => {
    const a = fakeAlerts();
    const history = new CrashHistory(memory(), { flapCount: 2, flapWindowMs: 60_000 });
    const now = new Date().toISOString();
    history.add('systemd:a.service', {
      at: now,
      reason: 'failed',
      exit: 'exited with status 1',
      restarts: 0,
    });
    history.add('systemd:a.service', { at: now, reason: 'failed', exit: null, restarts: 0 });
    const h = createAlertsHandlers({ alerts: a, history });
    const transport = {
      invoke: (channel: string, payload: unknown) =>
        (h as Record<string, (p: unknown) => Promise<unknown>>)[channel]!(payload),
      subscribe: () => () => undefined,
    } as unknown as Transport;
    const api = createApi(transport);
    expect(await api.setAlertsPaused(true)).toMatchObject({ ok: true, value: { paused: true } });
    await api.muteAlerts('systemd:a.service', 60);
    await api.muteAlerts('systemd:a.service', null);
    await api.muteAlerts('systemd:a.service', 0);
    expect(a.calls).toEqual([
      'pause true',
      'mute systemd:a.service 3600000',
      'mute systemd:a.service null',
      'mute systemd:a.service 0',
    ]);
    const view = await api.getCrashHistory('systemd:a.service');
    expect(view).toMatchObject({ ok: true, value: { id: 'systemd:a.service', flapping: true } });
    expect(view.ok && view.value.records.length).toBe(2);
    expect(await api.getAlerts()).toMatchObject({ ok: true, value: { paused: true } });
  });
});
