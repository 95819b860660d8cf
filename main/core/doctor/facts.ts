// The facts "Will it start?" judges: what the reader (read-facts.ts) found on the machine, as plain
// data, so the rules (rules.ts) are pure functions over it. Also the parser of `systemctl show`
// output, which the rehearsal and the timing read (pure, tested on its own).
import type { GuiGuess } from '../model/doctor.js';

export interface ProgramFact {
  /** The property it comes from (ExecStart, ExecStartPre...), or Exec/TryExec for a desktop file. */
  from: string;
  path: string;
  /** Exists and is executable (for a relative name: found on the PATH that applies). */
  runs: boolean;
  /** systemd's `-` prefix: a failure is ignored. */
  ignoreErrors: boolean;
}

export interface UnitFact {
  id: string;
  unit: string;
  /** Targets whose `.wants/` or `.requires/` folder (in the user unit folder) links it. */
  wantedBy: string[];
  /** A link in the user unit folder to /dev/null. */
  masked: boolean;
  /** A link in the user unit folder whose target is gone. */
  linkBroken: boolean;
  /**
   * The unit as systemd has it loaded, named as `systemctl show` names them (unit-bus.ts); null
   * when the manager could not be asked.
   */
  show: Record<string, string> | null;
  programs: ProgramFact[];
  workingDirectory: { path: string; optional: boolean; exists: boolean } | null;
  /** A timer with OnCalendar= (runs at a time of day, whoever is logged in). */
  calendarTimer: boolean;
  gui: GuiGuess | null;
}

export interface TargetFact {
  loadState: string;
  activeState: string;
}

export interface CronLineFact {
  id: string;
  key: string;
  line: string;
  command: string;
  argv: string[] | null;
  enabled: boolean;
  /** The command holds an unescaped `%`. */
  percent: boolean;
  /** argv[0] and where cron (PATH=/usr/bin:/bin) or the user's PATH finds it. */
  program: { name: string; onCronPath: boolean; resolved: string | null } | null;
  gui: GuiGuess | null;
}

export interface CronFact {
  /** crontab(1) is there and the user's crontab could be read. */
  readable: boolean;
  running: boolean;
  /** Whether cron starts at boot: null when it cannot be told. */
  atBoot: boolean | null;
  /** May the user use cron? `why` names the file that decided. */
  access: { allowed: boolean; why: string | null };
  lines: CronLineFact[];
}

export interface AutostartFact {
  id: string;
  file: string;
  name: string;
  path: string;
  origin: 'user' | 'system' | 'user-override';
  overrides: string | null;
  hidden: boolean;
  notThisDesktop: boolean;
  /** X-GNOME-Autostart-enabled=false. */
  gnomeDisabled: boolean;
  argv: string[] | null;
  exec: ProgramFact | null;
  tryExec: ProgramFact | null;
  /** desktop-file-validate's errors for the file. */
  invalid: string[];
  gui: GuiGuess | null;
}

export interface EnvFact {
  /** systemd's user environment (show-environment); null when it could not be read. */
  systemdEnv: Record<string, string> | null;
  lingering: boolean;
  desktops: string[];
}

export interface StarterFact {
  id: string;
  mechanism: 'systemd' | 'cron' | 'xdg-autostart';
  argv: string[] | null;
  /**
   * The starter in words ("the @reboot line … in your crontab"), never only its id; a function
   * when worked out only if asked (most starters start nothing twice).
   */
  words: string | (() => string);
}

export interface DoctorFacts {
  units: UnitFact[];
  targets: Record<string, TargetFact>;
  cron: CronFact | null;
  autostart: AutostartFact[];
  env: EnvFact;
  /** Every active starter of every mechanism, for the checks across them. */
  starters: StarterFact[];
}

/** `systemctl show A B ...` output: one record per unit, in the order of the blank-line blocks. */
export function parseShow(text: string): Array<Record<string, string>> {
  const out: Array<Record<string, string>> = [];
  let cur: Record<string, string> = {};
  for (const line of text.split('\n')) {
    if (line === '') {
      if (Object.keys(cur).length > 0) out.push(cur);
      cur = {};
      continue;
    }
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const k = line.slice(0, eq);
    const v = line.slice(eq + 1);
    // Exec* properties come once per command: keep them all, one per line.
    cur[k] = k in cur ? `${cur[k]}\n${v}` : v;
  }
  if (Object.keys(cur).length > 0) out.push(cur);
  return out;
}
