// The processes area of the IPC contract: its channels, what each takes and answers, and the
// named API methods; contract/ipc.ts composes every area into InvokeMap and DaemonDeckApi.
import type { Result } from '../../main/core/model/domain.js';
import type {
  ProcessRow,
  ProcessQuery,
  WatchRule,
  LaunchResult,
  StopProgress,
  StopReport,
  Stray,
  SessionKind,
  SessionInfo,
  AttachCommand,
  AdoptPreview,
  AdoptOutcome,
  AdoptRequest,
  AdoptProgress,
  ProcessDetail,
} from '../../main/core/model/processes.js';
import type { LogsResult } from '../../main/core/model/authoring.js';

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
