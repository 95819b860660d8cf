// The processes area's core: one facade over the scanner, the pgrep matcher, watch rules,
// detached launch, stop/signal, strays and Adopt. The IPC handlers, the CLI and the entry source
// all go through it. Adopt reuses the unit authoring service (issue 3) for rendering, writing
// (atomic, with undo) and reloading: this module never writes a unit file itself.
import { readFileSync, readlinkSync } from 'node:fs';
import type { ActionOutcome, Entry, EntryAction, Result } from '../model/domain.js';
import type { ServiceForm, UnitPreview, AuthoringOutcome } from '../model/authoring.js';
import type { LogsResult } from '../model/authoring.js';
import type {
  AdoptOutcome,
  AdoptPhase,
  AdoptPreview,
  AdoptRequest,
  LaunchResult,
  ProcessDetail,
  ProcessQuery,
  ProcessRow,
  StopReport,
  StopStep,
  Stray,
  WatchRule,
} from '../model/processes.js';
import { AppFailure, appError, fail, ok, toAppError } from '../errors.js';
import { tailFile, type FileWindow } from '../systemd/logs.js';
import { fileFilterNote, type LogQuery } from '../logs/log-query.js';
import {
  defaultLogPath,
  launchDetached,
  localSignals,
  signalProcess,
  stopProcesses,
  type StopSignals,
} from './control.js';
import { PatternError } from './ere.js';
import { MatchError, createMatcher, type MatchOptions } from './matcher.js';
import {
  ProcessScanner,
  commandLine,
  type ProcessInfo,
  type ProcessTable,
} from './proc-scanner.js';
import { t } from '../../../i18n/index.js';
import { runTransaction, type StepHook } from '../systemd/transaction.js';
import { SEPARATE_ARGV0 } from '../systemd/unit-file.js';
import { protectedProcess } from './protected-processes.js';
import { findStrays, isStray } from './strays.js';
import type { WatchRuleStore } from './watch-rules.js';
import { createExitWatch, type ExitWatch } from './exit-watch.js';
import type { AdoptUndoRecord, AdoptUndoStore } from './adopt-undos.js';

/** The part of the authoring service (main/core/systemd/unit-authoring.ts) Adopt needs. */
export interface AdoptAuthoring {
  preview(form: ServiceForm): Promise<Result<UnitPreview>>;
  /** The preview after every check a real create makes (name taken, verify): for --dry-run. */
  checkCreate(
    form: ServiceForm,
    opts: { enable: boolean; start: boolean },
  ): Promise<Result<UnitPreview>>;
  create(
    form: ServiceForm,
    opts: { enable: boolean; start: boolean },
  ): Promise<Result<AuthoringOutcome>>;
  undo(token: string): Promise<Result<{ paths: string[] }>>;
}

/** What Adopt reads of one process beyond the table. */
export interface ProcessLook {
  cwd: string | null;
  environ: Record<string, string> | null;
  /** Its executable (/proc/PID/exe), or null when unreadable or deleted. */
  exe: string | null;
}

/**
 * What a ProcessService does to the processes of its machine beyond reading the table: Adopt's
 * reads, stopping and starting a command again. This machine's (localControl) by default;
 * another host's goes over that host's connection (main/core/host/far-control.ts).
 */
export interface ProcessControl {
  /** Why this pid may never be stopped or adopted (one sentence), or null when it may. */
  refuse(pid: number): string | null;
  /** The process's working folder, environment and executable, while it is still `starttime`'s. */
  look(pid: number, starttime: number): Promise<ProcessLook>;
  signals: StopSignals;
  /** Starts a command detached, as it ran before an Adopt (its rollback, its Undo). */
  launch(argv: string[], opts: { cwd: string | null; name: string }): Promise<{ pid: number }>;
}

/** This machine's control: /proc, kill(2) and launchDetached. */
export function localControl(scanner: ProcessScanner, env: NodeJS.ProcessEnv): ProcessControl {
  return {
    refuse: (pid) => protectedProcess(pid, { env })?.message ?? null,
    look: (pid) =>
      Promise.resolve({ cwd: scanner.cwd(pid), environ: scanner.environ(pid), exe: readExe(pid) }),
    signals: localSignals(scanner),
    launch: (argv, opts) => launchDetached(scanner, { argv, env, ...opts }),
  };
}

/** Unit actions (the monitor's act), for starting, enabling and, on undo, stopping the unit. */
export type UnitAct = (id: string, action: EntryAction) => Promise<Result<ActionOutcome>>;

