// The watch rules as an entry source (`process:RULE`). /proc has no change events, so the
// source polls (every 2 s by default, DESIGN.md) and reports a change only when what it shows
// changed; rule edits in settings trigger an immediate rescan. A poll is a partial scan
// (ProcessService.pollEntries): a thousand idle processes cost little more than their listing.
import type { Entry, SourceStatus } from '../../../preload/contract.js';
import type { EntrySource } from '../monitor/source.js';
import { fail } from '../errors.js';
import type { ProcessService } from './process-service.js';

export interface PollingOptions {
  intervalMs?: number;
}

export function createProcessSource(
  service: ProcessService,
  opts: PollingOptions = {},
): EntrySource {
  const intervalMs = opts.intervalMs ?? 2000;
  const listeners = new Set<() => void>();
  let entries: Entry[] = [];
  let status: SourceStatus = { status: 'connecting' };
  let timer: NodeJS.Timeout | null = null;
  let unsubscribe: (() => void) | null = null;
  let lastKey = '';

  const refresh = () => {
    try {
      entries = service.pollEntries();
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

  return {
    name: 'processes',
    prefixes: ['process:'],
    start() {
      refresh();
      unsubscribe = service.rules.onChange(refresh);
      timer = setInterval(refresh, intervalMs);
      timer.unref();
      return Promise.resolve();
    },
    stop() {
      if (timer !== null) clearInterval(timer);
      timer = null;
      unsubscribe?.();
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
