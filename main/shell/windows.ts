// The app's windows: the panel (a popup beside the tray, or an ordinary window where there is
// no tray) and one detail window per entry. Every window is created with the same hardened
// webPreferences (window-options.ts); navigation away from our pages, new windows, <webview>
// and every permission request are denied.
//
// A window that closes is destroyed, never hidden: its renderer process ends with it (a hidden
// window kept one alive, ~100 MB, and its page went on polling the core). The popup panel closes
// when it loses focus too; opening it again builds it anew.
//
// The manager also tells whether any window shows processes, sessions or strays (visible and not
// minimized): while none does, the core polls quietly (Core.setShowing, main/core/app.ts).
//
// Linux notes: there is no Tray.getBounds, and Wayland ignores window positions, so the popup
// is placed at the top right of the work area under the pointer (a no-op on Wayland, where the
// compositor centres it).
import {
  app,
  BrowserWindow,
  dialog,
  nativeTheme,
  screen,
  type Session,
  type WebContents,
} from 'electron';
import { join } from 'node:path';
import type { AppPage, DetailTab } from '../../contract/pages.js';
import type { Result } from '../core/model/domain.js';
import type { WindowOps } from '../core/api/ipc-table.js';
import type { EventTarget, IpcTargets } from './ipc.js';
import {
  appPageOf,
  detailWindowOptions,
  isPermitted,
  pageUrl,
  panelWindowOptions,
  withCsp,
  type PanelMode,
  type RendererOrigin,
  type RendererPage,
} from './window-options.js';

export interface WindowManagerOptions {
  preloadPath: string;
  origin: RendererOrigin;
  /** True once the app is quitting: popups stop hiding themselves on close. */
  isQuitting(): boolean;
  log?: (message: string) => void;
  /** Told at once and on every change: does any window show processes, sessions or strays? */
  onShowing?: (showing: boolean) => void;
}

/** The pages that show processes, sessions or strays (a detail window: of a process or session). */
export function showsProcesses(page: RendererPage, id: string | null): boolean {
  switch (page) {
    case 'panel':
    case 'strays':
    case 'watch':
    case 'run':
      return true;
    case 'detail':
      return id !== null && (id.startsWith('process:') || id.startsWith('session:'));
    default:
      return false;
  }
}

export interface WindowManager extends WindowOps, IpcTargets {
  readonly panelMode: PanelMode;
  setPanelMode(mode: PanelMode): void;
  showPanel(): void;
  togglePanel(): void;
  /** Bring something of ours to the front (a second instance was started). */
  focus(): void;
}

/** Deny every permission but clipboard writes from our pages; add our CSP to every response. */
export function hardenSession(ses: Session, origin?: RendererOrigin): void {
  ses.setPermissionRequestHandler((_wc, permission, callback, details) =>
    callback(
      origin !== undefined &&
        isPermitted(permission, details.requestingUrl, details.isMainFrame, origin),
    ),
  );
  ses.setPermissionCheckHandler(
    (_wc, permission, _requestingOrigin, details) =>
      origin !== undefined &&
      isPermitted(permission, details.requestingUrl, details.isMainFrame, origin),
  );
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withCsp(details.responseHeaders) });
  });
}

