// `events [--json]`: streams snapshot changes and crash events until interrupted (SIGINT or
// SIGTERM), one line each; with --json, one JSON object per line:
//   {"type":"ready","version":N,"entries":COUNT}
//   {"type":"changed","id":ID,"entry":ENTRY}   an entry appeared or its state changed
//   {"type":"removed","id":ID}
//   {"type":"crash","id":ID,"name":...,"reason":"failed|auto-restart|vanished","at":...}
import type { Entry } from '../core/model/domain.js';
import { CrashWatcher, type CrashEvent } from '../core/monitor/crash-detector.js';
import { interrupted, type CliIo, type Command } from './command.js';
import { withCore } from './units.js';
import { t } from '../../i18n/index.js';

export type EntryChange =
  { type: 'changed'; id: string; entry: Entry } | { type: 'removed'; id: string };

/** What a user watching the list would call a change: state, sub-state, pids, restarts. */
function visible(e: Entry): string {
  return JSON.stringify([e.state, e.subState, e.pids, e.restarts, e.autostart.enabled]);
}

/** The entries that appeared, changed or went away between two snapshots (pure). */
export function entryChanges(prev: readonly Entry[], next: readonly Entry[]): EntryChange[] {
  const before = new Map(prev.map((e) => [e.id, e]));
  const out: EntryChange[] = [];
  for (const e of next) {
    const p = before.get(e.id);
    before.delete(e.id);
    if (p === undefined || visible(p) !== visible(e))
      out.push({ type: 'changed', id: e.id, entry: e });
  }
  for (const id of before.keys()) out.push({ type: 'removed', id });
  return out;
}

export function formatChange(c: EntryChange): string {
  return c.type === 'removed'
    ? `${t('cli:events.removed')}  ${c.id}`
    : `${c.entry.state.padEnd(8)} ${c.id} (${c.entry.subState})`;
}

export function formatCrash(e: CrashEvent): string {
  const restarts = e.restarts > 0 ? `, ${t('cli:events.restarts', { count: e.restarts })}` : '';
  return `${t('cli:events.crashed')}  ${e.id} (${e.reason}${restarts})`;
}

const events: Command = {
  name: 'events',
  options: { json: { type: 'boolean' } },
  async run(args, io: CliIo) {
    const json = args.values.json === true;
    const line = (obj: Record<string, unknown>, text: string) =>
      io.out(json ? JSON.stringify(obj) : `${new Date().toISOString()} ${text}`);
    return withCore(io, async (core) => {
      const monitor = core.monitor;
      let prev = monitor.snapshot().entries;
      line(
        { type: 'ready', version: monitor.snapshot().version, entries: prev.length },
        t('cli:events.ready', { count: prev.length }),
      );
      const watcher = new CrashWatcher(monitor);
      watcher.onCrash((e) => line({ type: 'crash', ...e }, formatCrash(e)));
      watcher.start();
      const off = monitor.onSnapshot((s) => {
        for (const c of entryChanges(prev, s.entries)) line(c, formatChange(c));
        prev = s.entries;
      });
      await interrupted();
      off();
      watcher.stop();
      return 0;
    });
  },
};

export const eventCommands: Command[] = [events];
