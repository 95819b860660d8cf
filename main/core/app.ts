// Assembles the core once, the same way for the Electron shell, the e2e transport and the CLI:
// the systemd source, the other entry sources, the area services behind the IPC table, crash
// alerts, and settings on one key-value backend (electron-store in the app, conf elsewhere: the
// same file). Settings drive the core live: the poll interval re-times the polling sources.
// Every effect the areas have on the machine goes through one Host, built here once (this
// machine: LocalHost) and passed to each service.
import { resolveLanguage, setLanguage } from '../../i18n/index.js';
import type { IpcTableDeps } from './api/ipc-table.js';
import { createStartup, type StartupWiring } from './autostart/startup-service.js';
import {
  createMonitor,
  createSystemdSource,
  type SystemdMonitor,
  type SystemdSource,
  type SystemdMonitorOptions,
} from './monitor/create-monitor.js';
import { commandProcesses } from './cron/proc-list.js';
import type { Host } from './host/host.js';
import { createLocalHost } from './host/local-host.js';
import { FarHosts, type FarHostsOptions } from './host/far-hosts.js';
import type { Notifier } from './notify/notifications.js';
import { ProcessService } from './processes/process-service.js';
import { hostAdoptUndos } from './processes/adopt-undos.js';
import { createProcessSource } from './processes/process-source.js';
import { ProcessProgress } from './processes/progress.js';
import { createWatchRuleStore } from './processes/watch-rules.js';
import {
  crashLogLines,
  wireCrashAlerts,
  type CrashAlertsHooks,
  type CrashAlertsWiring,
} from './notify/create-crash-alerts.js';
import { createSessionSource } from './sessions/session-source.js';
import { SessionService } from './sessions/sessions.js';
import {
  createSettingsStore,
  type KeyValueBackend,
  type SettingsStore,
} from './settings/settings.js';
import { AuthoringService } from './systemd/authoring-service.js';
import { DoctorService } from './doctor/doctor-service.js';
import { createTimerJobs } from './timers/create-timer-jobs.js';
import type { TimerJobs } from './timers/timer-jobs.js';
import { SetupService, setupDeps } from './setup/setup-service.js';
import { createLogsService, type LogsService } from './logs/logs-service.js';

export interface CoreOptions extends Omit<SystemdMonitorOptions, 'sources'> {
  env: NodeJS.ProcessEnv;
  /**
   * Whether the core sets the process's language from the settings and follows their changes
   * (the app; default). The CLI says false: it has chosen already, English under --json, so no
   * value in its JSON is ever translated.
   */
  languageFromSettings?: boolean;
  /** The machine the core acts on; default this one (LocalHost) in `env`. */
  host?: Host;
  /**
   * The systemd source, made (and maybe started) before the core by createSystemdSource with the
   * same options: the CLI's `list` asks systemd first and builds the rest during its answer.
   */
  systemd?: SystemdSource;
  /** Where settings and watch rules live (electron-store in the app, conf in Node). */
  settingsBackend: KeyValueBackend;
  /** argv prefix for crontab(1) (tests run it inside a private mount namespace). */
  crontab?: string[];
  /**
   * The spool folder that `crontab` installs into, as this process sees it (a sandbox's): its
   * stamp tells the periodic check that nothing was installed, as the system's spool does for the
   * system's crontab(1), so no `crontab -l` runs until one was (CrontabStoreOptions.spool).
   */
  crontabSpool?: string;
  /** The command that starts the app itself, for "Start Daemon Deck at login". */
  selfCommand?: string[];
  /** tmux -S socket (tests use a private server). */
  tmuxSocket?: string | null;
  /**
   * Poll intervals of the sources that have no events. By default processes follow the
   * settings' poll interval (2 s) and sessions twice it (sessionPollMs); a change in settings re-times both.
   */
  pollMs?: { processes?: number; sessions?: number; startup?: number };
  /**
   * Crash alerts: given, the core watches for crashes, records them and notifies (the app with
   * Electron's Notification as fallback and Show logs opening the Logs tab; the e2e transport).
   * Absent (the CLI), history, mutes and pause are readable but nothing is watched.
   */
  alerts?: CrashAlertsHooks;
  /**
   * The far hosts of settings (issue 17): kept connected, their entries read, their crashes
   * alerted here. Default: on when `alerts` is given (the app, the e2e transport), off for the CLI
   * (its `--host` builds a core on that host instead). An object tunes it (tests: timeouts).
   */
  farHosts?: boolean | Partial<Omit<FarHostsOptions, 'backend' | 'settings'>>;
}

/**
 * Sessions are polled less often than processes, at every second process poll (4 s at the
 * default 2 s), on the same wakeups (poll-timer.ts). At 1.5 times (3 s) they woke the core on
 * ticks of their own, a third more wakeups while a window shows processes (issue 16).
 */
export function sessionPollMs(pollIntervalMs: number): number {
  return pollIntervalMs * 2;
}

/**
 * While no window shows sessions, they are looked at every fifth process poll (10 s at the
 * default 2 s), on the same wakeups (poll-timer.ts): only the tray's pinned entries show them.
 */
