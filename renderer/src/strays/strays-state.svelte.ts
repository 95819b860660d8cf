// The Strays page's state: the user's background processes that no service manages, read from
// the core every few seconds while the page shows, the stops made from here (a stopped stray
// leaves the list; its outcome stays on the page until dismissed).
import type { StopReport, Stray } from '../../../contract/index.js';
import type { AppError, DaemonDeckApi } from '../../../contract/index.js';
import { call } from '../lib/call';
import { Poller } from '../lib/poller';
import { filterStrays, stopSummary } from '../processes/process-view';

export interface StoppedStray {
  pid: number;
  command: string;
  summary: string;
}

export class StraysState {
  #strays = $state.raw<Stray[]>([]);
  #loaded = $state(false);
  #loading = $state(false);
  #error = $state.raw<AppError | null>(null);
  #stopped = $state.raw<StoppedStray[]>([]);
  /** Narrows the list by command, directory or PID. */
  filter = $state('');
  readonly #api: DaemonDeckApi;
  readonly #poller: Poller;

  constructor(api: DaemonDeckApi, opts: { intervalMs?: number } = {}) {
    this.#api = api;
    this.#poller = new Poller(() => this.refresh(), opts.intervalMs ?? 4000);
  }

  get strays(): Stray[] {
    return this.#strays;
  }
  /** The strays the filter lets through. */
  get shown(): Stray[] {
    return filterStrays(this.#strays, this.filter);
  }
  get loaded(): boolean {
    return this.#loaded;
  }
  get loading(): boolean {
    return this.#loading;
  }
  get error(): AppError | null {
    return this.#error;
  }
  get stopped(): StoppedStray[] {
    return this.#stopped;
  }

  async refresh(): Promise<void> {
    this.#loading = true;
    const r = await call(() => this.#api.listStrays());
    this.#loading = false;
    this.#loaded = true;
    if (!r.ok) {
      this.#error = r.error;
      return;
    }
    this.#error = null;
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

  start(): () => void {
    this.#poller.start();
    return () => this.#poller.stop();
  }

  /** Read the list again at once (back from the Adopt flow, or the Refresh button). */
  refreshNow(): void {
    this.#poller.now();
  }
}
