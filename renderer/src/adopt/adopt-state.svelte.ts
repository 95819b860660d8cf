// The Adopt flow's state: the choices (name, the environment variables to keep, restart, start
// at login), the unit file preview the core renders for them (debounced, newest answer wins),
// the run with its live phases from 'processes:adopt-progress', and the outcome with Undo until
// the user dismisses it. The core checks and does everything; this class sequences and shows.
import { SvelteSet } from 'svelte/reactivity';
import type { AdoptOutcome, AdoptPhase, AdoptPreview, StopStep } from '../../../contract/index.js';
import type { AppError, DaemonDeckApi } from '../../../contract/index.js';
import { t } from '../../../i18n/index.js';
import { FormChecks, takenUnits, unitClash } from '../components/form-checks.svelte';
import { call, operationId } from '../lib/call';
import { UndoOffer } from '../lib/undo-offer.svelte';
import { adoptSteps, suggestName, type AdoptStepView } from '../processes/process-view';

export interface AdoptCandidate {
  pid: number;
  starttime: number;
  command: string;
  argv: string[];
  /** The far host it runs on (issue 17): adopted, and undone, there. Absent: this machine. */
  host?: string;
}

const DEBOUNCE_MS = 250;

export class AdoptState {
  name = $state('');
  restart = $state(true);
  enable = $state(true);
  /** Narrows the environment list (by name or value). */
  filter = $state('');
  readonly picked = new SvelteSet<string>();
  readonly candidate: AdoptCandidate;

  #preview = $state.raw<AdoptPreview | null>(null);
  #previewing = $state(false);
  #previewError = $state.raw<AppError | null>(null);

  #running = $state(false);
  #phase = $state<AdoptPhase | null>(null);
  #stopStep = $state.raw<StopStep | null>(null);
  #runError = $state.raw<AppError | null>(null);
  #outcome = $state.raw<AdoptOutcome | null>(null);
  /** Undo of the adopt: the unit removed and the command started again as it was. */
  readonly undo = new UndoOffer();
  /** When mistakes show: a taken name at once, the rest from the first Adopt on. */
  readonly checks = new FormChecks();
  #taken = $state.raw<string[]>([]);

