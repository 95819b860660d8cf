// The Strays page's state: the user's background processes that no service manages, read from
// the core every few seconds while the page shows, the stops made from here (a stopped stray
// leaves the list; its outcome stays on the page until dismissed).
import type { StopReport, Stray } from '../../../contract/index.js';
import type { DaemonDeckApi } from '../../../contract/index.js';
import { call } from '../lib/call';
import { PolledState } from '../lib/polled-state.svelte';
import type { SettingsState } from '../lib/settings-state.svelte';
import { filterStrays, stopSummary } from '../processes/process-view';
import { groupStrays, unignored, withIgnored, type StrayGroup } from './stray-groups';

export interface StoppedStray {
  pid: number;
  command: string;
  summary: string;
}

export class StraysState extends PolledState {
  #strays = $state.raw<Stray[]>([]);
  #loading = $state(false);
  #stopped = $state.raw<StoppedStray[]>([]);
  /** Narrows the list by command, directory or PID. */
  filter = $state('');
  readonly #api: DaemonDeckApi;
  readonly #settings: SettingsState | null;
  /** An Ignore or its undo on its way, and why one failed. */
  ignoreError = $state<string | null>(null);

  constructor(api: DaemonDeckApi, opts: { intervalMs?: number; settings?: SettingsState } = {}) {
    super(opts.intervalMs ?? 4000);
    this.#api = api;
    this.#settings = opts.settings ?? null;
  }

  /** Command lines the user said to leave alone (the ignoredStrays setting). */
  get ignored(): string[] {
    return this.#settings?.current.ignoredStrays ?? [];
  }

  /** The strays not ignored, identical ones together, the filter applied. */
  get groups(): Array<StrayGroup<Stray>> {
    return groupStrays(this.shown);
  }

  /** The strays not ignored. */
  get active(): Stray[] {
    return unignored(this.#strays, this.ignored);
  }

  /** Ignores (or, with `on` false, stops ignoring) every stray with this command line. */
  async setIgnored(command: string, on: boolean): Promise<void> {
    if (this.#settings === null) return;
    this.ignoreError = null;
    const r = await this.#settings.update({
      ignoredStrays: withIgnored(this.ignored, command, on),
    });
    if (!r.ok) this.ignoreError = r.error.message;
  }

  get strays(): Stray[] {
    return this.#strays;
  }
  /** The strays the filter lets through (ignored ones left out). */
  get shown(): Stray[] {
    return filterStrays(this.active, this.filter);
  }
  get loading(): boolean {
    return this.#loading;
  }
  get stopped(): StoppedStray[] {
    return this.#stopped;
  }

  async refresh(): Promise<void> {
    this.#loading = true;
    const r = await call(() => this.#api.listStrays());
    this.#loading = false;
    this.answered(r.ok ? null : r.error);
    if (!r.ok) return;
    // Oldest first: the ones left behind longest are the likeliest to be forgotten.
    this.#strays = [...r.value].sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  }

  stoppedOne(stray: Stray, report: StopReport, pids: number[] = [stray.pid]): void {
    this.#stopped = [
      ...this.#stopped,
      { pid: stray.pid, command: stray.command, summary: stopSummary(report.steps) },
    ];
    this.#strays = this.#strays.filter((s) => !pids.includes(s.pid));
  }

  dismissStopped(pid: number): void {
    this.#stopped = this.#stopped.filter((s) => s.pid !== pid);
  }
}
