// Assembles the core once, the same way for the Electron shell, the e2e transport and the CLI:
// the systemd source, the other entry sources, the area services behind the IPC table, and
// settings on one key-value backend (electron-store in the app, conf elsewhere: the same file).
import type { IpcTableDeps } from './api/ipc-table.js';
import { createStartup, type StartupWiring } from './autostart/startup-service.js';
import {
  createMonitor,
  createSystemdSource,
  type SystemdMonitor,
  type SystemdMonitorOptions,
} from './monitor/create-monitor.js';
import { ProcessService } from './processes/process-service.js';
import { createProcessSource } from './processes/process-source.js';
import { ProcessProgress } from './processes/progress.js';
import { createWatchRuleStore } from './processes/watch-rules.js';
import { createSessionSource } from './sessions/session-source.js';
import { SessionService } from './sessions/sessions.js';
import {
  createSettingsStore,
  type KeyValueBackend,
  type SettingsStore,
} from './settings/settings.js';
import { AuthoringService } from './systemd/unit-authoring.js';

export interface CoreOptions extends Omit<SystemdMonitorOptions, 'sources'> {
  env: NodeJS.ProcessEnv;
  /** Where settings and watch rules live (electron-store in the app, conf in Node). */
  settingsBackend: KeyValueBackend;
  /** argv prefix for crontab(1) (tests run it inside a private mount namespace). */
  crontab?: string[];
  /** The command that starts the app itself, for "Start Daemon Deck at login". */
  selfCommand?: string[];
  /** tmux -S socket (tests use a private server). */
  tmuxSocket?: string | null;
  /** Poll intervals of the sources that have no events (processes 2 s, sessions 3 s by default). */
  pollMs?: { processes?: number; sessions?: number; startup?: number };
}

export interface Core {
  monitor: SystemdMonitor;
  settings: SettingsStore;
  authoring: AuthoringService;
  processes: ProcessService;
  sessions: SessionService;
  startup: StartupWiring;
  /** Everything createIpcTable needs but the windows and the app info. */
  ipcDeps: Omit<IpcTableDeps, 'windows' | 'appInfo'>;
}

export function createCore(opts: CoreOptions): Core {
  const { env } = opts;
  const settings = createSettingsStore(opts.settingsBackend);
  const systemd = createSystemdSource(opts);
  const authoring = new AuthoringService({ bus: systemd.bus, units: systemd.units, env });
  // Adopt acts on units through the monitor, which is built below with this service's source.
  let monitor: SystemdMonitor | null = null;
  const processes = new ProcessService({
    rules: createWatchRuleStore(opts.settingsBackend),
    env,
    authoring,
    unitAct: (id, action) => {
      if (monitor === null) throw new Error('the monitor is not running yet');
      return monitor.act(id, action);
    },
  });
  const sessions = new SessionService({
    env,
    scan: () => processes.scan(),
    ...(opts.tmuxSocket !== undefined ? { tmuxSocket: opts.tmuxSocket } : {}),
  });
  const startup = createStartup({
    env,
    ...(opts.crontab ? { crontab: opts.crontab } : {}),
    ...(opts.selfCommand ? { selfCommand: opts.selfCommand } : {}),
    ...(opts.pollMs?.startup !== undefined ? { pollMs: opts.pollMs.startup } : {}),
  });
  monitor = createMonitor(systemd, [
    createProcessSource(
      processes,
      opts.pollMs?.processes !== undefined ? { intervalMs: opts.pollMs.processes } : {},
    ),
    createSessionSource(
      sessions,
      opts.pollMs?.sessions !== undefined ? { intervalMs: opts.pollMs.sessions } : {},
    ),
    ...startup.sources,
  ]);
  return {
    monitor,
    settings,
    authoring,
    processes,
    sessions,
    startup,
    ipcDeps: {
      monitor,
      settings,
      authoring,
      processes: { processes, sessions, progress: new ProcessProgress() },
      startup: startup.service,
    },
  };
}
