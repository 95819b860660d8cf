// The History tab's data: an entry's crash records from alerts:history, fetched when the tab
// opens and again whenever the snapshot shows that entry change (a crash changes its state or
// restart count), so a crash appears without a reload.
import type { CrashHistoryView } from '../../../contract/index.js';
import type { AppError, DaemonDeckApi, Entry } from '../../../contract/index.js';
import { call } from '../lib/call';
import { coalesce } from '../lib/coalesce';

function changeKey(entry: Entry | undefined): string {
  return entry ? `${entry.state}/${entry.subState}/${entry.restarts}` : 'absent';
}

export class HistoryState {
  #view = $state.raw<CrashHistoryView | null>(null);
  #error = $state.raw<AppError | null>(null);
  #loading = $state(true);
  readonly #api: DaemonDeckApi;
  readonly #id: string;

  constructor(api: DaemonDeckApi, id: string) {
    this.#api = api;
    this.#id = id;
  }

  get view(): CrashHistoryView | null {
    return this.#view;
  }

  get error(): AppError | null {
    return this.#error;
  }

  get loading(): boolean {
    return this.#loading;
  }

  /** Fetches the history; answers false when it only asked the fetch in flight for another. */
  readonly load = coalesce(async () => {
    const r = await call(() => this.#api.getCrashHistory(this.#id));
    if (r.ok) this.#view = r.value;
    this.#error = r.ok ? null : r.error;
    this.#loading = false;
  });

  /** Load now and on every change of the entry; returns the stop function. */
  start(): () => void {
    void this.load();
    let last: string | null = null;
    return this.#api.onSnapshot((s) => {
      const key = changeKey(s.entries.find((e) => e.id === this.#id));
      if (last !== null && key !== last) void this.load();
      last = key;
    });
  }
}