export interface ProcessServiceOptions {
  scanner?: ProcessScanner;
  rules: WatchRuleStore;
  env?: NodeJS.ProcessEnv;
  /** The user whose strays are listed (default: this process's uid). */
  uid?: number;
  stopTimeoutMs?: number;
  authoring?: AdoptAuthoring | null;
  unitAct?: UnitAct | null;
  /** Told before the app stops processes (stop, Adopt): crash alerts take it as no crash. */
  onStopping?: (pids: number[]) => void;
  /** Called before each step of an Adopt; a throw there fails that step (tests inject faults). */
  stepHook?: StepHook;
  /** Tells when a watched process ends (default: the pidfd helper of exit-watch.ts). */
  exitWatch?: (onExit: (pid: number) => void) => ExitWatch;
  /** How processes are stopped and started again (default: this machine's, localControl). */
  control?: ProcessControl;
  /**
   * Where Adopt's Undo records are also kept, for another process to undo (adopt-undos.ts: a
   * file on the host the Adopt is made on); absent, only this service can undo its Adopts.
   */
  undoStore?: AdoptUndoStore;
  /** Where the rules' log files are read (default this machine's; a far host's: hostWindow). */
  files?: FileWindow;
}

export function toRow(p: ProcessInfo): ProcessRow {
  return {
    pid: p.pid,
    starttime: p.starttime,
    ppid: p.ppid,
    uid: p.uid,
    name: p.comm,
    argv: p.argv,
    command: commandLine(p),
    state: p.state,
    tty: p.tty,
    session: p.session,
    pgid: p.pgid,
    cpu: p.cpu,
    memory: p.rss,
    startedAt: new Date(p.startedAt).toISOString(),
    elapsedMs: p.elapsedMs,
    unit: p.unit,
  };
}

export function queryToMatch(q: ProcessQuery): MatchOptions {
  return {
    pattern: q.pattern,
    full: q.full,
    exact: q.exact,
    users: q.users,
    parents: q.parents,
    newest: q.pick === 'newest',
    oldest: q.pick === 'oldest',
  };
}

/** Turn what the core throws into a Result error. */
export function asResult<T>(fn: () => T): Result<T> {
  try {
    return ok(fn());
  } catch (err) {
    return fail(...errorParts(err));
  }
}

export async function asResultAsync<T>(fn: () => Promise<T>): Promise<Result<T>> {
  try {
    return ok(await fn());
  } catch (err) {
    return fail(...errorParts(err));
  }
}

function errorParts(err: unknown): [Parameters<typeof fail>[0], string] {
  if (err instanceof AppFailure) return [err.error.code, err.error.message];
  if (err instanceof PatternError) return ['invalid-input', err.message];
  if (err instanceof MatchError) return ['invalid-input', `${err.message}.`];
  const e = toAppError(err);
  return [e.code, e.message];
}

/**
/**
 * A poll re-reads a process no rule matched once every this many polls (10 s at the default 2 s)
 * while a window shows processes: how late an exec in place, which keeps the pid, is noticed
 * in an older process. New processes are seen at once, young ones at every poll (YOUNG_MS).
 * Strays are listed at this rotation.
 */
const POLL_ROTATION = 5;

/**
 * The polls' rotation while a window shows processes (the panel shows the rules' entries and
 * the strays count; the process list and sessions scan on their own): each known process that
 * no rule matched is looked at again every minute at the default 2 s. At 5 it read a fifth of
 * every process at every poll, 4 ms of CPU per poll with 1,500 processes, most of an open
 * panel's CPU (issue 16).
 */
const SHOWING_ROTATION = 30;

/**
 * Processes younger than this are read at every poll: a wrapper that execs its program keeps
 * its pid, and does so soon after it starts, so a watch rule sees the program within one poll.
 * (Two or three polls at the default 2 s: a busy machine has many young processes.)
 */
const YOUNG_MS = 5_000;

/**
 * The quiet poll's rotation (no window shows processes; ProcessScanner.quietScan): each known
 * process is looked at again every 5 minutes at the default 2 s, which is when one that ended
 * leaves the table or an exec that kept its pid is seen. New processes and the watched ones are
 * looked at every poll, and a watched one that ends is told at once by the exit watch. (Once a
 * minute, as before, read ~100 processes a poll on a machine with 3,000: four times the new pids
 * a busy machine hands out in 2 s, and most of an idle core's CPU; issue 16.)
 */
const QUIET_ROTATION = 150;

type RuleMatcher = (table: ProcessTable | readonly ProcessInfo[]) => ProcessInfo[];

/** Compiled rule matchers, by what they select (a poll every 2 s compiled each rule anew). */
const ruleMatchers = new Map<string, RuleMatcher>();

/**
 * What a watch rule selects, as pgrep would, less zombies: a zombie has exited and waits only
 * for its parent to read its status, so it neither keeps the entry running nor can be stopped.
 */
/** What a rule selects by, as one string (equal for rules that select the same processes). */
function ruleKey(rule: WatchRule): string {
  return `${rule.full ? 'f' : 'n'}${rule.exact ? 'x' : '-'}${rule.pattern}`;
}

