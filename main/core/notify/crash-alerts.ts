// Crash alerts: a CrashWatcher over the monitor, one desktop notification per entry replaced in
// place (a crash loop is one notification whose count updates), Restart / Show logs / Mute for
// an hour, a global pause and per-entry mutes, and the crash history.
//
// Relies on a Notifier (org.freedesktop.Notifications, see notifications.ts). Where the server
// lacks the 'actions' capability (or is absent), `fallback` (Electron's Notification in the app)
// is used instead: it cannot show buttons (electron/electron#24333).
import type {
  ActionOutcome,
  EntryAction,
  Result,
  Snapshot,
  UnitDetail,
} from '../../../preload/contract.js';
import { CrashWatcher, type CrashEvent } from '../monitor/crash-detector.js';
import type { CrashHistory } from '../monitor/crash-history.js';
import type { KeyValueBackend } from '../settings/settings.js';
import {
  ACTION_MUTE,
  ACTION_RESTART,
  ACTION_SHOW_LOGS,
  MUTE_HOUR_MS,
  crashNotification,
  isMuted,
  normalisePrefs,
  type AlertPrefs,
  type CrashDetails,
} from './crash-message.js';
import type { NotificationRequest, Notifier } from './notifications.js';

export interface AlertsMonitor {
  snapshot(): Snapshot;
  onSnapshot(listener: (snapshot: Snapshot) => void): () => void;
  act(id: string, action: EntryAction): Promise<Result<ActionOutcome>>;
  unitDetail(id: string): Promise<Result<UnitDetail>>;
}

export const ALERT_PREFS_KEY = 'alerts';

export interface CrashAlertsOptions {
  monitor: AlertsMonitor;
  notifier: Notifier;
  /** Where pause and mutes persist (the settings backend). */
  backend: KeyValueBackend;
  history?: CrashHistory;
  /** The last log lines of an entry (oldest first); none when absent. */
  logs?: (id: string) => Promise<string[]>;
  /** Show logs: open the detail window on its Logs tab. */
  onShowLogs?: (id: string) => void;
  /** Used when the server cannot show actions (Electron's Notification in the app). */
  fallback?: (req: NotificationRequest) => void;
  clock?: () => number;
  intentWindowMs?: number;
  /** A notification whose entry has not failed again for this long is closed (default 60 s). */
  staleMs?: number;
}

interface Open {
  id: number;
  count: number;
  /** ms time of the last crash it counts. */
  last: number;
}

export interface AlertsState {
  paused: boolean;
  /** Entry id -> ISO time the mute ends, or null for "until unmuted". */
  mutes: Record<string, string | null>;
  /** Whether the server shows action buttons (null before the first check). */
  actions: boolean | null;
}

export class CrashAlerts {
  readonly watcher: CrashWatcher;
  readonly #o: CrashAlertsOptions;
  readonly #clock: () => number;
  readonly #open = new Map<string, Open>();
  readonly #listeners = new Set<(e: CrashEvent) => void>();
  readonly #offs: Array<() => void> = [];
  #prefs: AlertPrefs;
  #actions: boolean | null = null;
  #queue: Promise<void> = Promise.resolve();
  #lastError: string | null = null;
  #sweep: NodeJS.Timeout | null = null;

  constructor(opts: CrashAlertsOptions) {
    this.#o = opts;
    this.#clock = opts.clock ?? Date.now;
    this.watcher = new CrashWatcher(opts.monitor, {
      clock: this.#clock,
      ...(opts.intentWindowMs !== undefined ? { intentWindowMs: opts.intentWindowMs } : {}),
    });
    this.#prefs = normalisePrefs(opts.backend.get(ALERT_PREFS_KEY), this.#clock());
  }

  get lastError(): string | null {
    return this.#lastError;
  }

