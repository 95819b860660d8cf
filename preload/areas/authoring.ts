// The authoring area of the IPC contract (issue 3: create, edit, delete units; logs; resources; sockets and timers).
// Channels, payload/result types and the named API methods for this area; contract.ts and
// api.ts compose every area into InvokeMap, INVOKE_CHANNELS and DaemonDeckApi.
import type { Transport } from '../api.js';
import type { Result } from '../contract.js';

export type RestartPolicy = 'no' | 'on-failure' | 'always';
export const RESTART_POLICIES: readonly RestartPolicy[] = ['no', 'on-failure', 'always'];

/** A socket that starts the service on the first connection (systemd's replacement for inetd). */
export interface SocketForm {
  /** `PORT` or `127.0.0.1:PORT` / `[::1]:PORT` (loopback only), or an absolute path for a unix socket. */
  listen: string;
  /**
   * true: one service instance per connection with the connection on stdin/stdout (inetd style;
   * the service becomes a template NAME@.service). false: the service gets the listening socket.
   */
  accept: boolean;
}

/** The create/edit form for a service. */
export interface ServiceForm {
  /** The unit name, with or without `.service`. */
  name: string;
  description: string;
  /** The command as an argument list: argv[0] is the program (an absolute path after resolving). */
  argv: string[];
  workingDirectory: string | null;
  environment: Array<{ name: string; value: string }>;
  restart: RestartPolicy;
  /** Seconds between a crash and the restart; null for systemd's default (100 ms). */
  restartSec: number | null;
  /** WantedBy=default.target. */
  startAtLogin: boolean;
  /** After=/Wants=network-online.target. */
  afterNetwork: boolean;
  socket: SocketForm | null;
}

export interface TimerForm {
  /** The service the timer starts, e.g. `backup.service`; the timer is named after it. */
  unit: string;
  description: string;
  /** A systemd calendar expression (`daily`, `Mon *-*-* 09:00`), or null. */
  onCalendar: string | null;
  /** A time span after boot (`15min`), or null. */
  onBootSec: string | null;
  /** A time span after the timer itself starts (`30s`), or null. */
  onActiveSec: string | null;
  /** Catch up a run missed while the machine was off (OnCalendar only). */
  persistent: boolean;
}

/** One problem with one form field, shown beside that field as the user types. */
export interface FormIssue {
  /** The form field, e.g. `name`, `argv.2`, `environment.0.name`, `socket.listen`. */
  field: string;
  message: string;
}

export interface RenderedFile {
  /** The unit file name, e.g. `web.service`. */
  name: string;
  text: string;
}

/** The live preview of a form: the files that would be written, or why the form is not ready. */
export interface UnitPreview {
  issues: FormIssue[];
  /** Empty when there are issues. */
  files: RenderedFile[];
  /** The exact ExecStart= line that will be written, or null while argv is invalid. */
  execStart: string | null;
}

/** A token that undoes one write: restores the previous bytes of every file it touched. */
export interface UndoToken {
  id: string;
  /** What was done, in the user's words: "Created web.service". */
  summary: string;
  createdAt: string;
}

export interface AuthoringOutcome {
  /** The unit files (and drop-ins) written or removed, as absolute paths. */
  paths: string[];
  undo: UndoToken;
  /** Steps taken after the write: reload, enable, start. */
  steps: string[];
}

export interface UnitDefinition {
  unit: string;
  /** The main unit file and its text, null for a unit with no file. */
  fragmentPath: string | null;
  fragment: string | null;
  dropIns: Array<{ path: string; text: string }>;
  /** True when Daemon Deck wrote this unit (so it is edited in place, not through a drop-in). */
  ownedByApp: boolean;
  /** The form this unit was created from, when it was created by Daemon Deck and still parses. */
  form: ServiceForm | null;
  /** The path a drop-in edit writes: `<unitdir>/<unit>.d/override.conf`. */
  overridePath: string;
}

export interface EditPreview {
  /** Where the edit would be written. */
  path: string;
  /** `full` rewrites an app-owned unit file; `drop-in` writes override.conf. */
  mode: 'full' | 'drop-in';
  /** A unified diff of the effective unit (fragment + drop-ins) before and after. */
  diff: string;
  /** systemd-analyze verify's complaints; empty when the edit verifies. */
  problems: string[];
}

export interface LogLine {
  /** The journal cursor (or `file:OFFSET` for a tailed file), for --after-cursor. */
  cursor: string;
  /** ISO 8601, null when unknown (file output carries no timestamps). */
  time: string | null;
  /** syslog priority 0-7, null when unknown. */
  priority: number | null;
  message: string;
  pid: number | null;
}

export interface LogsResult {
  source: 'journal' | 'file';
  /** The file tailed, for source `file`. */
  path: string | null;
  lines: LogLine[];
  /** Why there are no lines, in the user's words, when there are none (or null). */
  emptyReason: string | null;
}

export interface ProcessResources {
  pid: number;
  command: string;
  cpu: number | null;
  memory: number;
}

export interface UnitResources {
  unit: string;
  mainPid: number | null;
  /** Every process in the unit's cgroup. */
  processes: ProcessResources[];
  /** Live CPU in percent of one core (sum over processes); null on the first sample. */
  cpu: number | null;
  /** Resident memory in bytes, summed. */
  memory: number;
  tasks: number;
  nRestarts: number;
  /** Seconds since the unit became active, null when inactive. */
  uptimeSec: number | null;
  sampledAt: string;
}

export interface TimerInfo {
  unit: string;
  /** The unit it starts. */
  activates: string;
  description: string;
  active: boolean;
  enabled: boolean;
  /** ISO times; null when none. */
  nextRun: string | null;
  lastRun: string | null;
}

