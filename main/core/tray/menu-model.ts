// The tray menu as plain data: what the native menu shows for a snapshot and the settings.
// Pure (no I/O, no electron): main/shell/tray.ts turns the tree into an Electron Menu, and
// tests assert on it directly.
//
// Linux tray hosts (StatusNotifierItem) give us only a context menu: no right-click or
// double-click events, and GNOME's AppIndicator extension opens the menu on left click. So
// everything the tray offers must be an item here (PLATFORM-NOTES, "Desktop integration").
//
// What turns the icon to its warning variant: a failed entry the user said they care about,
// i.e. a pinned one or a watched process (`process:` watch rules), whose alerts are not muted.
// Every failed entry is still listed first with Restart and counted in the tooltip, so the tray
// never says "All good" while something is down:
// - failed but not pinned or watched: listed, tooltip "(not pinned)", normal icon;
// - muted: listed as "Restart NAME (muted)" after the others, tooltip "(muted)", normal icon
//   (muting says "I know, stop telling me", and the icon is a way of telling);
// - paused alerts: the Pause alerts item is checked and the tooltip ends "alerts paused"; the
//   icon still shows what is down (pausing silences notifications, it does not hide failures).
import { t } from '../../../i18n/index.js';
import type { Entry, EntryAction, EntryState, Settings, Snapshot } from '../model/domain.js';
import { actionAvailable } from '../monitor/entry-verbs.js';
import { isMuted } from '../notify/crash-message.js';

/** What clicking an item asks the shell to do. */
export type TrayCommand =
  | { type: 'act'; entryId: string; action: EntryAction }
  | { type: 'pause-alerts'; paused: boolean }
  | { type: 'open-panel' }
  | { type: 'quit' };

export type TrayMenuItem =
  | {
      kind: 'toggle';
      id: string;
      label: string;
      checked: boolean;
      enabled: boolean;
      command: TrayCommand | null;
    }
  | { kind: 'action'; id: string; label: string; enabled: boolean; command: TrayCommand | null }
  /** A line of text that cannot be clicked, e.g. why the list is empty. */
  | { kind: 'note'; id: string; label: string }
  | { kind: 'separator'; id: string };

/** Icon variants. `theme` is the panel the icon sits on: 'dark' means a light glyph. */
export interface TrayIconVariant {
  status: 'normal' | 'warning';
  theme: 'light' | 'dark';
}

export interface TrayModel {
  items: TrayMenuItem[];
  tooltip: string;
  icon: TrayIconVariant;
  /** Number of failed entries, for anything else that wants it (e.g. a window title). */
  failedCount: number;
  /** The failed entries that turn the icon: pinned or watched, not muted. */
  warningCount: number;
}

export interface TrayMenuOptions {
  /** What the desktop reports (Electron's nativeTheme.shouldUseDarkColors). */
  systemDark: boolean;
  /**
   * The panel's own colour when it is known not to follow the app theme (see panelThemeFor);
   * it wins over the system and the settings, because the icon sits on the panel, not in our
   * windows.
   */
  panelTheme?: 'light' | 'dark' | null;
  /** At most this many failed entries get a Restart item; the rest are summarised. */
  maxFailed?: number;
  /** At most this many pinned toggles; a native menu taller than the screen is unusable. */
  maxPinned?: number;
  /** ms time, to tell mutes that have ended (absent: every mute in settings counts). */
  now?: number;
  /**
   * Crashes alerted from far hosts the user has not looked at (issue 17): each host with any
   * gets an item that opens the panel, turns the icon and is counted in the tooltip.
   */
  farCrashes?: ReadonlyArray<{ host: string; count: number }>;
}

export const APP_NAME = 'Daemon Deck';
export const DEFAULT_MAX_FAILED = 10;
export const DEFAULT_MAX_PINNED = 20;

// Catalog keys (tray namespace), written whole so the key test finds them.
const STATE_WORDS: Record<EntryState, string> = {
  running: 'tray:state.running',
  stopped: 'tray:state.stopped',
  failed: 'tray:state.failed',
  starting: 'tray:state.starting',
  stopping: 'tray:state.stopping',
  unknown: 'tray:state.unknown',
};

const FAILED_OF_KIND: Partial<Record<Entry['kind'], string>> = {
  service: 'tray:failed.service',
  socket: 'tray:failed.socket',
  timer: 'tray:failed.timer',
  process: 'tray:failed.process',
  session: 'tray:failed.session',
};

/** "1 service failed", "2 services failed", "3 items failed" for a mix of kinds. */
export function failedSummary(failed: readonly Entry[]): string {
  const kinds = new Set(failed.map((e) => e.kind));
  const [only] = kinds;
  const key =
    (kinds.size === 1 && only !== undefined && FAILED_OF_KIND[only]) || 'tray:failed.item';
  return t(key, { count: failed.length });
}

