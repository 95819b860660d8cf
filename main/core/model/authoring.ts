// Domain types of the authoring area (unit forms, definitions, logs, resources, timers; issue 3).
// Owned by core; the IPC contract and the renderer use them as they are.

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

/** What create does with the unit once it is written: enable it, start it. */
export interface CreateOptions {
  enable: boolean;
  start: boolean;
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
  /** Filters the source could not apply (a file's lines carry no time or priority), in words. */
  filterNote?: string | null;
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
