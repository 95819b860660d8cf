// The Undo a page offers after it made something (a watch rule, an adopted service): offered,
// running, done, or withdrawn once the user is done with the outcome; a failed Undo is offered
// again, with why it failed (a Task's busy and error).
import type { Result } from '../../../contract/index.js';
import { Task } from './task.svelte';

export type UndoPhase = 'available' | 'running' | 'done' | 'dismissed';

export class UndoOffer extends Task {
  #done = $state(false);
  #withdrawn = $state(false);

  get phase(): UndoPhase {
    if (this.#withdrawn) return 'dismissed';
    if (this.busy) return 'running';
    return this.#done ? 'done' : 'available';
  }

  /** Offered again, for a new outcome. */
  reset(): void {
    this.#done = false;
    this.#withdrawn = false;
    this.dismiss();
  }

  /** No longer offered; answers whether it still was. */
  withdraw(): boolean {
    const was = this.phase === 'available';
    this.#withdrawn = true;
    return was;
  }

  /** Runs the undo while it is offered. */
  async undo(request: () => Promise<Result<unknown>>): Promise<void> {
    if (this.phase !== 'available') return;
    const r = await this.run(request);
    if (r?.ok) this.#done = true;
  }
}
