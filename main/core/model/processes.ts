// Domain types of the processes area (processes, watch rules, strays, Adopt, tmux/screen sessions; issue 4).
// Owned by core; the IPC contract and the renderer use them as they are.

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
  /** The far host it runs on (its name in settings); absent, this machine. */
  host?: string;
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
  /** The far host whose process this is (its name in settings); absent, this machine. */
  host?: string;
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
