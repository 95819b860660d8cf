// The live snapshot, as the renderer sees it: subscribe first, then fetch, and keep only newer
// versions, so an event that races the initial fetch is never lost and never rolled back.
import type { DaemonDeckApi, Entry, Snapshot, SourceStatus } from '../../../contract/index.js';
import type { EarlySnapshot } from './early-snapshot';

export class SnapshotState {
  #snapshot = $state.raw<Snapshot | null>(null);
  #loadError = $state<string | null>(null);
  readonly #api: DaemonDeckApi;

  constructor(api: DaemonDeckApi) {
    this.#api = api;
  }

  get snapshot(): Snapshot | null {
    return this.#snapshot;
  }

  get entries(): Entry[] {
    return this.#snapshot?.entries ?? [];
  }

  /** Status of the systemd source; 'connecting' until the first snapshot arrives. */
  get systemd(): SourceStatus {
    return this.#snapshot?.sources.systemd ?? { status: 'connecting' };
  }

  get loaded(): boolean {
    return this.#snapshot !== null;
  }

  /** Set when the very first fetch failed (the transport itself is broken). */
  get loadError(): string | null {
    return this.#loadError;
  }

  entry(id: string): Entry | undefined {
    return this.entries.find((e) => e.id === id);
  }

  #accept(next: Snapshot): void {
    const current = this.#snapshot;
    // The same version is the same snapshot (the core bumps it on every change): taking it again
    // would re-render every row for nothing, as when the answer and the first event cross.
    if (current === null || next.version > current.version) this.#snapshot = next;
  }

  /** Starts listening (or takes over from `early`); returns the function that stops it. */
  start(early?: EarlySnapshot): () => void {
    const unsubscribe =
      early?.follow((s) => this.#accept(s)) ?? this.#api.onSnapshot((s) => this.#accept(s));
    (early?.answer ?? this.#api.getSnapshot()).then(
      (s) => this.#accept(s),
      (err: unknown) => {
        this.#loadError = err instanceof Error ? err.message : String(err);
      },
    );
    return unsubscribe;
  }
}
