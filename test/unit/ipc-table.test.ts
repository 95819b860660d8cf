import { describe, expect, it } from 'vitest';
import type { Monitor } from '../../main/core/monitor/monitor.js';
import { createIpcTable } from '../../main/core/api/ipc-table.js';
import { InvalidPayloadError } from '../../main/core/api/handlers.js';
import { createMemorySettings } from '../../main/core/settings/settings.js';
import type { EntryAction, Snapshot } from '../../main/core/model/domain.js';

const snapshot: Snapshot = {
  version: 1,
  generatedAt: '2026-01-01T00:00:00.000Z',
  entries: [],
  sources: { systemd: { status: 'ok' } },
};

function table() {
  const calls: Array<[string, string]> = [];
  const monitor: Monitor = {
    start: () => Promise.resolve(),
    stop: () => Promise.resolve(),
    snapshot: () => snapshot,
    onSnapshot: () => () => undefined,
    act: (id: string, action: EntryAction) => {
      calls.push([id, action]);
      return Promise.resolve({ ok: true, value: { id, action, result: 'done', entry: null } });
    },
    unitDetail: () =>
      Promise.resolve({ ok: false, error: { code: 'no-such-unit', message: 'gone' } }),
  };
  const opened: string[] = [];
  const settings = createMemorySettings();
  const t = createIpcTable({
    monitor,
    settings,
    windows: {
      openDetail: (id, tab) => (
        opened.push(tab === undefined ? id : `${id}#${tab}`),
        Promise.resolve({ ok: true, value: null })
      ),
      openPage: (page, id) => (
        opened.push(`${page}:${id ?? ''}`),
        Promise.resolve({ ok: true, value: null })
      ),
    },
    appInfo: { version: '0.0.0', transport: 'test', systemLanguage: 'en' },
  });
  return { t, calls, opened, settings };
}

describe('the IPC handler table validates every payload', () => {
  it('passes valid requests to the core', async () => {
    const { t, calls, opened } = table();
    expect(await t.handlers['snapshot:get'](null)).toBe(snapshot);
    expect(
      await t.handlers['entries:act']({ id: 'systemd:a.service', action: 'start' }),
    ).toMatchObject({ ok: true });
    expect(calls).toEqual([['systemd:a.service', 'start']]);
    await t.handlers['window:open-detail']({ id: 'systemd:a.service' });
    expect(opened).toEqual(['systemd:a.service']);
    await t.handlers['window:open-page']({ page: 'startup', id: 'cron:abc' });
    await t.handlers['window:open-page']({ page: 'create' });
    expect(opened).toEqual(['systemd:a.service', 'startup:cron:abc', 'create:']);
    expect(await t.handlers['window:open-page']({ page: 'evil' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-input' },
    });
  });

  it.each([
    ['entries:act', { id: 'x', action: 'explode' }],
    ['entries:act', { id: 'x' }],
    ['entries:act', { id: 'x', action: 'start', extra: 1 }],
    ['entries:act', { id: 'a\nb', action: 'start' }],
    ['entries:act', 'systemd:a.service'],
    ['units:detail', { id: 42 }],
    ['units:detail', null],
    ['settings:pin', { id: 'x', pinned: 'yes' }],
    ['window:open-detail', { id: '' }],
  ] as const)('%s rejects %j with invalid-input', async (channel, payload) => {
    const { t, calls } = table();
    const r = await t.handlers[channel](payload);
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(calls).toEqual([]);
  });

  it('throws on payloads for channels that take none', async () => {
    const { t } = table();
    await expect(t.handlers['snapshot:get']({ sneaky: true })).rejects.toBeInstanceOf(
      InvalidPayloadError,
    );
  });

  it('pins and unpins, and tells subscribers', async () => {
    const { t } = table();
    const seen: string[][] = [];
    const off = t.subscribe('settings:changed', (s) => seen.push(s.pinned));
    await t.handlers['settings:pin']({ id: 'systemd:a.service', pinned: true });
    await t.handlers['settings:pin']({ id: 'systemd:b.service', pinned: true });
    await t.handlers['settings:pin']({ id: 'systemd:a.service', pinned: false });
    off();
    expect(seen).toEqual([
      ['systemd:a.service'],
      ['systemd:a.service', 'systemd:b.service'],
      ['systemd:b.service'],
    ]);
    expect(await t.handlers['settings:get'](null)).toMatchObject({ pinned: ['systemd:b.service'] });
  });
});

describe('settings:update and the detail tab', () => {
  it('changes theme, poll interval and alert options, and says in words what is wrong', async () => {
    const { t, settings } = table();
    expect(
      await t.handlers['settings:update']({
        theme: 'dark',
        pollIntervalMs: 5000,
        alerts: { logLines: 0, notifyOnAutoRestart: false },
      }),
    ).toMatchObject({
      ok: true,
      value: { theme: 'dark', pollIntervalMs: 5000, alerts: { logLines: 0, paused: false } },
    });
    expect(settings.get().alerts.notifyOnAutoRestart).toBe(false);
    expect(await t.handlers['settings:update']({ pollIntervalMs: 200 })).toEqual({
      ok: false,
      error: { code: 'invalid-input', message: 'The poll interval must be at least 1 second.' },
    });
    expect(await t.handlers['settings:update']({ theme: 'neon' })).toMatchObject({
      ok: false,
      error: { message: 'The theme is one of system, light or dark.' },
    });
    // Pins, mutes and pause have their own channels; nothing else gets in.
    expect(await t.handlers['settings:update']({ pinned: ['x'] })).toMatchObject({ ok: false });
    expect(await t.handlers['settings:update']({ alerts: { paused: true } })).toMatchObject({
      ok: false,
    });
    expect(settings.get()).toMatchObject({ theme: 'dark', pollIntervalMs: 5000 });
  });

  it('window:open-detail takes an optional tab of the detail window', async () => {
    const { t, opened } = table();
    await t.handlers['window:open-detail']({ id: 'systemd:a.service', tab: 'logs' });
    await t.handlers['window:open-detail']({ id: 'systemd:a.service', tab: 'history' });
    expect(opened).toEqual(['systemd:a.service#logs', 'systemd:a.service#history']);
    expect(
      await t.handlers['window:open-detail']({ id: 'systemd:a.service', tab: 'secrets' }),
    ).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });
});
