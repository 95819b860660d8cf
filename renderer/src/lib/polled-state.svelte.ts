// What a window keeps asking the core about while it shows (a process, a session, a watch rule,
// the strays): polled every few seconds by a Poller, loaded once the first answer came, with the
// last error. Each view says how to ask (refresh) and what to keep from the answer.
import type { AppError } from '../../../contract/index.js';
import { Poller } from './poller';

export abstract class PolledState {
  #loaded = $state(false);
  #error = $state.raw<AppError | null>(null);
  readonly #poller: Poller;

  constructor(intervalMs: number) {
    this.#poller = new Poller(() => this.refresh(), intervalMs);
  }

  /** The first answer came (good or bad). */
  get loaded(): boolean {
    return this.#loaded;
  }

  get error(): AppError | null {
    return this.#error;
  }

  /** Ask the core once and keep what it says. */
  abstract refresh(): Promise<void>;

  /** Poll while the window shows; returns the stop function. */
  start(): () => void {
    this.#poller.start();
    return () => this.#poller.stop();
  }

  /** Ask again at once (after an action), then keep the rhythm. */
  now(): void {
    this.#poller.now();
  }

  dismissError(): void {
    this.#error = null;
  }

  protected answered(error: AppError | null): void {
    this.#loaded = true;
    this.#error = error;
  }

  protected failed(error: AppError): void {
    this.#error = error;
  }
}
