// Live data of the detail window, polled while the window shows it: the unit's resources (every
// ~2 s, kept as a short history for the sparklines) and its logs (last N lines, then only the
// lines after the last cursor). Polls never overlap; a hidden window stops polling.
import type {
  AuthoringOutcome,
  EditPreview,
  UnitDefinition,
  UnitResources,
} from '../../../contract/index.js';
import type { AppError, DaemonDeckApi } from '../../../contract/index.js';
import { call } from '../lib/call';
import { Poller } from '../lib/poller';
import { Task } from '../lib/task.svelte';

export interface ResourceSample {
  at: number;
  cpu: number | null;
  memory: number;
}

/** Live CPU, memory, processes and tasks of one unit, with the last few minutes of samples. */
export class ResourcesState {
  #current = $state.raw<UnitResources | null>(null);
  #history = $state.raw<ResourceSample[]>([]);
  #error = $state.raw<AppError | null>(null);
  readonly #api: DaemonDeckApi;
  readonly #id: string;
  readonly #poller: Poller;
  readonly #keep: number;

  constructor(api: DaemonDeckApi, id: string, opts: { intervalMs?: number; keep?: number } = {}) {
    this.#api = api;
    this.#id = id;
    this.#keep = opts.keep ?? 90;
    this.#poller = new Poller(() => this.#sample(), opts.intervalMs ?? 2000);
  }

  get current(): UnitResources | null {
    return this.#current;
  }

  get history(): ResourceSample[] {
    return this.#history;
  }

  get error(): AppError | null {
    return this.#error;
  }

  async #sample(): Promise<void> {
    const result = await call(() => this.#api.getResources(this.#id));
    if (!result.ok) {
      this.#error = result.error;
      return;
    }
    const r = result.value;
    this.#error = null;
    this.#current = r;
    const sample = { at: Date.parse(r.sampledAt), cpu: r.cpu, memory: r.memory };
    this.#history = [...this.#history, sample].slice(-this.#keep);
  }

  start(): () => void {
    this.#poller.start();
    return () => this.#poller.stop();
  }
}

// The Logs tab's state has its own module; importers of this one keep finding it here.
export { LogsState } from './logs-state.svelte';

/** The unit's file and drop-ins, read when the Definition tab opens; edited as text with a diff
 *  preview (verified by the core), saved atomically, with Undo. */
export class DefinitionState {
  #definition = $state.raw<UnitDefinition | null>(null);
  #error = $state.raw<AppError | null>(null);
  #loading = $state(false);
  /** The text being edited, or null when not editing. */
  draft = $state<string | null>(null);
  #editPreview = $state.raw<EditPreview | null>(null);
  #previewing = $state(false);
  /** Save and Undo: busy, and why the text cannot be saved (the preview's verdict included). */
  readonly saving = new Task();
  #saved = $state.raw<AuthoringOutcome | null>(null);
  #undone = $state(false);
  readonly #api: DaemonDeckApi;
  readonly #id: string;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #seq = 0;

  constructor(api: DaemonDeckApi, id: string) {
    this.#api = api;
    this.#id = id;
  }

  get definition(): UnitDefinition | null {
    return this.#definition;
  }

  get error(): AppError | null {
    return this.#error;
  }

  get loading(): boolean {
    return this.#loading;
  }

  get editPreview(): EditPreview | null {
    return this.#editPreview;
  }

  get previewing(): boolean {
    return this.#previewing;
  }

  /** The last save, whose Undo is offered. */
  get saved(): AuthoringOutcome | null {
    return this.#saved;
  }

  get undone(): boolean {
    return this.#undone;
  }

  async load(): Promise<void> {
    if (this.#loading) return;
    this.#loading = true;
    const r = await call(() => this.#api.getDefinition(this.#id));
    this.#loading = false;
    if (r.ok) this.#definition = r.value;
    this.#error = r.ok ? null : r.error;
  }

  /** The whole file for a unit Daemon Deck made; its override.conf (as it is) for any other. */
  startEditing(): void {
    const d = this.#definition;
    if (d === null) return;
    const override = d.dropIns.find((x) => x.path === d.overridePath)?.text;
    this.draft = d.ownedByApp ? (d.fragment ?? '') : (override ?? '[Service]\n');
    this.#editPreview = null;
    this.saving.dismiss();
    this.#saved = null;
    this.#undone = false;
    this.changed();
  }

  cancel(): void {
    clearTimeout(this.#timer);
    this.#seq++;
    this.draft = null;
    this.#editPreview = null;
    this.saving.dismiss();
  }

  changed(): void {
    this.#previewing = true;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#preview(), 400);
  }

  async #preview(): Promise<void> {
    const text = this.draft;
    if (text === null) return;
    const seq = ++this.#seq;
    const r = await call(() => this.#api.previewEdit(this.#id, text));
    if (seq !== this.#seq) return;
    this.#previewing = false;
    if (r.ok) this.#editPreview = r.value;
    if (r.ok) this.saving.dismiss();
    else this.saving.fail(r.error);
  }

  async save(): Promise<boolean> {
    const text = this.draft;
    if (text === null) return false;
    const r = await this.saving.run(async () => {
      const edited = await this.#api.editUnitText(this.#id, text);
      if (edited.ok) {
        this.#saved = edited.value;
        this.draft = null;
        this.#editPreview = null;
        await this.load();
      }
      return edited;
    });
    return r?.ok ?? false;
  }

  async undo(): Promise<void> {
    const saved = this.#saved;
    if (saved === null) return;
    await this.saving.run(async () => {
      const undone = await this.#api.undo(saved.undo.id);
      if (undone.ok) {
        this.#saved = null;
        this.#undone = true;
        await this.load();
      }
      return undone;
    });
  }
}
