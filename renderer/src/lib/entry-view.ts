// Pure view logic shared by the panel and the detail window: how entries are grouped, filtered,
// named and described in the user's words (the panel's catalogs, i18n/locales/*/panel.json).
// No DOM, no API: unit-tested in test/unit.
import type { Entry, EntryAction, EntryKind, EntryState } from '../../../contract/index.js';
import { t } from '../../../i18n/index.js';
import { byNameQuick } from './name-order.js';

export type GroupKey =
  'failed' | 'service' | 'socket' | 'timer' | 'process' | 'session' | 'startup' | 'other';

export interface EntryGroup {
  key: GroupKey;
  title: string;
  entries: Entry[];
}

const GROUP_TITLES: Record<GroupKey, string> = {
  failed: 'panel:groups.failed',
  service: 'panel:groups.service',
  socket: 'panel:groups.socket',
  timer: 'panel:groups.timer',
  process: 'panel:groups.process',
  session: 'panel:groups.session',
  startup: 'panel:groups.startup',
  other: 'panel:groups.other',
};

/** A group's heading in the current language. */
export function groupTitle(key: GroupKey): string {
  return t(GROUP_TITLES[key]);
}

const GROUP_ORDER: readonly GroupKey[] = [
  'failed',
  'service',
  'socket',
  'timer',
  'process',
  'session',
  'startup',
  'other',
];

const KIND_SUFFIX: Partial<Record<EntryKind, string>> = {
  service: '.service',
  socket: '.socket',
  timer: '.timer',
};

const KIND_LABELS: Record<EntryKind, string> = {
  service: 'panel:kinds.service',
  socket: 'panel:kinds.socket',
  timer: 'panel:kinds.timer',
  process: 'panel:kinds.process',
  session: 'panel:kinds.session',
  cron: 'panel:kinds.cron',
  autostart: 'panel:kinds.autostart',
};

/** systemd escapes bytes in unit names as \xNN ("app\x2dfoo"); people read them unescaped. */
export function unescapeUnitName(name: string): string {
  return name.replace(/\\x([0-9a-fA-F]{2})/g, (_, hex: string) =>
    String.fromCharCode(parseInt(hex, 16)),
  );
}

/** The name without the unit-type suffix the group heading already says: "syncthing". */
export function displayName(entry: Entry): string {
  const suffix = KIND_SUFFIX[entry.kind];
  let name = entry.name;
  if (suffix !== undefined && name.endsWith(suffix) && name.length > suffix.length) {
    name = name.slice(0, -suffix.length);
  }
  return unescapeUnitName(name);
}

/** The one line under a name: the description, or the state when there is none worth showing. */
export function subtitle(entry: Entry): string {
  const description = entry.description.trim();
  if (description !== '' && description !== entry.name) return description;
  const state = stateLabel(entry.state);
  return entry.autostart.enabled ? t('panel:startup.stateStartsAtLogin', { state }) : state;
}

export function kindLabel(kind: EntryKind): string {
  return t(KIND_LABELS[kind]);
}

function groupOf(entry: Entry): GroupKey {
  return entry.state === 'failed' ? 'failed' : kindGroup(entry);
}

/** The group of an entry's kind, failed or not. */
export function kindGroup(entry: Entry): GroupKey {
  switch (entry.kind) {
    case 'service':
    case 'socket':
    case 'timer':
    case 'process':
    case 'session':
      return entry.kind;
    case 'cron':
    case 'autostart':
      return 'startup';
    default:
      return 'other';
  }
}

/** Every whitespace-separated word of the query occurs in the name or the description. */
export function matchesQuery(entry: Entry, query: string): boolean {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const haystack = `${entry.name}\n${entry.description}`.toLowerCase();
  return words.every((w) => haystack.includes(w));
}

/** Failed entries first, then by kind; names sorted within each group; empty groups dropped. */
export function groupEntries(entries: readonly Entry[], query = ''): EntryGroup[] {
  const buckets = new Map<GroupKey, Entry[]>();
  for (const entry of entries) {
    if (!matchesQuery(entry, query)) continue;
    const key = groupOf(entry);
    const bucket = buckets.get(key);
    if (bucket) bucket.push(entry);
    else buckets.set(key, [entry]);
  }
  const groups: EntryGroup[] = [];
  for (const key of GROUP_ORDER) {
    const bucket = buckets.get(key);
    if (!bucket) continue;
    bucket.sort((a, b) => byNameQuick(a.name, b.name));
    groups.push({ key, title: groupTitle(key), entries: bucket });
  }
  return groups;
}

