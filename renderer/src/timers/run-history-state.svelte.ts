// A timer job's runs, polled while shown (a run appears when it ends).
import type { AppError, DaemonDeckApi, TimerHistory } from '../../../contract/index.js';
import { call } from '../lib/call';
import { Poller } from '../lib/poller';

export class RunHistoryState {
  history = $state.raw<TimerHistory | null>(null);
  error = $state.raw<AppError | null>(null);
  readonly #api: DaemonDeckApi;
  readonly #name: string;
  readonly #poller: Poller;

  constructor(api: DaemonDeckApi, name: string, intervalMs = 2000) {
    this.#api = api;
    this.#name = name;
    this.#poller = new Poller(() => this.load(), intervalMs);
  }

  async load(): Promise<void> {
    const r = await call(() => this.#api.getTimerHistory(this.#name));
    if (r.ok) {
      this.history = r.value;
      this.error = null;
    } else this.error = r.error;
  }

  /** Polls while mounted; returns the stop. */
  start(): () => void {
    this.#poller.start();
    return () => this.#poller.stop();
  }
}
