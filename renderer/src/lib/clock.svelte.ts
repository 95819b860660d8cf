// A coarse clock for "Running for 3 min": one timer per page, ticking while anything reads it.
import { createSubscriber } from 'svelte/reactivity';

export class Clock {
  readonly #intervalMs: number;
  readonly #subscribe: () => void;

  constructor(intervalMs = 5000) {
    this.#intervalMs = intervalMs;
    this.#subscribe = createSubscriber((update) => {
      const timer = setInterval(update, this.#intervalMs);
      return () => clearInterval(timer);
    });
  }

  get now(): number {
    this.#subscribe();
    return Date.now();
  }
}
