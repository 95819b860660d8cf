// One thing a page asks the core to do (create, run, save): whether it is on its way, and why
// the last attempt failed, in words, until dismissed. One run at a time; a new attempt clears
// the old error. ActionState does the same per entry for the panel's rows.
import type { AppError, Result } from '../../../contract/index.js';
import { call } from './call';

export class Task {
  #busy = $state(false);
  #error = $state.raw<AppError | null>(null);

  get busy(): boolean {
    return this.#busy;
  }

  get error(): AppError | null {
    return this.#error;
  }

  dismiss(): void {
    this.#error = null;
  }

  /** Show a problem found before running it (a check that failed). */
  fail(error: AppError): void {
    this.#error = error;
  }

  /** Runs `work` unless a run is on its way (then null). `work` may do more after its request
   *  (a reload) while still busy; its failure, or a throw in lib/call's words, becomes `error`. */
  async run<T>(work: () => Promise<Result<T>>): Promise<Result<T> | null> {
    if (this.#busy) return null;
    this.#busy = true;
    this.#error = null;
    const result = await call(work);
    this.#busy = false;
    if (!result.ok) this.#error = result.error;
    return result;
  }
}
