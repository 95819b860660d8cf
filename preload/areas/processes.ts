// The processes area of the IPC contract (issue 4: processes, watch rules, sessions, strays, adopt).
// Channels, payload/result types and the named API methods for this area; contract.ts and
// api.ts compose every area into InvokeMap, INVOKE_CHANNELS and DaemonDeckApi.
import type { Transport } from '../api.js';
import type { Result } from '../contract.js';
import type { LogsResult } from './authoring.js';

/** One process as the process view shows it. Identity is (pid, starttime). */
export interface ProcessRow {
  pid: number;
  /** Start time in clock ticks after boot; pass it back with signals so a reused pid is refused. */
  starttime: number;
  ppid: number;
  uid: number;
  /** The kernel's name (at most 15 characters). */
  name: string;
  argv: string[];
  /** argv joined by spaces, or `[name]` for kernel threads. */
  command: string;
  /** R running, S sleeping, D disk wait, Z zombie, T stopped... */
  state: string;
  tty: string | null;
  session: number;
  pgid: number;
  /** Live CPU in percent of one core, null on the first sample. */
  cpu: number | null;
  /** Resident memory in bytes. */
  memory: number;
  /** ISO 8601 start time. */
  startedAt: string;
  elapsedMs: number;
  /** The systemd unit whose cgroup holds it, e.g. `web.service`, or null. */
  unit: string | null;
}

/** pgrep's selection options: `ps [PATTERN] [-f] [-x] [-u USER] [-P PPID] [-n|-o]`. */
export interface ProcessQuery {
  /** A POSIX extended regular expression (glibc's dialect), or null for "any". */
  pattern: string | null;
  /** -f: match the full command line instead of the process name. */
  full: boolean;
  /** -x: the whole name (or command line) must match. */
  exact: boolean;
  /** -u: user names or uids. */
  users: string[];
  /** -P: parent pids. */
  parents: number[];
  /** -n / -o: only the newest or oldest match. */
  pick: 'all' | 'newest' | 'oldest';
}

/** A watch rule kept in settings: a pgrep-style pattern and, optionally, how to start it. */
export interface WatchRule {
  /** Unique; the entry id is `process:NAME`. Letters, digits, `.`, `_`, `-`, `@`, at most 64. */
  name: string;
  pattern: string;
  full: boolean;
  exact: boolean;
  /** The start command as an argument vector (never run through a shell), or null. */
  start: string[] | null;
  /** Working directory for the start command (absolute), or null for the home directory. */
  cwd: string | null;
  /** Where the started command's stdout and stderr are appended (absolute), or null. */
  log: string | null;
}

/** A launch that went through: the detached process's identity and where its output goes. */
export interface LaunchResult {
  pid: number;
  starttime: number;
  argv: string[];
  cwd: string;
  log: string;
}

export type StopPhase = 'term-sent' | 'waiting' | 'kill-sent' | 'exited' | 'gone';

/** One step of a stop, as it happened. */
export interface StopStep {
  phase: StopPhase;
  /** Milliseconds since the stop began. */
  atMs: number;
  /** PIDs still alive after this step. */
  remaining: number[];
}

/** One step of a stop, pushed live on 'processes:stop-progress' while the stop runs. */
export interface StopProgress {
  /** The id the caller gave the stop (each window picks out its own). */
  opId: string;
  pids: number[];
  step: StopStep;
}

export interface StopReport {
  pids: number[];
  /** True when TERM was not enough and KILL was sent. */
  escalated: boolean;
  steps: StopStep[];
}

/** How a stray was most likely started, from its session, parent and terminal. */
export type StrayOrigin = 'nohup' | 'background-job' | 'setsid' | 'daemon' | 'orphan';

/** A background process of the user that no unit manages and no terminal holds. */
export interface Stray {
  pid: number;
  starttime: number;
  argv: string[];
  command: string;
  cwd: string | null;
  startedAt: string;
  origin: StrayOrigin;
  /** The origin in the user's words, e.g. "started with setsid (its own session)". */
  originText: string;
  memory: number;
  cpu: number | null;
}

export type SessionKind = 'tmux' | 'screen';

export interface SessionInfo {
  /** `session:tmux:NAME` or `session:screen:NAME`. */
  id: string;
  kind: SessionKind;
  name: string;
  windows: number;
  attached: boolean;
  /** ISO 8601, null when the tool does not say. */
  createdAt: string | null;
  /** What runs in it: the current command of each pane or window, as the tool reports it. */
  commands: string[];
  /** PIDs of the processes in the session (the panes' or the screen's), when known. */
  pids: number[];
}

/** The command that attaches a terminal to a session, as argv and as one copyable line. */
export interface AttachCommand {
  argv: string[];
  text: string;
}

