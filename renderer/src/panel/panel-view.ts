// How the panel lays its entries out and what each row says, in the user's words. Pure: no DOM,
// no API (unit-tested in test/unit/renderer-panel-view.test.ts).
//
// Order: what failed (but the session's plumbing), then the user's own things per kind (units
// under ~/.config/systemd/user, watch rules, sessions, cron lines, autostart entries), then one
// "System" group, closed until opened, with the desktop session's plumbing and whatever packages
// installed (main/core/model/plumbing.ts decides which is which and writes the rule down).
import type {
  Entry,
  EntryAction,
  FailureReason,
  Snapshot,
  SourceName,
} from '../../../contract/index.js';
import { formatRelative } from '../../../i18n/format.js';
import { t } from '../../../i18n/index.js';
import { groupTitle, kindGroup, matchesQuery, type GroupKey } from '../lib/entry-view.js';
import { byNameQuick } from '../lib/name-order.js';
import { isStartupEntry, isTimedCron, switchAction } from './row-view.js';

export type Filter = 'all' | 'failed' | 'running' | 'mine';
export const FILTERS: readonly Filter[] = ['all', 'failed', 'running', 'mine'];
const FILTER_KEYS: Record<Filter, string> = {
  all: 'panel:filters.all',
  failed: 'panel:filters.failed',
  running: 'panel:filters.running',
  mine: 'panel:filters.mine',
};
export function filterLabel(filter: Filter): string {
  return t(FILTER_KEYS[filter]);
}

export type SectionKey = GroupKey | 'system';

export interface Section {
  key: SectionKey;
  title: string;
  entries: Entry[];
  /** Entries of this section that failed (the System group says how many while closed). */
  failed: number;
}

/** Whose an entry is: sources that hold only the user's own things leave origin unset. */
export function isMine(entry: Entry): boolean {
  return (entry.origin ?? 'user') === 'user';
}

function keep(entry: Entry, filter: Filter): boolean {
  switch (filter) {
    case 'failed':
      return entry.state === 'failed';
    case 'running':
      return entry.state === 'running' || entry.state === 'starting';
    case 'mine':
      return isMine(entry);
    default:
      return true;
  }
}

const MINE_ORDER: readonly GroupKey[] = [
  'service',
  'timer',
  'socket',
  'process',
  'session',
  'startup',
  'other',
];

function isSorted<T>(list: readonly T[], order: (a: T, b: T) => number): boolean {
  for (let i = 1; i < list.length; i++) if (order(list[i - 1]!, list[i]!) > 0) return false;
  return true;
}

/** The panel's sections for a query and a filter chip; empty sections are dropped. */
export function panelSections(
  entries: readonly Entry[],
  query = '',
  filter: Filter = 'all',
): Section[] {
  const buckets = new Map<SectionKey, Entry[]>();
  const add = (key: SectionKey, e: Entry) => {
    const bucket = buckets.get(key);
    if (bucket) bucket.push(e);
    else buckets.set(key, [e]);
  };
  const searching = query.trim() !== '';
  for (const e of entries) {
    if (!keep(e, filter) || (searching && !matchesQuery(e, query))) continue;
    if (e.state === 'failed' && e.plumbing === undefined) add('failed', e);
    else if (isMine(e)) add(kindGroup(e), e);
    else add('system', e);
  }
  const out: Section[] = [];
  for (const key of ['failed', ...MINE_ORDER, 'system'] as const) {
    const bucket = buckets.get(key);
    if (!bucket) continue;
    // The user's own failures before the rest; names sorted within. The core sends entries
    // sorted by name already, so a bucket is usually in order: one pass (n compares, most of
    // them without the collator: lib/name-order.ts) tells, where a sort of 1,000 entries made
    // ~10,000 (issue 16, the first render).
    const order = (a: Entry, b: Entry) =>
      (key === 'failed' ? Number(!isMine(a)) - Number(!isMine(b)) : 0) ||
      byNameQuick(a.name, b.name);
    if (!isSorted(bucket, order)) bucket.sort(order);
    out.push({
      key,
      title: key === 'system' ? t('panel:groups.system') : groupTitle(key),
      entries: bucket,
      failed: bucket.filter((e) => e.state === 'failed').length,
    });
  }
  return out;
}

/** The source an entry comes from, as the snapshot names it. */
export function sourceOf(entry: Entry): SourceName {
  switch (entry.kind) {
    case 'process':
      return 'processes';
    case 'session':
      return 'sessions';
    case 'cron':
      return 'cron';
    case 'autostart':
      return 'autostart';
    default:
      return 'systemd';
  }
}

