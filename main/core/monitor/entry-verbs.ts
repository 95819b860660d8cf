// The one table of what each kind of entry can do, shared by the monitor's act (and so the IPC
// table's 'entries:act' and the tray) and the CLI's generic verbs. Pure: no I/O.
//
// An entry's `actions` are the verbs that make sense in its current state; the table below is
// every verb its kind supports in some state. A verb outside the table is refused with an error
// that says what the id can do; a verb inside it that does nothing now (start what runs) is the
// source's to answer, as systemd answers a start of a running unit.
import { ENTRY_ACTIONS } from '../model/domain.js';
import type { AppError, Entry, EntryAction, Snapshot, SourceName } from '../model/domain.js';

/** The verbs of the CLI: the entry actions, plus status, logs, kill and rm. */
export type EntryVerb = EntryAction | 'status' | 'logs' | 'kill' | 'rm';

export const ENTRY_VERBS: readonly EntryVerb[] = ['status', ...ENTRY_ACTIONS, 'logs', 'kill', 'rm'];

/** What the entries of each source can do, and how that source is called in a sentence. */
const KINDS: Record<SourceName, { noun: string; verbs: readonly EntryVerb[] }> = {
  systemd: {
    noun: 'a systemd unit',
    verbs: ENTRY_VERBS,
  },
  processes: {
    noun: 'a watched process',
    verbs: ['status', 'start', 'stop', 'restart', 'logs', 'kill', 'rm'],
  },
  sessions: { noun: 'a tmux or screen session', verbs: ['status', 'stop', 'kill'] },
  cron: {
    noun: 'an @reboot line',
    verbs: ['status', 'start', 'stop', 'enable', 'disable', 'logs', 'kill', 'rm'],
  },
  autostart: {
    noun: 'an autostart entry',
    verbs: ['status', 'enable', 'disable', 'kill', 'rm'],
  },
};

const PREFIXES: Array<[string, SourceName]> = [
  ['systemd:', 'systemd'],
  ['process:', 'processes'],
  ['session:', 'sessions'],
  ['cron:', 'cron'],
  ['autostart:', 'autostart'],
];

/** The source an id belongs to; a bare name (no `kind:` prefix) is a systemd unit. */
export function sourceOfId(id: string): SourceName | null {
  for (const [prefix, source] of PREFIXES) if (id.startsWith(prefix)) return source;
  return /^[a-z]+:/.test(id) ? null : 'systemd';
}

/** The id as `list` prints it: a bare unit name gets `systemd:` and, without a type, `.service`. */
export function fullId(id: string): string {
  if (sourceOfId(id) !== 'systemd' || id.startsWith('systemd:')) return id;
  return `systemd:${/\.[a-z]+$/.test(id) ? id : `${id}.service`}`;
}

/** Every verb the kind of this id supports; [] for an id of no known kind. */
export function verbsOf(id: string): readonly EntryVerb[] {
  const source = sourceOfId(id);
  return source === null ? [] : KINDS[source].verbs;
}

/** Why `verb` cannot apply to this id at all, in words that say what it can do; null if it can. */
export function cannot(id: string, verb: EntryVerb): AppError | null {
  const source = sourceOfId(id);
  if (source === null)
    return {
      code: 'invalid-input',
      message: `"${id}" is not an id Daemon Deck knows: ids start with systemd:, process:, session:, cron: or autostart: (a bare unit name works too).`,
    };
  const kind = KINDS[source];
  if (kind.verbs.includes(verb)) return null;
  return {
    code: 'unsupported',
    message: `${id} is ${kind.noun}, which cannot ${verb}; it can: ${kind.verbs.join(', ')}.`,
  };
}

/**
 * Can this action run on this entry now: the entry offers it and the source that owns it is up
 * (a missing bus disables systemd's entries, not the crontab's). For the tray and the panel.
 */
export function actionAvailable(snapshot: Snapshot, entry: Entry, action: EntryAction): boolean {
  if (!entry.actions.includes(action)) return false;
  const source = sourceOfId(entry.id);
  if (source === null) return false;
  const status = source === 'systemd' ? snapshot.sources.systemd : snapshot.sources[source];
  // A source the snapshot does not report (a monitor built with fewer sources) is taken as up.
  return status === undefined || status.status === 'ok';
}

/** A sentence per source that is not up, e.g. for the CLI's stderr and the panel's notice. */
export function sourceNotices(snapshot: Snapshot): string[] {
  const out: string[] = [];
  for (const [name, status] of Object.entries(snapshot.sources))
    if (status?.status === 'unavailable')
      out.push(`${SOURCE_WORDS[name as SourceName]} not shown: ${withDetail(status.error)}`);
  return out;
}

/** The message, and the first line of its detail when that says more (why the bus is missing). */
export function withDetail(error: AppError): string {
  const detail = error.detail?.split('\n')[0];
  return detail && !error.message.includes(detail) && error.code === 'bus-unavailable'
    ? `${error.message} (${detail})`
    : error.message;
}

const SOURCE_WORDS: Record<SourceName, string> = {
  systemd: 'systemd user units',
  processes: 'watched processes',
  sessions: 'tmux and screen sessions',
  cron: '@reboot lines',
  autostart: 'autostart entries',
};
