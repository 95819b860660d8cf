// Crash alerts: a CrashWatcher over the monitor, one desktop notification per entry replaced in
// place (a crash loop is one notification whose count updates), Restart / Show logs / Mute for
// an hour, a global pause and per-entry mutes, and the crash history.
//
// Relies on a Notifier (org.freedesktop.Notifications, see notifications.ts). Where the server
// lacks the 'actions' capability (or is absent), `fallback` (Electron's Notification in the app)
// is used instead: it cannot show buttons (electron/electron#24333).
import type { ActionOutcome, EntryAction, Result, Snapshot, UnitDetail } from '../model/domain.js';
import { CrashWatcher, type CrashEvent } from '../monitor/crash-detector.js';
import type { CrashHistory } from '../monitor/crash-history.js';
import type { SettingsStore } from '../settings/settings.js';
import { muteKey, muteTarget } from '../model/alerts.js';
import {
  ACTION_MUTE,
  ACTION_RESTART,
  ACTION_SHOW_LOGS,
  MUTE_HOUR_MS,
  activeMutes,
  crashNotification,
  isMuted,
  onHost,
  type CrashDetails,
} from './crash-message.js';
import type { NotificationRequest, Notifier } from './notifications.js';
import type { ServiceExit } from '../systemd/exit-tracker.js';
import { exitSummary } from '../systemd/unit-model.js';
import { deadline } from '../deadline.js';

export interface AlertsMonitor {
  snapshot(): Snapshot;
  onSnapshot(listener: (snapshot: Snapshot) => void): () => void;
  act(id: string, action: EntryAction): Promise<Result<ActionOutcome>>;
  unitDetail(id: string): Promise<Result<UnitDetail>>;
  /** Told of every action asked through the monitor (panel, tray, CLI): a stop is no crash. */
  onAct?(listener: (id: string, action: EntryAction) => void): () => void;
}

export interface CrashAlertsOptions {
  monitor: AlertsMonitor;
  notifier: Notifier;
  /** Pause, mutes and the alert options live in settings (Settings.alerts). */
  settings: SettingsStore;
  history?: CrashHistory;
  /** The last log lines of an entry (oldest first); none when absent. */
  logs?: (id: string) => Promise<string[]>;
  /** How long the alert waits for `logs` before it goes without them (default 3 s). */
  logsTimeoutMs?: number;
  /** The exit of a unit's main process as systemd announced it (exit-tracker.ts), if known. */
  lastExit?: (id: string) => ServiceExit | null;
  /** Show logs: open the detail window on its Logs tab. */
  onShowLogs?: (id: string) => void;
  /** Used when the server cannot show actions (Electron's Notification in the app). */
  fallback?: (req: NotificationRequest, entryId: string) => void;
  clock?: () => number;
  intentWindowMs?: number;
  /** A notification whose entry has not failed again for this long is closed (default 60 s). */
  staleMs?: number;
  /** The far host (its name in settings) the monitor's entries are on; absent: this machine. */
  host?: string;
}

/** The exit as data for the history (CrashRecord's code, status and result). */
interface ExitData {
  code?: number | null;
  status?: number | null;
  result?: string | null;
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
    if (this.#o.monitor.onAct)
      this.#offs.push(this.#o.monitor.onAct((id, action) => this.#noteAct(id, action)));
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

  #noteAct(id: string, action: EntryAction): void {
    if (action === 'stop' || action === 'restart' || action === 'start')
      this.watcher.noteIntent(id, action);
  }

