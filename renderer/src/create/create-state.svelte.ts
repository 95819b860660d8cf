// The New service form's state: what the user typed, the command line split by the core, the
// live preview (debounced, newest answer wins) with its issues per field, and the create run
// with its outcome and Undo. The core validates; this class only shows what it says.
import type {
  AuthoringOutcome,
  FormIssue,
  RestartPolicy,
  ServiceForm,
  UnitPreview,
} from '../../../contract/index.js';
import type { AppError, DaemonDeckApi } from '../../../contract/index.js';
import { t } from '../../../i18n/index.js';
import { FormChecks, takenUnits, unitClash } from '../components/form-checks.svelte';
import { asError } from '../lib/call';
import { Task } from '../lib/task.svelte';

export interface EnvRow {
  key: number;
  name: string;
  value: string;
}

const DEBOUNCE_MS = 250;

/** "web" or "web.service" -> "web.service". */
export function serviceName(name: string): string {
  const n = name.trim();
  return n.endsWith('.service') ? n : `${n}.service`;
}

export class CreateState {
  name = $state('');
  description = $state('');
  commandLine = $state('');
  workingDirectory = $state('');
  environment = $state<EnvRow[]>([]);
  restart = $state<RestartPolicy>('on-failure');
  /** Seconds; null (an empty field) for systemd's default. */
  restartSec = $state<number | null>(null);
  startAtLogin = $state(true);
  afterNetwork = $state(false);
  socketEnabled = $state(false);
  socketListen = $state('');
  socketAccept = $state(false);
  startNow = $state(true);

  /** When mistakes show: a name clash at once, the rest from the first Create on. */
  readonly checks = new FormChecks();
  /** Unit names that exist already (from the snapshot), for the clash as the name is typed. */
  #taken = $state.raw<string[]>([]);

  #argv = $state.raw<string[]>([]);
  #splitError = $state<string | null>(null);
  #preview = $state.raw<UnitPreview | null>(null);
  #previewing = $state(false);
  #previewError = $state.raw<AppError | null>(null);

  /** Creating the unit: busy, and why it was not created. */
  readonly creation = new Task();
  #outcome = $state.raw<AuthoringOutcome | null>(null);
  /** Undo of the create: busy, and why it failed. */
  readonly undoing = new Task();
  #undone = $state<string | null>(null);

