// Crash history per entry: time, exit status or signal, restarts. Bounded (the newest
// `perEntry` records of at most `maxEntries` entries) and persisted under one key of the settings
// backend (electron-store in the app, conf in Node), so it survives restarts of the app.
import type { KeyValueBackend } from '../settings/settings.js';
import type { CrashRecord } from '../model/alerts.js';
import { normaliseLists, withoutKey } from '../settings/bounded-lists.js';

export type { CrashRecord };

export interface CrashHistoryOptions {
  perEntry?: number;
  maxEntries?: number;
  /** Flapping: at least `flapCount` crashes within `flapWindowMs`. */
  flapCount?: number;
  flapWindowMs?: number;
}

export const CRASH_HISTORY_KEY = 'crashHistory';

type HistoryMap = Record<string, CrashRecord[]>;

const REASONS: ReadonlySet<unknown> = new Set(['failed', 'auto-restart', 'gave-up', 'vanished']);

/** Absent, null or of the type: the optional fields of older records may be missing. */
function optional(v: unknown, type: 'number' | 'string'): boolean {
  return v === undefined || v === null || typeof v === type;
}

function isRecord(v: unknown): v is CrashRecord {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Partial<CrashRecord>;
  return (
    typeof r.at === 'string' &&
    !Number.isNaN(Date.parse(r.at)) &&
    REASONS.has(r.reason) &&
    (r.exit === null || typeof r.exit === 'string') &&
    typeof r.restarts === 'number' &&
    optional(r.code, 'number') &&
    optional(r.status, 'number') &&
    optional(r.result, 'string')
  );
}

/** Whatever is stored, as a valid history (bad records dropped, bounds applied). */
export function normaliseHistory(raw: unknown, perEntry: number, maxEntries: number): HistoryMap {
  return normaliseLists(raw, isRecord, (r) => r.at, perEntry, maxEntries);
}

/** True when at least `count` of the records fall within `windowMs` before `now`. */
export function isFlapping(
  records: readonly CrashRecord[],
  now: number,
  count: number,
  windowMs: number,
): boolean {
  return records.filter((r) => now - Date.parse(r.at) <= windowMs).length >= count;
}

export class CrashHistory {
  readonly #backend: KeyValueBackend;
  readonly #perEntry: number;
  readonly #maxEntries: number;
  readonly #flapCount: number;
  readonly #flapWindowMs: number;
  #data: HistoryMap;

  constructor(backend: KeyValueBackend, opts: CrashHistoryOptions = {}) {
    this.#backend = backend;
    this.#perEntry = opts.perEntry ?? 50;
    this.#maxEntries = opts.maxEntries ?? 200;
    this.#flapCount = opts.flapCount ?? 5;
    this.#flapWindowMs = opts.flapWindowMs ?? 10 * 60_000;
    this.#data = normaliseHistory(backend.get(CRASH_HISTORY_KEY), this.#perEntry, this.#maxEntries);
  }

  add(id: string, record: CrashRecord): void {
    const list = [...(this.#data[id] ?? []), record];
    // The entry just added goes first: on a tie of latest times the (stable) sort keeps it, and
    // the entry evicted past maxEntries is an older one.
    const rest = withoutKey(this.#data, id);
    this.#data = normaliseHistory({ [id]: list, ...rest }, this.#perEntry, this.#maxEntries);
    this.#backend.set(CRASH_HISTORY_KEY, this.#data);
  }

  /** Newest first. */
  of(id: string): CrashRecord[] {
    return [...(this.#data[id] ?? [])].reverse();
  }

  ids(): string[] {
    return Object.keys(this.#data);
  }

  flapping(id: string, now = Date.now()): boolean {
    return isFlapping(this.#data[id] ?? [], now, this.#flapCount, this.#flapWindowMs);
  }

  clear(id: string): void {
    this.#data = withoutKey(this.#data, id);
    this.#backend.set(CRASH_HISTORY_KEY, this.#data);
  }
}
