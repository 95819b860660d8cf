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
} from '../../../contract/index.js';
import { call } from './call';
import { coalesce } from './coalesce';

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
  #catchUps = 0;
  #catchUpTimer: ReturnType<typeof setTimeout> | undefined;

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
    this.#catchUps = 0;
    void this.refresh();
  }

  /** The detail's own copy of the entry lags the live one (systemd's properties settle after
   *  its signals): fetch again shortly, a bounded number of times per change. */
  #catchUpIfBehind(): void {
    const live = this.#entry;
    const fetched = this.#detail?.entry;
    if (live === null || fetched === undefined) return;
    const behind =
      live.state !== fetched.state ||
      live.subState !== fetched.subState ||
      live.autostart.state !== fetched.autostart.state;
    if (!behind || this.#catchUps >= 10) return;
    this.#catchUps += 1;
    clearTimeout(this.#catchUpTimer);
    this.#catchUpTimer = setTimeout(() => void this.refresh(), 150);
  }

  readonly #load = coalesce(async () => {
    const result = await call(() => this.#api.getUnitDetail(this.#id));
    if (result.ok) this.#detail = result.value;
    this.#error = result.ok ? null : result.error;
    this.#loading = false;
  });

  async refresh(): Promise<void> {
    if (await this.#load()) this.#catchUpIfBehind();
  }

  start(): () => void {
    const unsubscribe = this.#api.onSnapshot((s) => this.#onSnapshot(s));
    void this.refresh();
    this.#api.getSnapshot().then(
      (s) => this.#onSnapshot(s),
      (err: unknown) => console.error('Could not read the snapshot', err),
    );
    return () => {
      clearTimeout(this.#catchUpTimer);
      unsubscribe();
    };
  }
}
