import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CRASH_HISTORY_KEY,
  CrashHistory,
  isFlapping,
  normaliseHistory,
  type CrashRecord,
} from '../../main/core/monitor/crash-history.js';

function memory() {
  const map = new Map<string, unknown>();
  return {
    map,
    get: (k: string) => map.get(k),
    set: (k: string, v: unknown) => void map.set(k, v),
  };
}

const rec = (ms: number, exit: string | null = 'exited with status 1'): CrashRecord => ({
  at: new Date(ms).toISOString(),
  reason: 'failed',
  exit,
  restarts: 0,
});

describe('crash history', () => {
  it('persists through the backend and reads back newest first', () => {
    const b = memory();
    const h = new CrashHistory(b);
    h.add('systemd:a.service', rec(1000));
    h.add('systemd:a.service', rec(2000, 'was killed by signal KILL'));
    expect(new CrashHistory(b).of('systemd:a.service').map((r) => r.exit)).toEqual([
      'was killed by signal KILL',
      'exited with status 1',
    ]);
    expect(b.map.get(CRASH_HISTORY_KEY)).toBeTypeOf('object');
  });

  it('is bounded per entry and in entries, dropping the oldest', () => {
    const h = new CrashHistory(memory(), { perEntry: 3, maxEntries: 2 });
    for (let i = 0; i < 10; i++) h.add('a', rec(i * 1000));
    expect(h.of('a').map((r) => Date.parse(r.at))).toEqual([9000, 8000, 7000]);
    h.add('b', rec(20_000));
    h.add('c', rec(30_000));
    expect(h.ids().sort()).toEqual(['b', 'c']);
  });

  it('drops malformed stored records instead of failing', () => {
    const b = memory();
    b.set(CRASH_HISTORY_KEY, { a: [rec(1), { at: 'nope' }, 3], b: 'x', c: [] });
    const h = new CrashHistory(b);
    expect(h.of('a')).toHaveLength(1);
    expect(h.ids()).toEqual(['a']);
    expect(normaliseHistory(null, 5, 5)).toEqual({});
    expect(normaliseHistory([rec(1)], 5, 5)).toEqual({});
  });

  it('flapping: at least N crashes within the window', () => {
    const now = 1_000_000;
    const recent = [rec(now - 1000), rec(now - 2000), rec(now - 3000)];
    expect(isFlapping(recent, now, 3, 10_000)).toBe(true);
    expect(isFlapping(recent, now, 4, 10_000)).toBe(false);
    expect(isFlapping(recent, now + 9_000, 3, 10_000)).toBe(false);
    const h = new CrashHistory(memory(), { flapCount: 2, flapWindowMs: 5000 });
    h.add('a', rec(now - 1000));
    expect(h.flapping('a', now)).toBe(false);
    h.add('a', rec(now - 500));
    expect(h.flapping('a', now)).toBe(true);
    h.clear('a');
    expect(h.of('a')).toEqual([]);
  });

  it('keeps the entry just added when the oldest must go and their times tie', () => {
    const h = new CrashHistory(memory(), { perEntry: 1, maxEntries: 1 });
    h.add('a', rec(0));
    h.add('d', rec(0));
    expect(h.ids()).toEqual(['d']);
  });

  it('property: never more than the bounds, and the newest record is kept', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c', 'd'), fc.nat(1_000_000)), {
          maxLength: 60,
        }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 3 }),
        (adds, perEntry, maxEntries) => {
          const h = new CrashHistory(memory(), { perEntry, maxEntries });
          let t = 0;
          for (const [id, dt] of adds) {
            t += dt;
            h.add(id, rec(t));
          }
          expect(h.ids().length).toBeLessThanOrEqual(maxEntries);
          for (const id of h.ids()) expect(h.of(id).length).toBeLessThanOrEqual(perEntry);
          const last = adds.at(-1);
          if (last) expect(h.of(last[0])[0]?.at).toBe(new Date(t).toISOString());
        },
      ),
    );
  });
});
