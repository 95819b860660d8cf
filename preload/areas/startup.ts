// The startup area of the IPC contract (issue 5: crontab @reboot, XDG autostart, linger, how things start).
// Channels, payload/result types and the named API methods for this area; contract.ts and
// api.ts compose every area into InvokeMap, INVOKE_CHANNELS and DaemonDeckApi.
import type { Transport } from '../api.js';
import type { Result } from '../contract.js';

/** Something the user must be told about a way of starting things. */
export interface StartupNotice {
  code:
    | 'cron-not-installed'
    | 'cron-not-running'
    | 'cron-not-at-boot'
    | 'reboot-only-at-cron-start'
    | 'no-display'
    | 'relative-path'
    | 'stdin-in-command'
    | 'unparsed-command'
    | 'try-exec-missing'
    | 'not-in-this-desktop'
    | 'hidden'
    | 'duplicate'
    | 'backslash-in-exec'
    | 'unreadable-lines';
  /** One readable sentence. */
  message: string;
  severity: 'info' | 'warning';
}

/** A job line of the crontab: @reboot lines are editable, the others are shown read-only. */
export interface CronJob {
  /** Stable key of the line; the entry id is `cron:KEY`. */
  key: string;
  id: string;
  /** The line as it is in the crontab. */
  line: string;
  /** `@reboot`, `@daily` or the five fields. */
  schedule: string;
  reboot: boolean;
  enabled: boolean;
  /** The command as written (still `%`-escaped). */
  command: string;
  /** The argument list when the command is a plain one, else null. */
  argv: string[] | null;
  /** The file of a trailing `>> FILE 2>&1`. */
  log: string | null;
  /** PIDs of processes running this command now. */
  pids: number[];
  /** Next run (ISO 8601) of a timed line; null for @reboot. */
  nextRun: string | null;
  notices: StartupNotice[];
}

export interface CronState {
  /** A hash of the crontab text: pass it back with an edit to refuse edits of a changed crontab. */
  revision: string;
  /** crontab(1) exists. */
  installed: boolean;
  /** A cron daemon is running now. */
  running: boolean;
  jobs: CronJob[];
  /** Environment lines (`NAME=value`), read-only. */
  env: Array<{ name: string; value: string }>;
  notices: StartupNotice[];
  /** Changes that can be undone, newest first. */
  backups: Array<{ id: string; createdAt: string; reason: string }>;
}

export interface CronChange {
  /** The key of the line the change made or touched (null when it was removed). */
  key: string | null;
  state: CronState;
}

export interface AutostartItem {
  /** The file name, e.g. `foo.desktop`; the entry id is `autostart:FILE`. */
  file: string;
  id: string;
  name: string;
  comment: string;
  exec: string;
  /** Exec parsed per the Desktop Entry spec, field codes dropped; null when it cannot be. */
  argv: string[] | null;
  /** The file that is in effect: the user's, else the first system one. */
  path: string;
  /** Where it comes from: the user's folder, a system folder, or a user override of one. */
  origin: 'user' | 'system' | 'user-override';
  /** The system file the user's file overrides, if any. */
  overrides: string | null;
  /** Starts at login on this desktop per the spec (Hidden, OnlyShowIn/NotShowIn, TryExec). */
  effective: boolean;
  /** Not Hidden=true (what enable/disable toggles). */
  enabled: boolean;
  /** Written by Daemon Deck (X-Daemon-Deck=true). */
  ours: boolean;
  pids: number[];
  notices: StartupNotice[];
}

export interface AutostartState {
  userDir: string;
  systemDirs: string[];
  /** XDG_CURRENT_DESKTOP as the spec matches it. */
  desktops: string[];
  items: AutostartItem[];
  /** The app's own "Start Daemon Deck at login" entry. */
  self: SelfAutostart;
}

export interface SelfAutostart {
  enabled: boolean;
  file: string;
  /** The Exec line it has (or would have). */
  exec: string;
}

export interface LingerState {
  user: string;
  lingering: boolean;
  /** What linger means, in words. */
  explanation: string;
  /** How a change would be made: 'login1', 'loginctl' or null when neither is available. */
  method: 'login1' | 'loginctl' | null;
}

export type StartMechanism = 'systemd' | 'cron' | 'xdg-autostart';

export interface StartupOption {
  mechanism: StartMechanism;
  title: string;
  recommended: boolean;
  restartsOnCrash: boolean;
  logs: string;
  needsLogin: boolean;
  /** One or two sentences on the trade-off. */
  summary: string;
  /** What is already in place for this command by this mechanism. */
  existing: string[];
}

export interface HowItStarts {
  argv: string[];
  /** Every mechanism that starts this command, with the entry id that does. */
  via: Array<{ mechanism: StartMechanism; id: string; detail: string }>;
  /** True when two or more mechanisms (or two lines) start the same command. */
  duplicate: boolean;
  notices: StartupNotice[];
  options: StartupOption[];
}

export interface StartupSetupRequest {
  mechanism: StartMechanism;
  argv: string[];
  /** A name for the unit or the autostart file; derived from the command when absent. */
  name?: string;
  /** For cron: a log file for the output. */
  log?: string;
  /** For systemd: also turn on linger so it starts at boot without a login. */
  linger?: boolean;
}

