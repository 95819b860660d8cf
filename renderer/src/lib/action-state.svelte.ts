// Actions in flight and their last errors, per entry: what drives the spinners and the
// readable error lines. One action per entry at a time; a new attempt clears the old error.
import { SvelteMap } from 'svelte/reactivity';
import type { AppError, Result } from '../../../contract/index.js';
import { asError } from './call.js';

export class ActionState<K extends string = string> {
  readonly #busy = new SvelteMap<string, K>();
  readonly #errors = new SvelteMap<string, AppError>();

  /** The action running for `id`, if any. */
  busy(id: string): K | undefined {
    return this.#busy.get(id);
  }

  error(id: string): AppError | undefined {
    return this.#errors.get(id);
  }

  dismiss(id: string): void {
    this.#errors.delete(id);
  }

  /** Runs `task` as action `kind` on `id` unless one is already running there. */
  async run<T>(id: string, kind: K, task: () => Promise<Result<T>>): Promise<Result<T> | null> {
    if (this.#busy.has(id)) return null;
    this.#busy.set(id, kind);
    this.#errors.delete(id);
    try {
      const result = await task();
      if (!result.ok) this.#errors.set(id, result.error);
      return result;
    } catch (err) {
      const error = asError(err);
      this.#errors.set(id, error);
      return { ok: false, error };
    } finally {
      this.#busy.delete(id);
    }
  }
}