function ruleMatcher(rule: WatchRule): RuleMatcher {
  const key = ruleKey(rule);
  let m = ruleMatchers.get(key);
  if (m === undefined) {
    const match = createMatcher({ pattern: rule.pattern, full: rule.full, exact: rule.exact });
    m = (table) =>
      match(table as ProcessTable | ProcessInfo[]).filter(
        (p) => p.state !== 'Z' && p.state !== 'X',
      );
    if (ruleMatchers.size >= 256) ruleMatchers.clear();
    ruleMatchers.set(key, m);
  }
  return m;
}

/** A zombie (or dead) process: it has exited, and no rule's entry counts it. */
function ended(p: ProcessInfo): boolean {
  return p.state === 'Z' || p.state === 'X';
}

/** What a poll's entries show of the processes the rules matched (ruleEntry), in order. */
function figuresOf(byRule: readonly ProcessInfo[][]): Array<number | string | null> {
  const out: Array<number | string | null> = [];
  for (const m of byRule) for (const p of m) out.push(p.state, p.cpu, p.rss);
  return out;
}

/** Whether the matched processes still show what `figures` recorded (figuresOf), allocating nothing. */
function sameFigures(
  byRule: readonly ProcessInfo[][],
  figures: ReadonlyArray<number | string | null>,
): boolean {
  let i = 0;
  for (const m of byRule)
    for (const p of m)
      if (p.state !== figures[i++] || p.cpu !== figures[i++] || p.rss !== figures[i++])
        return false;
  return i === figures.length;
}

/** The entries of no rule (the same array each poll). */
const NO_ENTRIES: Entry[] = [];

export function ruleEntry(rule: WatchRule, matches: ProcessInfo[]): Entry {
  const running = matches.length > 0;
  const canStart = rule.start !== null;
  const actions: EntryAction[] = running
    ? canStart
      ? ['stop', 'restart']
      : ['stop']
    : canStart
      ? ['start']
      : [];
  const cpu =
    running && matches.some((m) => m.cpu !== null)
      ? Math.round(matches.reduce((s, m) => s + (m.cpu ?? 0), 0) * 10) / 10
      : null;
  return {
    id: `process:${rule.name}`,
    kind: 'process',
    name: rule.name,
    description: running
      ? commandLine(matches[0]!)
      : rule.start !== null
        ? rule.start.join(' ')
        : `matches ${rule.full ? 'command line' : 'name'} /${rule.pattern}/`,
    state: running ? 'running' : 'stopped',
    subState: running
      ? `${matches.length} process${matches.length === 1 ? '' : 'es'}`
      : 'not running',
    autostart: { enabled: false, via: [], state: null },
    pids: matches.map((m) => m.pid),
    cpu,
    memory: running ? matches.reduce((s, m) => s + m.rss, 0) : null,
    since: running ? new Date(Math.min(...matches.map((m) => m.startedAt))).toISOString() : null,
    restarts: 0,
    actions,
  };
}

export class ProcessService {
  readonly scanner: ProcessScanner;
  readonly rules: WatchRuleStore;
  private readonly env: NodeJS.ProcessEnv;
  /** The user whose strays are listed. */
  readonly uid: number;
  private readonly stopTimeoutMs: number;
  private readonly authoring: AdoptAuthoring | null;
  private readonly unitAct: UnitAct | null;
  private readonly onStopping: (pids: number[]) => void;
  private readonly stepHook: StepHook | undefined;
  private readonly control: ProcessControl;
  private readonly files: FileWindow | undefined;
  private readonly undos = new Map<string, AdoptUndoRecord>();
  private readonly undoStore: AdoptUndoStore | null;
  /** The undos this service also kept in undoStore: gone from there, they were undone elsewhere. */
  private readonly kept = new Set<string>();
  private last: ProcessTable | null = null;
  /**
   * What the last poll matched and handed out: the rules (WatchRuleStore.current), the list they
   * were matched against, what each rule matched there, the figures of those processes the
   * entries were made from, and the entries.
   */
  private polled: {
    rules: readonly WatchRule[];
    processes: readonly ProcessInfo[];
    byRule: readonly ProcessInfo[][];
    figures: Array<number | string | null>;
    entries: Entry[];
  } | null = null;
  /** What the rules matched at the last poll: read afresh at the next one. */
  private hot: ReadonlySet<number> = new Set();
  /** False while no window shows processes, sessions or strays: polls are quiet (quietScan). */
  private showing = true;
  private readonly exits: ExitWatch;
  private readonly exitListeners = new Set<() => void>();
  /** Whether a stray ignores SIGHUP, by its reading (one object per process identity). */
  private readonly hup = new WeakMap<ProcessInfo, boolean | null>();
  /** A stray's working directory, by its reading. */
  private readonly strayCwd = new WeakMap<ProcessInfo, string | null>();