const SOURCE_WORDS: Record<SourceName, string> = {
  systemd: 'panel:stale.systemd',
  processes: 'panel:stale.processes',
  sessions: 'panel:stale.sessions',
  cron: 'panel:stale.cron',
  autostart: 'panel:stale.autostart',
};

/**
 * Why an entry's state is not known now, or null when it is: its source is gone (or not there
 * yet). Its row then shows no live state and its actions are disabled with this reason.
 */
export function staleReason(entry: Entry, sources: Snapshot['sources'] | undefined): string | null {
  const source = sourceOf(entry);
  const status = sources?.[source];
  if (status === undefined || status.status === 'ok') return null;
  return t('panel:stale.reason', { source: t(SOURCE_WORDS[source]) });
}

/** "Exited with status 2", "Killed by SIGKILL", "Gave up after 5 restarts". */
export function failureWords(f: FailureReason): string {
  if (f.restarts > 0) return t('panel:failure.gaveUp', { count: f.restarts });
  if (f.exit?.kind === 'killed') return t('panel:failure.killed', { signal: f.exit.signal });
  if (f.exit?.kind === 'dumped') return t('panel:failure.dumped', { signal: f.exit.signal });
  if (f.result === 'timeout') return t('panel:failure.timeout');
  if (f.result === 'start-limit-hit') return t('panel:failure.startLimit');
  if (f.exit?.kind === 'exited') return t('panel:failure.exited', { status: f.exit.status });
  if (f.result !== 'unknown' && f.result !== '' && f.result !== 'success')
    return t('panel:failure.result', { result: f.result });
  return t('panel:failure.unknown');
}

/** The failure with when it happened: "Exited with status 2 · 40 seconds ago". */
export function failureLine(f: FailureReason, now: number): string {
  const reason = failureWords(f);
  if (f.at === null) return reason;
  return t('panel:failure.withWhen', { reason, when: formatRelative(f.at, now) });
}

/** A timer's next and last run: "Next run in 5 minutes · last 2 hours ago", and how the last
 *  run went when its service's entry (`service`) says: failed, running, or succeeded. */
export function timerLine(entry: Entry, now: number, service?: Entry): string | null {
  if (entry.timer === undefined) return null;
  const next =
    entry.timer.next === null
      ? t('panel:timer.noNext')
      : t('panel:timer.next', { when: formatRelative(entry.timer.next, now) });
  const last =
    entry.timer.last === null
      ? t('panel:timer.neverRan')
      : t('panel:timer.last', { when: formatRelative(entry.timer.last, now) });
  const result =
    service === undefined || entry.timer.last === null
      ? null
      : service.state === 'failed'
        ? t('panel:timer.failed')
        : service.state === 'running' || service.state === 'starting'
          ? t('panel:timer.running')
          : t('panel:timer.succeeded');
  if (result !== null) return t('panel:timer.lineResult', { next, last, result });
  return t('panel:timer.line', { next, last });
}

export function socketLine(entry: Entry): string | null {
  if (entry.listen === undefined || entry.listen.length === 0) return null;
  return t('panel:socket.listens', { address: entry.listen.join(', ') });
}

/** A timed crontab line: its schedule and next run ("0 2 * * * · next in 3 hours"). */
export function cronLine(entry: Entry, now: number): string {
  const schedule = entry.subState;
  const next = entry.timer?.next ?? null;
  return next === null
    ? t('cron:row.noNext', { schedule })
    : t('cron:row.next', { schedule, when: formatRelative(next, now) });
}

/** The second line of a row when nothing is in flight. */
export function secondLine(
  entry: Entry,
  now: number,
  describe: (e: Entry) => string,
  /** For a timer: the entry of the service it starts, for how its last run went. */
  service?: Entry,
): string {
  if (entry.state === 'failed' && entry.failure !== undefined)
    return failureLine(entry.failure, now);
  if (entry.plumbing?.guard === 'locked') return t('panel:plumbing.locked');
  if (entry.kind === 'timer') return timerLine(entry, now, service) ?? describe(entry);
  if (entry.kind === 'socket') return socketLine(entry) ?? describe(entry);
  if (isTimedCron(entry)) return cronLine(entry, now);
  if (isStartupEntry(entry)) {
    // The switch says whether it starts at login; the line never says "Stopped" beside it.
    const d = entry.description.trim();
    return d !== '' && d !== entry.name ? d : entry.name;
  }
  return describe(entry);
}