export function quietSessionPollMs(pollIntervalMs: number): number {
  return pollIntervalMs * 5;
}

/**
 * While no window shows processes, sessions or strays, the @reboot and autostart sources re-read
 * the crontab (a `crontab -l` each time) and the autostart folders every 5 minutes instead of
 * every 30 s (a change of the user's own folder is still seen at once: it is watched). When a
 * window shows them again, they are re-read within their usual 30 s.
 */
export const QUIET_STARTUP_POLL_MS = 300_000;

export interface Core {
  /** The machine every area acts on. */
  host: Host;
  monitor: SystemdMonitor;
  settings: SettingsStore;
  authoring: AuthoringService;
  /** Timer jobs (issue 14): made in words, run now, every run kept. */
  timers: TimerJobs;
  processes: ProcessService;
  /** Log export, and the size, growth and rotation of a background command's log (issue 14). */
  logs: LogsService;
  sessions: SessionService;
  startup: StartupWiring;
  alerts: CrashAlertsWiring;
  /** "Will it start?": the check of everything set to start (issue 15). */
  doctor: DoctorService;
  /** Setup files: export what the user made, import one (issue 17). */
  setup: SetupService;
  /** The far hosts of settings with their state and entries (issue 17); null when off. */
  hosts: FarHosts | null;
  /** The intervals the polling sources run at now. */
  pollIntervals(): { processes: number; sessions: number };
  /**
   * Whether any window shows processes, sessions or strays (the shell tells, from its windows;
   * true until told). While none does, the core keeps watch rules and the tray exact with quiet
   * polls (ProcessScanner.quietScan) and looks at sessions less often; when one opens, the full
   * picture is back within one poll interval.
   */
  setShowing(showing: boolean): void;
  /** Everything createIpcTable needs but the windows and the app info. */
  ipcDeps: Omit<IpcTableDeps, 'windows' | 'appInfo'>;
  /** Stops crash alerts and the monitor. */
  stop(): Promise<void>;
}

/**
 * What opening settings.json found that the person must know (an unreadable file set aside, and
 * where it was kept) as a notification, once the session bus is up; without a notification
 * server, through the fallback (Electron's own notification in the app).
 */
export function noticeSettingsIssues(
  issues: readonly string[],
  bus: { readonly state: string; onState(l: (s: string) => void): () => void },
  notifier: Notifier,
  fallback: CrashAlertsHooks['fallback'],
): void {
  if (issues.length === 0) return;
  const send = () => {
    for (const body of issues) {
      const req = {
        summary: 'Daemon Deck could not read its settings',
        body,
        actions: [],
        urgency: 'normal' as const,
      };
      notifier.notify(req).catch(() => fallback?.(req, 'settings'));
    }
  };
  if (bus.state === 'up') return send();
  const off = bus.onState((state) => {
    if (state !== 'up') return;
    off();
    send();
  });
}