  readonly #api: DaemonDeckApi;
  #opId: string | null = null;
  #seq = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(api: DaemonDeckApi, candidate: AdoptCandidate, name?: string) {
    this.#api = api;
    this.candidate = candidate;
    this.name = name ?? suggestName(candidate.argv);
  }

  get preview(): AdoptPreview | null {
    return this.#preview;
  }
  get previewing(): boolean {
    return this.#previewing;
  }
  get previewError(): AppError | null {
    return this.#previewError;
  }
  get running(): boolean {
    return this.#running;
  }
  get phase(): AdoptPhase | null {
    return this.#phase;
  }
  get stopStep(): StopStep | null {
    return this.#stopStep;
  }
  get runError(): AppError | null {
    return this.#runError;
  }
  get outcome(): AdoptOutcome | null {
    return this.#outcome;
  }

  get unit(): string {
    const n = this.name.trim();
    return n.endsWith('.service') ? n : `${n}.service`;
  }

  /** The process's variables, narrowed by the filter; picked ones first. */
  get environment(): Array<{ name: string; value: string }> {
    const all = this.#preview?.environment ?? [];
    const words = this.filter.toLowerCase().split(/\s+/).filter(Boolean);
    const shown = all.filter((e) => {
      const text = `${e.name}=${e.value}`.toLowerCase();
      return words.every((w) => text.includes(w));
    });
    return [...shown].sort(
      (a, b) => Number(this.picked.has(b.name)) - Number(this.picked.has(a.name)),
    );
  }

  get environmentCount(): number {
    return this.#preview?.environment.length ?? 0;
  }

  /** A unit of that name exists already: said as the name is typed. */
  get nameClash(): string | null {
    return this.name.trim() === '' ? null : unitClash([this.unit], this.#taken);
  }

  issues(field: string): string[] {
    const own = (this.#preview?.issues ?? [])
      .filter((i) => i.field === field || i.field.startsWith(`${field}.`))
      .map((i) => i.message);
    return this.checks.shown(own, field === 'name' ? [this.nameClash] : []);
  }

  /** Issues about anything but the name (the command, the directory, the variables). */
  get otherIssues(): string[] {
    return this.checks.shown(
      (this.#preview?.issues ?? []).filter((i) => i.field !== 'name').map((i) => i.message),
    );
  }

  /** The far host as the channels take it: `{ host }`, or nothing for this machine. */
  get #on(): { host?: string } {
    return this.candidate.host === undefined ? {} : { host: this.candidate.host };
  }

  /** Reads which units exist now (for the name clash; a far host's: its Adopt refuses one). */
  async loadTaken(): Promise<void> {
    if (this.candidate.host !== undefined) return;
    try {
      const snap = await this.#api.getSnapshot();
      this.#taken = takenUnits(snap.entries.map((e) => e.id));
    } catch {
      // Without the list the clash shows when Adopt is refused instead.
    }
  }

  /** Adopt pressed: checks first (mistakes show, the focus goes to the first), then adopts. */
  async submit(within?: ParentNode | null): Promise<boolean> {
    if (this.#running) return false;
    await Promise.all([this.loadPreview(), this.loadTaken()]);
    const p = this.#preview;
    const clean =
      p !== null && p.unitText !== null && p.issues.length === 0 && this.nameClash === null;
    if (!(await this.checks.submit(clean, within))) return false;
    return this.adopt();
  }

  get steps(): AdoptStepView[] {
    const outcome =
      this.#outcome !== null ? 'done' : this.#runError !== null ? 'failed' : 'running';
    return adoptSteps(this.unit, this.candidate.pid, this.enable, this.#phase, outcome);
  }

  /** What a failure left behind, in words, from the phase it happened in. */
  get failureContext(): string {
    switch (this.#phase) {
      case null:
      case 'write':
        return t('adopt:failure.nothing', { pid: this.candidate.pid });
      case 'stop':
        return t('adopt:failure.stop', { pid: this.candidate.pid });
      case 'start':
      case 'rollback':
        return t('adopt:failure.rolledBack');
    }
  }

  toggle(name: string): void {
    if (this.picked.has(name)) this.picked.delete(name);
    else this.picked.add(name);
    this.changed();
  }

  /** Something the preview depends on changed: ask again shortly. */
  changed(): void {
    this.#previewing = true;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.loadPreview(), DEBOUNCE_MS);
  }

  async loadPreview(): Promise<void> {
    clearTimeout(this.#timer);
    const seq = ++this.#seq;
    this.#previewing = true;
    const name = this.name.trim();
    const r = await call(() =>
      this.#api.previewAdopt(this.candidate.pid, name, [...this.picked], {
        enable: this.enable,
        restart: this.restart,
        ...this.#on,
      }),
    );
    if (seq !== this.#seq) return;
    this.#previewing = false;
    if (r.ok) {
      this.#preview = r.value;
      this.#previewError = null;
    } else {
      this.#previewError = r.error;
    }
  }

  /** Listens for this flow's progress events; returns the function that stops listening. */
  start(): () => void {
    const off = this.#api.onAdoptProgress((p) => {
      if (p.opId !== this.#opId) return;
      this.#phase = p.phase;
      if (p.step !== null) this.#stopStep = p.step;
    });
    void this.loadPreview();
    void this.loadTaken();
    return () => {
      clearTimeout(this.#timer);
      off();
    };
  }

  async adopt(): Promise<boolean> {
    if (this.#running || this.#preview === null) return false;
    const id = operationId('adopt');
    this.#opId = id;
    this.#running = true;
    this.#phase = null;
    this.#stopStep = null;
    this.#runError = null;
    this.#outcome = null;
    this.undo.reset();
    try {
      const r = await call(() =>
        this.#api.adopt({
          pid: this.candidate.pid,
          starttime: this.#preview?.starttime ?? this.candidate.starttime,
          name: this.name.trim(),
          environment: [...this.picked],
          enable: this.enable,
          restart: this.restart,
          opId: id,
          ...this.#on,
        }),
      );
      if (!r.ok) {
        this.#runError = r.error;
        return false;
      }
      this.#outcome = r.value;
      return true;
    } finally {
      this.#running = false;
      this.#opId = null;
    }
  }

  /** Back to the form after a failure, to change something and try again. */
  retry(): void {
    this.#runError = null;
    this.#phase = null;
    this.#stopStep = null;
    void this.loadPreview();
  }

  /** A detail window shows this machine's units only: none for a far host's. */
  get canOpenUnit(): boolean {
    return this.candidate.host === undefined;
  }

  /** Opens the detail window of the unit the adoption made. */
  openUnit(): void {
    const unit = this.#outcome?.unit;
    if (unit !== undefined && this.canOpenUnit) void this.#api.openDetail(`systemd:${unit}`);
  }

  async undoAdopt(): Promise<void> {
    const token = this.#outcome?.undoToken;
    const host = this.candidate.host;
    if (token != null) await this.undo.undo(() => this.#api.undoAdopt(token, host));
  }

  /** The user is done with the outcome: its Undo is forgotten here and in the core. */
  async dismiss(): Promise<void> {
    const token = this.#outcome?.undoToken;
    const host = this.candidate.host;
    if (this.undo.withdraw() && token != null)
      await call(() => this.#api.dismissAdopt(token, host));
  }
}
