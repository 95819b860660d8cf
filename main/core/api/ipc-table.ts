// The IPC handler table: one function per invoke channel, each checking its payload with the
// channel's declared schema (contract/) before it reaches the core. Electron's ipcMain is one
// transport for this table (main/shell/ipc.ts); the e2e tests' HTTP transport is another. Senders
// are checked by each transport.
import type { OpsOf } from '../../../contract/channel.js';
import {
  coreChannels,
  type EventChannel,
  type EventMap,
  type InvokeChannel,
  type InvokeResult,
} from '../../../contract/ipc.js';
import type { AppInfo, AppPage, DetailTab } from '../../../contract/pages.js';
import type { Result, Settings } from '../model/domain.js';
import type { Monitor } from '../monitor/monitor.js';
import type { SettingsStore } from '../settings/settings.js';
import { toAppError } from '../errors.js';
import { createHandlers } from './handlers.js';
import { createAuthoringHandlers, type AuthoringDeps } from './authoring-handlers.js';
import { createStartupHandlers, type StartupDeps } from './startup-handlers.js';
import { createAlertsHandlers, type AlertsDeps } from './alerts-handlers.js';
import { createDoctorHandlers, type DoctorDeps } from './doctor-handlers.js';
import { createProcessesHandlers, type ProcessesDeps } from './processes-handlers.js';
import { createTimersHandlers, type TimersDeps } from './timers-handlers.js';
import { setupChannels } from '../../../contract/areas/setup.js';
import type { SetupService } from '../setup/setup-service.js';
import { createLogsHandlers } from './logs-handlers.js';
import type { LogsService } from '../logs/logs-service.js';
import { hostsOps, type HostsDeps } from './hosts-handlers.js';
import { hostsChannels } from '../../../contract/areas/hosts.js';

/** What only the shell (or a test transport) can do: windows. */
export interface WindowOps {
  openDetail(id: string, tab?: DetailTab): Promise<Result<null>>;
  openPage(page: AppPage, id?: string): Promise<Result<null>>;
  /** A save dialog proposing `defaultName`: the chosen path, or null when cancelled. */
  chooseSavePath?(defaultName: string): Promise<string | null>;
}

/** What the two progress channels carry. */
type ProgressEvent = EventMap['processes:stop-progress'] | EventMap['processes:adopt-progress'];

export type HandlerTable = {
  [C in InvokeChannel]: (payload: unknown) => Promise<InvokeResult<C>>;
};

export interface IpcTable {
  handlers: HandlerTable;
  subscribe<E extends EventChannel>(channel: E, listener: (value: EventMap[E]) => void): () => void;
}

export interface IpcTableDeps {
  monitor: Monitor;
  settings: SettingsStore;
  windows: WindowOps;
  appInfo: AppInfo;
  /** Unit authoring, logs, resources and timers (issue 3); absent: its channels answer `unsupported`. */
  authoring?: AuthoringDeps;
  /** Crontab @reboot, XDG autostart, linger, how things start (issue 5); absent: `unsupported`. */
  startup?: StartupDeps;
  /** Processes, watch rules, strays, Adopt, tmux/screen (issue 4); absent: `unsupported`. */
  processes?: ProcessesDeps;
  /** Crash alerts: pause, mutes, crash history (issue 6); absent: `unsupported`. */
  alerts?: AlertsDeps;
  /** "Will it start?" (issue 15); absent: `unsupported`. */
  doctor?: DoctorDeps;
  /** Timer jobs (issue 14); absent: `unsupported`. */
  timers?: TimersDeps;
  /** Setup files: export, import, undo (issue 17); absent: `unsupported`. */
  setup?: SetupService;
  /** Log export and log-file rotation (issue 14); absent: `unsupported`. */
  logs?: Pick<LogsService, 'exportTo' | 'fileInfo' | 'rotate'>;
  /** Other hosts over SSH (issue 17); absent: `unsupported`, and hosts:changed never fires. */
  hosts?: HostsDeps;
}

/** A settings change, or why it could not be written (a full disk): the old settings stay. */
function saved(change: () => Settings): Result<Settings> {
  try {
    return { ok: true, value: change() };
  } catch (err) {
    return { ok: false, error: toAppError(err) };
  }
}

function coreOps({
  monitor,
  settings,
  windows,
  appInfo,
}: IpcTableDeps): OpsOf<typeof coreChannels> {
  return {
    getSnapshot: () => monitor.snapshot(),
    getUnitDetail: ({ id }) => monitor.unitDetail(id),
    act: ({ id, action }) => monitor.act(id, action),
    getSettings: () => settings.get(),
    setPinned: ({ id, pinned }) =>
      saved(() => {
        const current = settings.get().pinned.filter((x) => x !== id);
        return settings.update({ pinned: pinned ? [...current, id] : current });
      }),
    updateSettings: ({ theme, language, ignoredStrays, pollIntervalMs, logWarnBytes, alerts }) =>
      saved(() =>
        settings.update({
          ...(theme !== undefined ? { theme } : {}),
          ...(language !== undefined ? { language } : {}),
          ...(ignoredStrays !== undefined ? { ignoredStrays } : {}),
          ...(pollIntervalMs !== undefined ? { pollIntervalMs } : {}),
          ...(logWarnBytes !== undefined ? { logWarnBytes } : {}),
          ...(alerts !== undefined
            ? {
                alerts: Object.fromEntries(
                  Object.entries(alerts).filter(([, v]) => v !== undefined),
                ),
              }
            : {}),
        }),
      ),
    openDetail: ({ id, tab }) =>
      tab === undefined ? windows.openDetail(id) : windows.openDetail(id, tab),
    openPage: ({ page, id }) => windows.openPage(page, id),
    getAppInfo: () => appInfo,
  };
}

export function createIpcTable(deps: IpcTableDeps): IpcTable {
  const { monitor, settings, processes } = deps;
  const handlers: HandlerTable = {
    ...createAuthoringHandlers(deps.authoring),
    ...createStartupHandlers(deps.startup),
    ...createProcessesHandlers(processes),
    ...createAlertsHandlers(deps.alerts),
    ...createDoctorHandlers(deps.doctor),
    ...createTimersHandlers(deps.timers),
    ...createHandlers(setupChannels, deps.setup, 'Setup files are not available in this build.'),
    ...createLogsHandlers(
      deps.logs && {
        logs: deps.logs,
        ...(deps.windows.chooseSavePath
          ? { chooseSavePath: (n: string) => deps.windows.chooseSavePath!(n) }
          : {}),
      },
    ),
    ...createHandlers(
      hostsChannels,
      deps.hosts && hostsOps(deps.hosts),
      'Other hosts are not available in this window.',
    ),
    ...createHandlers(coreChannels, coreOps(deps), 'Not available.'),
  };
  return {
    handlers,
    subscribe(channel, listener) {
      switch (channel) {
        case 'snapshot:changed':
          return monitor.onSnapshot(listener as (v: EventMap['snapshot:changed']) => void);
        case 'settings:changed':
          return settings.onChange(listener as (v: EventMap['settings:changed']) => void);
        case 'processes:stop-progress':
        case 'processes:adopt-progress':
          return (
            processes?.progress?.on(channel, listener as (v: ProgressEvent) => void) ??
            (() => undefined)
          );
        case 'hosts:changed':
          return (
            deps.hosts?.onChange(listener as (v: EventMap['hosts:changed']) => void) ??
            (() => undefined)
          );
        default:
          throw new Error(`unknown event channel ${String(channel)}`);
      }
    },
  };
}
