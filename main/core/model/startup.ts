// Domain types of the startup area (crontab, XDG autostart, linger, how things start; issue 5).
// Owned by core; the IPC contract and the renderer use them as they are.

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

/** What "Move to a timer" did (issue 14). */
export interface CronToTimerOutcome {
  /** The crontab line's key (unchanged: a disabled line keeps its key). */
  key: string;
  /** The timer job's name: NAME.timer and NAME.service. */
  timer: string;
  /** The OnCalendar= expression written, as systemd normalised it. */
  expr: string;
  /** Undoes both (`cron undo TOKEN`): re-enables the line and removes the timer. */
  undo: string;
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
  /** What is already in place for this command by this mechanism, in words. */
  existing: string[];
}

export interface HowItStarts {
  argv: string[];
  /** Every mechanism that starts this command, with the entry id that does. */
  via: StarterRef[];
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
  /**
   * Move it here: every other starter of the same command that is in effect is turned off
   * (disabled, never deleted) once the new one is in place, so it starts once.
   */
  move?: boolean;
}

/** A starter that was in effect, as it was named to the user. */
export interface StarterRef {
  mechanism: StartMechanism;
  id: string;
  /** The starter in words. */
  detail: string;
}

export interface StartupSetupResult {
  mechanism: StartMechanism;
  /** The entry id that now starts it (cron:KEY, autostart:FILE, systemd:NAME.service). */
  id: string;
  how: HowItStarts;
  /** With `move`: the starters turned off (turn them on again to undo the move). */
  moved: StarterRef[];
}
