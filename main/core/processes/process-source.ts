// The watch rules as an entry source (`process:RULE`). /proc has no change events, so the
// source polls (every 2 s by default, DESIGN.md) and reports a change only when what it shows
// changed; rule edits in settings trigger an immediate rescan. A poll is a partial scan
// (ProcessService.pollEntries): a thousand idle processes cost little more than their listing.
//
// A watched process that was running and went away without a stop from the app (it crashed, was
// killed, or exited by itself) shows as `failed` (subState `vanished`) until it runs again: the
// rule says the user wants it running, so the panel, the tray and the CLI all say it is down.
import type { Entry, SourceStatus } from '../model/domain.js';
import { createPollTimer, type PollingSource } from '../monitor/poll-timer.js';
import { fail } from '../errors.js';
import type { ProcessService } from './process-service.js';

export interface PollingOptions {
  intervalMs?: number;
}

/** How long a stop asked through the app covers the entry going away (stop waits 5 s for TERM). */
const STOP_INTENT_MS = 30_000;

/**
 * The entries of a scan with vanished ones marked failed. `lost` (ids down since they vanished)
 * and `stopping` (id -> ms time the app asked to stop it) are updated in place. Pure otherwise.
 */
export function markVanished(
  prev: ReadonlyMap<string, Entry>,
  next: readonly Entry[],
  lost: Set<string>,
  stopping: Map<string, number>,
  now: number,
): Entry[] {
  for (const [id, t] of stopping) if (now - t > STOP_INTENT_MS) stopping.delete(id);
  const ids = new Set(next.map((e) => e.id));
  for (const id of lost) if (!ids.has(id)) lost.delete(id); // the rule was removed
  return next.map((e) => {
    if (e.state === 'running') {
      lost.delete(e.id);
      return e;
    }
    if (prev.get(e.id)?.state === 'running') {
      if (stopping.has(e.id)) stopping.delete(e.id);
      else lost.add(e.id);
    }
    return lost.has(e.id) ? { ...e, state: 'failed', subState: 'vanished' } : e;
  });
}

export interface ProcessSource extends PollingSource {
  /** The app is about to stop these processes: the entries running them are not lost. */
  noteStopping(pids: readonly number[]): void;
}

export function createProcessSource(
  service: ProcessService,
  opts: PollingOptions = {},
): ProcessSource {
  const listeners = new Set<() => void>();
  const lost = new Set<string>();
  const stopping = new Map<string, number>();
  let entries: Entry[] = [];
  let status: SourceStatus = { status: 'connecting' };
  let unsubscribe: (() => void) | null = null;
  let offExits: (() => void) | null = null;
  let lastKey = '';
  /** What the service handed out last: the same array again means nothing changed. */
  let polled: Entry[] | null = null;

  const refresh = () => {
    try {
      const next = service.pollEntries();
      // The service's entries of the last poll again (nothing started, ended or moved): what
      // this source shows is as it was, and so is what markVanished would make of it.
      if (next === polled && status.status === 'ok') return;
      const prev = new Map(entries.map((e) => [e.id, e]));
      entries = markVanished(prev, next, lost, stopping, Date.now());
      polled = next;
      status = { status: 'ok' };
    } catch (err) {
      const f = fail('internal', `Could not read the process table: ${String(err)}`);
      status = { status: 'unavailable', error: f.ok ? { code: 'internal', message: '' } : f.error };
    }
    const key = JSON.stringify([status, entries]);
    if (key !== lastKey) {
      lastKey = key;
      for (const l of listeners) l();
    }
  };
  const timer = createPollTimer(refresh, opts.intervalMs ?? 2000);

  return {
    name: 'processes',
    prefixes: ['process:'],
    get intervalMs() {
      return timer.intervalMs;
    },
    noteStopping(pids) {
      const wanted = new Set(pids);
      for (const e of entries)
        if (e.pids.some((p) => wanted.has(p))) stopping.set(e.id, Date.now());
    },
    setIntervalMs: (ms) => timer.setIntervalMs(ms),
    start() {
      refresh();
      unsubscribe = service.rules.onChange(refresh);
      // A watched process that ends is seen at once, not at the next poll.
      offExits = service.onWatchedExit(refresh);
      timer.start();
      return Promise.resolve();
    },
    stop() {
      timer.stop();
      unsubscribe?.();
      offExits?.();
      service.close();
      return Promise.resolve();
    },
    settled: () => Promise.resolve(),
    entries: () => entries,
    status: () => status,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async act(id, action) {
      const r = await service.act(id, action);
      refresh();
      return r;
    },
  };
}