  constructor(opts: ProcessServiceOptions) {
    this.scanner = opts.scanner ?? new ProcessScanner();
    this.rules = opts.rules;
    this.env = opts.env ?? process.env;
    this.uid = opts.uid ?? process.getuid?.() ?? 0;
    this.stopTimeoutMs = opts.stopTimeoutMs ?? 5000;
    this.authoring = opts.authoring ?? null;
    this.unitAct = opts.unitAct ?? null;
    this.onStopping = opts.onStopping ?? (() => undefined);
    this.stepHook = opts.stepHook;
    this.control = opts.control ?? localControl(this.scanner, this.env);
    this.undoStore = opts.undoStore ?? null;
    this.files = opts.files;
    this.exits = (opts.exitWatch ?? createExitWatch)(() => {
      for (const l of this.exitListeners) l();
    });
  }

  /** Called when a process a watch rule matched has ended (poll again to see it). */
  onWatchedExit(listener: () => void): () => void {
    this.exitListeners.add(listener);
    return () => this.exitListeners.delete(listener);
  }

  /** Whether any window shows processes, sessions or strays: the full poll, or the quiet one. */
  setShowing(showing: boolean): void {
    this.showing = showing;
  }

  /** True while watched exits are told at once (the pidfd helper runs). */
  get exitWatchLive(): boolean {
    return this.exits.live;
  }

  /** Stop watching for exits (the helper ends). */
  close(): void {
    this.exits.close();
  }

  /** A fresh scan (also kept as the latest, for entries()). */
  scan(): ProcessTable {
    this.last = this.scanner.scan();
    return this.last;
  }

  /**
   * The watch rules' entries for a poll, from a partial scan (ProcessScanner.scan): what a rule
   * matched last time is read afresh, new and vanished processes are found as always, and the
   * rest is re-read in rotation, each every POLL_ROTATION polls. With no rule, nothing is read.
   */
  pollEntries(): Entry[] {
    const rules = this.rules.current();
    if (rules.length === 0) {
      if (this.polled !== null || this.hot.size > 0) {
        this.polled = null;
        this.hot = new Set();
        this.exits.watch(new Map());
      }
      return NO_ENTRIES;
    }
    // The rules' entries need no listing of /proc (ProcessScanner.quietScan), only the new pids,
    // the watched ones and a slice of the rest: the listing, the new list of every process and
    // the rules matched over all of it cost most of an open panel's CPU (issue 16). A window
    // showing processes reads the rest five times as often (exec in place, CPU and memory).
    const table = (this.last = this.scanner.quietScan({
      hot: this.hot,
      rotation: this.rotation(),
      youngMs: YOUNG_MS,
    }));
    const before = this.polled;
    // A pass that found no process new, gone or exec'd hands out the same list: with the same
    // rules, each matches what it matched (re-read in place: only a state may have moved to
    // zombie, which the match drops, or CPU and memory). When none of those moved either, the
    // entries are those of the last poll, the same array: its source then has nothing to do, as
    // on most polls of a quiet machine, whose wakeups are most of an idle core's CPU (issue 16).
    const same = before !== null && before.rules === rules && before.processes === table.processes;
    if (same && sameFigures(before.byRule, before.figures)) return before.entries;
    const byRule = rules.map((rule, i) => {
      const m = same ? before.byRule[i]! : undefined;
      return m === undefined
        ? ruleMatcher(rule)(table)
        : m.some(ended)
          ? m.filter((p) => !ended(p))
          : m;
    });
    const watched = new Map<number, number>();
    for (const m of byRule) for (const p of m) watched.set(p.pid, p.starttime);
    this.hot = new Set(watched.keys());
    this.exits.watch(watched);
    const entries = rules.map((rule, i) => ruleEntry(rule, byRule[i]!));
    this.polled = {
      rules,
      processes: table.processes,
      byRule,
      figures: figuresOf(byRule),
      entries,
    };
    return entries;
  }

  /** How often a poll reads again a process no rule matched (every this many polls). */
  private rotation(): number {
    return this.showing ? SHOWING_ROTATION : QUIET_ROTATION;
  }

  /** The latest full table (a poll's partial one lacks cgroups and may be seconds behind). */
  latest(): ProcessTable {
    return this.last !== null && !this.last.partial ? this.last : this.scan();
  }

  /**
   * The latest table, a poll's partial one included, if at most `maxAgeMs` old, else a fresh
   * scan: for callers that only match command lines.
   */
  recent(maxAgeMs: number): ProcessTable {
    const last = this.last;
    if (last !== null && Date.now() - last.at <= maxAgeMs && last.quiet !== true) return last;
    // A poll's table may still hold processes that ended: one listing makes it exact, and
    // the rest is as fresh as the polls keep it.
    if (last !== null)
      return (this.last = this.scanner.scan({
        hot: this.hot,
        rotation: this.rotation(),
        youngMs: YOUNG_MS,
      }));
    // A pass reading every process (rotation 1) but no cgroup: command lines are all this
    // caller matches, and cgroups are a quarter of a cold scan (the CLI's `list`).
    return (this.last = this.scanner.scan({ hot: this.hot, rotation: 1 }));
  }

