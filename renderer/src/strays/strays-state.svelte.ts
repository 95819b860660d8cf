// The Strays page's state: the user's background processes that no service manages, read from
// the core every few seconds while the page shows, the stops made from here (a stopped stray
// leaves the list; its outcome stays on the page until dismissed).
import type { StopReport, Stray } from '../../../contract/index.js';
import type { DaemonDeckApi } from '../../../contract/index.js';
import { call } from '../lib/call';
import { PolledState } from '../lib/polled-state.svelte';
import { filterStrays, stopSummary } from '../processes/process-view';

export interface StoppedStray {
  pid: number;
  command: string;
  summary: string;
}

export class StraysState extends PolledState {
  #strays = $state.raw<Stray[]>([]);
  #loading = $state(false);
  #stopped = $state.raw<StoppedStray[]>([]);
  /** Narrows the list by command, directory or PID. */
  filter = $state('');
  readonly #api: DaemonDeckApi;

  constructor(api: DaemonDeckApi, opts: { intervalMs?: number } = {}) {
    super(opts.intervalMs ?? 4000);
    this.#api = api;
  }

  get strays(): Stray[] {
    return this.#strays;
  }
  /** The strays the filter lets through. */
  get shown(): Stray[] {
    return filterStrays(this.#strays, this.filter);
  }
  get loading(): boolean {
    return this.#loading;
  }
  get stopped(): StoppedStray[] {
    return this.#stopped;
  }

  async refresh(): Promise<void> {
    this.#loading = true;
    const r = await call(() => this.#api.listStrays());
    this.#loading = false;
    this.answered(r.ok ? null : r.error);
    if (!r.ok) return;
    // Oldest first: the ones left behind longest are the likeliest to be forgotten.
    this.#strays = [...r.value].sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  }

  stoppedOne(stray: Stray, report: StopReport): void {
    this.#stopped = [
      ...this.#stopped,
      { pid: stray.pid, command: stray.command, summary: stopSummary(report.steps) },
    ];
    this.#strays = this.#strays.filter((s) => s.pid !== stray.pid);
  }

  dismissStopped(pid: number): void {
    this.#stopped = this.#stopped.filter((s) => s.pid !== pid);
  }
}
