import { describe, expect, it } from 'vitest';
import { entryChanges, formatChange, formatCrash } from '../../main/cli/events.js';
import type { Entry } from '../../main/core/model/domain.js';
import { serviceEntry } from '../helpers/entries.js';

function entry(id: string, patch: Partial<Entry> = {}): Entry {
  return serviceEntry(id, {
    id,
    description: 'd',
    state: 'running',
    subState: 'running',
    pids: [1],
    cpu: 1,
    memory: 1,
    ...patch,
  });
}

describe('events: entry changes', () => {
  it('reports appeared, changed and removed entries, not CPU or memory noise', () => {
    const a = entry('a');
    const b = entry('b');
    expect(entryChanges([a, b], [entry('a', { cpu: 50, memory: 9 }), b])).toEqual([]);
    const failed = entry('a', { state: 'failed', subState: 'failed' });
    const c = entry('c');
    expect(entryChanges([a, b], [failed, c])).toEqual([
      { type: 'changed', id: 'a', entry: failed },
      { type: 'changed', id: 'c', entry: c },
      { type: 'removed', id: 'b' },
    ]);
    expect(entryChanges([a], [entry('a', { restarts: 1 })])).toHaveLength(1);
  });

  it('formats lines for people', () => {
    expect(formatChange({ type: 'removed', id: 'x' })).toBe('removed  x');
    expect(
      formatChange({
        type: 'changed',
        id: 'a',
        entry: entry('a', { state: 'failed', subState: 'failed' }),
      }),
    ).toBe('failed   a (failed)');
    expect(
      formatCrash({
        id: 'systemd:a',
        name: 'a',
        kind: 'service',
        at: '',
        reason: 'auto-restart',
        restarts: 3,
      }),
    ).toBe('CRASHED  systemd:a (auto-restart, 3 restarts)');
  });
});
