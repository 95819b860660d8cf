// "How does this start?": which mechanisms start a command at login or boot, and the three ways
// the app offers to make it start. Pure: no I/O; the facts come in as arguments.
import type {
  HowItStarts,
  StartMechanism,
  StartupNotice,
  StartupOption,
} from '../model/startup.js';

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

/** One argument quoted for ExecStart= (systemd.service(5)): double quotes, `%%`, `$$`. */
export function systemdExecWord(arg: string): string {
  const body = arg
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/%/g, '%%')
    .replace(/\$/g, '$$$$');
  return /^[A-Za-z0-9_@+=:,./-]+$/.test(arg) ? body : `"${body}"`;
}

/** A user unit that runs the command, restarts it on failure and starts with the user manager. */
export function serviceUnit(argv: readonly string[], description: string): string {
  return [
    '[Unit]',
    `Description=${description.replace(/[\n\r]/g, ' ')}`,
    '',
    '[Service]',
    `ExecStart=${argv.map(systemdExecWord).join(' ')}`,
    'Restart=on-failure',
    'RestartSec=2',
    '',
    '[Install]',
    'WantedBy=default.target',
    '',
  ].join('\n');
}

/** Parse an ExecStart= value back to argv for the plain cases; null for anything else. */
export function parseExecStart(value: string): string[] | null {
  const v = value.replace(/^[-@:+!]+/, '');
  const out: string[] = [];
  let i = 0;
  let cur: string | null = null;
  while (i < v.length) {
    const ch = v[i]!;
    if (ch === ' ' || ch === '\t') {
      if (cur !== null) out.push(cur);
      cur = null;
      i++;
    } else if (ch === '"' || ch === "'") {
      const end = v.indexOf(ch, i + 1);
      let j = i + 1;
      let s = '';
      if (ch === "'") {
        if (end === -1) return null;
        s = v.slice(i + 1, end);
        j = end;
      } else {
        for (;;) {
          if (j >= v.length) return null;
          const c = v[j]!;
          if (c === '"') break;
          if (c === '\\' && j + 1 < v.length) {
            s += v[j + 1]!;
            j += 2;
            continue;
          }
          s += c;
          j++;
        }
      }
      cur = (cur ?? '') + s;
      i = j + 1;
    } else if (ch === '\\' && i + 1 < v.length) {
      cur = (cur ?? '') + v[i + 1]!;
      i += 2;
    } else {
      cur = (cur ?? '') + ch;
      i++;
    }
  }
  if (cur !== null) out.push(cur);
  if (out.length === 0) return null;
  return out.map((a) => a.replace(/%%/g, '%').replace(/\$\$/g, '$'));
}
