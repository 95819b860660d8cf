import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CrashWatcher,
  crashReason,
  detectCrashes,
  type SnapshotSource,
} from '../../main/core/monitor/crash-detector.js';
import type { Entry, EntryState, Snapshot } from '../../main/core/model/domain.js';
import { serviceEntry } from '../helpers/entries.js';

function entry(id: string, patch: Partial<Entry> = {}): Entry {
  return serviceEntry(id.split(':').pop() ?? id, {
    id,
    kind: id.startsWith('process:') ? 'process' : 'service',
    state: 'running',
    subState: 'running',
    pids: [1],
    ...patch,
  });
}

const U = 'systemd:a.service';
const P = 'process:rule';

describe('crashReason', () => {
  it.each<[string, Partial<Entry>, Partial<Entry>, string | null]>([
    ['unit fails', {}, { state: 'failed', subState: 'failed' }, 'failed'],
    [
      'unit enters auto-restart',
      {},
      { state: 'starting', subState: 'auto-restart' },
      'auto-restart',
    ],
    ['NRestarts rises unseen', { restarts: 2 }, { restarts: 3 }, 'auto-restart'],
    [
      'NRestarts rises after a seen auto-restart',
      { state: 'starting', subState: 'auto-restart', restarts: 2 },
      { restarts: 3 },
      null,
    ],
    [
      'failed for a moment, then auto-restart',
      { state: 'failed', subState: 'failed' },
      { state: 'starting', subState: 'auto-restart' },
      null,
    ],
    [
      'auto-restart refused (start limit): the final failure',
      { state: 'starting', subState: 'auto-restart' },
      { state: 'failed', subState: 'failed' },
      'gave-up',
    ],
    [
      'stays failed',
      { state: 'failed', subState: 'failed' },
      { state: 'failed', subState: 'failed' },
      null,
    ],
    ['stopped cleanly', {}, { state: 'stopped', subState: 'dead', pids: [] }, null],
    ['started', { state: 'stopped', subState: 'dead' }, {}, null],
  ])('%s', (_what, before, after, expected) => {
    expect(crashReason(entry(U, before), entry(U, after))).toBe(expected);
  });

  it('a watched process that vanished crashed; one that appeared did not', () => {
    expect(crashReason(entry(P), entry(P, { state: 'stopped', pids: [] }))).toBe('vanished');
    expect(crashReason(entry(P, { state: 'stopped' }), entry(P))).toBeNull();
  });

  it('other sources never crash', () => {
    expect(crashReason(entry('cron:x'), entry('cron:x', { state: 'failed' }))).toBeNull();
  });
});

describe('detectCrashes', () => {
  const opts = { intents: new Map<string, number>(), now: 1_000_000, intentWindowMs: 30_000 };

  it('reports a crash with its time and restarts', () => {
    const prev = new Map([[U, entry(U, { restarts: 4 })]]);
    expect(detectCrashes(prev, [entry(U, { state: 'failed', restarts: 4 })], opts)).toEqual([
      {
        id: U,
        name: 'a.service',
        kind: 'service',
        at: new Date(1_000_000).toISOString(),
        reason: 'failed',
        restarts: 4,
      },
    ]);
  });

  it('a stop the app asked for is not a crash, within the window only', () => {
    const prev = new Map([[P, entry(P)]]);
    const next = [entry(P, { state: 'stopped', pids: [] })];
    expect(detectCrashes(prev, next, { ...opts, intents: new Map([[P, 990_000]]) })).toEqual([]);
    expect(detectCrashes(prev, next, { ...opts, intents: new Map([[P, 900_000]]) })).toHaveLength(
      1,
    );
  });

  it('new and removed entries are not crashes', () => {
    expect(detectCrashes(new Map(), [entry(U, { state: 'failed' })], opts)).toEqual([]);
    expect(detectCrashes(new Map([[U, entry(U)]]), [], opts)).toEqual([]);
  });

  const states: EntryState[] = ['running', 'stopped', 'failed', 'starting', 'stopping', 'unknown'];
  const arbEntry = (id: string) =>
    fc
      .record({
        state: fc.constantFrom(...states),
        subState: fc.constantFrom('running', 'dead', 'failed', 'auto-restart', 'exited'),
        restarts: fc.nat(5),
      })
      .map((p) => entry(id, p));

  it('property: an entry that does not change never crashes', () => {
    fc.assert(
      fc.property(arbEntry(U), arbEntry(P), (u, p) => {
        const prev = new Map([
          [U, u],
          [P, p],
        ]);
        expect(detectCrashes(prev, [u, p], opts)).toEqual([]);
      }),
    );
  });

  it('property: a crash loop seen at every step is counted once per crash', () => {
    // Each cycle: running -> (maybe a failed blip) -> auto-restart -> NRestarts+1 -> running.
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: 1, maxLength: 30 }), (blips) => {
        const seq: Entry[] = [entry(U)];
        blips.forEach((blip, i) => {
          if (blip) seq.push(entry(U, { state: 'failed', subState: 'failed', restarts: i }));
          seq.push(entry(U, { state: 'starting', subState: 'auto-restart', restarts: i }));
          seq.push(entry(U, { state: 'starting', subState: 'auto-restart', restarts: i + 1 }));
          seq.push(entry(U, { restarts: i + 1 }));
        });
        let crashes = 0;
        for (let i = 1; i < seq.length; i++)
          crashes += detectCrashes(new Map([[U, seq[i - 1]!]]), [seq[i]!], opts).length;
        expect(crashes).toBe(blips.length);
      }),
    );
  });

  it('property: snapshots coalesced to running-only still count every restart once', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 20 }),
        (steps) => {
          let r = 0;
          let prev = entry(U);
          let crashes = 0;
          for (const s of steps) {
            r += s;
            const next = entry(U, { restarts: r });
            crashes += detectCrashes(new Map([[U, prev]]), [next], opts).length;
            prev = next;
          }
          // NRestarts rising by several between two snapshots is one crash seen (the count of
          // crashes seen never exceeds the restarts, and each rise is seen).
          expect(crashes).toBe(steps.filter((s) => s > 0).length);
        },
      ),
    );
  });
});