export interface AuthoringInvokeMap {
  'authoring:preview': [payload: { form: ServiceForm }, result: Result<UnitPreview>];
  'authoring:split-command': [
    payload: { line: string },
    result: Result<{ argv: string[]; execStart: string }>,
  ];
  'authoring:create': [
    payload: { form: ServiceForm; enable: boolean; start: boolean },
    result: Result<AuthoringOutcome>,
  ];
  'authoring:definition': [payload: { id: string }, result: Result<UnitDefinition>];
  'authoring:preview-edit': [payload: { id: string; text: string }, result: Result<EditPreview>];
  'authoring:update-form': [
    payload: { id: string; form: ServiceForm },
    result: Result<AuthoringOutcome>,
  ];
  'authoring:edit-text': [payload: { id: string; text: string }, result: Result<AuthoringOutcome>];
  'authoring:revert-vendor': [payload: { id: string }, result: Result<AuthoringOutcome>];
  'authoring:delete': [payload: { id: string }, result: Result<AuthoringOutcome>];
  'authoring:undo': [payload: { token: string }, result: Result<{ paths: string[] }>];
  'authoring:logs': [
    payload: { id: string; lines?: number; afterCursor?: string },
    result: Result<LogsResult>,
  ];
  'authoring:resources': [payload: { id: string }, result: Result<UnitResources>];
  'authoring:timers': [payload: null, result: Result<TimerInfo[]>];
  'authoring:timer-preview': [
    payload: { onCalendar: string; count?: number },
    result: Result<string[]>,
  ];
  'authoring:create-timer': [
    payload: { form: TimerForm; enable: boolean },
    result: Result<AuthoringOutcome>,
  ];
}

export const AUTHORING_CHANNELS = [
  'authoring:preview',
  'authoring:split-command',
  'authoring:create',
  'authoring:definition',
  'authoring:preview-edit',
  'authoring:update-form',
  'authoring:edit-text',
  'authoring:revert-vendor',
  'authoring:delete',
  'authoring:undo',
  'authoring:logs',
  'authoring:resources',
  'authoring:timers',
  'authoring:timer-preview',
  'authoring:create-timer',
] as const satisfies readonly (keyof AuthoringInvokeMap)[];

export interface AuthoringApi {
  /** The live preview and the issues of a form, as the user types. Writes nothing. */
  previewUnit(form: ServiceForm): Promise<Result<UnitPreview>>;
  /** Split a typed command line with shell-like rules and show the ExecStart= it becomes. */
  splitCommand(line: string): Promise<Result<{ argv: string[]; execStart: string }>>;
  createUnit(
    form: ServiceForm,
    opts: { enable: boolean; start: boolean },
  ): Promise<Result<AuthoringOutcome>>;
  getDefinition(id: string): Promise<Result<UnitDefinition>>;
  /** The diff and verify result of an edit as text, before it is saved. */
  previewEdit(id: string, text: string): Promise<Result<EditPreview>>;
  /** Save a form over a unit Daemon Deck created. */
  updateUnitForm(id: string, form: ServiceForm): Promise<Result<AuthoringOutcome>>;
  /** Save text: the whole file for an app-owned unit, override.conf for any other. */
  editUnitText(id: string, text: string): Promise<Result<AuthoringOutcome>>;
  revertToVendor(id: string): Promise<Result<AuthoringOutcome>>;
  deleteUnit(id: string): Promise<Result<AuthoringOutcome>>;
  undo(token: string): Promise<Result<{ paths: string[] }>>;
  /** The last lines (default 200), or those after a cursor (poll this to follow). */
  getLogs(id: string, opts?: { lines?: number; afterCursor?: string }): Promise<Result<LogsResult>>;
  /** Live resources from one /proc scan; call every second or two while a window shows them. */
  getResources(id: string): Promise<Result<UnitResources>>;
  listTimers(): Promise<Result<TimerInfo[]>>;
  previewCalendar(onCalendar: string, count?: number): Promise<Result<string[]>>;
  createTimer(form: TimerForm, opts: { enable: boolean }): Promise<Result<AuthoringOutcome>>;
}

export function createAuthoringApi(transport: Transport): AuthoringApi {
  return {
    previewUnit: (form) => transport.invoke('authoring:preview', { form }),
    splitCommand: (line) => transport.invoke('authoring:split-command', { line }),
    createUnit: (form, opts) => transport.invoke('authoring:create', { form, ...opts }),
    getDefinition: (id) => transport.invoke('authoring:definition', { id }),
    previewEdit: (id, text) => transport.invoke('authoring:preview-edit', { id, text }),
    updateUnitForm: (id, form) => transport.invoke('authoring:update-form', { id, form }),
    editUnitText: (id, text) => transport.invoke('authoring:edit-text', { id, text }),
    revertToVendor: (id) => transport.invoke('authoring:revert-vendor', { id }),
    deleteUnit: (id) => transport.invoke('authoring:delete', { id }),
    undo: (token) => transport.invoke('authoring:undo', { token }),
    getLogs: (id, opts = {}) => transport.invoke('authoring:logs', { id, ...opts }),
    getResources: (id) => transport.invoke('authoring:resources', { id }),
    listTimers: () => transport.invoke('authoring:timers', null),
    previewCalendar: (onCalendar, count) =>
      transport.invoke('authoring:timer-preview', {
        onCalendar,
        ...(count !== undefined ? { count } : {}),
      }),
    createTimer: (form, opts) => transport.invoke('authoring:create-timer', { form, ...opts }),
  };
}
