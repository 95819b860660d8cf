// FarHosts without a network (issue 17): the hosts of settings followed, a host that cannot be
// reached shown unreachable with why and when it is tried again (backoff), actions on it and on
// hosts not in settings refused in words, hosts:changed pushed through the IPC table.
import { afterEach, describe, expect, it } from 'vitest';
import { createIpcTable } from '../../main/core/api/ipc-table.js';
import { AppFailure, appError } from '../../main/core/errors.js';
import { FarHosts } from '../../main/core/host/far-hosts.js';
import type { HostsView } from '../../main/core/model/hosts.js';
import { createMemoryBackend, createSettingsStore } from '../../main/core/settings/settings.js';
import { waitFor } from '../helpers/units.js';

let hosts: FarHosts | null = null;
afterEach(async () => {
  await hosts?.stop();
  hosts = null;
});

function unreachableHosts(opts: { openMs?: number } = {}) {
  const backend = createMemoryBackend({ hosts: [{ name: 'box', destination: 'me@box' }] });
  const opened: string[] = [];
  hosts = new FarHosts({
    backend,
    env: {},
    settings: createSettingsStore(backend),
    backoffInitialMs: 40,
    backoffMaxMs: 160,
    connectTimeoutMs: 200,
    settingsPollMs: 30,
    open: async (name) => {
      opened.push(name);
      if (opts.openMs !== undefined) await new Promise((r) => setTimeout(r, opts.openMs));
      throw new AppFailure(appError('host-unreachable', `${name} cannot be reached: refused`));
    },
  });
  return { hosts, backend, opened };
}

describe('FarHosts', () => {
  it('shows an unreachable host with why and when, and tries again with growing delays', async () => {
    const { hosts: h, opened } = unreachableHosts();
    const table = createIpcTable({
      monitor: null as never,
      settings: null as never,
      windows: null as never,
      appInfo: null as never,
      hosts: h,
    });
    const pushed: HostsView[] = [];
    table.subscribe('hosts:changed', (v) => pushed.push(v));
    h.start();
    await waitFor(() => opened.length >= 4, 'four attempts', 5_000);
    const v = h.view().hosts[0]!;
    expect(v).toMatchObject({ name: 'box', destination: 'me@box', entries: [] });
    expect(['unreachable', 'connecting']).toContain(v.state);
    expect(v.reason).toBe('box cannot be reached: refused');
    const states = pushed.map((p) => p.hosts[0]?.state);
    // Pushes are coalesced per turn: a failure at once shows as unreachable only.
    expect(states).toContain('unreachable');
    const retries = pushed
      .map((p) => p.hosts[0]!)
      .filter((x) => x.state === 'unreachable')
      .map((x) => x.retryAt);
    expect(retries.every((r) => r !== null)).toBe(true);
    const act = await table.handlers['hosts:act']({
      host: 'box',
      id: 'systemd:a.service',
      action: 'start',
    });
    expect(act).toMatchObject({
      ok: false,
      error: { code: 'host-unreachable', message: 'box cannot be reached: refused' },
    });
    const unknown = await table.handlers['hosts:reconnect']({ host: 'other' });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(!unknown.ok && unknown.error.message).toMatch(/no host named other/);
  });

  it('a slow host times out in words; adding and removing follow settings', async () => {
    const { hosts: h, backend } = unreachableHosts({ openMs: 5_000 });
    h.start();
    const v = await waitFor(
      () => (h.view().hosts[0]?.state === 'unreachable' ? h.view().hosts[0] : null),
      'the deadline',
      3_000,
    );
    expect(v.reason).toBe('box cannot be reached: no answer in 0 s');
    const added = h.add('two', 'two.example');
    expect(added.ok && added.value.hosts.map((x) => x.name)).toEqual(['box', 'two']);
    expect(h.add('two', 'x')).toMatchObject({ ok: false, error: { code: 'conflict' } });
    // A change made elsewhere (the CLI) is followed.
    backend.set('hosts', [{ name: 'two', destination: 'two.example' }]);
    await waitFor(() => h.view().hosts.length === 1, 'box gone', 2_000);
    expect(h.remove('two')).toMatchObject({ ok: true, value: { hosts: [] } });
    expect(h.remove('two')).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });
});