describe('CrashWatcher', () => {
  function source(initial: Entry[]): SnapshotSource & { push(e: Entry[]): void } {
    let current: Snapshot = {
      version: 1,
      generatedAt: '',
      entries: initial,
      sources: { systemd: { status: 'ok' } },
    };
    const ls = new Set<(s: Snapshot) => void>();
    return {
      snapshot: () => current,
      onSnapshot(l) {
        ls.add(l);
        return () => ls.delete(l);
      },
      push(entries) {
        current = { ...current, version: current.version + 1, entries };
        for (const l of ls) l(current);
      },
    };
  }

  it('tells listeners about crashes and honours noted intents until they expire', () => {
    let now = 0;
    const src = source([entry(P)]);
    const w = new CrashWatcher(src, { clock: () => now, intentWindowMs: 1000 });
    const seen: string[] = [];
    w.onCrash((e) => seen.push(`${e.id}:${e.reason}`));
    w.start();
    w.noteIntent(P);
    src.push([entry(P, { state: 'stopped' })]);
    expect(seen).toEqual([]);
    src.push([entry(P)]);
    now = 5000;
    src.push([entry(P, { state: 'stopped' })]);
    expect(seen).toEqual([`${P}:vanished`]);
    w.stop();
    src.push([entry(P)]);
    src.push([entry(P, { state: 'stopped' })]);
    expect(seen).toHaveLength(1);
  });

  describe('a refused restart', () => {
    /** A watcher of one unit that starts in `start`; at(ms, patch) shows the next state. */
    function watch(start: Partial<Entry>) {
      let now = 0;
      const src = source([entry(U, start)]);
      const w = new CrashWatcher(src, { clock: () => now });
      const seen: string[] = [];
      w.onCrash((e) => seen.push(e.reason));
      w.start();
      return {
        seen,
        at(ms: number, patch: Partial<Entry>) {
          now = ms;
          src.push([entry(U, patch)]);
        },
      };
    }
    const autoRestart: Partial<Entry> = {
      state: 'starting',
      subState: 'auto-restart',
      restarts: 3,
    };
    const dead: Partial<Entry> = { state: 'stopped', subState: 'dead', restarts: 3, pids: [] };
    const failed: Partial<Entry> = { state: 'failed', subState: 'failed', restarts: 3, pids: [] };

    // Seen on systemd 252: auto-restart -> inactive/dead -> failed, sent together, which our
    // snapshots sometimes show one by one.
    it('is the final failure when the inactive step between is seen on its own', () => {
      const w = watch(autoRestart);
      w.at(10, dead);
      w.at(12, failed);
      expect(w.seen).toEqual(['gave-up']);
    });

    it('is the final failure when the steps are seen together too', () => {
      const w = watch(autoRestart);
      w.at(10, failed);
      expect(w.seen).toEqual(['gave-up']);
    });

    it('a unit stopped during auto-restart, started much later, that fails, just failed', () => {
      const w = watch(autoRestart);
      w.at(10, dead);
      w.at(60_000, failed);
      expect(w.seen).toEqual(['failed']);
    });

    it('a unit stopped during auto-restart and started again did not crash', () => {
      const w = watch(autoRestart);
      w.at(10, dead);
      w.at(20, { restarts: 0 });
      w.at(30, { ...dead, restarts: 0 });
      expect(w.seen).toEqual([]);
    });
  });
});
