// The detail window of a tmux or screen session (session:KIND:NAME): the session as the tool
// lists it (asked every 3 s while the window shows), its attach command, and Kill.
import type { AttachCommand, SessionInfo, SessionKind } from '../../../contract/index.js';
import type { DaemonDeckApi } from '../../../contract/index.js';
import { call } from '../lib/call';
import { PolledState } from '../lib/polled-state.svelte';
import { Task } from '../lib/task.svelte';
import { parseSessionId } from '../processes/process-view';
import { t } from '../../../i18n/index.js';

export class SessionDetailState extends PolledState {
  #session = $state.raw<SessionInfo | null>(null);
  #attach = $state.raw<AttachCommand | null>(null);
  /** The session was seen and then no longer listed (ended, or killed). */
  #ended = $state(false);
  #killed = $state(false);
  /** Kill: busy, and why it failed. */
  readonly killing = new Task();
  readonly kind: SessionKind;
  readonly name: string;
  readonly #api: DaemonDeckApi;

  constructor(api: DaemonDeckApi, id: string, opts: { intervalMs?: number } = {}) {
    super(opts.intervalMs ?? 3000);
    this.#api = api;
    const parsed = parseSessionId(id);
    this.kind = parsed?.kind ?? 'tmux';
    this.name = parsed?.name ?? id;
  }

  get session(): SessionInfo | null {
    return this.#session;
  }

  get attach(): AttachCommand | null {
    return this.#attach;
  }

  get ended(): boolean {
    return this.#ended;
  }

  get killed(): boolean {
    return this.#killed;
  }

  async refresh(): Promise<void> {
    const r = await call(() => this.#api.listSessions());
    if (!r.ok) {
      this.answered(r.error);
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
    this.answered(
      found === null && this.#session === null
        ? {
            code: 'no-such-unit',
            message: t('detail:session.missing', { kind: this.kind, name: this.name }),
          }
        : null,
    );
  }

  async kill(): Promise<boolean> {
    const r = await this.killing.run(() => this.#api.killSession(this.kind, this.name));
    if (!r?.ok) return false;
    this.#killed = true;
    this.#ended = true;
    return true;
  }
}