/** What Adopt would do, shown before anything changes. */
export interface AdoptPreview {
  pid: number;
  starttime: number;
  unit: string;
  argv: string[];
  cwd: string | null;
  /** The process's environment, for the user to pick the variables the unit keeps. */
  environment: Array<{ name: string; value: string }>;
  /** The unit file that would be written, or null when the authoring service reports issues. */
  unitText: string | null;
  issues: Array<{ field: string; message: string }>;
}

export interface AdoptOutcome {
  unit: string;
  /** The stop that ended the old process. */
  stop: StopReport;
  enabled: boolean;
  /** Undo: stop and remove the unit, then start the command again, detached, in its old cwd. */
  undoToken: string | null;
}

export interface AdoptRequest {
  pid: number;
  /** Guards against a reused pid: the starttime the preview showed. */
  starttime: number | null;
  name: string;
  /** Names of the environment variables to keep. */
  environment: string[];
  enable: boolean;
  /** Restart=on-failure when true or absent, Restart=no when false. */
  restart?: boolean;
  /** Progress of this Adopt is pushed on 'processes:adopt-progress' under this id. */
  opId?: string | null;
}

/**
 * Where an Adopt is: `write` (unit file written, and enabled when asked), `stop` (the old process
 * is being stopped; `step` says how far), `start` (the unit is starting), `rollback` (something
 * failed after the process was stopped: the unit is removed and the command started again).
 */
export type AdoptPhase = 'write' | 'stop' | 'start' | 'rollback';

export interface AdoptProgress {
  opId: string;
  pid: number;
  unit: string;
  phase: AdoptPhase;
  /** The stop's own step, during `stop`. */
  step: StopStep | null;
}

/** Everything the detail window shows for one process (a stray or any pid). */
export interface ProcessDetail {
  process: ProcessRow;
  cwd: string | null;
  /** Set when the process is a stray: how it was most likely started. */
  stray: Stray | null;
}

export interface ProcessesInvokeMap {
  'processes:list': [payload: { query: ProcessQuery | null }, result: Result<ProcessRow[]>];
  'processes:signal': [
    payload: { pid: number; starttime: number | null; signal: string },
    result: Result<null>,
  ];
  'processes:stop': [
    payload: { pids: number[]; timeoutMs: number | null; opId?: string | null },
    result: Result<StopReport>,
  ];
  'processes:detail': [payload: { pid: number }, result: Result<ProcessDetail>];
  'processes:run': [
    payload: { argv: string[]; cwd: string | null; log: string | null; name: string | null },
    result: Result<LaunchResult>,
  ];
  'processes:watch-list': [payload: null, result: Result<WatchRule[]>];
  'processes:watch-add': [payload: { rule: WatchRule }, result: Result<WatchRule>];
  /** Returns the removed rule: adding it back is the undo. */
  'processes:watch-remove': [payload: { name: string }, result: Result<WatchRule>];
  'processes:strays': [payload: null, result: Result<Stray[]>];
  'processes:adopt-preview': [
    payload: {
      pid: number;
      name: string;
      environment: string[];
      enable?: boolean;
      restart?: boolean;
    },
    result: Result<AdoptPreview>,
  ];
  'processes:adopt': [payload: AdoptRequest, result: Result<AdoptOutcome>];
  'processes:adopt-undo': [payload: { token: string }, result: Result<null>];
  /** The user dismissed the outcome: its Undo is forgotten. */
  'processes:adopt-dismiss': [payload: { token: string }, result: Result<null>];
  /** The log file of a watch rule (its --log, or where its start command writes by default). */
  'processes:watch-logs': [
    payload: { name: string; lines?: number; afterCursor?: string },
    result: Result<LogsResult>,
  ];
  'sessions:list': [payload: null, result: Result<SessionInfo[]>];
  'sessions:kill': [payload: { kind: SessionKind; name: string }, result: Result<null>];
  'sessions:new': [
    payload: { kind: SessionKind; name: string; argv: string[]; cwd: string | null },
    result: Result<SessionInfo>,
  ];
  'sessions:attach-command': [
    payload: { kind: SessionKind; name: string },
    result: Result<AttachCommand>,
  ];
}

export const PROCESSES_CHANNELS = [
  'processes:list',
  'processes:signal',
  'processes:stop',
  'processes:detail',
  'processes:run',
  'processes:watch-list',
  'processes:watch-add',
  'processes:watch-remove',
  'processes:strays',
  'processes:adopt-preview',
  'processes:adopt',
  'processes:adopt-undo',
  'processes:adopt-dismiss',
  'processes:watch-logs',
  'sessions:list',
  'sessions:kill',
  'sessions:new',
  'sessions:attach-command',
] as const satisfies readonly (keyof ProcessesInvokeMap)[];

/** Event channels of this area, main -> renderer. */
export interface ProcessesEventMap {
  'processes:stop-progress': StopProgress;
  'processes:adopt-progress': AdoptProgress;
}

