// Pure view logic of the "Start automatically" wizard: the user's words for the three ways,
// how a command is shown, the default names. No DOM, no API.
import type { StartMechanism, StartupNotice } from '../../../contract/index.js';

export const MECHANISM_LABELS: Record<StartMechanism, string> = {
  systemd: 'User service',
  cron: 'Crontab @reboot',
  'xdg-autostart': 'Autostart at login',
};

/** The technical term shown beside the user's words, for those who know it. */
export const MECHANISM_TERMS: Record<StartMechanism, string> = {
  systemd: 'systemd --user unit',
  cron: 'crontab(5) @reboot',
  'xdg-autostart': 'XDG autostart .desktop',
};

/** What the progress line says while a setup runs. */
export const SETUP_PROGRESS: Record<StartMechanism, string> = {
  systemd: 'Writing the unit file, reloading systemd and starting the service…',
  cron: 'Re-reading your crontab and adding the @reboot line…',
  'xdg-autostart': 'Writing the autostart file…',
};

/** What "Undo" does for each way, as the button says it. */
export const UNDO_LABELS: Record<StartMechanism, string> = {
  systemd: 'Undo: stop and disable',
  cron: 'Undo: restore the crontab',
  'xdg-autostart': 'Undo: remove the file',
};

/** One argument as a shell would need it to read back the same argument (for display only). */
export function shellWord(arg: string): string {
  if (arg !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function commandText(argv: readonly string[]): string {
  return argv.map(shellWord).join(' ');
}

/** A name for the unit or autostart file: the entry's own, else the program's base name. */
export function defaultName(argv: readonly string[], id: string | null): string {
  if (id !== null) {
    const m =
      /^(?:process|autostart|systemd|session:(?:tmux|screen)):(.+?)(?:\.desktop|\.service)?$/.exec(
        id,
      );
    if (m?.[1]) return m[1];
  }
  const program = argv[0] ?? '';
  return program.slice(program.lastIndexOf('/') + 1) || 'command';
}

/** Notices with the same code and message shown once, warnings first. */
export function uniqueNotices(...lists: ReadonlyArray<readonly StartupNotice[]>): StartupNotice[] {
  const seen = new Set<string>();
  const out: StartupNotice[] = [];
  for (const n of lists.flat()) {
    const key = `${n.code}\n${n.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(n);
  }
  return out.sort((a, b) => Number(b.severity === 'warning') - Number(a.severity === 'warning'));
}

/** The file name of an `autostart:FILE` id. */
export function autostartFile(id: string): string | null {
  return id.startsWith('autostart:') ? id.slice('autostart:'.length) : null;
}