/** A readable name for a pinned id that is not in the snapshot: `systemd:foo.service` -> foo.service. */
export function nameFromId(id: string): string {
  const colon = id.indexOf(':');
  const rest = colon >= 0 ? id.slice(colon + 1) : id;
  return rest.length > 0 ? rest : id;
}

function isActive(state: EntryState): boolean {
  return state === 'running' || state === 'starting';
}

// Which actions can run comes from the dispatcher's table (entry-verbs.ts): an entry's own
// actions, while the source that owns it is up. A missing bus disables systemd's entries only.

/** The action a toggle runs: stop what is active, start what is not; null when not offered. */
function toggleAction(snapshot: Snapshot, entry: Entry): EntryAction | null {
  const wanted: EntryAction = isActive(entry.state) ? 'stop' : 'start';
  return actionAvailable(snapshot, entry, wanted) ? wanted : null;
}

function restartAction(snapshot: Snapshot, entry: Entry): EntryAction | null {
  if (actionAvailable(snapshot, entry, 'restart')) return 'restart';
  if (actionAvailable(snapshot, entry, 'start')) return 'start';
  return null;
}

function unavailableReason(snapshot: Snapshot): string | null {
  const systemd = snapshot.sources.systemd;
  if (systemd.status === 'unavailable') return t('tray:status.unreachable');
  if (systemd.status === 'connecting') return t('tray:status.connectingToSystemd');
  return null;
}

export function buildTrayMenu(
  snapshot: Snapshot,
  settings: Settings,
  opts: TrayMenuOptions,
): TrayModel {
  const maxFailed = Math.max(0, opts.maxFailed ?? DEFAULT_MAX_FAILED);
  const maxPinned = Math.max(0, opts.maxPinned ?? DEFAULT_MAX_PINNED);
  const busDown = snapshot.sources.systemd.status !== 'ok';
  const reason = unavailableReason(snapshot);
  const items: TrayMenuItem[] = [];
  const section = (part: TrayMenuItem[]) => {
    if (part.length === 0) return;
    if (items.length > 0) items.push({ kind: 'separator', id: `separator:${items.length}` });
    items.push(...part);
  };

  if (reason !== null) section([{ kind: 'note', id: 'status', label: reason }]);

  const pinned = [...new Set(settings.pinned)];
  const pinnedIds = new Set(pinned);
  const now = opts.now ?? Number.NEGATIVE_INFINITY;
  const muted = (e: Entry) => isMuted(settings.alerts, e.id, now);
  const cared = (e: Entry) => pinnedIds.has(e.id) || e.id.startsWith('process:');
  const failed = snapshot.entries.filter((e) => e.state === 'failed');
  const warned = failed.filter((e) => cared(e) && !muted(e));
  const unpinned = failed.filter((e) => !cared(e) && !muted(e));
  const silenced = failed.filter(muted);
  const far = (opts.farCrashes ?? []).filter((f) => f.count > 0);
  const farCount = far.reduce((n, f) => n + f.count, 0);
  section(
    far.map((f) => ({
      kind: 'action',
      id: `far:${f.host}`,
      label: t('tray:far.crashes', { host: f.host, count: f.count }),
      enabled: true,
      command: { type: 'open-panel' },
    })),
  );
  const failedPart: TrayMenuItem[] = [...warned, ...unpinned, ...silenced]
    .slice(0, maxFailed)
    .map((entry) => {
      const action = restartAction(snapshot, entry);
      return {
        kind: 'action',
        id: `restart:${entry.id}`,
        label: muted(entry)
          ? t('tray:item.restartMuted', { name: entry.name })
          : t('tray:item.restart', { name: entry.name }),
        enabled: action !== null,
        command: action === null ? null : { type: 'act', entryId: entry.id, action },
      };
    });
  if (failed.length > maxFailed) failedPart.push(moreItem('failed', failed.length - maxFailed));
  section(failedPart);

  const byId = new Map(snapshot.entries.map((e) => [e.id, e]));
  const pinnedPart: TrayMenuItem[] = pinned.slice(0, maxPinned).map((id) => {
    const entry = byId.get(id);
    if (entry === undefined) {
      return {
        kind: 'toggle',
        id: `toggle:${id}`,
        label: t('tray:item.entry', {
          name: nameFromId(id),
          state: busDown ? t('tray:state.unknown') : t('tray:state.notFound'),
        }),
        checked: false,
        enabled: false,
        command: null,
      };
    }
    const action = toggleAction(snapshot, entry);
    return {
      kind: 'toggle',
      id: `toggle:${id}`,
      label: t('tray:item.entry', { name: entry.name, state: t(STATE_WORDS[entry.state]) }),
      checked: isActive(entry.state),
      enabled: action !== null,
      command: action === null ? null : { type: 'act', entryId: id, action },
    };
  });
  if (pinned.length > maxPinned) pinnedPart.push(moreItem('pinned', pinned.length - maxPinned));
  section(pinnedPart);

  const paused = settings.alerts.paused;
  section([
    {
      kind: 'toggle',
      id: 'pause-alerts',
      label: t('tray:item.pauseAlerts'),
      checked: paused,
      enabled: true,
      command: { type: 'pause-alerts', paused: !paused },
    },
    {
      kind: 'action',
      id: 'open',
      label: t('tray:item.open', { app: APP_NAME }),
      enabled: true,
      command: { type: 'open-panel' },
    },
    {
      kind: 'action',
      id: 'quit',
      label: t('tray:item.quit'),
      enabled: true,
      command: { type: 'quit' },
    },
  ]);

  const status =
    snapshot.sources.systemd.status === 'unavailable'
      ? t('tray:status.unreachable')
      : snapshot.sources.systemd.status === 'connecting'
        ? t('tray:status.connecting')
        : failedStatus(warned, unpinned, silenced);
  // "All good" says nothing when another computer crashed: its count alone then.
  const farWords = farCount > 0 ? t('tray:far.status', { count: farCount }) : '';
  const said =
    farWords === ''
      ? status
      : failed.length === 0 && reason === null
        ? farWords
        : `${status} · ${farWords}`;
  const warning =
    warned.length > 0 || farCount > 0 || snapshot.sources.systemd.status === 'unavailable';
  const theme =
    opts.panelTheme ??
    (settings.theme === 'system' ? (opts.systemDark ? 'dark' : 'light') : settings.theme);

  return {
    items,
    tooltip: paused
      ? t('tray:tooltip.paused', { app: APP_NAME, status: said })
      : t('tray:tooltip.normal', { app: APP_NAME, status: said }),
    icon: { status: warning ? 'warning' : 'normal', theme },
    failedCount: failed.length,
    warningCount: warned.length + farCount,
  };
}