  /** Processes selected as pgrep would; null selects every process. */
  list(query: ProcessQuery | null): ProcessRow[] {
    const table = this.scan();
    if (query === null) return table.processes.map(toRow);
    const match = createMatcher(queryToMatch(query), {
      euid: (p) => this.scanner.statusUids(p.pid)?.[1] ?? null,
    });
    return match(table).map(toRow);
  }

  signal(pid: number, starttime: number | null, signal: string): void {
    signalProcess(this.scanner, pid, starttime, signal);
  }

  async stop(
    pids: number[],
    timeoutMs: number | null = null,
    onStep?: (s: StopStep) => void,
  ): Promise<StopReport> {
    const table = this.scan();
    // A list shown a moment ago may name a process that has exited since (a shell's short-lived
    // child, caught between fork and exec): it needs no stopping. Only when none runs is that an error.
    const targets = pids.flatMap((pid) => {
      const p = table.byPid.get(pid);
      return p === undefined ? [] : [{ pid, starttime: p.starttime }];
    });
    if (targets.length === 0)
      throw new AppFailure(
        appError(
          'conflict',
          pids.length === 1
            ? t('errors:processes.notRunning', { pid: pids[0] })
            : t('errors:processes.noneRunning', { pids: pids.join(', ') }),
        ),
      );
    this.onStopping(targets.map((t) => t.pid));
    return stopProcesses(this.control.signals, targets, {
      timeoutMs: timeoutMs ?? this.stopTimeoutMs,
      ...(onStep ? { onStep } : {}),
    });
  }

  run(
    argv: string[],
    opts: { cwd?: string | null; log?: string | null; name?: string | null } = {},
  ): Promise<LaunchResult> {
    return launchDetached(this.scanner, { argv, env: this.env, ...opts });
  }

  /** One process with its cwd and, when it is a stray, how it was most likely started. */
  detail(pid: number): ProcessDetail {
    const strays = this.strays();
    const p = this.latest().byPid.get(pid);
    // A zombie has exited; only its parent has not read its status yet.
    if (p === undefined || p.state === 'Z' || p.state === 'X')
      throw new AppFailure(appError('no-such-unit', t('errors:processes.notRunning', { pid })));
    return {
      process: toRow(p),
      cwd: this.scanner.cwd(pid),
      stray: strays.find((s) => s.pid === pid && s.starttime === p.starttime) ?? null,
    };
  }

  /** Where a rule's started command writes: its log file, else launch's default; null without either. */
  ruleLogPath(rule: WatchRule): string | null {
    if (rule.log !== null) return rule.log;
    return rule.start !== null ? defaultLogPath(this.env, rule.name) : null;
  }

  /** The last lines of a rule's log file, or those after a `file:OFFSET` cursor. */
  async watchLogs(name: string, opts: LogQuery = {}): Promise<LogsResult> {
    const rule = this.rules.get(name);
    if (rule === null)
      throw new AppFailure(appError('no-such-unit', t('errors:processes.noRule', { name })));
    const path = this.ruleLogPath(rule);
    if (path === null)
      return {
        source: 'file',
        path: null,
        lines: [],
        emptyReason: t('errors:processes.ruleNoLog', { name }),
      };
    const lines = await tailFile(path, opts.lines ?? 200, opts.afterCursor, opts, this.files);
    return {
      source: 'file',
      path,
      lines: lines ?? [],
      filterNote: fileFilterNote(opts),
      emptyReason:
        lines === null
          ? t('errors:processes.ruleLogNotYet', { path })
          : lines.length === 0 && opts.afterCursor === undefined
            ? t('errors:processes.ruleLogEmpty', { path })
            : null,
    };
  }

  /**
   * The strays, from a listing of /proc (every process that ended is gone, every new one is
   * there with its cgroup) whose other processes are as fresh as the polls keep them: the open
   * panel counts them every 15 s, and a full scan with a read of every stray's status cost
   * more than all its polls (issue 16). Whether a process ignores SIGHUP, and its working
   * directory, are read once per process (its identity: pid, start time, exec) once it is
   * YOUNG_MS old: nohup sets the first before the exec, a daemon its cwd as it starts, and
   * that reading is what tells how and where it was started. (The detail's and Adopt's cwd are
   * read afresh.)
   */
  strays(): Stray[] {
    const table = this.strayTable(POLL_ROTATION);
    const watched = new Set(this.ruleMatches(table).flatMap(([, m]) => m.map((p) => p.pid)));
    // Read once a process is past its first moments (a daemon's chdir, its own signal setup).
    const settled = <T>(cache: WeakMap<ProcessInfo, T>, pid: number, read: () => T): T => {
      const p = table.byPid.get(pid);
      if (p === undefined || table.at - p.startedAt < YOUNG_MS) return read();
      if (!cache.has(p)) cache.set(p, read());
      return cache.get(p)!;
    };
    return findStrays(table, this.uid, {
      cwd: (pid) => settled(this.strayCwd, pid, () => this.scanner.cwd(pid)),
      ignoresHup: (pid) => settled(this.hup, pid, () => ignoresHup(pid)),
    }).filter((s) => !watched.has(s.pid));
  }

