// The Undo a page offers after it made something (a watch rule, an adopted service): offered,
// running, done, or withdrawn once the user is done with the outcome; a failed Undo is offered
// again, with why it failed.
import type { AppError, Result } from '../../../contract/index.js';
import { call } from './call';

export type UndoPhase = 'available' | 'running' | 'done' | 'dismissed';

export class UndoOffer {
  #phase = $state<UndoPhase>('available');
  #error = $state.raw<AppError | null>(null);

  get phase(): UndoPhase {
    return this.#phase;
  }

  get error(): AppError | null {
    return this.#error;
  }

  dismissError(): void {
    this.#error = null;
  }

  /** Offered again, for a new outcome. */
  reset(): void {
    this.#phase = 'available';
    this.#error = null;
  }

  /** No longer offered; answers whether it still was. */
  withdraw(): boolean {
    const was = this.#phase === 'available';
    this.#phase = 'dismissed';
    return was;
  }

  /** Runs the undo while it is offered. */
  async run(request: () => Promise<Result<unknown>>): Promise<void> {
    if (this.#phase !== 'available') return;
    this.#phase = 'running';
    this.#error = null;
    const r = await call(request);
    this.#phase = r.ok ? 'done' : 'available';
    if (!r.ok) this.#error = r.error;
  }
}
