// Every run of a timer job: its outcome recorded while the core runs (RunRecorder watches
// systemd), kept bounded per job like crash history (monitor/crash-history.ts), and read back
// from the journal where journald keeps systemd's messages about each run.
//
// Relies on (systemd 252):
// - A oneshot service's run ends with PropertiesChanged on its unit's object (Unit: ActiveState;
//   Service: ExecMainStatus among the invalidated properties). The values are then asked for:
//   ExecMainStartTimestamp / ExecMainExitTimestamp (realtime usec), ExecMainCode (1 exited,
//   2 killed, 3 dumped), ExecMainStatus, Result (Service) and InvocationID (Unit, 16 bytes).
//   The monitor's broad PropertiesChanged match rule delivers these signals; none is added here.
// - The journal (`journalctl --user -u UNIT -o json`) holds systemd's own messages per run,
//   keyed by MESSAGE_ID and USER_INVOCATION_ID: 7d4958e8... "Starting" (JOB_TYPE=start),
//   98e32220... process exited (EXIT_CODE=exited|killed|dumped, EXIT_STATUS), 7ad2d189...
//   "Deactivated successfully", d9b373ed... "Failed with result" (UNIT_RESULT), 39f53479...
//   job finished; the command's own lines carry _SYSTEMD_INVOCATION_ID. journald does not run in
//   the test sandbox (PLATFORM-NOTES): that part is checked on recorded JSON only.
import { constants } from 'node:os';
import type { KeyValueBackend } from '../settings/settings.js';
import { normaliseLists, withoutKey } from '../settings/bounded-lists.js';
import type { TimerRun, TimerRunSource } from '../model/timers.js';
import type { Bus, BusSignal } from '../systemd/bus.js';
import { unitFromPath } from '../systemd/exit-tracker.js';
import { unitObjectPath } from '../systemd/unit-model.js';

export const TIMER_RUNS_KEY = 'timerRuns';
export const OUTPUT_LINES = 20;

type RunMap = Record<string, TimerRun[]>;

const SOURCES: readonly TimerRunSource[] = ['watched', 'systemd', 'journal'];

function isRun(v: unknown): v is TimerRun {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Partial<TimerRun>;
  return (
    typeof r.id === 'string' &&
    typeof r.start === 'string' &&
    !Number.isNaN(Date.parse(r.start)) &&
    (r.end === null || typeof r.end === 'string') &&
    (r.durationMs === null || typeof r.durationMs === 'number') &&
    typeof r.result === 'string' &&
    (r.exitStatus === null || typeof r.exitStatus === 'number') &&
    (r.signal === null || typeof r.signal === 'string') &&
    Array.isArray(r.output) &&
    r.output.every((l) => typeof l === 'string') &&
    SOURCES.includes(r.source as TimerRunSource)
  );
}

/** Whatever is stored, as valid runs: bad records dropped, oldest first, bounds applied. */
export function normaliseRuns(raw: unknown, perJob: number, maxJobs: number): RunMap {
  return normaliseLists(raw, isRun, (r) => r.start, perJob, maxJobs);
}

function byStart(a: TimerRun, b: TimerRun): number {
  return a.start.localeCompare(b.start);
}

/** The runs of every job, bounded: the newest `perJob` runs of at most `maxJobs` jobs. */
export class RunStore {
  readonly #backend: KeyValueBackend;
  readonly #perJob: number;
  readonly #maxJobs: number;

  constructor(backend: KeyValueBackend, opts: { perJob?: number; maxJobs?: number } = {}) {
    this.#backend = backend;
    this.#perJob = opts.perJob ?? 50;
    this.#maxJobs = opts.maxJobs ?? 200;
  }

  #read(): RunMap {
    return normaliseRuns(this.#backend.get(TIMER_RUNS_KEY), this.#perJob, this.#maxJobs);
  }

  /** Adds a run (one with the same id replaces it); false when it was known already as it is. */
  add(job: string, run: TimerRun): boolean {
    const data = this.#read();
    const list = data[job] ?? [];
    const same = list.find((r) => r.id === run.id);
    if (same !== undefined && JSON.stringify(same) === JSON.stringify(run)) return false;
    const rest = withoutKey(data, job);
    const next = normaliseRuns(
      { [job]: [...list.filter((r) => r.id !== run.id), run], ...rest },
      this.#perJob,
      this.#maxJobs,
    );
    this.#backend.set(TIMER_RUNS_KEY, next);
    return true;
  }