/** What flipping the switch must do first: nothing, ask about the plumbing, ask about the session. */
export type SwitchGuard = 'none' | 'plumbing' | 'session';

export function switchGuard(entry: Entry): SwitchGuard {
  const action = switchAction(entry);
  if (action !== 'stop' && action !== 'disable') return 'none';
  if (entry.kind === 'session' && action === 'stop') return 'session';
  if (entry.plumbing?.guard === 'confirm') return 'plumbing';
  return 'none';
}

/** Whether the row has a switch at all: locked plumbing has none. */
export function hasSwitch(entry: Entry): boolean {
  return entry.plumbing?.guard !== 'locked';
}

const PLUMBING_WORDS = {
  bus: 'panel:plumbing.bus',
  exit: 'panel:plumbing.exit',
  setup: 'panel:plumbing.setup',
  keys: 'panel:plumbing.keys',
  accessibility: 'panel:plumbing.accessibility',
  settings: 'panel:plumbing.settings',
  portal: 'panel:plumbing.portal',
  sound: 'panel:plumbing.sound',
  notifications: 'panel:plumbing.notifications',
  desktop: 'panel:plumbing.desktop',
} as const;

/** What turning a plumbing entry off (or, for systemd-exit, on) does, in one or two sentences. */
export function plumbingEffect(entry: Entry): string | null {
  return entry.plumbing === undefined ? null : t(PLUMBING_WORDS[entry.plumbing.role]);
}

/** The action that takes `action` back, or null where nothing can (a killed session). */
export function undoOf(entry: Entry, action: EntryAction): EntryAction | null {
  if (entry.kind === 'session') return null;
  switch (action) {
    case 'stop':
      return entry.kind === 'process' ? null : 'start';
    case 'start':
      return 'stop';
    case 'enable':
      return 'disable';
    case 'disable':
      return 'enable';
    default:
      return null;
  }
}

const DONE_WORDS: Partial<Record<EntryAction, string>> = {
  stop: 'panel:undo.stopped',
  start: 'panel:undo.started',
  restart: 'panel:undo.restarted',
  enable: 'panel:undo.enabled',
  disable: 'panel:undo.disabled',
};

/** "Stopped web.service." for the Undo offer. */
export function doneWords(entry: Entry, action: EntryAction): string {
  const key = DONE_WORDS[action] ?? 'panel:undo.started';
  return t(key, { name: entry.name });
}

export type MenuKey =
  | 'start'
  | 'restart'
  | 'logs'
  | 'details'
  | 'edit'
  | 'startup'
  | 'pin'
  | 'unpin'
  | 'mute'
  | 'unmute'
  | 'copyToHost';

export interface MenuItem {
  key: MenuKey;
  label: string;
  /** Why it cannot be chosen now, or undefined when it can. */
  disabled?: string;
}

const MENU_WORDS: Record<MenuKey, string> = {
  start: 'panel:menu.start',
  restart: 'panel:menu.restart',
  logs: 'panel:menu.logs',
  details: 'panel:menu.details',
  edit: 'panel:menu.edit',
  startup: 'panel:menu.howItStarts',
  pin: 'panel:menu.pin',
  unpin: 'panel:menu.unpin',
  mute: 'panel:menu.mute',
  unmute: 'panel:menu.unmute',
  copyToHost: 'setup:copy.menu',
};

/** A row's menu, for its state now: Restart (or Start), Logs, Details, Pin, Mute. */
export function menuItems(
  entry: Entry,
  opts: { pinned: boolean; muted: boolean; stale: string | null; copy?: boolean },
): MenuItem[] {
  const keys: MenuKey[] = [];
  if (entry.actions.includes('restart') && hasSwitch(entry)) keys.push('restart');
  else if (entry.actions.includes('start') && !isStartupEntry(entry) && hasSwitch(entry))
    keys.push('start');
  if (entry.kind !== 'cron' && entry.kind !== 'autostart' && entry.kind !== 'session')
    keys.push('logs');
  keys.push(isStartupEntry(entry) ? 'startup' : 'details');
  keys.push(opts.pinned ? 'unpin' : 'pin');
  keys.push(opts.muted ? 'unmute' : 'mute');
  // "Copy to host..." (issue 17): only when a far host is in settings and a setup file holds it.
  if (opts.copy === true) keys.push('copyToHost');
  const live = new Set<MenuKey>(['start', 'restart']);
  return keys.map((key) => ({
    key,
    label: t(MENU_WORDS[key]),
    ...(opts.stale !== null && live.has(key) ? { disabled: opts.stale } : {}),
  }));
}
