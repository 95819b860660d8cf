// The detail window of one process (pid:N, opened from a stray or a launch): the process as the
// core sees it now (asked every 2 s while the window shows), and whether it has exited.
import type { ProcessDetail } from '../../../contract/index.js';
import type { AppError, DaemonDeckApi } from '../../../contract/index.js';
import { call } from '../lib/call';
import { Poller } from '../lib/poller';

export class ProcessDetailState {
  #detail = $state.raw<ProcessDetail | null>(null);
  #loaded = $state(false);
  #exited = $state(false);
  #error = $state.raw<AppError | null>(null);
  readonly pid: number;
  readonly #api: DaemonDeckApi;
  readonly #poller: Poller;

  constructor(api: DaemonDeckApi, id: string, opts: { intervalMs?: number } = {}) {
    this.#api = api;
    this.pid = Number(id.replace(/^pid:/, ''));
    this.#poller = new Poller(() => this.refresh(), opts.intervalMs ?? 2000);
  }

  get detail(): ProcessDetail | null {
    return this.#detail;
  }
  get loaded(): boolean {
    return this.#loaded;
  }
  /** It was running when the window opened and is gone now (or its pid went to another). */
  get exited(): boolean {
    return this.#exited;
  }
  get error(): AppError | null {
    return this.#error;
  }

  async refresh(): Promise<void> {
    if (this.#exited) return;
    const r = await call(() => this.#api.getProcess(this.pid));
    this.#loaded = true;
    if (!r.ok) {
      if (this.#detail !== null && r.error.code === 'no-such-unit') this.#exited = true;
      else this.#error = r.error;
      return;
    }
    const before = this.#detail?.process.starttime;
    if (before !== undefined && before !== r.value.process.starttime) {
      this.#exited = true;
      return;
    }
    this.#detail = r.value;
    this.#error = null;
  }

  start(): () => void {
    this.#poller.start();
    return () => this.#poller.stop();
  }

  now(): void {
    this.#poller.now();
  }
}
