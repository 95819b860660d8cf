// Live progress of slow process operations (a stop's TERM -> wait -> KILL steps, an Adopt's
// phases), pushed to whoever listens: the IPC table forwards it on the event channels of
// contract/areas/processes.ts, and each window picks out the operation it started by its opId.
import type { ProcessesEventMap } from '../../../contract/areas/processes.js';
import type { StopProgress, AdoptProgress } from '../model/processes.js';

type Channel = keyof ProcessesEventMap;

export class ProcessProgress {
  readonly #listeners: { [C in Channel]: Set<(value: ProcessesEventMap[C]) => void> } = {
    'processes:stop-progress': new Set(),
    'processes:adopt-progress': new Set(),
  };

  on<C extends Channel>(channel: C, listener: (value: ProcessesEventMap[C]) => void): () => void {
    const set = this.#listeners[channel] as Set<(value: ProcessesEventMap[C]) => void>;
    set.add(listener);
    return () => set.delete(listener);
  }

  stop(progress: StopProgress): void {
    this.#emit('processes:stop-progress', progress);
  }

  adopt(progress: AdoptProgress): void {
    this.#emit('processes:adopt-progress', progress);
  }

  #emit<C extends Channel>(channel: C, value: ProcessesEventMap[C]): void {
    for (const listener of this.#listeners[channel] as Set<(v: ProcessesEventMap[C]) => void>) {
      // A listener that throws (a closed window) must not stop the operation or the others.
      try {
        listener(value);
      } catch (err) {
        console.warn(`progress: a ${channel} listener failed: ${String(err)}`);
      }
    }
  }
}
