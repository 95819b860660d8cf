// "Run in background": a command split by the core (no shell), started detached with its output
// appended to a log file (nohup + setsid, done right), or in a new detached tmux or screen
// session. The outcome keeps what was started, to open, stop or attach to it.
import type {
  AttachCommand,
  LaunchResult,
  SessionInfo,
  SessionKind,
} from '../../../contract/index.js';
import type { DaemonDeckApi, Result } from '../../../contract/index.js';
import { t } from '../../../i18n/index.js';
import { FormChecks, required } from '../components/form-checks.svelte';
import { call } from '../lib/call';
import { Task } from '../lib/task.svelte';
import { suggestName } from '../processes/process-view';

export type RunWhere = 'detached' | SessionKind;

export type RunOutcome =
  | { kind: 'process'; launch: LaunchResult }
  | { kind: 'session'; session: SessionInfo; attach: AttachCommand | null };

const DEBOUNCE_MS = 250;

export class RunFormState {
  commandLine = $state('');
  name = $state('');
  cwd = $state('');
  log = $state('');
  where = $state<RunWhere>('detached');

  #argv = $state.raw<string[] | null>(null);
  #commandError = $state<string | null>(null);
  /** Starting it: busy, and why it did not start. */
  readonly launch = new Task();
  /** When mistakes show: a taken session name at once, the rest from the first submit on. */
  readonly checks = new FormChecks();
  #sessions = $state.raw<Array<{ kind: string; name: string }>>([]);
  #outcome = $state.raw<RunOutcome | null>(null);

  readonly #api: DaemonDeckApi;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #seq = 0;

  constructor(api: DaemonDeckApi, where: RunWhere = 'detached') {
    this.#api = api;
    this.where = where;
  }

  get argv(): string[] | null {
    return this.#argv;
  }
  get commandError(): string | null {
    return this.#commandError;
  }
  get outcome(): RunOutcome | null {
    return this.#outcome;
  }

  /** The name used when the field is left empty: from the command. */
  get suggestedName(): string {
    return this.#argv !== null ? suggestName(this.#argv) : '';
  }

  get effectiveName(): string {
    return this.name.trim() || this.suggestedName;
  }

  get commandIssues(): string[] {
    return this.checks.shown([required(this.commandLine, 'command'), this.#commandError]);
  }

  /** A tmux or screen session of that name exists already. */
  get nameClash(): string | null {
    if (this.where === 'detached') return null;
    const name = this.effectiveName;
    return this.#sessions.some((x) => x.kind === this.where && x.name === name)
      ? t('run:field.sessionTaken', { name })
      : null;
  }
  get nameIssues(): string[] {
    return this.checks.shown([], [this.nameClash]);
  }

  /** Reads the sessions there are (for the name clash). */
  async loadSessions(): Promise<void> {
    const r = await call(() => this.#api.listSessions());
    if (r.ok) this.#sessions = r.value.map((x) => ({ kind: x.kind, name: x.name }));
  }

  commandChanged(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#split(), DEBOUNCE_MS);
  }

  async #split(): Promise<void> {
    const line = this.commandLine.trim();
    const seq = ++this.#seq;
    if (line === '') {
      this.#argv = null;
      this.#commandError = null;
      return;
    }
    const r = await call(() => this.#api.splitCommand(line));
    if (seq !== this.#seq) return;
    this.#argv = r.ok ? r.value.argv : null;
    this.#commandError = r.ok ? null : r.error.message;
  }

  async run(within?: ParentNode | null): Promise<boolean> {
    clearTimeout(this.#timer);
    await Promise.all([this.#split(), this.loadSessions()]);
    const clean = this.#argv !== null && this.nameClash === null;
    if (!(await this.checks.submit(clean, within))) return false;
    const r = await this.launch.run(() => this.#start());
    if (r?.ok) this.#outcome = r.value;
    return r?.ok ?? false;
  }

  async #start(): Promise<Result<RunOutcome>> {
    clearTimeout(this.#timer);
    await this.#split();
    const argv = this.#argv;
    if (argv === null) {
      const message = this.#commandError ?? t('create:form.commandRequired');
      return { ok: false, error: { code: 'invalid-input', message } };
    }
    const name = this.effectiveName;
    const cwd = this.cwd.trim() === '' ? null : this.cwd.trim();
    if (this.where === 'detached') {
      const log = this.log.trim() === '' ? null : this.log.trim();
      const r = await call(() => this.#api.runInBackground(argv, { cwd, log, name }));
      return r.ok ? { ok: true, value: { kind: 'process', launch: r.value } } : r;
    }
    const kind = this.where;
    const r = await call(() => this.#api.newSession(kind, name, argv, cwd));
    if (!r.ok) return r;
    const attach = await call(() => this.#api.attachCommand(kind, r.value.name));
    const value: RunOutcome = {
      kind: 'session',
      session: r.value,
      attach: attach.ok ? attach.value : null,
    };
    return { ok: true, value };
  }

  another(): void {
    this.#outcome = null;
    this.name = '';
    this.checks.reset();
  }
}
