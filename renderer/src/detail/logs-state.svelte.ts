// The Logs tab's state: the last lines of a unit's or a watch rule's log, then followed by
// polling after the newest cursor; the filters the core applies (priority, time range), Pause
// (pressed, or scrolling up to read), export to a file the user picks, and for a log that is a
// file: its size, growth and rotation. Search as you type filters the lines held here (the
// newest MAX_LINES) without asking the core.
import type {
  AppError,
  DaemonDeckApi,
  LogExport,
  LogFileInfo,
  LogLine,
  LogQuery,
  LogsResult,
  LogTarget,
  Result,
  RotateOutcome,
} from '../../../contract/index.js';
import { untrack } from 'svelte';
import { call } from '../lib/call';
import { Poller } from '../lib/poller';
import { Task } from '../lib/task.svelte';
import { rangeQuery, type LogRange } from './log-range';

export { PRIORITY_CHOICES, RANGES, type LogRange } from './log-range';

const MAX_LINES = 5000;

export interface LogFilters {
  /** syslog priority: this one and the more urgent; null for all. */
  priority: number | null;
  range: LogRange;
  /** datetime-local values, for the custom range. */
  from: string;
  to: string;
}

export class LogsState {
  #lines = $state.raw<LogLine[]>([]);
  #source = $state.raw<Pick<LogsResult, 'source' | 'path' | 'emptyReason' | 'filterNote'> | null>(
    null,
  );
  /** Why the last read failed; null after one that worked. */
  error = $state.raw<AppError | null>(null);
  loading = $state(true);
  #paused = $state(false);
  /** Paused because the user scrolled up to read (scrolling back to the end resumes). */
  #pausedByScroll = $state(false);
  /** The core's filters (change them with setFilter, which reads the log again). */
  filters = $state.raw<LogFilters>({ priority: null, range: 'any', from: '', to: '' });
  /** Search as you type, over the lines held here. */
  query = $state('');
  readonly exporting = new Task();
  /** The last export, to say where it went. */
  exported = $state.raw<LogExport | null>(null);
  readonly rotating = new Task();
  rotated = $state.raw<RotateOutcome | null>(null);
  /** The log file's size and growth, when the log is a file. */
  file = $state.raw<LogFileInfo | null>(null);
  readonly #api: DaemonDeckApi;
  readonly #target: LogTarget;
  readonly #poller: Poller;
  readonly #filePoller: Poller;
  readonly #lineCount: number;
  #cursor: string | undefined;
  /** Bumped by every reload, so an answer to an older query is dropped. */
  #generation = 0;

  constructor(
    api: DaemonDeckApi,
    target: LogTarget,
    opts: { intervalMs?: number; lines?: number } = {},
  ) {
    this.#api = api;
    this.#target = target;
    this.#lineCount = opts.lines ?? 500;
    this.#poller = new Poller(() => this.#fetch(), opts.intervalMs ?? 1000);
    this.#filePoller = new Poller(
      () => (this.source === 'file' ? this.#fileInfo() : Promise.resolve()),
      5000,
    );
  }

  #read(q: LogQuery): Promise<Result<LogsResult>> {
    return this.#target.kind === 'unit'
      ? this.#api.getLogs(this.#target.id, q)
      : this.#api.getWatchLogs(this.#target.name, q);
  }

  get lines(): LogLine[] {
    return this.#lines;
  }

  /** The lines the search keeps: every word, in any case. */
  get shown(): LogLine[] {
    const words = this.query.toLowerCase().split(/\s+/).filter(Boolean);
    if (words.length === 0) return this.#lines;
    return this.#lines.filter((l) => {
      const m = l.message.toLowerCase();
      return words.every((w) => m.includes(w));
    });
  }

  get source(): LogsResult['source'] | null {
    return this.#source?.source ?? null;
  }

  /** The file tailed, for a unit whose output goes to a file. */
  get path(): string | null {
    return this.#source?.path ?? null;
  }

  /** Why the log is empty, in the user's words, while it is. */
  get emptyReason(): string | null {
    return this.#lines.length === 0 ? (this.#source?.emptyReason ?? null) : null;
  }

  /** Filters the source cannot apply (a file's lines carry no time). */
  get filterNote(): string | null {
    return this.#source?.filterNote ?? null;
  }

  get paused(): boolean {
    return this.#paused;
  }

  set paused(value: boolean) {
    this.#paused = value;
    this.#pausedByScroll = false;
    if (value) this.#poller.stop();
    else this.#poller.start();
  }

  get pausedByScroll(): boolean {
    return this.#pausedByScroll;
  }

  /** The user scrolled away from the end (true) or back to it (false). */
  scrolledAway(away: boolean): void {
    if (away && !this.#paused) {
      this.paused = true;
      this.#pausedByScroll = true;
    } else if (!away && this.#pausedByScroll) this.paused = false;
  }

  /** Changes the core's filters and reads the log again (dates only count in a custom range). */
  setFilter(patch: Partial<LogFilters>): void {
    const next = { ...this.filters, ...patch };
    const dates = patch.from !== undefined || patch.to !== undefined;
    const reread =
      patch.priority !== undefined || patch.range !== undefined || next.range === 'custom';
    this.filters = next;
    if (reread || !dates) this.#reload();
  }

  /** Whether a filter of the core's is set (the count then says so). */
  get filtered(): boolean {
    return this.filters.priority !== null || this.filters.range !== 'any';
  }

  /** The core's filters now (a relative range measured from now). */
  filterQuery(now = Date.now()): LogQuery {
    return {
      ...(this.filters.priority !== null ? { priority: this.filters.priority } : {}),
      ...rangeQuery(this.filters.range, this.filters.from, this.filters.to, now),
    };
  }

  /** Saves the lines the filters select (and the search, as a pattern) where the user picks. */
  async export(): Promise<void> {
    this.exported = null;
    const words = this.query.split(/\s+/).filter(Boolean);
    // The search's words in any order, as a regular expression the core applies to every line.
    const grep =
      words.length === 0
        ? undefined
        : words
            .map((w) => `(?=.*${w.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')})`)
            .join('');
    // Lower case: journalctl and the core then match in any case, as the search does.
    const query: LogQuery = { ...this.filterQuery(), ...(grep !== undefined ? { grep } : {}) };
    const r = await this.exporting.run(() => this.#api.exportLogs(this.#target, query));
    if (r?.ok && r.value !== null) this.exported = r.value;
  }

  async rotate(): Promise<void> {
    this.rotated = null;
    const r = await this.rotating.run(() => this.#api.rotateLogFile(this.#target));
    if (r?.ok) {
      this.rotated = r.value;
      await this.#fileInfo();
      // The file starts again: read it from its start.
      this.#reload();
    }
  }

  async #fileInfo(): Promise<void> {
    const r = await call(() => this.#api.getLogFileInfo(this.#target));
    if (r.ok) this.file = r.value;
  }

  #reload(): void {
    this.#generation++;
    this.#cursor = undefined;
    this.#lines = [];
    this.#source = null;
    this.loading = true;
    if (this.#paused) void this.#fetch(true);
    else this.#poller.now();
  }

  async #fetch(force = false): Promise<void> {
    const generation = this.#generation;
    const after = this.#cursor;
    const filters = this.filterQuery();
    const result = await call(() =>
      this.#read(
        after === undefined
          ? { ...filters, lines: this.#lineCount }
          : { ...filters, afterCursor: after },
      ),
    );
    if (generation !== this.#generation) return;
    this.loading = false;
    if (!result.ok) {
      this.error = result.error;
      return;
    }
    // Paused while this poll was on its way: show nothing new. The cursor stays, so Resume
    // fetches these lines again and none is lost.
    if (this.#paused && after !== undefined && !force) return;
    const r = result.value;
    this.error = null;
    // Keep the first answer's reason: a poll after a cursor has none to give.
    if (after === undefined || this.#source === null) this.#source = r;
    if (r.source === 'file' && this.file === null) void this.#fileInfo();
    if (r.lines.length === 0) return;
    this.#cursor = r.lines[r.lines.length - 1]?.cursor;
    this.#lines = after === undefined ? r.lines : [...this.#lines, ...r.lines].slice(-MAX_LINES);
  }

  /** Starts following (or, paused, reads the first lines once). Reads no state reactively: an
   *  effect that calls this must not run again when Pause is pressed. */
  start(): () => void {
    untrack(() => {
      if (!this.#paused) this.#poller.start();
      else if (this.#source === null) void this.#fetch(true);
    });
    this.#filePoller.start();
    return () => {
      this.#poller.stop();
      this.#filePoller.stop();
    };
  }
}