const STATE_LABELS: Record<EntryState, string> = {
  running: 'panel:states.running',
  stopped: 'panel:states.stopped',
  failed: 'panel:states.failed',
  starting: 'panel:states.starting',
  stopping: 'panel:states.stopping',
  unknown: 'panel:states.unknown',
};

export function stateLabel(state: EntryState): string {
  return t(STATE_LABELS[state]);
}

/** Whether the switch shows "on": the entry runs or is on its way there. */
export function isOn(entry: Entry): boolean {
  return entry.state === 'running' || entry.state === 'starting';
}

/** What flipping the switch asks for, or null when the entry offers no such action now. */
export function toggleAction(entry: Entry): EntryAction | null {
  const wanted: EntryAction = isOn(entry) ? 'stop' : 'start';
  return entry.actions.includes(wanted) ? wanted : null;
}

/** "45 s", "3 min", "2 h 5 min", "4 days". English only: new code uses i18n/format.ts's. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 24) return min % 60 === 0 ? `${h} h` : `${h} h ${min % 60} min`;
  const days = Math.floor(h / 24);
  return days === 1 ? '1 day' : `${days} days`;
}

/** "Running for 3 min", "Stopped for 2 h", or null when the time is unknown. */
export function uptimeText(entry: Entry, now: number): string | null {
  if (entry.since === null) return null;
  const since = Date.parse(entry.since);
  if (Number.isNaN(since)) return null;
  return t('panel:uptime.for', {
    state: stateLabel(entry.state),
    duration: formatDuration(now - since),
  });
}

/** A local date and time for an ISO timestamp, or null. (New code: i18n/format.ts.) */
export function formatTimestamp(iso: string | null): string | null {
  if (iso === null) return null;
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return null;
  return t.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

export function countSummary(entries: readonly Entry[]): string {
  const total = entries.length;
  const running = entries.filter((e) => e.state === 'running').length;
  const failed = entries.filter((e) => e.state === 'failed').length;
  const parts = [
    t('panel:count.units', { count: total }),
    t('panel:count.running', { count: running }),
  ];
  if (failed > 0) parts.push(t('panel:count.failed', { count: failed }));
  return parts.join(' · ');
}

/** What systemd's UnitFileState says about starting at login, in one of a few plain answers. */
export type LoginAnswer =
  'yes' | 'no' | 'static' | 'masked' | 'linked' | 'indirect' | 'generated' | 'unknown';

const LOGIN_ANSWERS: Readonly<Record<string, LoginAnswer>> = {
  enabled: 'yes',
  'enabled-runtime': 'yes',
  disabled: 'no',
  static: 'static',
  masked: 'masked',
  'masked-runtime': 'masked',
  linked: 'linked',
  'linked-runtime': 'linked',
  indirect: 'indirect',
  generated: 'generated',
  transient: 'generated',
};

/** The user's words for systemd's UnitFileState: the catalog key of its answer, read with t();
 *  a state with no answer shown as systemd names it. */
export function loginStateWords(
  unitFileState: string | null,
  keys: Readonly<Record<LoginAnswer, string>>,
): string {
  if (unitFileState === null) return t(keys.unknown);
  const answer = Object.hasOwn(LOGIN_ANSWERS, unitFileState)
    ? LOGIN_ANSWERS[unitFileState]
    : undefined;
  return answer === undefined ? unitFileState : t(keys[answer]);
}

const PANEL_LOGIN_KEYS: Record<LoginAnswer, string> = {
  yes: 'panel:startup.yes',
  no: 'panel:startup.no',
  static: 'panel:startup.static',
  masked: 'panel:startup.masked',
  linked: 'panel:startup.linked',
  indirect: 'panel:startup.indirect',
  generated: 'panel:startup.generated',
  unknown: 'panel:startup.unknown',
};

/** The user's words for systemd's UnitFileState. */
export function startAtLoginText(unitFileState: string | null): string {
  return loginStateWords(unitFileState, PANEL_LOGIN_KEYS);
}

const ACTION_PROGRESS: Record<EntryAction, string> = {
  start: 'panel:progress.start',
  stop: 'panel:progress.stop',
  restart: 'panel:progress.restart',
  reload: 'panel:progress.reload',
  enable: 'panel:progress.enable',
  disable: 'panel:progress.disable',
};

export function actionProgress(action: EntryAction): string {
  return t(ACTION_PROGRESS[action]);
}
