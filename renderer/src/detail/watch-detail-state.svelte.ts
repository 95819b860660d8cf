// The detail window of a watch rule (process:NAME): the rule itself, the processes it selects
// now (asked every 2 s while the window shows), and removing it with Undo (adding it back).
import type { ProcessRow, WatchRule } from '../../../contract/index.js';
import type { AppError, DaemonDeckApi } from '../../../contract/index.js';
import { call } from '../lib/call';
import { PolledState } from '../lib/polled-state.svelte';
import { liveOldestFirst, ruleQuery } from '../processes/process-view';
import { t } from '../../../i18n/index.js';

export class WatchDetailState extends PolledState {
  #rule = $state.raw<WatchRule | null>(null);
  #processes = $state.raw<ProcessRow[]>([]);
  #removed = $state.raw<WatchRule | null>(null);
  #busy = $state<'remove' | 'restore' | null>(null);
  #actionError = $state.raw<AppError | null>(null);
  #logPath = $state<string | null | undefined>(undefined);
  readonly name: string;
  readonly #api: DaemonDeckApi;

  constructor(api: DaemonDeckApi, id: string, opts: { intervalMs?: number } = {}) {
    super(opts.intervalMs ?? 2000);
    this.#api = api;
    this.name = id.replace(/^process:/, '');
  }

  get rule(): WatchRule | null {
    return this.#rule;
  }
  /** The processes the rule selects now, oldest first. */
  get processes(): ProcessRow[] {
    return this.#processes;
  }
  /** Set after Remove: the rule as it was, for Undo. */
  get removed(): WatchRule | null {
    return this.#removed;
  }
  get busy(): 'remove' | 'restore' | null {
    return this.#busy;
  }
  /** Where the rule's output goes (its log file, or where Start writes by default); null: none. */
  get logPath(): string | null | undefined {
    return this.#logPath;
  }
  get actionError(): AppError | null {
    return this.#actionError;
  }

  async refresh(): Promise<void> {
    let error = this.error;
    if (this.#removed === null) {
      const rules = await call(() => this.#api.listWatchRules());
      // Removed while the list was on its way: the list may predate the removal, and the page
      // now shows the removed rule with its Undo rather than "no such rule".
      if (this.#removed !== null) return;
      if (!rules.ok) {
        this.answered(rules.error);
        return;
      }
      const rule = rules.value.find((r) => r.name === this.name) ?? null;
      this.#rule = rule;
      error =
        rule === null
          ? { code: 'no-such-unit', message: t('detail:watch.missing', { name: this.name }) }
          : null;
    }
    const rule = this.#rule;
    if (rule !== null && this.#logPath === undefined) {
      const logs = await call(() => this.#api.getWatchLogs(this.name, { lines: 1 }));
      if (logs.ok) this.#logPath = logs.value.path;
    }
    if (rule !== null) {
      const r = await call(() => this.#api.listProcesses(ruleQuery(rule)));
      if (r.ok) this.#processes = liveOldestFirst(r.value);
      else error = r.error;
    }
    this.answered(error);
  }

  async remove(): Promise<void> {
    if (this.#busy !== null) return;
    this.#busy = 'remove';
    this.#actionError = null;
    const r = await call(() => this.#api.removeWatchRule(this.name));
    this.#busy = null;
    if (!r.ok) {
      this.#actionError = r.error;
      return;
    }
    this.#removed = r.value;
  }

  /** Undo of Remove: the same rule added back. */
  async restore(): Promise<void> {
    const rule = this.#removed;
    if (rule === null || this.#busy !== null) return;
    this.#busy = 'restore';
    this.#actionError = null;
    const r = await call(() => this.#api.addWatchRule(rule));
    this.#busy = null;
    if (!r.ok) {
      this.#actionError = r.error;
      return;
    }
    this.#removed = null;
    this.#rule = r.value;
    this.now();
  }

  dismissActionError(): void {
    this.#actionError = null;
  }
}
