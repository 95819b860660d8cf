// Pure view logic of the "Start automatically" wizard: the user's words for the three ways,
// how a command is shown, the default names. No DOM, no API.
import type { StartMechanism, StartupNotice } from '../../../contract/index.js';
import { t } from '../../../i18n/index.js';

/** The catalog keys of each way's words: its name, its progress line, its Undo button. */
const MECHANISM_KEYS: Record<StartMechanism, { label: string; progress: string; undo: string }> = {
  systemd: {
    label: 'startup:mechanism.systemd',
    progress: 'startup:progress.systemd',
    undo: 'startup:undo.systemd',
  },
  cron: {
    label: 'startup:mechanism.cron',
    progress: 'startup:progress.cron',
    undo: 'startup:undo.cron',
  },
  'xdg-autostart': {
    label: 'startup:mechanism.autostart',
    progress: 'startup:progress.autostart',
    undo: 'startup:undo.autostart',
  },
};

/** The user's words for each way (read when a page renders, after its language is set). */
export function mechanismLabel(m: StartMechanism): string {
  return t(MECHANISM_KEYS[m].label);
}

/** The technical term shown beside the user's words, for those who know it. */
export const MECHANISM_TERMS: Record<StartMechanism, string> = {
  systemd: 'systemd --user unit',
  cron: 'crontab(5) @reboot',
  'xdg-autostart': 'XDG autostart .desktop',
};

/** What the progress line says while a setup runs. */
export function setupProgress(m: StartMechanism): string {
  return t(MECHANISM_KEYS[m].progress);
}

/** What "Undo" does for each way, as the button says it; a move also turns the old one on. */
export function undoLabel(m: StartMechanism, moved: boolean): string {
  return moved ? t('startup:undo.move') : t(MECHANISM_KEYS[m].undo);
}

/** The file name the core makes of a name ("My Notes" -> "my-notes"), for the clash check. */
export function fileSlug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9_.-]+/g, '-')
      .replace(/^[-.]+|-+$/g, '')
      .slice(0, 60) || 'command'
  );
}

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
