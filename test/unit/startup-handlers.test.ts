// The startup area's IPC handlers: every payload is checked before the core sees it, and a host
// without the startup service answers `unsupported`.
import { describe, expect, it } from 'vitest';
import { createStartupHandlers, type StartupDeps } from '../../main/core/api/startup-handlers.js';
import { createIpcTable } from '../../main/core/api/ipc-table.js';
import { createMemorySettings } from '../../main/core/settings/settings.js';
import type { Monitor } from '../../main/core/monitor/monitor.js';
import { startupChannels } from '../../contract/areas/startup.js';
import { createApi } from '../../preload/api.js';
import { INVOKE_CHANNELS } from '../../contract/ipc.js';
import { channelsOf } from '../../contract/channel.js';
import { noWindows } from '../helpers/ipc.js';

function fakeOps() {
  const calls: Array<[string, unknown[]]> = [];
  const answer =
    (name: string) =>
    (...args: unknown[]) => {
      calls.push([name, args]);
      return Promise.resolve({ ok: true as const, value: name as never });
    };
  const ops = new Proxy({} as StartupDeps, {
    get: (_, prop: string) => answer(prop),
  });
  return { ops, calls };
}

describe('startup handlers', () => {
  it('pass valid requests through, named as the core names them', async () => {
    const { ops, calls } = fakeOps();
    const h = createStartupHandlers(ops);
    await h['cron:add']({ argv: ['/usr/bin/x', 'a b'], log: '/tmp/x.log' });
    await h['cron:set-enabled']({ key: '1a2b3c4d-1', enabled: false, revision: 'abc' });
    await h['cron:list'](null);
    await h['autostart:add']({ name: 'My tool', argv: ['/usr/bin/x'] });
    await h['autostart:set-enabled']({ file: 'x.desktop', enabled: true });
    await h['linger:set']({ enabled: true });
    await h['startup:how']({ id: 'cron:1a2b3c4d' });
    await h['startup:setup']({ mechanism: 'systemd', argv: ['/usr/bin/x'], linger: true });
    expect(calls).toEqual([
      ['addCron', [['/usr/bin/x', 'a b'], { log: '/tmp/x.log' }]],
      ['setCronEnabled', ['1a2b3c4d-1', false, 'abc']],
      ['listCron', []],
      ['addAutostart', ['My tool', ['/usr/bin/x'], undefined]],
      ['setAutostartEnabled', ['x.desktop', true]],
      ['setLinger', [true]],
      ['howItStarts', [{ id: 'cron:1a2b3c4d' }]],
      ['setup', [{ mechanism: 'systemd', argv: ['/usr/bin/x'], linger: true }]],
    ]);
  });

  it.each([
    ['cron:add', { argv: [] }],
    ['cron:add', { argv: [''] }],
    ['cron:add', { argv: ['/x', 'a\0b'] }],
    ['cron:add', { argv: ['/x'], log: 'relative.log' }],
    ['cron:add', { argv: ['/x'], extra: true }],
    ['cron:remove', { key: '../../etc' }],
    ['cron:run', { key: 42 }],
    ['cron:list', { sneaky: 1 }],
    ['autostart:set-enabled', { file: '../evil.desktop', enabled: true }],
    ['autostart:set-enabled', { file: 'x.txt', enabled: true }],
    ['autostart:add', { name: '', argv: ['/x'] }],
    ['linger:set', { enabled: 'yes' }],
    ['startup:setup', { mechanism: 'inetd', argv: ['/x'] }],
    ['startup:how', {}],
  ] as const)('%s refuses %j', async (channel, payload) => {
    const { ops, calls } = fakeOps();
    const h = createStartupHandlers(ops);
    const r = await (h[channel] as (p: unknown) => Promise<unknown>)(payload);
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(calls).toEqual([]);
  });

  it('answer unsupported without a service', async () => {
    const h = createStartupHandlers(undefined);
    expect(await h['cron:list'](null)).toMatchObject({ ok: false, error: { code: 'unsupported' } });
    expect(await h['linger:get'](null)).toMatchObject({
      ok: false,
      error: { code: 'unsupported' },
    });
  });

  it('are in the IPC table and the contract, and the API calls them by name', async () => {
    const channels = channelsOf(startupChannels);
    for (const c of channels) expect(INVOKE_CHANNELS).toContain(c);
    const monitor = {} as Monitor;
    const table = createIpcTable({
      monitor,
      settings: createMemorySettings(),
      windows: noWindows,
      appInfo: { version: '0', transport: 'test', systemLanguage: 'en' },
    });
    for (const c of channels) expect(typeof table.handlers[c]).toBe('function');
    const sent: Array<[string, unknown]> = [];
    const api = createApi({
      invoke: (channel, payload) => {
        sent.push([channel, payload]);
        return Promise.resolve({ ok: true, value: null } as never);
      },
      subscribe: () => () => undefined,
    });
    await api.addCron(['/x'], { log: '/l' });
    await api.setCronEnabled('1a2b3c4d', true);
    await api.setupStartup({ mechanism: 'cron', argv: ['/x'] });
    expect(sent).toEqual([
      ['cron:add', { argv: ['/x'], log: '/l' }],
      ['cron:set-enabled', { key: '1a2b3c4d', enabled: true }],
      ['startup:setup', { mechanism: 'cron', argv: ['/x'] }],
    ]);
  });
});
