// "Will it start?" in a page: the last report (of everything, or of one entry), the fix or
// rehearsal on its way, and the last failure. The core does the checking; this keeps its answer.
import type {
  DaemonDeckApi,
  DoctorAction,
  DoctorFinding,
  DoctorReport,
  Rehearsal,
} from '../../../contract/index.js';
import { Task } from '../lib/task.svelte';

export interface EntryFindings {
  id: string;
  name: string;
  findings: DoctorFinding[];
}

/** Findings grouped by entry, in the report's order (errors first). */
export function groupFindings(report: DoctorReport): EntryFindings[] {
  const groups: EntryFindings[] = [];
  for (const f of report.findings) {
    let g = groups.find((x) => x.id === f.entry);
    if (g === undefined) {
      const name = report.entries.find((e) => e.id === f.entry)?.name ?? f.entry;
      g = { id: f.entry, name, findings: [] };
      groups.push(g);
    }
    g.findings.push(f);
  }
  return groups;
}

export function errorCount(report: DoctorReport | null): number {
  return report?.findings.filter((f) => f.severity === 'error').length ?? 0;
}

export class DoctorCheck {
  #report = $state.raw<DoctorReport | null>(null);
  #rehearsals = $state.raw<Record<string, Rehearsal>>({});
  /** The fix or rehearsal running now: a finding's key or an entry id. */
  #working = $state<string | null>(null);
  readonly task = new Task();
  readonly #api: DaemonDeckApi;
  readonly #id: string | null;

  constructor(api: DaemonDeckApi, id: string | null = null) {
    this.#api = api;
    this.#id = id;
  }

  get report(): DoctorReport | null {
    return this.#report;
  }
  get rehearsals(): Record<string, Rehearsal> {
    return this.#rehearsals;
  }
  get working(): string | null {
    return this.#working;
  }
  get loading(): boolean {
    return this.task.busy && this.#working === null;
  }

  async check(): Promise<void> {
    const r = await this.task.run(() =>
      this.#id === null ? this.#api.checkStartup() : this.#api.checkStartup(this.#id),
    );
    if (r?.ok) this.#report = r.value;
  }

  async fix(key: string, action: DoctorAction): Promise<void> {
    this.#working = key;
    const r = await this.task.run(() => this.#api.fixStartup(action));
    this.#working = null;
    if (r?.ok) await this.check();
  }

  async rehearse(id: string): Promise<void> {
    this.#working = id;
    const r = await this.task.run(() => this.#api.rehearseStartup(id));
    this.#working = null;
    if (r?.ok) this.#rehearsals = { ...this.#rehearsals, [id]: r.value };
  }

  async mark(program: string, gui: boolean | null): Promise<void> {
    const r = await this.task.run(() => this.#api.markGui({ program, gui }));
    if (r?.ok) await this.check();
  }
}
