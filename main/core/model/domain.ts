// The domain model every area shares: entries, their states and actions, the snapshot, unit
// detail, errors and results, settings. Owned by core (plain types and their fixed word lists);
// the IPC contract, the CLI's JSON output and the renderer use them as they are.
//
// JSON field names of Entry are a public contract (CLI `--json`): add fields, never rename.
import type { LanguageSetting } from '../../../i18n/index.js';
import type { AlertSettings } from './alerts.js';

export type EntryKind =
  'service' | 'socket' | 'timer' | 'process' | 'session' | 'cron' | 'autostart';

export type EntryState = 'running' | 'stopped' | 'failed' | 'starting' | 'stopping' | 'unknown';

export type EntryAction = 'start' | 'stop' | 'restart' | 'reload' | 'enable' | 'disable';

export const ENTRY_ACTIONS: readonly EntryAction[] = [
  'start',
  'stop',
  'restart',
  'reload',
  'enable',
  'disable',
];

/** How an entry starts at login or boot, if at all. */
export interface Autostart {
  /** True when something starts it at login or boot. */
  enabled: boolean;
  /** The mechanisms that start it. Empty when nothing does. */
  via: Array<'systemd' | 'cron' | 'xdg-autostart'>;
  /** The source's own word, e.g. systemd's UnitFileState (enabled, disabled, static, masked...). */
  state: string | null;
}

export interface Entry {
  /** `systemd:NAME.service`, `process:RULE`, `cron:KEY`, `autostart:FILE`, `session:tmux:NAME`. */
  id: string;
  kind: EntryKind;
  name: string;
  description: string;
  state: EntryState;
  /** The source's finer state word, e.g. systemd's SubState (running, exited, dead, auto-restart). */
  subState: string;
  autostart: Autostart;
  pids: number[];
  /** Live CPU in percent of one core, null when not measured. */
  cpu: number | null;
  /** Resident memory in bytes, null when not measured. */
  memory: number | null;
  /** ISO 8601 time the current state was entered, null when unknown. */
  since: string | null;
  restarts: number;
  /** Actions that make sense now. */
  actions: EntryAction[];
  /**
   * Who set it up: 'user' for what the user made (units under ~/.config/systemd/user, watch rules,
   * sessions, cron lines, autostart entries), 'system' for what came with the system or the
   * desktop. Absent from sources that only hold the user's own things (read as 'user').
   */
  origin?: EntryOrigin;
  /** Set when the entry is part of the desktop session's own plumbing (model/plumbing.ts). */
  plumbing?: Plumbing;
  /** Why a failed entry failed, when known; absent unless state is 'failed'. */
  failure?: FailureReason;
  /** A socket's listen addresses ("/run/user/1000/bus", "127.0.0.1:8080"), when known. */
  listen?: string[];
  /** A timer's next and last run and the unit it starts, when known. */
  timer?: TimerSchedule;
}

export type EntryOrigin = 'user' | 'system';

/** What part of the session a plumbing entry plays; the pages explain each in words. */
export type PlumbingRole =
  | 'bus'
  | 'exit'
  | 'setup'
  | 'keys'
  | 'accessibility'
  | 'settings'
  | 'portal'
  | 'sound'
  | 'notifications'
  | 'desktop';

export interface Plumbing {
  role: PlumbingRole;
  /** 'locked': no switch at all; 'confirm': the switch asks first and says what will happen. */
  guard: 'locked' | 'confirm';
}

/** How a failed entry ended, in facts the pages put into words. */
export interface FailureReason {
  /** systemd's Result: exit-code, signal, core-dump, timeout, start-limit-hit, ... */
  result: string;
  /** How its main process ended, when known. */
  exit:
    | { kind: 'exited'; status: number }
    | { kind: 'killed' | 'dumped'; signal: string; number: number }
    | null;
  /** How many times it was restarted before systemd gave up (0: it was not restarted). */
  restarts: number;
  /** When it ended (ISO 8601), null when unknown. */
  at: string | null;
}

export interface TimerSchedule {
  /** ISO 8601 of the next run, null when none is planned. */
  next: string | null;
  /** ISO 8601 of the last run, null when it never ran. */
  last: string | null;
  /** The unit it starts, e.g. backup.service. */
  unit: string | null;
}

export type SourceStatus =
  { status: 'ok' } | { status: 'connecting' } | { status: 'unavailable'; error: AppError };