  /**
   * How many strays there are, less those whose command line is in `ignored`: the open panel's
   * footer, every 15 s. The listing of /proc that strays() makes (every process that ended is
   * gone, every new one read with its cgroup), but the rest re-read at the polls' slower
   * rotation, no stray's cwd or signals read, the rules matched over the strays only, and a
   * number to copy to the window rather than every stray (issue 16: the panel's count was a
   * tenth of an open panel's CPU).
   */
  strayCount(ignored: readonly string[] = []): number {
    const table = this.strayTable(this.rotation());
    const skip = new Set(ignored);
    const candidates = table.processes.filter(
      (p) => isStray(p, table, this.uid) && !skip.has(commandLine(p)),
    );
    const watched = new Set<number>();
    for (const rule of this.rules.list())
      for (const p of ruleMatcher(rule)(candidates)) watched.add(p.pid);
    return candidates.length - watched.size;
  }

  /**
   * The table strays are found in (kept as the latest): a listing of /proc with every new
   * process's cgroup, the rest re-read each `rotation` passes.
   */
  private strayTable(rotation: number): ProcessTable {
    return (this.last = this.scanner.scan({
      hot: this.hot,
      rotation,
      youngMs: YOUNG_MS,
      cgroups: true,
    }));
  }

  ruleMatches(table: ProcessTable): Array<[WatchRule, ProcessInfo[]]> {
    return this.rules.list().map((rule) => [rule, ruleMatcher(rule)(table)]);
  }

  /** One entry per watch rule, from the latest scan. */
  entries(table = this.latest()): Entry[] {
    return this.ruleMatches(table).map(([rule, matches]) => ruleEntry(rule, matches));
  }

  async act(id: string, action: EntryAction): Promise<Result<ActionOutcome>> {
    const name = id.startsWith('process:') ? id.slice('process:'.length) : id;
    const rule = this.rules.get(name);
    if (rule === null) return fail('no-such-unit', t('errors:processes.noRule', { name }));
    const matches = ruleMatcher(rule)(this.scan());
    const outcome = (): ActionOutcome => ({
      id: `process:${rule.name}`,
      action,
      result: 'ok',
      entry: ruleEntry(rule, ruleMatcher(rule)(this.scan())),
    });
    return asResultAsync(async () => {
      switch (action) {
        case 'start':
          if (matches.length > 0) return outcome();
          await this.startRule(rule);
          return outcome();
        case 'stop':
          if (matches.length > 0) await this.stop(matches.map((m) => m.pid));
          return outcome();
        case 'restart':
          if (matches.length > 0) await this.stop(matches.map((m) => m.pid));
          await this.startRule(rule);
          return outcome();
        default:
          throw new AppFailure(
            appError('unsupported', t('errors:processes.notAtLogin', { action })),
          );
      }
    });
  }

  private async startRule(rule: WatchRule): Promise<LaunchResult> {
    if (rule.start === null)
      throw new AppFailure(
        appError('unsupported', t('errors:processes.noStart', { name: rule.name })),
      );
    return this.run(rule.start, { cwd: rule.cwd, log: rule.log, name: rule.name });
  }

  // --- Adopt -------------------------------------------------------------------------------

  private adoptForm(
    p: ProcessInfo,
    exe: string | null,
    name: string,
    cwd: string | null,
    env: Array<{ name: string; value: string }>,
    enable: boolean,
    restart = true,
  ): ServiceForm {
    return {
      name,
      description: `Adopted by Daemon Deck: ${commandLine(p)}`.slice(0, 200),
      argv: adoptArgv(p, exe),
      workingDirectory: cwd,
      environment: env,
      restart: restart ? 'on-failure' : 'no',
      restartSec: null,
      startAtLogin: enable,
      afterNetwork: false,
      socket: null,
    };
  }

  /**
   * What Adopt would write, for the preview. With `check` (a --dry-run), also every check the
   * real Adopt's create makes: the name already taken, systemd's verify.
   */
  async adoptPreview(
    pid: number,
    name: string,
    keep: string[],
    enable = false,
    restart = true,
    check = false,
  ): Promise<AdoptPreview> {
    return (await this.prepareAdopt(pid, name, keep, enable, restart, check)).preview;
  }

