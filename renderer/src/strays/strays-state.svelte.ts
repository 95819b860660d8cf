// The Strays page's state: the user's background processes that no service manages, read from
// the core every few seconds while the page shows, the stops made from here (a stopped stray
// leaves the list; its outcome stays on the page until dismissed). The far hosts' (issue 17) are
// read too, each connected host on its own (a slow one never holds up this machine's list),
// each naming its host so that Adopt acts there.
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
  /** The connected far hosts (hosts:get and hosts:changed), and their strays by host. */
  #hosts = $state.raw<string[]>([]);
  #hostsVersion = -1;
  #far = $state.raw<Record<string, Stray[]>>({});
  /** Why a far host's strays could not be listed, by host. */
  #farErrors = $state.raw<Record<string, string>>({});
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

  /** The strays not ignored, this machine's and the far hosts'. */
  get active(): Stray[] {
    return unignored(this.strays, this.ignored);
  }

  /** Why a far host's strays are not shown: [host, message] pairs. */
  get farErrors(): Array<[string, string]> {
    return Object.entries(this.#farErrors);
  }

  /** Polls while the window shows, and follows which far hosts are connected. */
  override start(): () => void {
    const off = this.#api.onHosts((v) => this.#takeHosts(v));
    this.#api.getHosts().then(
      (v) => this.#takeHosts(v),
      () => undefined,
    );
    const stop = super.start();
    return () => {
      off();
      stop();
    };
  }

  #takeHosts(v: Awaited<ReturnType<DaemonDeckApi['getHosts']>>): void {
    if (v.version < this.#hostsVersion) return;
    this.#hostsVersion = v.version;
    const names = v.hosts.filter((h) => h.state === 'connected').map((h) => h.name);
    if (names.join('\0') === this.#hosts.join('\0')) return;
    this.#hosts = names;
    // A host gone or out of reach: its strays leave the list (they cannot be adopted now).
    this.#far = Object.fromEntries(Object.entries(this.#far).filter(([h]) => names.includes(h)));
    this.#farErrors = Object.fromEntries(
      Object.entries(this.#farErrors).filter(([h]) => names.includes(h)),
    );
    void this.#refreshFar(names.filter((h) => !(h in this.#far)));
  }

  /** Each far host's strays, asked on its own; an answer lands when it comes. */
  #refreshFar(hosts: readonly string[]): Promise<unknown> {
    return Promise.all(
      hosts.map(async (host) => {
        const r = await call(() => this.#api.listStrays(host));
        if (!this.#hosts.includes(host)) return;
        const far = { ...this.#far };
        const errors = { ...this.#farErrors };
        delete far[host];
        delete errors[host];
        if (r.ok) far[host] = r.value.map((x) => ({ ...x, host }));
        else errors[host] = r.error.message;
        this.#far = far;
        this.#farErrors = errors;
      }),
    );
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
    const far = Object.values(this.#far);
    return far.length === 0 ? this.#strays : [...this.#strays, ...far.flat()];
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
    void this.#refreshFar(this.#hosts);
    this.#loading = true;
    const r = await call(() => this.#api.listStrays());
    this.#loading = false;
    this.answered(r.ok ? null : r.error);
    if (!r.ok) return;
    // Oldest first: the ones left behind longest are the likeliest to be forgotten.
    this.#strays = [...r.value].sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  }

  /** A stray of this machine stopped from its card (a far one has no Stop here). */
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