export type SourceName = 'systemd' | 'processes' | 'sessions' | 'cron' | 'autostart';

export interface Snapshot {
  /** Monotonic counter, bumped on every change. */
  version: number;
  generatedAt: string;
  entries: Entry[];
  /** systemd is always there; the other sources appear as they are enabled. */
  sources: { systemd: SourceStatus } & Partial<
    Record<Exclude<SourceName, 'systemd'>, SourceStatus>
  >;
}

/** Everything the detail window shows for one systemd unit. */
export interface UnitDetail {
  entry: Entry;
  unit: string;
  loadState: string;
  activeState: string;
  subState: string;
  unitFileState: string | null;
  fragmentPath: string | null;
  dropInPaths: string[];
  mainPid: number | null;
  /** systemd's Result: success, exit-code, signal, core-dump, timeout... */
  result: string | null;
  /** ExecMainCode (1 exited, 2 killed, 3 dumped) and ExecMainStatus. */
  execMainCode: number | null;
  execMainStatus: number | null;
  /** A readable sentence for the last exit, e.g. "exited with status 1". */
  exitSummary: string | null;
  activeEnterTimestamp: string | null;
  inactiveEnterTimestamp: string | null;
  nRestarts: number;
  /** For a .timer: when it runs next and ran last, and the unit it starts. */
  timer?: TimerDetail;
  /** For a .socket: what it listens on and the service it starts. */
  socket?: SocketDetail;
}

/** The names of the signals a process commonly dies of (Linux numbering), for exit words. */
export const SIGNAL_NAMES: Readonly<Record<number, string>> = {
  1: 'SIGHUP',
  2: 'SIGINT',
  3: 'SIGQUIT',
  4: 'SIGILL',
  6: 'SIGABRT',
  8: 'SIGFPE',
  9: 'SIGKILL',
  11: 'SIGSEGV',
  13: 'SIGPIPE',
  14: 'SIGALRM',
  15: 'SIGTERM',
};

export interface TimerDetail {
  /** ISO 8601, or null when it will not run again (or has never run). */
  nextRun: string | null;
  lastRun: string | null;
  /** The unit it starts (its Unit= or the .service of the same name). */
  unit: string;
}

export interface SocketDetail {
  /** systemd's Listen property: the kind (Stream, Datagram, FIFO...) and the address or path. */
  listen: Array<{ type: string; address: string }>;
  /** The service it starts, when systemd names one. */
  service: string | null;
  /** Connections accepted so far and open now (Accept=yes sockets). */
  accepted: number;
  connections: number;
}

export type AppErrorCode =
  | 'no-such-unit'
  | 'masked'
  | 'access-denied'
  | 'bus-unavailable'
  | 'invalid-input'
  | 'conflict'
  | 'timeout'
  | 'job-failed'
  | 'unsupported'
  /** The disk (or the user's quota) is full: a write failed and left the old file as it was. */
  | 'no-space'
  /** Another host (issue 17) could not be reached over SSH: refused, no key login, no answer. */
  | 'host-unreachable'
  | 'internal';

export interface AppError {
  code: AppErrorCode;
  /** One readable sentence for the user. */
  message: string;
  /** The underlying error name or text, for those who want it. */
  detail?: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError };

export interface ActionOutcome {
  id: string;
  action: EntryAction;
  /** systemd's job result ("done") or "ok" for actions that run no job. */
  result: string;
  entry: Entry | null;
}

export interface Settings {
  /** Entry ids shown as toggles in the tray menu. */
  pinned: string[];
  theme: 'system' | 'light' | 'dark';
  /** The language of the pages, the tray, notifications and the CLI: the system's or one chosen. */
  language: LanguageSetting;
  /** Strays the user said to leave alone, by command line: not listed or counted as strays. */
  ignoredStrays: string[];
  /** How often watched processes are looked for, in ms (sessions: every 1.5 times that). */
  pollIntervalMs: number;
  alerts: AlertSettings;
}

/** What the Settings page may change in one call (pins, mutes and pause have their own). */
export interface SettingsPatch {
  theme?: Settings['theme'];
  language?: LanguageSetting;
  ignoredStrays?: string[];
  pollIntervalMs?: number;
  alerts?: Partial<Pick<AlertSettings, 'notifyOnAutoRestart' | 'logLines'>>;
}