  /** Newest first. */
  of(job: string): TimerRun[] {
    return [...(this.#read()[job] ?? [])].reverse();
  }

  clear(job: string): void {
    const data = this.#read();
    if (!(job in data)) return;
    this.#backend.set(TIMER_RUNS_KEY, withoutKey(data, job));
  }
}

const SIGNAL_NAMES = new Map<number, string>(
  Object.entries(constants.signals).map(([name, n]) => [n, name]),
);

export function signalName(n: number): string {
  return SIGNAL_NAMES.get(n) ?? `signal ${n}`;
}

function usecIso(usec: number): string {
  return new Date(Math.floor(usec / 1000)).toISOString();
}

/** The service's ExecMain* properties, as read from systemd. */
export interface ExecProps {
  startUsec: number;
  exitUsec: number;
  /** 1 exited, 2 killed, 3 dumped core; 0 not yet. */
  code: number;
  status: number;
  result: string;
  invocation: string;
}

/** A finished run from the service's properties, or null while it runs or before the first. */
export function runFromProps(
  p: ExecProps,
  output: string[],
  source: TimerRunSource,
): TimerRun | null {
  if (p.startUsec <= 0 || p.exitUsec < p.startUsec || p.code === 0) return null;
  return {
    id: p.invocation !== '' ? p.invocation : `t${p.startUsec}`,
    start: usecIso(p.startUsec),
    end: usecIso(p.exitUsec),
    durationMs: Math.round((p.exitUsec - p.startUsec) / 1000),
    result: p.result !== '' ? p.result : p.code === 1 && p.status === 0 ? 'success' : 'exit-code',
    exitStatus: p.code === 1 ? p.status : null,
    signal: p.code === 2 || p.code === 3 ? signalName(p.status) : null,
    output,
    source,
  };
}

/** The last `n` lines of a run's output text (a trailing newline ends the last line). */
export function lastLines(text: string, n = OUTPUT_LINES): string[] {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines.slice(-n).map((l) => (l.length > 500 ? `${l.slice(0, 500)}…` : l));
}

const MSG = {
  starting: '7d4958e842da4a758f6c1cdc7b36dcc5',
  exited: '98e322203f7a4ed290d09fe03c09fe15',
  success: '7ad2d189f7e94e70a38c781354912448',
  failed: 'd9b373ed55a64feb8242e02dbe79a49c',
  finished: '39f53479d3a045ac8e11786248231fbf',
} as const;

function field(rec: Record<string, unknown>, key: string): string | undefined {
  const v = rec[key];
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && v.every((b): b is number => typeof b === 'number'))
    return Buffer.from(v).toString('utf8');
  return undefined;
}

/**
 * The runs in `journalctl -o json` output of one service (one JSON object per line), grouped by
 * invocation; oldest first. Lines that are not JSON are skipped.
 */
export function runsFromJournal(text: string, outputLines = OUTPUT_LINES): TimerRun[] {
  interface Acc {
    start: number | null;
    end: number | null;
    code: string | null;
    status: string | null;
    result: string | null;
    output: string[];
  }
  const byId = new Map<string, Acc>();
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let rec: Record<string, unknown>;
    try {
      rec = JSON.parse(line) as Record<string, unknown>;
    } catch {
      continue;
    }
    const id =
      field(rec, 'USER_INVOCATION_ID') ??
      field(rec, 'INVOCATION_ID') ??
      field(rec, '_SYSTEMD_INVOCATION_ID');
    const at = Number(field(rec, '__REALTIME_TIMESTAMP') ?? NaN);
    if (id === undefined || !Number.isFinite(at)) continue;
    const acc = byId.get(id) ?? {
      start: null,
      end: null,
      code: null,
      status: null,
      result: null,
      output: [],
    };
    byId.set(id, acc);
    const msgId = field(rec, 'MESSAGE_ID');
    if (msgId === MSG.starting) acc.start = at;
    else if (msgId === MSG.exited) {
      acc.code = field(rec, 'EXIT_CODE') ?? null;
      acc.status = field(rec, 'EXIT_STATUS') ?? null;
      acc.end = at;
    } else if (msgId === MSG.success) {
      acc.result = 'success';
      acc.end ??= at;
    } else if (msgId === MSG.failed) {
      acc.result = field(rec, 'UNIT_RESULT') ?? 'failed';
      acc.end ??= at;
    } else if (msgId === MSG.finished) acc.end ??= at;
    else if (msgId === undefined) {
      acc.start ??= at;
      const m = field(rec, 'MESSAGE');
      if (m !== undefined) acc.output.push(m);
    }
  }
  const runs: TimerRun[] = [];
  for (const [id, a] of byId) {
    if (a.start === null) continue;
    const status = a.status === null ? null : Number(a.status);
    const numeric = status !== null && Number.isInteger(status);
    const killed = a.code === 'killed' || a.code === 'dumped';
    runs.push({
      id,
      start: usecIso(a.start),
      end: a.end === null ? null : usecIso(a.end),
      durationMs: a.end === null ? null : Math.round((a.end - a.start) / 1000),
      result: a.result ?? (a.end === null ? 'running' : 'unknown'),
      exitStatus:
        a.code === 'exited' && numeric
          ? status
          : a.code === null && a.result === 'success'
            ? 0
            : null,
      signal: killed
        ? numeric
          ? signalName(status)
          : `SIG${String(a.status).replace(/^SIG/, '')}`
        : null,
      output: a.output.slice(-outputLines),
      source: 'journal',
    });
  }
  return runs.sort(byStart);
}