export function createCore(opts: CoreOptions): Core {
  const { env } = opts;
  const host = opts.host ?? createLocalHost(env);
  const settings = createSettingsStore(opts.settingsBackend);
  /** Whether any window shows processes, sessions or strays (setShowing). */
  let showing = true;
  // The core's words (notifications, the tray menu, error messages) follow the language setting.
  const followLanguage = opts.languageFromSettings !== false;
  if (followLanguage) setLanguage(resolveLanguage(env, settings.get().language));
  const systemd = opts.systemd ?? createSystemdSource({ ...opts, host });
  const authoring = new AuthoringService({ bus: systemd.bus, units: systemd.units, env, host });
  const timers = createTimerJobs(
    systemd,
    authoring,
    opts.settingsBackend,
    opts.alerts !== undefined,
  );
  // Adopt acts on units through the monitor, which is built below with this service's source.
  let monitor: SystemdMonitor | null = null;
  const processes = new ProcessService({
    // Called only once the sources below exist (a stop or an Adopt asked for later).
    onStopping: (pids) => {
      processSource.noteStopping(pids);
      alerts.alerts.noteStopping(pids);
    },
    rules: createWatchRuleStore(opts.settingsBackend),
    env,
    authoring,
    unitAct: (id, action) => {
      if (monitor === null) throw new Error('the monitor is not running yet');
      return monitor.act(id, action);
    },
    // Kept in a file of this host too: the CLI's `adopt --undo NAME` undoes the app's, and back.
    undoStore: hostAdoptUndos(host),
  });
  const logs = createLogsService(authoring, processes, {
    warnAboveBytes: () => settings.get().logWarnBytes,
  });
  const sessions = new SessionService({
    host,
    // While no window shows sessions, the quiet poll's table made exact by one listing (recent)
    // rather than a full scan: only a pane's command line is needed.
    scan: () => (showing ? processes.scan() : processes.recent(settings.get().pollIntervalMs)),
    ...(opts.tmuxSocket !== undefined ? { tmuxSocket: opts.tmuxSocket } : {}),
  });
  const startup = createStartup({
    host,
    ...(opts.crontab ? { crontab: opts.crontab } : {}),
    ...(opts.crontabSpool !== undefined ? { crontabSpool: opts.crontabSpool } : {}),
    ...(opts.selfCommand ? { selfCommand: opts.selfCommand } : {}),
    ...(opts.pollMs?.startup !== undefined ? { pollMs: opts.pollMs.startup } : {}),
    // The processes poll's table (at most 5 s old) rather than scans of their own; this
    // machine's processes are none of another host's (issue 17).
    processes: () => (host.name === 'local' ? commandProcesses(processes.recent(5000)) : []),
    // "Move to a timer" (issue 14): a crontab line becomes a timer job.
    timers: { timers, undoUnits: (token) => authoring.undo(token) },
  });
  const poll = settings.get().pollIntervalMs;
  const processSource = createProcessSource(processes, {
    intervalMs: opts.pollMs?.processes ?? poll,
  });
  const sessionSource = createSessionSource(sessions, {
    intervalMs: opts.pollMs?.sessions ?? sessionPollMs(poll),
  });
  monitor = createMonitor(systemd, [processSource, sessionSource, ...startup.sources]);
  // A change of the setting re-times both sources (intervals a test fixed hold until then).
  let appliedPoll = poll;
  let fixedSessionsMs = opts.pollMs?.sessions;
  const sessionsMs = () =>
    showing
      ? (fixedSessionsMs ?? sessionPollMs(appliedPoll))
      : Math.max(fixedSessionsMs ?? 0, quietSessionPollMs(appliedPoll));
  const startupMs = () =>
    showing
      ? (opts.pollMs?.startup ?? 30_000)
      : Math.max(opts.pollMs?.startup ?? 0, QUIET_STARTUP_POLL_MS);
  const offSettings = settings.onChange((next) => {
    if (followLanguage) setLanguage(resolveLanguage(env, next.language));
    if (next.pollIntervalMs === appliedPoll) return;
    appliedPoll = next.pollIntervalMs;
    fixedSessionsMs = undefined;
    processSource.setIntervalMs(next.pollIntervalMs);
    sessionSource.setIntervalMs(sessionsMs());
  });
  const alerts = wireCrashAlerts({
    monitor,
    bus: systemd.bus,
    backend: opts.settingsBackend,
    settings,
    watch: opts.alerts !== undefined,
    logs: crashLogLines(() => authoring, settings),
    ...opts.alerts,
  });
  // The app (it asks for alerts) tells the person; the CLI prints them itself.
  if (opts.alerts !== undefined)
    noticeSettingsIssues(
      opts.settingsBackend.issues ?? [],
      systemd.bus,
      opts.alerts.notifier ?? alerts.notifier,
      opts.alerts.fallback,
    );
  const running = monitor;
  const farOpts = opts.farHosts ?? opts.alerts !== undefined;
  const hosts =
    farOpts === false
      ? null
      : new FarHosts({
          backend: opts.settingsBackend,
          env,
          settings,
          ...(opts.alerts !== undefined
            ? {
                alerts: {
                  notifier: opts.alerts.notifier ?? alerts.notifier,
                  ...(opts.alerts.fallback ? { fallback: opts.alerts.fallback } : {}),
                  ...(opts.alerts.staleMs !== undefined ? { staleMs: opts.alerts.staleMs } : {}),
                  ...(opts.alerts.clock ? { clock: opts.alerts.clock } : {}),
                },
              }
            : {}),
          ...(farOpts === true ? {} : farOpts),
        });
  // In the background: each host connects on its own, none holds up this machine's entries.
  hosts?.start();
  const setup = new SetupService(
    setupDeps({
      host,
      units: systemd.units,
      authoring,
      cron: startup.cron,
      rules: processes.rules,
    }),
    undefined,
    hosts === null ? undefined : (name) => hosts.setupDeps(name),
  );
  const doctor = new DoctorService({
    host,
    bus: systemd.bus,
    startup,
    backend: opts.settingsBackend,
    act: (id, action) => running.act(id, action),
  });
  return {
    host,
    monitor,
    settings,
    authoring,
    timers,
    processes,
    logs,
    sessions,
    startup,
    alerts,
    doctor,
    setup,
    hosts,
    pollIntervals: () => ({
      processes: processSource.intervalMs,
      sessions: sessionSource.intervalMs,
    }),
    setShowing(next) {
      if (next === showing) return;
      showing = next;
      processes.setShowing(next);
      sessionSource.setIntervalMs(sessionsMs());
      systemd.units.setPidsShown(next);
      for (const s of startup.sources) s.setIntervalMs(startupMs());
    },
    ipcDeps: {
      monitor,
      settings,
      authoring,
      processes: {
        processes,
        sessions,
        progress: new ProcessProgress(),
        // A far host's strays and Adopt there (issue 17).
        ...(hosts !== null ? { far: (name: string) => hosts.processes(name) } : {}),
      },
      startup: startup.service,
      alerts,
      doctor,
      timers,
      setup,
      logs,
      ...(hosts !== null ? { hosts } : {}),
    },
    async stop() {
      offSettings();
      await hosts?.stop();
      timers.stop();
      alerts.stop();
      await running.stop();
    },
  };
}