  /** The preview, the process it was made from and the unit's form. */
  private async prepareAdopt(
    pid: number,
    name: string,
    keep: string[],
    enable: boolean,
    restart: boolean,
    check: boolean,
  ): Promise<{ preview: AdoptPreview; p: ProcessInfo; form: ServiceForm }> {
    const p = this.scan().byPid.get(pid);
    // Before "not running": the scan leaves out this process itself, as pgrep does.
    const refused = this.control.refuse(pid);
    if (refused !== null)
      throw new AppFailure(
        appError('access-denied', t('errors:processes.cannotAdopt', { pid, reason: refused })),
      );
    if (p === undefined)
      throw new AppFailure(appError('conflict', t('errors:processes.notRunning', { pid })));
    if (p.argv.length === 0)
      throw new AppFailure(appError('unsupported', t('errors:processes.noCommandLine', { pid })));
    if (p.unit !== null && p.unit.endsWith('.service'))
      throw new AppFailure(
        appError('conflict', t('errors:processes.alreadyUnit', { pid, unit: p.unit })),
      );
    const look = await this.control.look(pid, p.starttime);
    const cwd = look.cwd;
    const environ = look.environ ?? {};
    const environment = Object.entries(environ)
      .map(([k, v]) => ({ name: k, value: v }))
      .sort((a, b) => a.name.localeCompare(b.name));
    const missing = keep.filter((k) => !(k in environ));
    if (missing.length > 0)
      throw new AppFailure(
        appError(
          'invalid-input',
          t('errors:processes.noVariable', { pid, names: missing.join(', ') }),
        ),
      );
    const picked = environment.filter((e) => keep.includes(e.name));
    const unit = name.endsWith('.service') ? name : `${name}.service`;
    if (this.authoring === null)
      throw new AppFailure(appError('unsupported', t('errors:processes.noAuthoring')));
    const form = this.adoptForm(p, look.exe, name, cwd, picked, enable, restart);
    const preview = check
      ? await this.authoring.checkCreate(form, { enable, start: true })
      : await this.authoring.preview(form);
    if (!preview.ok) throw new AppFailure(preview.error);
    return {
      p,
      form,
      preview: {
        pid,
        starttime: p.starttime,
        unit,
        argv: p.argv,
        cwd,
        environment,
        unitText: preview.value.files[0]?.text ?? null,
        issues: preview.value.issues,
      },
    };
  }

  /**
   * Stop the process and run its command as a user unit instead. `onStep` follows the stop;
   * `onPhase` says where the whole Adopt is (write, stop, start, rollback).
   */
  async adopt(
    req: AdoptRequest,
    onStep?: (s: StopStep) => void,
    onPhase?: (phase: AdoptPhase, step: StopStep | null) => void,
  ): Promise<AdoptOutcome> {
    const authoring = this.authoring;
    const act = this.unitAct;
    if (authoring === null || act === null)
      throw new AppFailure(appError('unsupported', t('errors:processes.noAuthoringSystemd')));
    const restart = req.restart ?? true;
    const { preview, p, form } = await this.prepareAdopt(
      req.pid,
      req.name,
      req.environment,
      req.enable,
      restart,
      false,
    );
    if (req.starttime !== null && preview.starttime !== req.starttime)
      throw new AppFailure(
        appError('conflict', t('errors:processes.notPreviewed', { pid: req.pid })),
      );
    if (preview.issues.length > 0)
      throw new AppFailure(
        appError('invalid-input', preview.issues.map((i) => i.message).join(' ')),
      );
    // One transaction: write (and, when asked, enable) the unit, not started; stop the process;
    // start the unit. A failure at any step undoes the ones before it: the unit is removed
    // (stopped and disabled first) and a stopped command is started again as before.
    const id = `systemd:${preview.unit}`;
    let authoringToken = '';
    let stop: StopReport | null = null;
    let rolledBack = false;
    const rollback = () => {
      if (!rolledBack) onPhase?.('rollback', null);
      rolledBack = true;
    };
    await runTransaction(
      t('errors:transaction.adopting', { pid: p.pid, unit: preview.unit }),
      [
        {
          name: t('errors:transaction.step.create', { unit: preview.unit }),
          run: async () => {
            onPhase?.('write', null);
            const created = await authoring.create(form, { enable: req.enable, start: false });
            if (!created.ok) throw new AppFailure(created.error);
            authoringToken = created.value.undo.id;
          },
          undo: async () => {
            rollback();
            const undone = await authoring.undo(authoringToken);
            if (!undone.ok) throw new AppFailure(undone.error);
          },
        },
        {
          name: t('errors:transaction.step.stopProcess', { pid: p.pid }),
          run: async () => {
            onPhase?.('stop', null);
            this.onStopping([p.pid]);
            stop = await stopProcesses(
              this.control.signals,
              [{ pid: p.pid, starttime: p.starttime }],
              {
                timeoutMs: this.stopTimeoutMs,
                onStep: (s) => {
                  onStep?.(s);
                  onPhase?.('stop', s);
                },
              },
            );
          },
          undo: async () => {
            rollback();
            // The old process is gone: start the command again as it was.
            const again = await this.control.launch(p.argv, { cwd: preview.cwd, name: req.name });
            return t('errors:transaction.startedAgain', { pid: again.pid });
          },
        },
        {
          name: t('errors:transaction.step.start', { unit: preview.unit }),
          run: async () => {
            onPhase?.('start', null);
            const started = await act(id, 'start');
            if (!started.ok) throw new AppFailure(started.error);
            const after = started.value.entry?.state;
            if (after === 'failed' || after === 'stopped')
              throw new AppFailure(
                appError(
                  'conflict',
                  t('errors:transaction.notRunningAfterStart', {
                    unit: preview.unit,
                    state: after,
                  }),
                ),
              );
          },
        },
      ],
      this.stepHook,
    );
    const enabled = req.enable;
    const token = `adopt-${preview.unit}-${Date.now().toString(36)}`;
    const record: AdoptUndoRecord = {
      token,
      unit: preview.unit,
      authoringToken,
      argv: p.argv,
      cwd: preview.cwd,
      enabled,
      at: new Date().toISOString(),
    };
    this.undos.set(token, record);
    // The Adopt is done: a record that could not be kept elsewhere leaves this service's Undo.
    if (this.undoStore !== null)
      await this.undoStore.put(record).then(
        () => this.kept.add(token),
        () => undefined,
      );
    return { unit: preview.unit, stop: stop!, enabled, undoToken: token };
  }