export const PROCESSES_EVENT_CHANNELS = [
  'processes:stop-progress',
  'processes:adopt-progress',
] as const satisfies readonly (keyof ProcessesEventMap)[];

export interface ProcessesApi {
  /** Processes selected as `pgrep` would (null: every process). */
  listProcesses(query: ProcessQuery | null): Promise<Result<ProcessRow[]>>;
  /** Send a signal by name (`TERM`, `SIGHUP`) or number; refused when starttime no longer matches. */
  signalProcess(pid: number, starttime: number | null, signal: string): Promise<Result<null>>;
  /** TERM, wait up to timeoutMs (default 5000), then KILL; steps go to onStopProgress under opId. */
  stopProcesses(
    pids: number[],
    timeoutMs?: number | null,
    opId?: string | null,
  ): Promise<Result<StopReport>>;
  onStopProgress(listener: (progress: StopProgress) => void): () => void;
  /** One process: its row, cwd and, for a stray, how it was started. */
  getProcess(pid: number): Promise<Result<ProcessDetail>>;
  /** "Run in background": detached like nohup + setsid, output appended to the log file. */
  runInBackground(
    argv: string[],
    opts?: { cwd?: string | null; log?: string | null; name?: string | null },
  ): Promise<Result<LaunchResult>>;
  listWatchRules(): Promise<Result<WatchRule[]>>;
  addWatchRule(rule: WatchRule): Promise<Result<WatchRule>>;
  removeWatchRule(name: string): Promise<Result<WatchRule>>;
  listStrays(): Promise<Result<Stray[]>>;
  previewAdopt(
    pid: number,
    name: string,
    environment: string[],
    opts?: { enable?: boolean; restart?: boolean },
  ): Promise<Result<AdoptPreview>>;
  adopt(request: AdoptRequest): Promise<Result<AdoptOutcome>>;
  onAdoptProgress(listener: (progress: AdoptProgress) => void): () => void;
  undoAdopt(token: string): Promise<Result<null>>;
  dismissAdopt(token: string): Promise<Result<null>>;
  getWatchLogs(
    name: string,
    opts?: { lines?: number; afterCursor?: string },
  ): Promise<Result<LogsResult>>;
  listSessions(): Promise<Result<SessionInfo[]>>;
  killSession(kind: SessionKind, name: string): Promise<Result<null>>;
  newSession(
    kind: SessionKind,
    name: string,
    argv: string[],
    cwd?: string | null,
  ): Promise<Result<SessionInfo>>;
  attachCommand(kind: SessionKind, name: string): Promise<Result<AttachCommand>>;
}

export function createProcessesApi(transport: Transport): ProcessesApi {
  return {
    listProcesses: (query) => transport.invoke('processes:list', { query }),
    signalProcess: (pid, starttime, signal) =>
      transport.invoke('processes:signal', { pid, starttime, signal }),
    stopProcesses: (pids, timeoutMs, opId) =>
      transport.invoke('processes:stop', {
        pids,
        timeoutMs: timeoutMs ?? null,
        ...(opId != null ? { opId } : {}),
      }),
    onStopProgress: (listener) => transport.subscribe('processes:stop-progress', listener),
    getProcess: (pid) => transport.invoke('processes:detail', { pid }),
    runInBackground: (argv, opts = {}) =>
      transport.invoke('processes:run', {
        argv,
        cwd: opts.cwd ?? null,
        log: opts.log ?? null,
        name: opts.name ?? null,
      }),
    listWatchRules: () => transport.invoke('processes:watch-list', null),
    addWatchRule: (rule) => transport.invoke('processes:watch-add', { rule }),
    removeWatchRule: (name) => transport.invoke('processes:watch-remove', { name }),
    listStrays: () => transport.invoke('processes:strays', null),
    previewAdopt: (pid, name, environment, opts = {}) =>
      transport.invoke('processes:adopt-preview', { pid, name, environment, ...opts }),
    adopt: (request) => transport.invoke('processes:adopt', request),
    onAdoptProgress: (listener) => transport.subscribe('processes:adopt-progress', listener),
    undoAdopt: (token) => transport.invoke('processes:adopt-undo', { token }),
    dismissAdopt: (token) => transport.invoke('processes:adopt-dismiss', { token }),
    getWatchLogs: (name, opts = {}) => transport.invoke('processes:watch-logs', { name, ...opts }),
    listSessions: () => transport.invoke('sessions:list', null),
    killSession: (kind, name) => transport.invoke('sessions:kill', { kind, name }),
    newSession: (kind, name, argv, cwd) =>
      transport.invoke('sessions:new', { kind, name, argv, cwd: cwd ?? null }),
    attachCommand: (kind, name) => transport.invoke('sessions:attach-command', { kind, name }),
  };
}