/**
 * "2 services failed", "1 service failed (not pinned)", "2 services failed · 1 more muted"...:
 * the first group that has entries is summarised, each later one counted after it.
 */
function failedStatus(
  warned: readonly Entry[],
  unpinned: readonly Entry[],
  silenced: readonly Entry[],
): string {
  const groups = [
    { entries: warned, first: null, more: null },
    { entries: unpinned, first: 'tray:status.notPinned', more: 'tray:status.moreNotPinned' },
    { entries: silenced, first: 'tray:status.muted', more: 'tray:status.moreMuted' },
  ].filter((g) => g.entries.length > 0);
  const [first, ...rest] = groups;
  if (first === undefined) return t('tray:status.allGood');
  const summary = failedSummary(first.entries);
  return [
    first.first === null ? summary : t(first.first, { summary }),
    ...rest.map((g) => t(g.more ?? '', { count: g.entries.length })),
  ].join(t('tray:status.separator'));
}

/**
 * Desktops whose panel is dark whatever the app theme: GNOME's top bar (Adwaita, and Ubuntu's
 * Yaru) is dark in light mode too, so a dark glyph picked from a light GTK theme would vanish
 * on it. Elsewhere (KDE, Xfce, Cinnamon, waybar) panels follow the colour scheme or the user:
 * null means "follow the system". `desktop` is $XDG_CURRENT_DESKTOP (colon-separated).
 */
export function panelThemeFor(desktop: string | undefined): 'dark' | null {
  const names = (desktop ?? '').toLowerCase().split(':');
  return names.some((n) => n === 'gnome' || n === 'ubuntu' || n === 'unity' || n === 'pop')
    ? 'dark'
    : null;
}

/** File name of a tray icon in build/tray (and resources/tray when packaged). */
export function trayIconFile(icon: TrayIconVariant, scale: 1 | 2 = 1): string {
  return `tray-${icon.status}-${icon.theme}${scale === 2 ? '@2x' : ''}.png`;
}

/** The item that stands for `count` entries a section had no room for; it opens the panel. */
function moreItem(what: 'failed' | 'pinned', count: number): TrayMenuItem {
  return {
    kind: 'action',
    id: `more-${what}`,
    label:
      what === 'failed'
        ? t('tray:item.moreFailed', { count })
        : t('tray:item.morePinned', { count }),
    enabled: true,
    command: { type: 'open-panel' },
  };
}