export interface StartupSetupResult {
  mechanism: StartMechanism;
  /** The entry id that now starts it (cron:KEY, autostart:FILE, systemd:NAME.service). */
  id: string;
  how: HowItStarts;
}

export interface StartupInvokeMap {
  'cron:list': [payload: null, result: Result<CronState>];
  'cron:add': [
    payload: { argv: string[]; log?: string | null; revision?: string },
    result: Result<CronChange>,
  ];
  'cron:edit': [
    payload: { key: string; argv: string[]; log?: string | null; revision?: string },
    result: Result<CronChange>,
  ];
  'cron:set-enabled': [
    payload: { key: string; enabled: boolean; revision?: string },
    result: Result<CronChange>,
  ];
  'cron:remove': [payload: { key: string; revision?: string }, result: Result<CronChange>];
  'cron:run': [payload: { key: string }, result: Result<{ pid: number }>];
  'cron:undo': [payload: null, result: Result<CronState>];
  'autostart:list': [payload: null, result: Result<AutostartState>];
  'autostart:add': [
    payload: { name: string; argv: string[]; comment?: string },
    result: Result<AutostartItem>,
  ];
  'autostart:set-enabled': [
    payload: { file: string; enabled: boolean },
    result: Result<AutostartItem>,
  ];
  'autostart:remove': [payload: { file: string }, result: Result<null>];
  'autostart:set-self': [payload: { enabled: boolean }, result: Result<SelfAutostart>];
  'linger:get': [payload: null, result: Result<LingerState>];
  'linger:set': [payload: { enabled: boolean }, result: Result<LingerState>];
  'startup:how': [payload: { argv: string[] } | { id: string }, result: Result<HowItStarts>];
  'startup:setup': [payload: StartupSetupRequest, result: Result<StartupSetupResult>];
}

export const STARTUP_CHANNELS = [
  'cron:list',
  'cron:add',
  'cron:edit',
  'cron:set-enabled',
  'cron:remove',
  'cron:run',
  'cron:undo',
  'autostart:list',
  'autostart:add',
  'autostart:set-enabled',
  'autostart:remove',
  'autostart:set-self',
  'linger:get',
  'linger:set',
  'startup:how',
  'startup:setup',
] as const satisfies readonly (keyof StartupInvokeMap)[];

export interface StartupApi {
  listCron(): Promise<Result<CronState>>;
  addCron(
    argv: string[],
    opts?: { log?: string | null; revision?: string },
  ): Promise<Result<CronChange>>;
  editCron(
    key: string,
    argv: string[],
    opts?: { log?: string | null; revision?: string },
  ): Promise<Result<CronChange>>;
  setCronEnabled(key: string, enabled: boolean, revision?: string): Promise<Result<CronChange>>;
  removeCron(key: string, revision?: string): Promise<Result<CronChange>>;
  runCronNow(key: string): Promise<Result<{ pid: number }>>;
  undoCron(): Promise<Result<CronState>>;
  listAutostart(): Promise<Result<AutostartState>>;
  addAutostart(name: string, argv: string[], comment?: string): Promise<Result<AutostartItem>>;
  setAutostartEnabled(file: string, enabled: boolean): Promise<Result<AutostartItem>>;
  removeAutostart(file: string): Promise<Result<null>>;
  setSelfAutostart(enabled: boolean): Promise<Result<SelfAutostart>>;
  getLinger(): Promise<Result<LingerState>>;
  setLinger(enabled: boolean): Promise<Result<LingerState>>;
  howItStarts(target: { argv: string[] } | { id: string }): Promise<Result<HowItStarts>>;
  setupStartup(request: StartupSetupRequest): Promise<Result<StartupSetupResult>>;
}

export function createStartupApi(transport: Transport): StartupApi {
  return {
    listCron: () => transport.invoke('cron:list', null),
    addCron: (argv, opts = {}) => transport.invoke('cron:add', { argv, ...opts }),
    editCron: (key, argv, opts = {}) => transport.invoke('cron:edit', { key, argv, ...opts }),
    setCronEnabled: (key, enabled, revision) =>
      transport.invoke('cron:set-enabled', {
        key,
        enabled,
        ...(revision !== undefined ? { revision } : {}),
      }),
    removeCron: (key, revision) =>
      transport.invoke('cron:remove', { key, ...(revision !== undefined ? { revision } : {}) }),
    runCronNow: (key) => transport.invoke('cron:run', { key }),
    undoCron: () => transport.invoke('cron:undo', null),
    listAutostart: () => transport.invoke('autostart:list', null),
    addAutostart: (name, argv, comment) =>
      transport.invoke('autostart:add', {
        name,
        argv,
        ...(comment !== undefined ? { comment } : {}),
      }),
    setAutostartEnabled: (file, enabled) =>
      transport.invoke('autostart:set-enabled', { file, enabled }),
    removeAutostart: (file) => transport.invoke('autostart:remove', { file }),
    setSelfAutostart: (enabled) => transport.invoke('autostart:set-self', { enabled }),
    getLinger: () => transport.invoke('linger:get', null),
    setLinger: (enabled) => transport.invoke('linger:set', { enabled }),
    howItStarts: (target) => transport.invoke('startup:how', target),
    setupStartup: (request) => transport.invoke('startup:setup', request),
  };
}
