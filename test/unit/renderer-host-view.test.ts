// A far host's group in the panel (issue 17): its state in words, when it is tried again, why
// its rows are stale, and which of its entries are listed for a search or a filter.
import { describe, expect, it } from 'vitest';
import { setLanguage } from '../../i18n/index.js';
import type { FarHostView } from '../../main/core/model/hosts.js';
import {
  hostEntries,
  hostRetryWords,
  hostStale,
  hostStateWords,
} from '../../renderer/src/panel/host-view.js';
import { unitKindEntry } from '../helpers/entries.js';

const NOW = Date.parse('2026-12-06T20:00:00Z');

function host(patch: Partial<FarHostView> = {}): FarHostView {
  return {
    name: 'nas',
    destination: 'me@nas.lan',
    state: 'connected',
    reason: null,
    updatedAt: new Date(NOW - 120_000).toISOString(),
    retryAt: null,
    entries: [],
    unseenCrashes: 0,
    ...patch,
  };
}

describe('far host words', () => {
  setLanguage('en');

  it('says the state, and why it is unreachable', () => {
    expect(hostStateWords(host())).toBe('Connected');
    expect(hostStateWords(host({ state: 'connecting' }))).toBe('Connecting…');
    expect(hostStateWords(host({ state: 'unreachable' }))).toBe('Unreachable');
    expect(hostStateWords(host({ state: 'unreachable', reason: 'no key login' }))).toBe(
      'Unreachable: no key login',
    );
  });

  it('says when it is tried again and when it was last read, only while not connected', () => {
    expect(hostRetryWords(host(), NOW)).toBeNull();
    const out = host({ state: 'unreachable', retryAt: new Date(NOW + 30_000).toISOString() });
    expect(hostRetryWords(out, NOW)).toMatch(/^trying again at .+ · last read 2 minutes ago$/);
    expect(hostRetryWords(host({ state: 'connecting', updatedAt: null }), NOW)).toBeNull();
  });

  it('marks its rows stale unless it is connected', () => {
    expect(hostStale(host())).toBeNull();
    expect(hostStale(host({ state: 'unreachable' }))).toBe('Last known state: nas is out of reach');
    expect(hostStale(host({ state: 'connecting' }))).not.toBeNull();
  });

  it('lists failed first, leaves the plumbing out unless a search or a filter looks for it', () => {
    const entries = [
      unitKindEntry('web.service', { origin: 'user', state: 'running' }),
      unitKindEntry('dbus.service', { origin: 'system', state: 'running' }),
      unitKindEntry('job.service', { origin: 'user', state: 'failed' }),
    ];
    const names = (q: string, f: 'all' | 'running' = 'all') =>
      hostEntries(host({ entries }), q, f).map((e) => e.name);
    expect(names('')).toEqual(['job.service', 'web.service']);
    expect(names('dbus')).toEqual(['dbus.service']);
    expect(names('', 'running')).toContain('dbus.service');
  });
});