/** Runs of one job from several sources, one per run (the first source listed wins), newest first. */
export function mergeRuns(...lists: TimerRun[][]): TimerRun[] {
  const seen = new Map<string, TimerRun>();
  const key = (r: TimerRun) => r.id;
  const near = (a: TimerRun, b: TimerRun) =>
    Math.abs(Date.parse(a.start) - Date.parse(b.start)) < 1500;
  for (const list of lists)
    for (const r of list) {
      if (seen.has(key(r))) continue;
      // A run known by id in one source and by time only in another is one run.
      if (
        [...seen.values()].some((s) => near(s, r) && (s.id.startsWith('t') || r.id.startsWith('t')))
      )
        continue;
      seen.set(key(r), r);
    }
  return [...seen.values()].sort((a, b) => b.start.localeCompare(a.start));
}

const SYSTEMD = 'org.freedesktop.systemd1';
const PROPS = 'org.freedesktop.DBus.Properties';
const SERVICE_IFACE = 'org.freedesktop.systemd1.Service';
const UNIT_IFACE = 'org.freedesktop.systemd1.Unit';

/** The ExecMain* properties of a service now (one pipelined turn of Get calls). */
export async function readExecProps(bus: Bus, unit: string): Promise<ExecProps> {
  const path = unitObjectPath(unit);
  const get = async (iface: string, prop: string): Promise<unknown> =>
    (
      await bus.call({
        destination: SYSTEMD,
        path,
        interface: PROPS,
        member: 'Get',
        signature: 'ss',
        body: [iface, prop],
      })
    )[0];
  const [start, exit, code, status, result, inv] = await Promise.all([
    get(SERVICE_IFACE, 'ExecMainStartTimestamp'),
    get(SERVICE_IFACE, 'ExecMainExitTimestamp'),
    get(SERVICE_IFACE, 'ExecMainCode'),
    get(SERVICE_IFACE, 'ExecMainStatus'),
    get(SERVICE_IFACE, 'Result'),
    get(UNIT_IFACE, 'InvocationID'),
  ]);
  const num = (v: unknown) => (typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : 0);
  const bytes =
    inv instanceof Uint8Array || Array.isArray(inv)
      ? Buffer.from(inv as Uint8Array)
      : Buffer.alloc(0);
  return {
    startUsec: num(start),
    exitUsec: num(exit),
    code: num(code),
    status: num(status),
    result: typeof result === 'string' ? result : '',
    invocation: bytes.toString('hex'),
  };
}

export interface RecorderDeps {
  bus: Bus;
  store: RunStore;
  /** The job a service unit belongs to (its name), or null when it is not a timer's service. */
  jobOf(unit: string): string | null;
  /** The last lines of a job's output file. */
  output(job: string): Promise<string[]>;
  /** Told of every run recorded (after it is stored). */
  onRun?: (job: string, run: TimerRun) => void;
}

/**
 * Records each run of a timer's service as it ends: on a PropertiesChanged of the service, it
 * reads the ExecMain* properties and stores the run once (by invocation).
 */
export class RunRecorder {
  readonly #d: RecorderDeps;
  readonly #pending = new Map<string, NodeJS.Timeout>();
  readonly #lastStart = new Map<string, number>();
  #off: (() => void) | null = null;

  constructor(deps: RecorderDeps) {
    this.#d = deps;
  }

  start(): void {
    this.#off ??= this.#d.bus.onSignal((s) => this.#onSignal(s));
  }

  stop(): void {
    this.#off?.();
    this.#off = null;
    for (const t of this.#pending.values()) clearTimeout(t);
    this.#pending.clear();
  }

  #onSignal(s: BusSignal): void {
    if (s.interface !== PROPS || s.member !== 'PropertiesChanged') return;
    const iface = s.body[0];
    if (iface !== UNIT_IFACE && iface !== SERVICE_IFACE) return;
    const unit = unitFromPath(s.path);
    if (unit === null || !unit.endsWith('.service')) return;
    const job = this.#d.jobOf(unit);
    if (job === null || this.#pending.has(unit)) return;
    // The signals of one state change come together: read once they have all arrived.
    this.#pending.set(
      unit,
      setTimeout(() => {
        this.#pending.delete(unit);
        void this.check(unit, job);
      }, 30),
    );
  }

  /** Reads the service's last run and stores it when it is new; the run, or null. */
  async check(unit: string, job: string): Promise<TimerRun | null> {
    let props: ExecProps;
    try {
      props = await readExecProps(this.#d.bus, unit);
    } catch {
      return null; // gone, or the bus is: the next signal tries again
    }
    if (this.#lastStart.get(unit) === props.startUsec) return null;
    const run = runFromProps(props, [], 'watched');
    if (run === null) return null;
    this.#lastStart.set(unit, props.startUsec);
    run.output = await this.#d.output(job).catch(() => []);
    if (this.#d.store.add(job, run)) this.#d.onRun?.(job, run);
    return run;
  }
}