  /** Act on an entry for the user: what follows (a stop) is not a crash. */
  act(id: string, action: EntryAction): Promise<Result<ActionOutcome>> {
    // A monitor that reports its actions notes the intent itself (onAct).
    if (!this.#o.monitor.onAct) this.#noteAct(id, action);
    return this.#o.monitor.act(id, action);
  }

  /**
   * The app is about to stop these processes (the process view, Adopt): a watched entry that
   * runs one of them and goes away next is not a crash.
   */
  noteStopping(pids: readonly number[]): void {
    const wanted = new Set(pids);
    for (const e of this.#o.monitor.snapshot().entries)
      if (e.id.startsWith('process:') && e.pids.some((p) => wanted.has(p)))
        this.watcher.noteIntent(e.id, 'stop');
  }

  state(): AlertsState {
    const alerts = this.#o.settings.get().alerts;
    return {
      paused: alerts.paused,
      mutes: activeMutes(alerts, this.#clock()),
      actions: this.#actions,
    };
  }

  setPaused(paused: boolean): AlertsState {
    this.#o.settings.update({ alerts: { paused } });
    return this.state();
  }

  /**
   * Mute an entry for `forMs` (null: until unmuted); unmute with `forMs` 0. `id` is an entry id
   * of this monitor's host (a far host's alerts key it by that host: muteKey), or a mute key as
   * state() lists it (the Settings page unmutes any host's mute through this machine's alerts).
   */
  mute(id: string, forMs: number | null): AlertsState {
    const key = muteTarget(id).host !== null ? id : muteKey(id, this.#o.host);
    const mutes = activeMutes(this.#o.settings.get().alerts, this.#clock());
    if (forMs === 0) delete mutes[key];
    else mutes[key] = forMs === null ? null : new Date(this.#clock() + forMs).toISOString();
    this.#o.settings.update({ alerts: { mutes } });
    return this.state();
  }

  /** The crash's details; its log lines only for a notification (read while systemd is asked). */
  async #details(e: CrashEvent, notify: boolean): Promise<CrashDetails & ExitData> {
    const logs = notify ? this.#logLines(e.id) : Promise.resolve([]);
    let exit: string | null = null;
    let restarting = false;
    let data: ExitData = {};
    if (e.id.startsWith('systemd:')) {
      const d = await this.#o.monitor.unitDetail(e.id);
      // The exit caught as it happened wins: by now a Restart= unit may run a new process.
      const caught = this.#o.lastExit?.(e.id) ?? null;
      const seen = Date.parse(e.at);
      if (caught !== null && caught.at <= seen + 5_000 && caught.at >= seen - 60_000) {
        exit = exitSummary(null, caught.code, caught.status);
        data = { code: caught.code, status: caught.status };
      }
      if (d.ok) {
        exit ??= d.value.exitSummary;
        if (data.code === undefined)
          data = { code: d.value.execMainCode, status: d.value.execMainStatus };
        data.result = d.value.result;
        // systemd 252 shows a Restart= unit as `failed` for a moment before `auto-restart`:
        // by now it has moved on, and the alert is the normal-urgency "restarting" one. With a
        // short RestartSec (100 ms by default) it may be running again already: NRestarts, which
        // counts systemd's own restarts only, has risen since. The same holds for a "gave up"
        // (CrashWatcher) that systemd did not give up on after all.
        if (
          (e.reason === 'failed' || e.reason === 'gave-up') &&
          (d.value.subState === 'auto-restart' || d.value.nRestarts > e.restarts)
        )
          restarting = true;
      }
    }
    return { exit, logLines: await logs, restarting, ...data };
  }

  /** `logs` of the entry; a failure, or no answer within logsTimeoutMs, is no lines. */
  async #logLines(id: string): Promise<string[]> {
    if (!this.#o.logs) return [];
    // A far host whose link stalls must not hold the alert (nor those queued behind it).
    try {
      return await deadline(
        this.#o.logs(id),
        this.#o.logsTimeoutMs ?? 3_000,
        () => new Error('no answer in time'),
      );
    } catch (err) {
      this.#lastError = `logs of ${id}: ${String(err)}`;
      return [];
    }
  }

  async #handle(e: CrashEvent): Promise<void> {
    for (const l of this.#listeners) l(e);
    const notify = this.#shouldNotify(e);
    const details =
      this.#o.history !== undefined || notify
        ? await this.#details(e, notify)
        : { exit: null, logLines: [], restarting: false };
    if (details.restarting) e = { ...e, reason: 'auto-restart' };
    // Snapshots are coalesced: the refused restart may be seen straight after the crash.
    if (e.reason === 'failed' && details.result === 'start-limit-hit')
      e = { ...e, reason: 'gave-up' };
    this.#o.history?.add(e.id, {
      at: e.at,
      reason: e.reason,
      exit: details.exit,
      restarts: e.restarts,
      ...(details.code !== undefined ? { code: details.code, status: details.status ?? null } : {}),
      ...(details.result !== undefined ? { result: details.result } : {}),
    });
    if (!this.#shouldNotify(e)) return;
    const open = this.#open.get(e.id);
    const count = (open?.count ?? 0) + 1;
    const here = crashNotification(
      e,
      details,
      count,
      open?.id ?? 0,
      this.#o.settings.get().alerts.logLines,
    );
    const req = this.#o.host === undefined ? here : onHost(here, this.#o.host);
    try {
      if (this.#actions === null)
        this.#actions = (await this.#o.notifier.capabilities()).includes('actions');
      if (!this.#actions && this.#o.fallback) {
        this.#o.fallback(req, e.id);
        this.#open.set(e.id, { id: 0, count, last: this.#clock() });
        return;
      }
      const id = await this.#o.notifier.notify(req);
      this.#open.set(e.id, { id, count, last: this.#clock() });
    } catch (err) {
      this.#lastError = `notify ${e.id}: ${String(err)}`;
      this.#actions = null;
      if (this.#o.fallback) this.#o.fallback(req, e.id);
    }
  }

  #shouldNotify(e: CrashEvent): boolean {
    const alerts = this.#o.settings.get().alerts;
    if (alerts.paused || isMuted(alerts, e.id, this.#clock(), this.#o.host)) return false;
    // Asked again once the details have told a `failed` from the auto-restart it really was.
    return e.reason !== 'auto-restart' || alerts.notifyOnAutoRestart;
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
