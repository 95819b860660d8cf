// Crash detection from consecutive snapshots. The decision is a pure function of (previous
// entries, next entries, the stops the app asked for, now); CrashWatcher feeds it the monitor's
// snapshots.
//
// Per PLATFORM-NOTES (systemd 252): a unit with Restart= never reaches `failed` on a crash, it
// goes to SubState `auto-restart`; NRestarts rises only when the restart job runs, after that.
// So a unit crash is: the state turning `failed`, the SubState turning `auto-restart`, or
// NRestarts rising when we never saw the auto-restart in between (snapshots are coalesced).
// A stop or restart the user asked for through the app is not a crash, nor is a stop made
// outside the app: that leaves the unit inactive with Result=success, not failed.
// A watched process (`process:RULE`) crashed when it went from running to stopped without a
// stop from the app; its exit status is unknown (it is not our child).
// The final failure of a Restart= unit is recorded too: when its start limit is hit systemd
// stops restarting it and it goes from `auto-restart` to `failed`, which is `gave-up`, not a
// crash counted again. systemd 252 passes through inactive/dead on the way (auto-restart ->
// inactive -> failed, Result=exit-code, in one dispatch); when the two changes reach us in
// separate snapshots, CrashWatcher still compares the failure with the auto-restart before it.
import type { Entry, Snapshot } from '../model/domain.js';

export type CrashReason = 'failed' | 'auto-restart' | 'gave-up' | 'vanished';

export interface CrashEvent {
  id: string;
  name: string;
  kind: Entry['kind'];
  /** ISO 8601 time the crash was seen. */
  at: string;
  reason: CrashReason;
  /** systemd's NRestarts after the crash (0 for processes). */
  restarts: number;
}

export interface DetectOptions {
  /** Entry id -> ms time the app last asked to stop/restart/start it. */
  intents: ReadonlyMap<string, number>;
  now: number;
  /** How long an intent covers the transitions that follow it. */
  intentWindowMs: number;
}

function intended(id: string, opts: DetectOptions): boolean {
  const t = opts.intents.get(id);
  return t !== undefined && opts.now - t <= opts.intentWindowMs;
}

/** Why `next` is a crash after `prev`, or null. */
export function crashReason(prev: Entry, next: Entry): CrashReason | null {
  if (next.id.startsWith('systemd:')) {
    // systemd 252 shows a crashing Restart= unit as `failed` for a moment before `auto-restart`,
    // and a unit whose restart is refused (start limit) goes from `auto-restart` to `failed`:
    // either way one crash, counted once; the refused restart is the final failure.
    if (next.state === 'failed' && prev.state !== 'failed')
      return prev.subState === 'auto-restart' ? 'gave-up' : 'failed';
    if (
      next.subState === 'auto-restart' &&
      prev.subState !== 'auto-restart' &&
      prev.state !== 'failed'
    )
      return 'auto-restart';
    if (next.restarts > prev.restarts && prev.subState !== 'auto-restart') return 'auto-restart';
    return null;
  }
  if (next.id.startsWith('process:')) {
    // The process source shows a vanished watched process as failed (stopped when the app
    // stopped it; then the intent covers it too).
    if (prev.state === 'running' && (next.state === 'stopped' || next.state === 'failed'))
      return 'vanished';
    return null;
  }
  return null;
}

export function detectCrashes(
  prev: ReadonlyMap<string, Entry>,
  next: readonly Entry[],
  opts: DetectOptions,
): CrashEvent[] {
  const at = new Date(opts.now).toISOString();
  const out: CrashEvent[] = [];
  for (const n of next) {
    const p = prev.get(n.id);
    if (p === undefined) continue;
    const reason = crashReason(p, n);
    if (reason === null || intended(n.id, opts)) continue;
    out.push({ id: n.id, name: n.name, kind: n.kind, at, reason, restarts: n.restarts });
  }
  return out;
}

export interface SnapshotSource {
  snapshot(): Snapshot;
  onSnapshot(listener: (snapshot: Snapshot) => void): () => void;
}

