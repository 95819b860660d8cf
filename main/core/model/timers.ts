// Domain types of the timers area (issue 14): a job that runs on a schedule (a oneshot service
// and its timer), the schedule picked in words, systemd's reading of a calendar expression, and
// each run's outcome. Owned by core; the IPC contract, the CLI and the renderer use them as they are.

/** When a job runs: one of the four forms a timer's schedule takes. */
export type TimerWhen =
  /** OnCalendar=EXPR: a calendar expression (`Mon..Fri *-*-* 09:00:00`). */
  | { kind: 'calendar'; expr: string }
  /** OnBootSec=SPAN: this long after the machine boots. */
  | { kind: 'after-boot'; span: string }
  /** OnStartupSec=SPAN: this long after the user's service manager starts (login). */
  | { kind: 'after-login'; span: string }
  /** OnActiveSec=SPAN and OnUnitActiveSec=SPAN: every SPAN, counted from the last run. */
  | { kind: 'every'; span: string };

export const TIMER_WHEN_KINDS = ['calendar', 'after-boot', 'after-login', 'every'] as const;

/** The make/edit form of a timer job. */
export interface TimerJobForm {
  /** The job's name: NAME.service and NAME.timer (no suffix). */
  name: string;
  description: string;
  /** The command as an argument list; argv[0] a program (a bare name is looked up on PATH). */
  argv: string[];
  when: TimerWhen;
  /** Persistent=true: run at once a run missed while the machine was off (calendar only). */
  persistent: boolean;
  /** RandomizedDelaySec=: spread each run by up to this many seconds; null for none. */
  randomDelaySec: number | null;
}

/** A timer job the app made, as listed. */
export interface TimerJob {
  name: string;
  /** `systemd:NAME.timer` and `systemd:NAME.service`. */
  timerId: string;
  serviceId: string;
  description: string;
  argv: string[];
  when: TimerWhen;
  persistent: boolean;
  randomDelaySec: number | null;
  enabled: boolean;
  active: boolean;
  /** ISO times; null when none. */
  nextRun: string | null;
  lastRun: string | null;
  /** The last recorded run's result (`success`, `exit-code`...), null before the first. */
  lastResult: string | null;
  /** The file the job's output goes to (each run replaces it). */
  outputPath: string;
}

/** Where a run's record came from. */
export type TimerRunSource =
  /** Recorded by Daemon Deck watching systemd while it ran. */
  | 'watched'
  /** The service's last run as systemd reports it now (ExecMain* properties). */
  | 'systemd'
  /** Read back from the journal (journald keeps systemd's messages of each run). */
  | 'journal';

/** One run of a timer job. */
export interface TimerRun {
  /** systemd's InvocationID (hex), or the start time when unknown. */
  id: string;
  /** ISO start and end; end null while it runs or when unknown. */
  start: string;
  end: string | null;
  durationMs: number | null;
  /** systemd's Result= (`success`, `exit-code`, `signal`, `timeout`, `core-dump`...). */
  result: string;
  /** The exit status when the process exited, null otherwise. */
  exitStatus: number | null;
  /** The signal's name when it was killed (`SIGKILL`), null otherwise. */
  signal: string | null;
  /** The last lines of its output, oldest first. */
  output: string[];
  source: TimerRunSource;
}

/** A job's runs, newest first, with where they came from. */
export interface TimerHistory {
  name: string;
  runs: TimerRun[];
  /** Whether journald runs here, so runs made while Daemon Deck was not running can be read back. */
  journal: boolean;
  /** Whether this core records runs as they happen (the app), or only reads them back (the CLI). */
  watching: boolean;
}

/** systemd's reading of a calendar expression: its normalised form and next elapses. */
export interface CalendarAnalysis {
  expr: string;
  normalized: string;
  /** ISO times (UTC), the first `count`; empty when it never elapses again. */
  next: string[];
}

/** The result of `timer run`: the run, when it was waited for. */
export interface TimerRunOutcome {
  name: string;
  run: TimerRun | null;
}
