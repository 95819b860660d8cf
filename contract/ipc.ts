// The IPC contract between main, preload and renderer: channel names, what each takes and
// answers, and the API the preload exposes. Neutral ground: core, preload and renderer import it
// and none owns it. Domain types come from main/core/model (types only).
//
// Each product area keeps its own channels and API methods in contract/areas/*.ts; this file
// composes them with the core channels below.
import type {
  ActionOutcome,
  EntryAction,
  Result,
  Settings,
  SettingsPatch,
  Snapshot,
  UnitDetail,
} from '../main/core/model/domain.js';
import { ALERTS_CHANNELS, type AlertsApi, type AlertsInvokeMap } from './areas/alerts.js';
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
