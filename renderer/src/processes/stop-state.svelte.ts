// One stop (TERM, wait, KILL) as the page shows it: the steps arrive live on the
// 'processes:stop-progress' event channel while the request runs, then the finished report
// (which holds every step) replaces them, so the list always ends complete even when the last
// event arrives after the answer.
import type { StopReport, StopStep } from '../../../contract/index.js';
import type { AppError, DaemonDeckApi } from '../../../contract/index.js';
import { call, operationId } from '../lib/call';

export class StopRun {
  #steps = $state.raw<StopStep[]>([]);
  #running = $state(false);
  #error = $state.raw<AppError | null>(null);
  #report = $state.raw<StopReport | null>(null);
  #opId: string | null = null;
  readonly #api: DaemonDeckApi;

  constructor(api: DaemonDeckApi) {
    this.#api = api;
  }

  get steps(): StopStep[] {
    return this.#steps;
  }
  get running(): boolean {
    return this.#running;
  }
  get error(): AppError | null {
    return this.#error;
  }
  get report(): StopReport | null {
    return this.#report;
  }
  /** Something to show: a stop under way, its outcome or its error. */
  get visible(): boolean {
    return this.#running || this.#steps.length > 0 || this.#error !== null;
  }

  /** Listens for this page's progress events; returns the function that stops listening. */
  start(): () => void {
    return this.#api.onStopProgress((p) => {
      if (p.opId !== this.#opId || !this.#running) return;
      this.#steps = [...this.#steps, p.step];
    });
  }

  async stop(pids: number[], timeoutMs: number | null = null): Promise<StopReport | null> {
    if (this.#running || pids.length === 0) return null;
    const id = operationId('stop');
    this.#opId = id;
    this.#running = true;
    this.#steps = [];
    this.#error = null;
    this.#report = null;
    try {
      const r = await call(() => this.#api.stopProcesses(pids, timeoutMs, id));
      if (!r.ok) {
        this.#error = r.error;
        return null;
      }
      this.#report = r.value;
      this.#steps = r.value.steps;
      return r.value;
    } finally {
      this.#running = false;
      this.#opId = null;
    }
  }

  dismiss(): void {
    if (this.#running) return;
    this.#steps = [];
    this.#error = null;
    this.#report = null;
  }
}