  readonly #api: DaemonDeckApi;
  #nextKey = 0;
  #seq = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(api: DaemonDeckApi) {
    this.#api = api;
  }

  get argv(): string[] {
    return this.#argv;
  }

  get preview(): UnitPreview | null {
    return this.#preview;
  }

  get previewing(): boolean {
    return this.#previewing;
  }

  get previewError(): AppError | null {
    return this.#previewError;
  }

  get execStart(): string | null {
    return this.#preview?.execStart ?? null;
  }

  get outcome(): AuthoringOutcome | null {
    return this.#outcome;
  }

  /** The sentence shown once an Undo went through. */
  get undone(): string | null {
    return this.#undone;
  }

  /** The unit the user will act on: the socket when there is one. */
  get mainUnit(): string {
    const base = this.name.trim().replace(/\.service$/, '');
    return this.socketEnabled ? `${base}.socket` : `${base}.service`;
  }

  /** The form as the API takes it. */
  form(): ServiceForm {
    const sec = this.restartSec;
    return {
      name: this.name.trim(),
      description: this.description,
      argv: this.#argv,
      workingDirectory: this.workingDirectory.trim() === '' ? null : this.workingDirectory.trim(),
      environment: this.environment.map((r) => ({ name: r.name, value: r.value })),
      restart: this.restart,
      restartSec: this.restart === 'no' || typeof sec !== 'number' ? null : sec,
      startAtLogin: this.startAtLogin,
      afterNetwork: this.afterNetwork,
      socket: this.socketEnabled
        ? { listen: this.socketListen.trim(), accept: this.socketAccept }
        : null,
    };
  }

  /** The units the name would make that exist already: said as the name is typed. */
  get nameClash(): string | null {
    const base = this.name.trim().replace(/\.service$/, '');
    if (base === '') return null;
    const units = [`${base}.service`, ...(this.socketEnabled ? [`${base}.socket`] : [])];
    return unitClash(units, this.#taken);
  }

  /** Reads which units exist now (for the name clash). */
  async loadTaken(): Promise<void> {
    try {
      const snap = await this.#api.getSnapshot();
      this.#taken = takenUnits(snap.entries.map((e) => e.id));
    } catch {
      // Without the list, the clash shows when Create is refused instead.
    }
  }

  #fieldIssues(field: string): string[] {
    if (field === 'command' && this.#splitError !== null) return [this.#splitError];
    const own =
      field === 'command'
        ? (i: FormIssue) => i.field === 'argv' || i.field.startsWith('argv.')
        : (i: FormIssue) => i.field === field;
    return (this.#preview?.issues ?? []).filter(own).map((i) => i.message);
  }

  /** What is wrong with one field (argv.N issues belong to the command), once it should show. */
  issues(field: string): string[] {
    return this.checks.shown(this.#fieldIssues(field), field === 'name' ? [this.nameClash] : []);
  }

  /** Issues for fields the form has no place for (shown above the Create button). */
  get otherIssues(): FormIssue[] {
    if (!this.checks.submitted) return [];
    const known =
      /^(name|description|argv(\..*)?|workingDirectory|environment\..*|restart|restartSec|socket\..*)$/;
    return (this.#preview?.issues ?? []).filter((i) => !known.test(i.field));
  }

  get issueCount(): number {
    return (
      (this.#preview?.issues.length ?? 0) +
      (this.#splitError !== null ? 1 : 0) +
      (this.nameClash !== null ? 1 : 0)
    );
  }

  addVariable(): EnvRow {
    const row = { key: this.#nextKey++, name: '', value: '' };
    this.environment.push(row);
    this.changed();
    return row;
  }

  removeVariable(key: number): void {
    const i = this.environment.findIndex((r) => r.key === key);
    if (i !== -1) this.environment.splice(i, 1);
    this.changed();
  }

  /** Something was typed: preview again after a pause. */
  changed(): void {
    this.#previewing = true;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.refresh(), DEBOUNCE_MS);
  }

  /** Split the command line, then preview the form; an older answer never replaces a newer one. */
  async refresh(): Promise<void> {
    clearTimeout(this.#timer);
    const seq = ++this.#seq;
    this.#previewing = true;
    try {
      let argv: string[] = [];
      let splitError: string | null = null;
      if (this.commandLine.trim() !== '') {
        const split = await this.#api.splitCommand(this.commandLine);
        if (seq !== this.#seq) return;
        if (split.ok) argv = split.value.argv;
        else splitError = split.error.message;
      }
      this.#argv = argv;
      this.#splitError = splitError;
      const preview = await this.#api.previewUnit(this.form());
      if (seq !== this.#seq) return;
      if (preview.ok) {
        this.#preview = preview.value;
        this.#previewError = null;
      } else {
        this.#previewError = preview.error;
      }
    } catch (err) {
      if (seq === this.#seq) this.#previewError = asError(err);
    } finally {
      if (seq === this.#seq) this.#previewing = false;
    }
  }

  /** Preview once more, and create when the form has no issues. Returns true on success. */
  async create(within?: ParentNode | null): Promise<boolean> {
    if (this.creation.busy) return false;
    this.#undone = null;
    this.undoing.dismiss();
    const result = await this.creation.run<AuthoringOutcome | null>(async () => {
      await Promise.all([this.refresh(), this.loadTaken()]);
      const clean = this.issueCount === 0 && this.#preview !== null;
      if (!(await this.checks.submit(clean, within))) return { ok: true, value: null };
      const opts = { enable: this.startAtLogin, start: this.startNow };
      return this.#api.createUnit(this.form(), opts);
    });
    if (result?.ok && result.value !== null) this.#outcome = result.value;
    return result?.ok === true && result.value !== null;
  }

  async undo(): Promise<void> {
    const outcome = this.#outcome;
    if (outcome === null) return;
    const result = await this.undoing.run(() => this.#api.undo(outcome.undo.id));
    if (!result?.ok) return;
    this.#outcome = null;
    this.#undone = t('create:outcome.undone', { unit: this.mainUnit });
  }

  /** Start over with an empty form after a create. */
  reset(): void {
    this.#outcome = null;
    this.checks.reset();
    void this.loadTaken();
  }

  stop(): void {
    clearTimeout(this.#timer);
    this.#seq++;
  }
}