  start(): void {
    this.#offs.push(
      this.watcher.onCrash((e) => {
        // One at a time, in order: a crash loop must replace, not race, its own notification.
        this.#queue = this.#queue.then(() => this.#handle(e));
      }),
      this.#o.notifier.onAction((nid, key) => void this.#onAction(nid, key)),
      this.#o.notifier.onClosed((nid) => {
        for (const [id, open] of this.#open) if (open.id === nid) this.#open.delete(id);
      }),
      this.#o.monitor.onSnapshot((s) => void this.#closeStale(s)),
    );
    const staleMs = this.#o.staleMs ?? 60_000;
    this.#sweep = setInterval(() => void this.#closeStale(this.#o.monitor.snapshot()), staleMs / 2);
    this.#sweep.unref();
    this.watcher.start();
  }

  stop(): void {
    if (this.#sweep !== null) clearInterval(this.#sweep);
    this.#sweep = null;
    this.watcher.stop();
    for (const off of this.#offs.splice(0)) off();
  }

  /** Resolves once every crash seen so far has been notified (tests, bench). */
  idle(): Promise<void> {
    return this.#queue;
  }

  onCrash(listener: (e: CrashEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Act on an entry for the user: what follows (a stop) is not a crash. */
  act(id: string, action: EntryAction): Promise<Result<ActionOutcome>> {
    if (action === 'stop' || action === 'restart' || action === 'start')
      this.watcher.noteIntent(id, action);
    return this.#o.monitor.act(id, action);
  }

  state(): AlertsState {
    const mutes: Record<string, string | null> = {};
    for (const [id, until] of Object.entries(this.#prefs.mutes))
      if (isMuted(this.#prefs, id, this.#clock()))
        mutes[id] = until === null ? null : new Date(until).toISOString();
    return { paused: this.#prefs.paused, mutes, actions: this.#actions };
  }

  setPaused(paused: boolean): AlertsState {
    this.#save({ ...this.#prefs, paused });
    return this.state();
  }

  /** Mute an entry for `forMs` (null: until unmuted); unmute with `forMs` 0. */
  mute(id: string, forMs: number | null): AlertsState {
    const mutes = { ...this.#prefs.mutes };
    if (forMs === 0) delete mutes[id];
    else mutes[id] = forMs === null ? null : this.#clock() + forMs;
    this.#save({ ...this.#prefs, mutes });
    return this.state();
  }

  #save(prefs: AlertPrefs): void {
    this.#prefs = normalisePrefs(prefs, this.#clock());
    this.#o.backend.set(ALERT_PREFS_KEY, this.#prefs);
  }

  async #details(e: CrashEvent): Promise<CrashDetails> {
    let exit: string | null = null;
    let restarting = false;
    if (e.id.startsWith('systemd:')) {
      const d = await this.#o.monitor.unitDetail(e.id);
      if (d.ok) {
        exit = d.value.exitSummary;
        // systemd 252 shows a Restart= unit as `failed` for a moment before `auto-restart`:
        // by now it has moved on, and the alert is the normal-urgency "restarting" one.
        if (e.reason === 'failed' && d.value.subState === 'auto-restart') restarting = true;
      }
    }
    let logLines: string[] = [];
    if (this.#o.logs) {
      try {
        logLines = await this.#o.logs(e.id);
      } catch (err) {
        this.#lastError = `logs of ${e.id}: ${String(err)}`;
      }
    }
    return { exit, logLines, restarting };
  }

  async #handle(e: CrashEvent): Promise<void> {
    for (const l of this.#listeners) l(e);
    const needDetails = this.#o.history !== undefined || this.#shouldNotify(e.id);
    const details = needDetails
      ? await this.#details(e)
      : { exit: null, logLines: [], restarting: false };
    if (details.restarting) e = { ...e, reason: 'auto-restart' };
    this.#o.history?.add(e.id, {
      at: e.at,
      reason: e.reason,
      exit: details.exit,
      restarts: e.restarts,
    });
    if (!this.#shouldNotify(e.id)) return;
    const open = this.#open.get(e.id);
    const count = (open?.count ?? 0) + 1;
    const req = crashNotification(e, details, count, open?.id ?? 0);
    try {
      if (this.#actions === null)
        this.#actions = (await this.#o.notifier.capabilities()).includes('actions');
      if (!this.#actions && this.#o.fallback) {
        this.#o.fallback(req);
        this.#open.set(e.id, { id: 0, count, last: this.#clock() });
        return;
      }
      const id = await this.#o.notifier.notify(req);
      this.#open.set(e.id, { id, count, last: this.#clock() });
    } catch (err) {
      this.#lastError = `notify ${e.id}: ${String(err)}`;
      this.#actions = null;
      if (this.#o.fallback) this.#o.fallback(req);
    }
  }

  #shouldNotify(id: string): boolean {
    return !this.#prefs.paused && !isMuted(this.#prefs, id, this.#clock());
  }

  async #onAction(nid: number, key: string): Promise<void> {
    const id = [...this.#open].find(([, o]) => o.id === nid)?.[0];
    if (id === undefined) return;
    if (key === ACTION_RESTART) {
      this.#open.delete(id);
      const r = await this.act(id, 'restart');
      if (!r.ok) this.#lastError = `restart ${id}: ${r.error.message}`;
    } else if (key === ACTION_SHOW_LOGS) {
      this.#o.onShowLogs?.(id);
    } else if (key === ACTION_MUTE) {
      this.mute(id, MUTE_HOUR_MS);
      await this.#close(id);
    }
  }

  async #close(id: string): Promise<void> {
    const open = this.#open.get(id);
    this.#open.delete(id);
    if (open === undefined || open.id === 0) return;
    try {
      await this.#o.notifier.close(open.id);
    } catch (err) {
      this.#lastError = `close ${id}: ${String(err)}`;
    }
  }

  /**
   * Close notifications of entries that are gone, or that have not failed again for `staleMs`
   * and are not in the failed state. (A unit restarting in a loop passes through inactive/dead
   * for a moment: a state alone says nothing.)
   */
  async #closeStale(s: Snapshot): Promise<void> {
    if (this.#open.size === 0) return;
    const staleMs = this.#o.staleMs ?? 60_000;
    const now = this.#clock();
    const byId = new Map(s.entries.map((e) => [e.id, e]));
    for (const [id, open] of [...this.#open]) {
      const entry = byId.get(id);
      if (entry === undefined || (entry.state !== 'failed' && now - open.last >= staleMs))
        await this.#close(id);
    }
  }
}
