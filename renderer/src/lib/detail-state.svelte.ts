// One unit's detail for the detail window. The detail is fetched again whenever the snapshot
// shows a change to that entry; fetches never overlap, and a change seen during a fetch
// triggers one more, so the window always ends on the newest state.
import type {
  AppError,
  DaemonDeckApi,
  Entry,
  Snapshot,
  SourceStatus,
  UnitDetail,
} from '../../../preload/contract.js';

export class DetailState {
  #detail = $state.raw<UnitDetail | null>(null);
  #entry = $state.raw<Entry | null>(null);
  #error = $state.raw<AppError | null>(null);
  #loading = $state(true);
  #systemd = $state.raw<SourceStatus>({ status: 'connecting' });
  readonly #api: DaemonDeckApi;
  readonly #id: string;
  #lastSeen: string | undefined;
  #version = -1;
  #inFlight = false;
  #again = false;

  constructor(api: DaemonDeckApi, id: string) {
    this.#api = api;
    this.#id = id;
  }

  get id(): string {
    return this.#id;
  }

  get detail(): UnitDetail | null {
    return this.#detail;
  }

  /** The freshest entry: from the live snapshot when it has one, else from the detail. */
  get entry(): Entry | null {
    return this.#entry ?? this.#detail?.entry ?? null;
  }

  /** Why the detail could not be read (e.g. the unit is gone). */
  get error(): AppError | null {
    return this.#error;
  }

  /** Whether systemd itself is reachable, from the live snapshot. */
  get systemd(): SourceStatus {
    return this.#systemd;
  }

  get loading(): boolean {
    return this.#loading;
  }

  #onSnapshot(snapshot: Snapshot): void {
    if (snapshot.version < this.#version) return;
    this.#version = snapshot.version;
    this.#systemd = snapshot.sources.systemd;
    const entry = snapshot.entries.find((e) => e.id === this.#id) ?? null;
    const seen = JSON.stringify(entry);
    if (seen === this.#lastSeen) return;
    this.#lastSeen = seen;
    this.#entry = entry;
    void this.refresh();
  }

  async refresh(): Promise<void> {
    if (this.#inFlight) {
      this.#again = true;
      return;
    }
    this.#inFlight = true;
    try {
      do {
        this.#again = false;
        const result = await this.#api.getUnitDetail(this.#id);
        if (result.ok) {
          this.#detail = result.value;
          this.#error = null;
        } else {
          this.#error = result.error;
        }
      } while (this.#again);
    } catch (err) {
      this.#error = { code: 'internal', message: err instanceof Error ? err.message : String(err) };
    } finally {
      this.#inFlight = false;
      this.#loading = false;
    }
  }

  start(): () => void {
    const unsubscribe = this.#api.onSnapshot((s) => this.#onSnapshot(s));
    void this.refresh();
    this.#api.getSnapshot().then(
      (s) => this.#onSnapshot(s),
      (err: unknown) => console.error('Could not read the snapshot', err),
    );
    return unsubscribe;
  }
}