/** Applied to every webContents the app creates (app 'web-contents-created'). */
export function hardenWebContents(contents: WebContents, log: (m: string) => void): void {
  contents.setWindowOpenHandler(({ url }) => {
    log(`windows: denied a new window for ${url}`);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => {
    log('windows: denied a <webview>');
    event.preventDefault();
  });
}

export function createWindowManager(opts: WindowManagerOptions): WindowManager {
  const log = opts.log ?? console.warn;
  let panel: BrowserWindow | null = null;
  /** The kind the current panel was built as; `mode` is the kind wanted from now on. */
  let panelBuiltAs: PanelMode = 'popup';
  let mode: PanelMode = 'popup';
  const details = new Map<string, BrowserWindow>();
  /** What each open window shows (showsProcesses). */
  const shows = new WeakMap<BrowserWindow, boolean>();
  let showing: boolean | null = null;

  /** Tell the core when whether any window shows processes changes. */
  function reportShowing(): void {
    const now = all().some((w) => shows.get(w) === true && w.isVisible() && !w.isMinimized());
    if (now === showing) return;
    showing = now;
    opts.onShowing?.(now);
  }

  /** Follow what the window shows, for reportShowing. */
  function track(win: BrowserWindow, showsThem: boolean): void {
    shows.set(win, showsThem);
    win.on('show', reportShowing);
    win.on('hide', reportShowing);
    win.on('minimize', reportShowing);
    win.on('restore', reportShowing);
    win.on('closed', reportShowing);
  }

  function guard(win: BrowserWindow): void {
    win.webContents.on('will-navigate', (event) => {
      // Reloads do not emit will-navigate; nothing else in our pages navigates.
      log(`windows: denied navigation to ${event.url}`);
      event.preventDefault();
    });
    win.webContents.on('will-redirect', (event) => {
      if (appPageOf(event.url, opts.origin) === null) event.preventDefault();
    });
  }

  function load(win: BrowserWindow, page: RendererPage, query?: Record<string, string>): void {
    win
      .loadURL(pageUrl(page, query, opts.origin))
      .catch((err: unknown) => log(`windows: could not load ${page}: ${String(err)}`));
  }

  function placePopup(win: BrowserWindow): void {
    const area = screen.getDisplayNearestPoint(screen.getCursorScreenPoint()).workArea;
    const [width = 0] = win.getSize();
    win.setPosition(area.x + area.width - width - 8, area.y + 8);
  }

  function createPanel(): BrowserWindow {
    const win = new BrowserWindow(
      panelWindowOptions(mode, opts.preloadPath, nativeTheme.shouldUseDarkColors),
    );
    panelBuiltAs = mode;
    guard(win);
    win.once('ready-to-show', () => win.show());
    if (mode === 'popup') {
      // Closed, not hidden, when it loses focus: no renderer stays behind.
      win.on('blur', () => {
        if (!win.isDestroyed() && !win.webContents.isDevToolsOpened()) win.close();
      });
    }
    win.on('closed', () => {
      if (panel === win) panel = null;
    });
    track(win, true);
    load(win, 'panel');
    return win;
  }

  function showPanel(): void {
    if (panel !== null && !panel.isDestroyed() && panelBuiltAs !== mode && !panel.isVisible()) {
      // A popup has no frame and no taskbar entry: rebuild it as the kind wanted now.
      panel.close();
      panel = null;
    }
    if (panel === null || panel.isDestroyed()) {
      panel = createPanel();
      if (mode === 'popup') placePopup(panel);
      return;
    }
    if (mode === 'popup') placePopup(panel);
    if (panel.isMinimized()) panel.restore();
    panel.show();
    panel.focus();
  }

  /** One window per page and entry: asking again focuses the one already open. */
  function openWindow(
    key: string,
    page: RendererPage,
    query: Record<string, string>,
    reload = false,
  ): Promise<Result<null>> {
    const existing = details.get(key);
    if (existing !== undefined && !existing.isDestroyed()) {
      // Asked for a particular tab (Show logs): the open window loads again on it.
      if (reload) load(existing, page, query);
      if (existing.isMinimized()) existing.restore();
      existing.show();
      existing.focus();
      return Promise.resolve({ ok: true, value: null });
    }
    const win = new BrowserWindow(
      detailWindowOptions(opts.preloadPath, nativeTheme.shouldUseDarkColors),
    );
    guard(win);
    details.set(key, win);
    win.once('ready-to-show', () => win.show());
    win.on('closed', () => {
      if (details.get(key) === win) details.delete(key);
    });
    track(win, showsProcesses(page, query.id ?? null));
    load(win, page, query);
    return Promise.resolve({ ok: true, value: null });
  }

  function openDetail(id: string, tab?: DetailTab): Promise<Result<null>> {
    return tab === undefined
      ? openWindow(id, 'detail', { id })
      : openWindow(id, 'detail', { id, tab }, true);
  }

  function openPage(page: AppPage, id?: string): Promise<Result<null>> {
    return openWindow(`${page}:${id ?? ''}`, page, id === undefined ? {} : { id });
  }

  function all(): BrowserWindow[] {
    const wins = [panel, ...details.values()];
    return wins.filter((w): w is BrowserWindow => w !== null && !w.isDestroyed());
  }

  reportShowing();
  return {
    get panelMode() {
      return mode;
    },
    setPanelMode(next) {
      mode = next;
    },
    showPanel,
    togglePanel() {
      if (panel !== null && !panel.isDestroyed() && panel.isVisible() && panel.isFocused()) {
        if (mode === 'popup') panel.close();
        return;
      }
      showPanel();
    },
    focus() {
      const visible = all().filter((w) => w.isVisible());
      const target = visible.at(-1);
      if (target === undefined) {
        showPanel();
        return;
      }
      if (target.isMinimized()) target.restore();
      target.show();
      target.focus();
    },
    openDetail,
    openPage,
    // The Logs tab's Export: the dialog only; the core writes the file (main/core/logs).
    async chooseSavePath(defaultName) {
      const parent = BrowserWindow.getFocusedWindow();
      const defaultPath = join(app.getPath('documents'), defaultName);
      const options = { defaultPath, properties: ['showOverwriteConfirmation' as const] };
      const r = await (parent
        ? dialog.showSaveDialog(parent, options)
        : dialog.showSaveDialog(options));
      return r.canceled || r.filePath === undefined || r.filePath === '' ? null : r.filePath;
    },
    isOwnWebContents: (id) => all().some((w) => w.webContents.id === id),
    webContents: (): EventTarget[] => all().map((w) => w.webContents),
  };
}
