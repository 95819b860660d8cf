// The processes area of the IPC contract (issue 4): processes, watch rules, strays, Adopt, tmux
// and screen sessions. Each channel declared once; contract/ipc.ts composes every area.
import type { LogQuery } from '../../main/core/model/logs.js';
import { z } from 'zod';
import type { LogsResult } from '../../main/core/model/authoring.js';
import type {
  AdoptOutcome,
  AdoptPreview,
  AdoptProgress,
  AdoptRequest,
  AttachCommand,
  LaunchResult,
  ProcessDetail,
  ProcessQuery,
  ProcessRow,
  SessionInfo,
  SessionKind,
  StopProgress,
  StopReport,
  Stray,
  WatchRule,
} from '../../main/core/model/processes.js';
import { asPayload, event, returns, type EventMapOf, field, nothing } from '../channel.js';
import { argv, logRange, path, payload, pid, text, token } from '../schemas.js';
import { hostNameSchema, ignoredStraysSchema } from '../settings-schemas.js';

const starttime = z.number().int().nonnegative().nullable();
const opId = text(128).nullable().optional();
const ruleName = text(64);
const kind = z.enum(['tmux', 'screen']);
const session = payload({ kind, name: text(64) });
const environment = z.array(text(1024)).max(1024);
/**
 * `host`: a far host by its name in settings (issue 17): its strays listed, its process adopted
 * and the Adopt undone there; absent, this machine. The core refuses a name not in settings.
 */
const host = hostNameSchema.optional();
const hostArg = (name: string | undefined) => (name === undefined ? {} : { host: name });

const query = payload({
  pattern: text(4096).nullable(),
  full: z.boolean(),
  exact: z.boolean(),
  users: z.array(text(256)).max(64),
  parents: z.array(pid).max(1024),
  pick: z.enum(['all', 'newest', 'oldest']),
}) satisfies z.ZodType<ProcessQuery>;
const rule = payload({
  name: ruleName,
  pattern: text(4096),
  full: z.boolean(),
  exact: z.boolean(),
  start: argv.nullable(),
  cwd: path.nullable(),
  log: path.nullable(),
}) satisfies z.ZodType<WatchRule>;

export const processesChannels = {
  /** Processes selected as `pgrep` would (null: every process). */
  'processes:list': returns<ProcessRow[]>()('listProcesses', field('query', query.nullable())),
  /** Send a signal by name (`TERM`, `SIGHUP`) or number; refused when starttime no longer matches. */
  'processes:signal': returns<null>()('signalProcess', {
    payload: payload({ pid, starttime, signal: text(32) }),
    args: (pid: number, starttime: number | null, signal: string) => ({ pid, starttime, signal }),
  }),
  /** TERM, wait up to timeoutMs (default 5000), then KILL; steps go to onStopProgress under opId. */
  'processes:stop': returns<StopReport>()('stopProcesses', {
    payload: payload({
      pids: z.array(pid).min(1).max(1024),
      timeoutMs: z.number().int().min(0).max(600_000).nullable(),
      opId,
    }),
    args: (pids: number[], timeoutMs?: number | null, opId?: string | null) => ({
      pids,
      timeoutMs: timeoutMs ?? null,
      ...(opId != null ? { opId } : {}),
    }),
  }),
  /** One process: its row, cwd and, for a stray, how it was started. */
  'processes:detail': returns<ProcessDetail>()('getProcess', field('pid', pid)),
  /** "Run in background": detached like nohup + setsid, output appended to the log file. */
  'processes:run': returns<LaunchResult>()('runInBackground', {
    payload: payload({
      argv,
      cwd: path.nullable(),
      log: path.nullable(),
      name: ruleName.nullable(),
    }),
    args: (
      argv: string[],
      opts: { cwd?: string | null; log?: string | null; name?: string | null } = {},
    ) => ({ argv, cwd: opts.cwd ?? null, log: opts.log ?? null, name: opts.name ?? null }),
  }),
  'processes:watch-list': returns<WatchRule[]>()('listWatchRules', nothing),
  'processes:watch-add': returns<WatchRule>()('addWatchRule', field('rule', rule)),
  /** Returns the removed rule: adding it back is the undo. */
  'processes:watch-remove': returns<WatchRule>()('removeWatchRule', field('name', ruleName)),
  /** This machine's strays, or (`host`) a far host's, each naming that host. */
  'processes:strays': returns<Stray[]>()('listStrays', {
    payload: payload({ host }).nullable().optional(),
    args: (name?: string) => (name === undefined ? null : { host: name }),
  }),
  /** How many strays, less the ignored ones (by command line): the panel's footer count. */
  'processes:stray-count': returns<number>()('countStrays', field('ignored', ignoredStraysSchema)),
  'processes:adopt-preview': returns<AdoptPreview>()('previewAdopt', {
    payload: payload({
      pid,
      name: text(256),
      environment,
      enable: z.boolean().optional(),
      restart: z.boolean().optional(),
      host,
    }),
    args: (
      pid: number,
      name: string,
      environment: string[],
      opts: { enable?: boolean; restart?: boolean; host?: string } = {},
    ) => ({ pid, name, environment, ...opts }),
  }),
  'processes:adopt': returns<AdoptOutcome>()('adopt', {
    payload: payload({
      pid,
      starttime,
      name: text(256),
      environment,
      enable: z.boolean(),
      restart: z.boolean().optional(),
      opId,
      host,
    }) satisfies z.ZodType<AdoptRequest>,
    args: (request: AdoptRequest) => asPayload(request),
  }),
  /** `host`: the host the Adopt was made on (the token's host). */
  'processes:adopt-undo': returns<null>()('undoAdopt', {
    payload: payload({ token, host }),
    args: (t: string, name?: string) => ({ token: t, ...hostArg(name) }),
  }),
  /** The user dismissed the outcome: its Undo is forgotten (`host`: as for adopt-undo). */
  'processes:adopt-dismiss': returns<null>()('dismissAdopt', {
    payload: payload({ token, host }),
    args: (t: string, name?: string) => ({ token: t, ...hostArg(name) }),
  }),
  /** The log file of a watch rule (its --log, or where its start command writes by default). */
  'processes:watch-logs': returns<LogsResult>()('getWatchLogs', {
    payload: payload({ name: ruleName, ...logRange }),
    args: (name: string, opts: LogQuery = {}) => ({
      name,
      ...opts,
    }),
  }),
  'sessions:list': returns<SessionInfo[]>()('listSessions', nothing),
  'sessions:kill': returns<null>()('killSession', {
    payload: session,
    args: (kind: SessionKind, name: string) => ({ kind, name }),
  }),
  'sessions:new': returns<SessionInfo>()('newSession', {
    payload: payload({ kind, name: text(64), argv, cwd: path.nullable() }),
    args: (kind: SessionKind, name: string, argv: string[], cwd?: string | null) => ({
      kind,
      name,
      argv,
      cwd: cwd ?? null,
    }),
  }),
  'sessions:attach-command': returns<AttachCommand>()('attachCommand', {
    payload: session,
    args: (kind: SessionKind, name: string) => ({ kind, name }),
  }),
};

/** Event channels of this area, main -> renderer. */
export const processesEvents = {
  'processes:stop-progress': event<StopProgress>()('onStopProgress'),
  'processes:adopt-progress': event<AdoptProgress>()('onAdoptProgress'),
};

export type ProcessesEventMap = EventMapOf<typeof processesEvents>;
