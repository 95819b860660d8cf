// "Run in background": a command split by the core (no shell), started detached with its output
// appended to a log file (nohup + setsid, done right), or in a new detached tmux or screen
// session. The outcome keeps what was started, to open, stop or attach to it.
import type {
  AttachCommand,
  LaunchResult,
  SessionInfo,
  SessionKind,
} from '../../../contract/index.js';
import type { AppError, DaemonDeckApi } from '../../../contract/index.js';
import { call } from '../lib/call';
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
  #running = $state(false);
  #runError = $state.raw<AppError | null>(null);
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
  get running(): boolean {
    return this.#running;
  }
  get runError(): AppError | null {
    return this.#runError;
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

  async run(): Promise<boolean> {
    if (this.#running) return false;
    this.#running = true;
    this.#runError = null;
    try {
      clearTimeout(this.#timer);
      await this.#split();
      const argv = this.#argv;
      if (argv === null) {
        this.#runError = {
          code: 'invalid-input',
          message: this.#commandError ?? 'Type the command to run.',
        };
        return false;
      }
      const name = this.effectiveName;
      const cwd = this.cwd.trim() === '' ? null : this.cwd.trim();
      if (this.where === 'detached') {
        const log = this.log.trim() === '' ? null : this.log.trim();
        const r = await call(() => this.#api.runInBackground(argv, { cwd, log, name }));
        if (!r.ok) {
          this.#runError = r.error;
          return false;
        }
        this.#outcome = { kind: 'process', launch: r.value };
        return true;
      }
      const kind = this.where;
      const r = await call(() => this.#api.newSession(kind, name, argv, cwd));
      if (!r.ok) {
        this.#runError = r.error;
        return false;
      }
      const attach = await call(() => this.#api.attachCommand(kind, r.value.name));
      this.#outcome = {
        kind: 'session',
        session: r.value,
        attach: attach.ok ? attach.value : null,
      };
      return true;
    } finally {
      this.#running = false;
    }
  }

  dismissRunError(): void {
    this.#runError = null;
  }

  another(): void {
    this.#outcome = null;
    this.name = '';
  }
}
