// "How does this start?": which mechanisms start a command at login or boot, and the three ways
// the app offers to make it start. Pure: no I/O; the facts come in as arguments. Units are
// written and read back by the one unit writer, systemd/unit-file.ts.
import type {
  HowItStarts,
  StartMechanism,
  StartupNotice,
  StartupOption,
} from '../model/startup.js';
import { AppFailure, appError } from '../errors.js';
import { renderServiceUnit } from '../systemd/unit-file.js';

export interface Starter {
  mechanism: StartMechanism;
  id: string;
  /** Whether it is in effect (enabled unit, enabled @reboot line, effective autostart file). */
  active: boolean;
  argv: string[] | null;
  detail: string;
}

function sameCommand(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

export function howItStarts(argv: string[], starters: readonly Starter[]): HowItStarts {
  const via = starters
    .filter((s) => s.active && s.argv !== null && sameCommand(s.argv, argv))
    .map(({ mechanism, id, detail }) => ({ mechanism, id, detail }));
  const duplicate = via.length > 1;
  const notices: StartupNotice[] = [];
  if (duplicate)
    notices.push({
      code: 'duplicate',
      severity: 'warning',
      message: `This command is started ${via.length} times (${via.map((v) => v.id).join(', ')}): two copies may fight over the same port or files. Keep one.`,
    });
  return { argv, via, duplicate, notices, options: startupOptions(via) };
}

/** The three ways to start something automatically, with their trade-offs; a user unit first. */
export function startupOptions(via: HowItStarts['via'] = []): StartupOption[] {
  const existing = (m: StartMechanism) => via.filter((v) => v.mechanism === m).map((v) => v.id);
  return [
    {
      mechanism: 'systemd',
      title: 'A systemd user service',
      recommended: true,
      restartsOnCrash: true,
      logs: 'Kept by systemd (journalctl --user -u NAME) and shown in Daemon Deck.',
      needsLogin: false,
      summary:
        'Restarts it when it crashes (Restart=on-failure) and keeps its logs. With "keep running after logout" (linger) it starts at boot, before anyone logs in.',
      existing: existing('systemd'),
    },
    {
      mechanism: 'cron',
      title: 'A crontab @reboot line',
      recommended: false,
      restartsOnCrash: false,
      logs: 'None, unless you give a log file.',
      needsLogin: false,
      summary:
        'Runs once when cron starts at boot, without a login. Nothing restarts it, and it gets no display or session bus, so it suits plain command-line tools only.',
      existing: existing('cron'),
    },
    {
      mechanism: 'xdg-autostart',
      title: 'Start at login (autostart)',
      recommended: false,
      restartsOnCrash: false,
      logs: 'None of its own; the desktop session may keep its output.',
      needsLogin: true,
      summary:
        'Starts when you log in to the desktop, with your display and session bus: the way for tray icons and windows. Nothing restarts it.',
      existing: existing('xdg-autostart'),
    },
  ];
}

/**
 * A user unit that runs the command, restarts it on failure and starts with the user manager:
 * written by the one unit writer (systemd/unit-file.ts), with its quoting and `%` escaping.
 * Throws (invalid-input) on a command a unit cannot hold.
 */
export function serviceUnit(argv: readonly string[], description: string): string {
  const p = renderServiceUnit({
    name: 'startup',
    // eslint-disable-next-line no-control-regex
    description: description.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\\+$/, ''),
    argv: [...argv],
    workingDirectory: null,
    environment: [],
    restart: 'on-failure',
    restartSec: 2,
    startAtLogin: true,
    afterNetwork: false,
    socket: null,
  });
  const file = p.files[0];
  if (file === undefined)
    throw new AppFailure(appError('invalid-input', p.issues.map((i) => i.message).join(' ')));
  return file.text;
}
