// The far hosts (issue 17) as the panel and Settings see them: subscribe first, then fetch, and
// keep only newer versions (as SnapshotState does), so an event racing the fetch is never lost.
import type { DaemonDeckApi } from '../../../contract/index.js';

/** The far hosts as hosts:get answers them (main/core/model/hosts.ts, through the contract). */
export type HostsView = Awaited<ReturnType<DaemonDeckApi['getHosts']>>;
export type FarHostView = HostsView['hosts'][number];

export class HostsState {
  #view = $state.raw<HostsView | null>(null);
  readonly #api: () => DaemonDeckApi;

  /** `api` is read when start() runs (a component's prop, read in its effect). */
  constructor(api: () => DaemonDeckApi) {
    this.#api = api;
  }

  get hosts(): FarHostView[] {
    return this.#view?.hosts ?? [];
  }

  get loaded(): boolean {
    return this.#view !== null;
  }

  /** Takes a view answered by an action (add, remove, seen) as if it came by the event. */
  accept(next: HostsView): void {
    const current = this.#view;
    if (current === null || next.version >= current.version) this.#view = next;
  }

  /** Starts listening; returns the function that stops it. */
  start(): () => void {
    const api = this.#api();
    const unsubscribe = api.onHosts((v) => this.accept(v));
    api.getHosts().then(
      (v) => this.accept(v),
      () => undefined,
    );
    return unsubscribe;
  }
}
