// The detail window of one process (pid:N, opened from a stray or a launch): the process as the
// core sees it now (asked every 2 s while the window shows), and whether it has exited.
import type { ProcessDetail } from '../../../contract/index.js';
import type { DaemonDeckApi } from '../../../contract/index.js';
import { call } from '../lib/call';
import { PolledState } from '../lib/polled-state.svelte';

export class ProcessDetailState extends PolledState {
  #detail = $state.raw<ProcessDetail | null>(null);
  #exited = $state(false);
  readonly pid: number;
  readonly #api: DaemonDeckApi;

  constructor(api: DaemonDeckApi, id: string, opts: { intervalMs?: number } = {}) {
    super(opts.intervalMs ?? 2000);
    this.#api = api;
    this.pid = Number(id.replace(/^pid:/, ''));
  }

  get detail(): ProcessDetail | null {
    return this.#detail;
  }

  /** It was running when the window opened and is gone now (or its pid went to another). */
  get exited(): boolean {
    return this.#exited;
  }

  async refresh(): Promise<void> {
    if (this.#exited) return;
    const r = await call(() => this.#api.getProcess(this.pid));
    const gone = r.ok
      ? this.#detail !== null && this.#detail.process.starttime !== r.value.process.starttime
      : this.#detail !== null && r.error.code === 'no-such-unit';
    if (gone) {
      this.#exited = true;
      this.answered(this.error);
      return;
    }
    if (r.ok) this.#detail = r.value;
    this.answered(r.ok ? null : r.error);
  }
}
