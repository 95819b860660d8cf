// Domain types of "Will it start?" (issue 15): findings about everything set to start at login or
// boot, the fixes the app can make, a rehearsal of one entry, and the startup timing. Owned by
// core; the IPC contract, the CLI (`doctor --json`, a contract: fields are added, never renamed)
// and the renderer use them as they are.

export type DoctorSeverity = 'error' | 'warning' | 'info';

/** Stable codes: scripts match on them, so they are never renamed. */
export const DOCTOR_CODES = [
  // user units and timers
  'unit-program-missing',
  'unit-workdir-missing',
  'unit-target-missing',
  'unit-target-not-reached',
  'unit-needs-reload',
  'unit-masked',
  'unit-link-broken',
  'unit-failed',
  'unit-gui-no-display',
  'unit-gui-not-after-session',
  'unit-needs-linger',
  'unit-starts-at-login',
  // @reboot lines
  'cron-not-running',
  'cron-not-at-boot',
  'cron-denied',
  'cron-program-missing',
  'cron-program-not-on-path',
  'cron-gui',
  'cron-percent',
  // autostart entries
  'autostart-exec-missing',
  'autostart-tryexec-missing',
  'autostart-hidden',
  'autostart-not-this-desktop',
  'autostart-gnome-disabled',
  'autostart-shadowed',
  'autostart-invalid',
  // across mechanisms
  'started-twice',
  'login-and-boot',
] as const;
export type DoctorCode = (typeof DOCTOR_CODES)[number];

/** A fix the app makes itself, through the core's own services. */
export type DoctorAction =
  | { kind: 'daemon-reload' }
  | { kind: 'unmask'; unit: string }
  | { kind: 'restart'; id: string }
  | { kind: 'remove-broken-link'; unit: string }
  | { kind: 'enable-linger' }
  | { kind: 'autostart-enable'; file: string }
  | { kind: 'cron-full-path'; key: string; argv: string[] };

export type DoctorFix =
  /** A button: the app can do it. `label` is the button's words. */
  | { kind: 'action'; label: string; action: DoctorAction }
  /** The exact step the user takes (a command to run, a line to change). */
  | { kind: 'step'; step: string };

/** How a program was guessed to need a display or the session bus. */
export interface GuiGuess {
  program: string;
  gui: boolean;
  /** `toolkit`: it links a GUI library; `known-list`: a name the app knows; `user`: marked. */
  how: 'toolkit' | 'known-list' | 'user';
  /** The library or the list entry that decided it, e.g. libgtk-3.so.0. */
  detail: string;
}

export interface DoctorFinding {
  /** The entry id (systemd:NAME, cron:KEY, autostart:FILE). */
  entry: string;
  severity: DoctorSeverity;
  code: DoctorCode;
  /** One sentence in the user's words. */
  message: string;
  fix: DoctorFix | null;
  /** When a finding rests on a guess that the program is a GUI program: how it was made. */
  guess?: GuiGuess;
}

export type DoctorMechanism = 'systemd' | 'cron' | 'xdg-autostart';

/** One thing that starts by itself and was checked. */
export interface DoctorEntry {
  id: string;
  mechanism: DoctorMechanism;
  /** What the user knows it as (unit name, Name= of the file, the command). */
  name: string;
}

export interface DoctorReport {
  entries: DoctorEntry[];
  findings: DoctorFinding[];
  /** ISO 8601. */
  checkedAt: string;
  /** How long the check took. */
  tookMs: number;
  /** Sources that could not be read (no bus, no crontab): checked without them. */
  unavailable: string[];
}

export type RehearsalOutcome =
  /** It started and was still running at the end of the watch. */
  | 'up'
  /** It ran and finished with success within the watch (a one-shot job). */
  | 'done'
  /** It exited with an error or a signal. */
  | 'failed'
  /** It never finished starting (a start job still waiting), or sat blocked waiting for input. */
  | 'hung'
  /** It could not be started at all. */
  | 'not-started';

export interface Rehearsal {
  id: string;
  mechanism: DoctorMechanism;
  argv: string[] | null;
  outcome: RehearsalOutcome;
  /** It started (a process ran / the unit left inactive). */
  cameUp: boolean;
  /** It was still running at the end of the watch. */
  stayedUp: boolean;
  exitCode: number | null;
  signal: string | null;
  /** What it printed (the last lines). */
  output: string;
  watchedMs: number;
  /** One sentence on what happened. */
  summary: string;
}

export interface UnitTiming {
  unit: string;
  /** From leaving inactive to active. */
  ms: number;
  /** Since the user manager started. */
  activeAtMs: number;
}

export interface StartupTiming {
  /** Slowest first. */
  units: UnitTiming[];
  /** From the user manager's start (login) to the last unit becoming active, null when unknown. */
  loginToLastMs: number | null;
  /** From the user manager's start to it finishing its start-up, null when unknown. */
  managerStartupMs: number | null;
}

/** The user's own word on a program: GUI or not (null: forget it, guess again). */
export interface GuiMark {
  program: string;
  gui: boolean | null;
}
