// The detail window of a tmux or screen session (session:KIND:NAME): the session as the tool
// lists it (asked every 3 s while the window shows), its attach command, and Kill.
import type { AttachCommand, SessionInfo, SessionKind } from '../../../contract/index.js';
import type { AppError, DaemonDeckApi } from '../../../contract/index.js';
import { call } from '../lib/call';
import { Poller } from '../lib/poller';
import { parseSessionId } from '../processes/process-view';

export class SessionDetailState {
  #session = $state.raw<SessionInfo | null>(null);
  #attach = $state.raw<AttachCommand | null>(null);
  #loaded = $state(false);
  /** The session was seen and then no longer listed (ended, or killed). */
  #ended = $state(false);
  #killed = $state(false);
  #killing = $state(false);
  #error = $state.raw<AppError | null>(null);
  readonly kind: SessionKind;
  readonly name: string;
  readonly #api: DaemonDeckApi;
  readonly #poller: Poller;

  constructor(api: DaemonDeckApi, id: string, opts: { intervalMs?: number } = {}) {
    this.#api = api;
    const parsed = parseSessionId(id);
    this.kind = parsed?.kind ?? 'tmux';
    this.name = parsed?.name ?? id;
    this.#poller = new Poller(() => this.refresh(), opts.intervalMs ?? 3000);
  }

  get session(): SessionInfo | null {
    return this.#session;
  }
  get attach(): AttachCommand | null {
    return this.#attach;
  }
  get loaded(): boolean {
    return this.#loaded;
  }
  get ended(): boolean {
    return this.#ended;
  }
  get killed(): boolean {
    return this.#killed;
  }
  get killing(): boolean {
    return this.#killing;
  }
  get error(): AppError | null {
    return this.#error;
  }

  async refresh(): Promise<void> {
    const r = await call(() => this.#api.listSessions());
    this.#loaded = true;
    if (!r.ok) {
      this.#error = r.error;
      return;
    }
    const found = r.value.find((s) => s.kind === this.kind && s.name === this.name) ?? null;
    if (found === null && this.#session !== null) this.#ended = true;
    if (found !== null) {
      this.#session = found;
      this.#ended = false;
      if (this.#attach === null) {
        const a = await call(() => this.#api.attachCommand(this.kind, this.name));
        if (a.ok) this.#attach = a.value;
      }
    }
    this.#error =
      found === null && this.#session === null
        ? {
            code: 'no-such-unit',
            message: `There is no ${this.kind} session named “${this.name}”.`,
          }
        : null;
  }

  start(): () => void {
    this.#poller.start();
    return () => this.#poller.stop();
  }

  async kill(): Promise<boolean> {
    if (this.#killing) return false;
    this.#killing = true;
    const r = await call(() => this.#api.killSession(this.kind, this.name));
    this.#killing = false;
    if (!r.ok) {
      this.#error = r.error;
      return false;
    }
    this.#killed = true;
    this.#ended = true;
    return true;
  }

  dismissError(): void {
    this.#error = null;
  }
}