  /** Undo an Adopt: stop (and disable) the unit, remove its file, start the command as before. */
  async adoptUndo(token: string): Promise<void> {
    const kept = (await this.undoStore?.get(token)) ?? null;
    // Kept, and gone from the store: undone (or dismissed) by another process, the CLI's
    // `adopt --undo NAME`; its unit and backups are gone, so nothing is left to undo here.
    if (kept === null && this.kept.has(token)) this.undos.delete(token);
    const u = this.undos.get(token) ?? kept ?? undefined;
    if (u === undefined) throw new AppFailure(appError('conflict', t('errors:processes.undoGone')));
    const act = this.unitAct;
    if (act === null || this.authoring === null)
      throw new AppFailure(appError('unsupported', t('errors:processes.noAuthoringSystemd')));
    const id = `systemd:${u.unit}`;
    if (u.enabled) {
      const r = await act(id, 'disable');
      if (!r.ok) throw new AppFailure(r.error);
    }
    const stopped = await act(id, 'stop');
    if (!stopped.ok) throw new AppFailure(stopped.error);
    const removed = await this.authoring.undo(u.authoringToken);
    if (!removed.ok) throw new AppFailure(removed.error);
    await this.forget(token);
    await this.control.launch(u.argv, { cwd: u.cwd, name: u.unit.replace(/\.service$/, '') });
  }

  /**
   * Undo the last Adopt as `name` (NAME or NAME.service) that can still be undone, made by this
   * service or kept in its undo store by another process (the CLI's `adopt --undo NAME`).
   */
  async adoptUndoLast(name: string): Promise<AdoptUndoRecord> {
    const unit = name.endsWith('.service') ? name : `${name}.service`;
    const here = [...this.undos.values()].filter((r) => r.unit === unit).at(-1) ?? null;
    const kept = (await this.undoStore?.latest(unit)) ?? null;
    const last = here !== null && (kept === null || here.at >= kept.at) ? here : kept;
    if (last === null)
      throw new AppFailure(appError('conflict', t('adopt:undo.nothingFor', { unit })));
    await this.adoptUndo(last.token);
    return last;
  }

  /** Forget an undo (the user dismissed it). */
  dismissUndo(token: string): void {
    void this.forget(token);
  }

  private async forget(token: string): Promise<void> {
    this.undos.delete(token);
    this.kept.delete(token);
    // Kept elsewhere too: dropped there; a record left behind finds its backups gone, in words.
    await this.undoStore?.remove(token).catch(() => undefined);
  }
}

/** The process's executable (/proc/PID/exe), or null when unreadable or deleted. */
export function readExe(pid: number): string | null {
  try {
    const exe = readlinkSync(`/proc/${pid}/exe`);
    return exe.startsWith('/') && !exe.endsWith(' (deleted)') ? exe : null;
  } catch {
    return null;
  }
}

/**
 * The unit's argv for an adopted process, so that systemd runs the same program with exactly the
 * same argv: the argv itself when argv[0] is the executable's path, else "@EXE" followed by the
 * original argv (the ExecStart "@" prefix: SEPARATE_ARGV0 in unit-file.ts). Without a readable
 * executable, the argv as it is (authoring resolves a bare name on PATH).
 */
export function adoptArgv(p: Pick<ProcessInfo, 'argv'>, exe: string | null): string[] {
  const [prog] = p.argv;
  if (prog === undefined || exe === null || prog === exe) return p.argv;
  return [`${SEPARATE_ARGV0}${exe}`, ...p.argv];
}

/** Does the process ignore SIGHUP (as nohup leaves it)? null when it cannot be read. */
export function ignoresHup(pid: number): boolean | null {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'latin1');
    const m = /^SigIgn:\s*([0-9a-f]+)/m.exec(text);
    if (!m) return null;
    return (BigInt(`0x${m[1]}`) & 1n) === 1n;
  } catch {
    return null;
  }
}