/**
 * How long the inactive step between a refused auto-restart and `failed` is looked through. The
 * two changes are sent together; only our snapshots can part them, by a few milliseconds.
 */
const REFUSED_RESTART_MS = 2_000;

/** A unit that left auto-restart for inactive: systemd may be about to say it gave up. */
function leftAutoRestart(prev: Entry, next: Entry): boolean {
  return (
    prev.subState === 'auto-restart' && next.state === 'stopped' && next.id.startsWith('systemd:')
  );
}

export interface CrashWatcherOptions {
  clock?: () => number;
  /** Default 30 s: a stop waits up to 5 s for TERM, then a poll interval to be seen. */
  intentWindowMs?: number;
}

/** Runs detectCrashes over a monitor's snapshots and tells listeners about each crash. */
export class CrashWatcher {
  readonly #source: SnapshotSource;
  readonly #clock: () => number;
  readonly #intentWindowMs: number;
  readonly #intents = new Map<string, number>();
  /** Intents (restart/start) that end when the entry runs again. */
  readonly #untilRunning = new Set<string>();
  readonly #listeners = new Set<(e: CrashEvent) => void>();
  #prev = new Map<string, Entry>();
  /** Units seen inactive right after auto-restart: the auto-restart entry and when. */
  readonly #leftAutoRestart = new Map<string, { entry: Entry; at: number }>();
  #off: (() => void) | null = null;

  constructor(source: SnapshotSource, opts: CrashWatcherOptions = {}) {
    this.#source = source;
    this.#clock = opts.clock ?? Date.now;
    this.#intentWindowMs = opts.intentWindowMs ?? 30_000;
  }

  start(): void {
    if (this.#off !== null) return;
    this.#prev = indexEntries(this.#source.snapshot().entries);
    this.#off = this.#source.onSnapshot((s) => this.feed(s.entries));
  }

  stop(): void {
    this.#off?.();
    this.#off = null;
  }

  /**
   * Record that the user asked the app to stop, restart or start `id`: the stop that follows is
   * not a crash. For restart and start the intent ends once the entry is seen running again, so
   * a crash right after a restart still counts.
   */
  noteIntent(id: string, action: 'stop' | 'restart' | 'start' = 'stop'): void {
    this.#intents.set(id, this.#clock());
    if (action === 'stop') this.#untilRunning.delete(id);
    else this.#untilRunning.add(id);
  }

  feed(entries: readonly Entry[]): CrashEvent[] {
    const now = this.#clock();
    for (const [id, t] of this.#intents)
      if (now - t > this.#intentWindowMs) this.#intents.delete(id);
    // A unit still inactive right after auto-restart is compared as it was in auto-restart.
    for (const [id, left] of this.#leftAutoRestart)
      if (now - left.at > REFUSED_RESTART_MS) this.#leftAutoRestart.delete(id);
    const prev = this.#leftAutoRestart.size === 0 ? this.#prev : new Map(this.#prev);
    for (const [id, left] of this.#leftAutoRestart) prev.set(id, left.entry);
    const events = detectCrashes(prev, entries, {
      intents: this.#intents,
      now,
      intentWindowMs: this.#intentWindowMs,
    });
    const next = indexEntries(entries);
    for (const [id, e] of next) {
      const before = prev.get(id);
      if (before !== undefined && leftAutoRestart(before, e)) {
        if (!this.#leftAutoRestart.has(id))
          this.#leftAutoRestart.set(id, { entry: before, at: now });
      } else this.#leftAutoRestart.delete(id);
    }
    this.#prev = next;
    for (const id of this.#untilRunning) {
      const e = this.#prev.get(id);
      if (e === undefined || !this.#intents.has(id)) this.#untilRunning.delete(id);
      else if (e.state === 'running') {
        this.#intents.delete(id);
        this.#untilRunning.delete(id);
      }
    }
    for (const e of events) for (const l of this.#listeners) l(e);
    return events;
  }

  onCrash(listener: (e: CrashEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}

function indexEntries(entries: readonly Entry[]): Map<string, Entry> {
  return new Map(entries.map((e) => [e.id, e]));
}
