// Polling for live views: runs a tick every few seconds while started and the page is visible,
// never two at once (a slow answer delays the next tick instead of piling up requests).
/** Runs `tick` every `intervalMs` while started and the page is visible; never two at once. */
export class Poller {
  readonly #tick: () => Promise<void>;
  readonly #intervalMs: number;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #running = false;
  #active = false;

  constructor(tick: () => Promise<void>, intervalMs: number) {
    this.#tick = tick;
    this.#intervalMs = intervalMs;
  }

  start(): void {
    if (this.#active) return;
    this.#active = true;
    void this.#run();
  }

  stop(): void {
    this.#active = false;
    clearTimeout(this.#timer);
  }

  /** Poll now (e.g. after resuming), then keep the rhythm. */
  now(): void {
    if (!this.#active) return;
    clearTimeout(this.#timer);
    void this.#run();
  }

  async #run(): Promise<void> {
    if (this.#running || !this.#active) return;
    this.#running = true;
    try {
      if (document.visibilityState !== 'hidden') await this.#tick();
    } finally {
      this.#running = false;
      if (this.#active) this.#timer = setTimeout(() => void this.#run(), this.#intervalMs);
    }
  }
}
