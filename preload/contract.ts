// The one contract between main, preload and renderer (and the CLI's JSON output).
// Types only plus channel names: safe to import from every process.
//
// JSON field names of Entry are a public contract (CLI `--json`): add fields, never rename.
//
// Each product area keeps its own channels and API methods in preload/areas/*.ts; this file
// composes them with the core channels below.
import {
  ALERTS_CHANNELS,
  type AlertSettings,
  type AlertsApi,
  type AlertsInvokeMap,
} from './areas/alerts.js';
import {
  AUTHORING_CHANNELS,
  type AuthoringApi,
  type AuthoringInvokeMap,
} from './areas/authoring.js';
import {
  PROCESSES_CHANNELS,
  PROCESSES_EVENT_CHANNELS,
  type ProcessesApi,
  type ProcessesEventMap,
  type ProcessesInvokeMap,
} from './areas/processes.js';
import { STARTUP_CHANNELS, type StartupApi, type StartupInvokeMap } from './areas/startup.js';

export type { AlertSettings };

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
  /** How often watched processes are looked for, in ms (sessions: every 1.5 times that). */
  pollIntervalMs: number;
  alerts: AlertSettings;
}

/** What the Settings page may change in one call (pins, mutes and pause have their own). */
export interface SettingsPatch {
  theme?: Settings['theme'];
  pollIntervalMs?: number;
  alerts?: Partial<Pick<AlertSettings, 'notifyOnAutoRestart' | 'logLines'>>;
}

/** Pages other than the panel and the detail window. */
export type AppPage = 'create' | 'startup' | 'settings' | 'strays' | 'watch' | 'run';
export const APP_PAGES: readonly AppPage[] = [
  'create',
  'startup',
  'settings',
  'strays',
  'watch',
  'run',
];

/** The detail window's tabs; window:open-detail may name the one to show first. */
export type DetailTab = 'overview' | 'logs' | 'definition' | 'history';
export const DETAIL_TABS: readonly DetailTab[] = ['overview', 'logs', 'definition', 'history'];

export interface AppInfo {
  version: string;
  /** 'electron' in the app, 'test' in the e2e transport. */
  transport: 'electron' | 'test';
}

/** Invoke channels: `domain:verb` name -> [payload, result]. */
export interface InvokeMap
  extends AuthoringInvokeMap, ProcessesInvokeMap, StartupInvokeMap, AlertsInvokeMap {
  'snapshot:get': [payload: null, result: Snapshot];
  'units:detail': [payload: { id: string }, result: Result<UnitDetail>];
  'entries:act': [payload: { id: string; action: EntryAction }, result: Result<ActionOutcome>];
  'settings:get': [payload: null, result: Settings];
  'settings:pin': [payload: { id: string; pinned: boolean }, result: Result<Settings>];
  'settings:update': [payload: SettingsPatch, result: Result<Settings>];
  'window:open-detail': [payload: { id: string; tab?: DetailTab }, result: Result<null>];
  /** Opens another page of the app: New service, Start automatically, Settings, Strays, Watch a process, Run in background. */
  'window:open-page': [payload: { page: AppPage; id?: string }, result: Result<null>];
  'app:info': [payload: null, result: AppInfo];
}

export type InvokeChannel = keyof InvokeMap;
export type InvokePayload<C extends InvokeChannel> = InvokeMap[C][0];
export type InvokeResult<C extends InvokeChannel> = InvokeMap[C][1];

export const INVOKE_CHANNELS = [
  'snapshot:get',
  'units:detail',
  'entries:act',
  'settings:get',
  'settings:pin',
  'settings:update',
  'window:open-detail',
  'window:open-page',
  'app:info',
  ...AUTHORING_CHANNELS,
  ...PROCESSES_CHANNELS,
  ...STARTUP_CHANNELS,
  ...ALERTS_CHANNELS,
] as const satisfies readonly InvokeChannel[];

/** Event channels, main -> renderer. */
export interface EventMap extends ProcessesEventMap {
  'snapshot:changed': Snapshot;
  'settings:changed': Settings;
}

export type EventChannel = keyof EventMap;

export const EVENT_CHANNELS = [
  'snapshot:changed',
  'settings:changed',
  ...PROCESSES_EVENT_CHANNELS,
] as const satisfies readonly EventChannel[];

/** The API the preload exposes as `window.daemonDeck`: named methods, never ipcRenderer. */
export interface DaemonDeckApi extends AuthoringApi, ProcessesApi, StartupApi, AlertsApi {
  getSnapshot(): Promise<Snapshot>;
  onSnapshot(listener: (snapshot: Snapshot) => void): () => void;
  getUnitDetail(id: string): Promise<Result<UnitDetail>>;
  act(id: string, action: EntryAction): Promise<Result<ActionOutcome>>;
  getSettings(): Promise<Settings>;
  onSettings(listener: (settings: Settings) => void): () => void;
  setPinned(id: string, pinned: boolean): Promise<Result<Settings>>;
  updateSettings(patch: SettingsPatch): Promise<Result<Settings>>;
  /** Opens the detail window of an entry, on `tab` when given. */
  openDetail(id: string, tab?: DetailTab): Promise<Result<null>>;
  /** Opens another page of the app (New service, Start automatically, Settings, Strays...), for an entry if given. */
  openPage(page: AppPage, id?: string): Promise<Result<null>>;
  getAppInfo(): Promise<AppInfo>;
}

declare global {
  interface Window {
    daemonDeck: DaemonDeckApi;
  }
}
