// The Electron entry (main/shell/index.ts) run under plain Node against a fake `electron`
// module: the Electron binary cannot run here (PLATFORM-NOTES), so this is the one place the
// wiring is exercised. The fakes record what the shell asks of Electron and play back the
// events Electron would send. Everything behind the shell (IPC table, settings, menu model,
// sni-host) is the real code; the monitor is a fake standing in for systemd.
import { resolveLanguage } from '../../i18n/index.js';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { INVOKE_CHANNELS } from '../../contract/ipc.js';
import { APP_PAGES } from '../../contract/pages.js';
import type { Snapshot } from '../../main/core/model/domain.js';
import {
  RENDERER_PAGES,
  appPageOf,
  secureWebPreferences,
} from '../../main/shell/window-options.js';
import type { BusSignal, CallRequest } from '../../main/core/systemd/bus.js';
import type { KeyValueBackend } from '../../main/core/settings/settings.js';
import type { NotificationRequest } from '../../main/core/notify/notifications.js';
import { trayEntry } from '../helpers/entries.js';

type Listener = (...args: unknown[]) => void;

const h = vi.hoisted(() => {
  class Emitter {
    #listeners = new Map<string, Listener[]>();
    on(event: string, fn: Listener): this {
      this.#listeners.set(event, [...(this.#listeners.get(event) ?? []), fn]);
      return this;
    }
    once(event: string, fn: Listener): this {
      const wrapped: Listener = (...args) => {
        this.off(event, wrapped);
        fn(...args);
      };
      return this.on(event, wrapped);
    }
    off(event: string, fn: Listener): this {
      this.#listeners.set(
        event,
        (this.#listeners.get(event) ?? []).filter((f) => f !== fn),
      );
      return this;
    }
    emit(event: string, ...args: unknown[]): boolean {
      const fns = this.#listeners.get(event) ?? [];
      for (const fn of fns) fn(...args);
      return fns.length > 0;
    }
    removeAllListeners(): this {
      this.#listeners.clear();
      return this;
    }
  }

  class PreventableEvent {
    defaultPrevented = false;
    constructor(readonly url = '') {}
    preventDefault(): void {
      this.defaultPrevented = true;
    }
  }

  let nextId = 1;
  class FakeWebContents extends Emitter {
    readonly id = nextId++;
    openHandler: ((details: { url: string }) => { action: string }) | null = null;
    sent: Array<[string, unknown]> = [];
    setWindowOpenHandler(fn: (details: { url: string }) => { action: string }): void {
      this.openHandler = fn;
    }
    destroyed = false;
    send(channel: string, value: unknown): void {
      this.sent.push([channel, value]);
    }
    isDestroyed(): boolean {
      return this.destroyed;
    }
    isDevToolsOpened(): boolean {
      return false;
    }
  }

  interface WindowOptions {
    frame?: boolean;
    skipTaskbar?: boolean;
    webPreferences?: Record<string, unknown>;
  }

  class FakeBrowserWindow extends Emitter {
    static all: FakeBrowserWindow[] = [];
    readonly webContents = new FakeWebContents();
    loaded: { file?: string; url?: string; query?: Record<string, string> } | null = null;
    visible = false;
    focused = false;
    destroyed = false;
    constructor(readonly options: WindowOptions) {
      super();
      FakeBrowserWindow.all.push(this);
      state.app.emit('web-contents-created', {}, this.webContents);
    }
    loadFile(file: string, opts: { query?: Record<string, string> } = {}): Promise<void> {
      this.loaded = { file, ...(opts.query ? { query: opts.query } : {}) };
      setImmediate(() => this.emit('ready-to-show'));
      return Promise.resolve();
    }
    loadURL(url: string): Promise<void> {
      this.loaded = { url };
      setImmediate(() => this.emit('ready-to-show'));
      return Promise.resolve();
    }
    minimized = false;
    show(): void {
      this.visible = true;
      this.focused = true;
      this.emit('show');
    }
    hide(): void {
      this.visible = false;
      this.focused = false;
      this.emit('hide');
    }
    minimize(): void {
      this.minimized = true;
      this.emit('minimize');
    }
    focus(): void {
      this.focused = true;
    }
    isVisible(): boolean {
      return this.visible;
    }
    isFocused(): boolean {
      return this.focused;
    }
    isMinimized(): boolean {
      return this.minimized;
    }
    restore(): void {
      this.minimized = false;
      this.emit('restore');
    }
    isDestroyed(): boolean {
      return this.destroyed;
    }
    getSize(): number[] {
      return [380, 560];
    }
    setPosition(): void {}
    close(): void {
      const event = new PreventableEvent();
      this.emit('close', event);
      if (!event.defaultPrevented) this.destroy();
    }
    /** As Electron: destroying a window destroys its webContents, and its renderer process ends. */
    destroy(): void {
      if (this.destroyed) return;
      this.destroyed = true;
      this.visible = false;
      this.webContents.destroyed = true;
      this.emit('closed');
    }
  }

  interface MenuTemplateItem {
    id?: string;
    label?: string;
    type?: string;
    enabled?: boolean;
    checked?: boolean;
    click?: () => void;
  }

  class FakeTray extends Emitter {
    static all: FakeTray[] = [];
    image: { path: string };
    tooltip = '';
    menu: { template: MenuTemplateItem[] } | null = null;
    menuSets = 0;
    destroyed = false;
    constructor(image: { path: string }) {
      super();
      this.image = image;
      FakeTray.all.push(this);
    }
    setImage(image: { path: string }): void {
      this.image = image;
    }
    setToolTip(text: string): void {
      this.tooltip = text;
    }
    setContextMenu(menu: { template: MenuTemplateItem[] }): void {
      this.menu = menu;
      this.menuSets++;
    }
    isDestroyed(): boolean {
      return this.destroyed;
    }
    destroy(): void {
      this.destroyed = true;
    }
  }

  class FakeNotification extends Emitter {
    static all: FakeNotification[] = [];
    static isSupported = () => true;
    shown = false;
    closed = false;
    constructor(readonly options: Record<string, unknown>) {
      super();
      FakeNotification.all.push(this);
    }
    show(): void {
      this.shown = true;
    }
    close(): void {
      this.closed = true;
      this.emit('close');
    }
  }

  const app = Object.assign(new Emitter(), {
    lock: true,
    requestSingleInstanceLock: () => app.lock,
    quit: vi.fn(),
    exit: vi.fn(),
    setDesktopName: vi.fn(),
    readyCalled: false,
    whenReady: () => {
      app.readyCalled = true;
      return Promise.resolve();
    },
    isPackaged: false,
    getAppPath: () => '/app',
    getVersion: () => '0.1.0',
  });

  const session = {
    schemes: [] as unknown[],
    protocolHandlers: new Map<
      string,
      (request: { method: string; url: string }) => Promise<Response>
    >(),
    permissionRequest: null as
      null | ((wc: unknown, p: string, cb: (ok: boolean) => void, details: unknown) => void),
    permissionCheck: null as null | ((...args: unknown[]) => boolean),
    headers: null as
      | null
      | ((
          details: { responseHeaders?: Record<string, string[]> },
          cb: (r: { responseHeaders?: Record<string, string[]> }) => void,
        ) => void),
  };

  const state = {
    Emitter,
    PreventableEvent,
    FakeBrowserWindow,
    FakeTray,
    FakeNotification,
    app,
    session,
    ipcHandlers: new Map<string, (event: unknown, ...args: unknown[]) => Promise<unknown>>(),
    nativeTheme: Object.assign(new Emitter(), {
      themeSource: 'system',
      shouldUseDarkColors: false,
    }),
    storeOptions: null as unknown,
    coreOptions: null as unknown,
    removeAllIpcListeners: vi.fn(),
    monitor: null as unknown,
    /** What the shell told the core: does any window show processes, sessions or strays? */
    showing: [] as boolean[],
  };
  return state;
});

vi.mock('electron', () => ({
  app: h.app,
  BrowserWindow: h.FakeBrowserWindow,
  Tray: h.FakeTray,
  Notification: h.FakeNotification,
  Menu: { buildFromTemplate: (template: unknown[]) => ({ template }) },
  nativeImage: { createFromPath: (path: string) => ({ path }) },
  nativeTheme: h.nativeTheme,
  screen: {
    getCursorScreenPoint: () => ({ x: 0, y: 0 }),
    getDisplayNearestPoint: () => ({ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }),
  },
  ipcMain: {
    handle: (channel: string, fn: (event: unknown, ...args: unknown[]) => Promise<unknown>) =>
      h.ipcHandlers.set(channel, fn),
    removeHandler: (channel: string) => h.ipcHandlers.delete(channel),
    removeAllListeners: h.removeAllIpcListeners,
  },
  protocol: {
    registerSchemesAsPrivileged: (schemes: unknown[]) => {
      if (h.app.readyCalled) throw new Error('registerSchemesAsPrivileged after ready');
      h.session.schemes.push(...schemes);
    },
  },
  session: {
    defaultSession: {
      protocol: {
        handle: (
          scheme: string,
          fn: (request: { method: string; url: string }) => Promise<Response>,
        ) => h.session.protocolHandlers.set(scheme, fn),
      },
      setPermissionRequestHandler: (fn: typeof h.session.permissionRequest) => {
        h.session.permissionRequest = fn;
      },
      setPermissionCheckHandler: (fn: typeof h.session.permissionCheck) => {
        h.session.permissionCheck = fn;
      },
      webRequest: {
        onHeadersReceived: (fn: typeof h.session.headers) => {
          h.session.headers = fn;
        },
      },
    },
  },
}));

vi.mock('electron-store', () => ({
  default: class {
    #map = new Map<string, unknown>();
    constructor(options: unknown) {
      h.storeOptions = options;
    }
    get(key: string): unknown {
      return this.#map.get(key);
    }
    set(key: string | Record<string, unknown>, value?: unknown): void {
      if (typeof key === 'string') this.#map.set(key, value);
      else for (const [k, v] of Object.entries(key)) this.#map.set(k, v);
    }
  },
}));

// The core is assembled by createCore; here it is the fake monitor plus the real settings store
// over whatever backend the shell hands in (the mocked electron-store above), and the real
// alerts ops over it (not watching: the fake monitor has no bus for notifications).
vi.mock('../../main/core/app.js', async () => {
  const { createSettingsStore } = await import('../../main/core/settings/settings.js');
  const { wireCrashAlerts } = await import('../../main/core/notify/create-crash-alerts.js');
  return {
    createCore: (opts: { settingsBackend: KeyValueBackend; selfCommand?: string[] }) => {
      h.coreOptions = opts;
      const settings = createSettingsStore(opts.settingsBackend);
      const monitor = h.monitor as Parameters<typeof wireCrashAlerts>[0]['monitor'];
      const alerts = wireCrashAlerts({
        monitor,
        bus: (h.monitor as { bus: Parameters<typeof wireCrashAlerts>[0]['bus'] }).bus,
        backend: opts.settingsBackend,
        settings,
        watch: false,
      });
      return {
        monitor: h.monitor,
        settings,
        alerts,
        ipcDeps: { monitor: h.monitor, settings, alerts },
        // Each start's own record: windows of an earlier test may still be showing themselves.
        setShowing: (
          (record: boolean[]) => (showing: boolean) =>
            record.push(showing)
        )((h.showing = [])),
        stop: () => (h.monitor as { stop(): Promise<void> }).stop(),
      };
    },
  };
});

// ---- the fake monitor and its bus ----

function makeMonitor(sniOwner: boolean) {
  const snapshotListeners = new Set<(s: Snapshot) => void>();
  const signalListeners = new Set<(s: BusSignal) => void>();
  const stateListeners = new Set<(s: string) => void>();
  let current: Snapshot = {
    version: 1,
    generatedAt: '2025-01-01T00:00:00.000Z',
    entries: [trayEntry('web.service', 'running')],
    sources: { systemd: { status: 'ok' } },
  };
  const bus = {
    state: 'up',
    owner: sniOwner,
    call: (req: CallRequest) =>
      Promise.resolve(req.member === 'NameHasOwner' ? [bus.owner] : [true]),
    addMatch: () => Promise.resolve(),
    onSignal: (l: (s: BusSignal) => void) => {
      signalListeners.add(l);
      return () => signalListeners.delete(l);
    },
    onState: (l: (s: string) => void) => {
      stateListeners.add(l);
      return () => stateListeners.delete(l);
    },
    watcherChanged(owned: boolean) {
      bus.owner = owned;
      for (const l of signalListeners) {
        l({
          sender: 'org.freedesktop.DBus',
          path: '/org/freedesktop/DBus',
          interface: 'org.freedesktop.DBus',
          member: 'NameOwnerChanged',
          body: ['org.kde.StatusNotifierWatcher', '', owned ? ':1.7' : ''],
        });
      }
    },
  };
  const monitor = {
    bus,
    start: vi.fn(() => Promise.resolve()),
    stop: vi.fn(() => Promise.resolve()),
    snapshot: () => current,
    onSnapshot: (l: (s: Snapshot) => void) => {
      snapshotListeners.add(l);
      return () => snapshotListeners.delete(l);
    },
    act: vi.fn((id: string, action: string) =>
      Promise.resolve({ ok: true, value: { id, action, result: 'done', entry: null } }),
    ),
    unitDetail: vi.fn(),
    publish(next: Snapshot) {
      current = next;
      for (const l of snapshotListeners) l(next);
    },
  };
  return monitor;
}

// ---- helpers ----

async function start(opts: { lock?: boolean; sniOwner: boolean }) {
  const monitor = makeMonitor(opts.sniOwner);
  h.monitor = monitor;
  h.app.lock = opts.lock ?? true;
  await import('../../main/shell/index.js');
  return monitor;
}

function menuLabels(tray: InstanceType<typeof h.FakeTray>): string[] {
  return (tray.menu?.template ?? []).map((i) => (i.type === 'separator' ? '---' : (i.label ?? '')));
}

function clickMenu(tray: InstanceType<typeof h.FakeTray>, label: string): void {
  const item = tray.menu?.template.find((i) => i.label === label);
  if (item?.click === undefined)
    throw new Error(`no clickable "${label}" in ${menuLabels(tray).join(' | ')}`);
  item.click();
}

/** Start with a tray, open the panel, a detail window and every page from it; all windows. */
async function openEveryPage(): Promise<Array<InstanceType<typeof h.FakeBrowserWindow>>> {
  await start({ sniOwner: true });
  await vi.waitFor(() => expect(h.FakeTray.all).toHaveLength(1));
  h.FakeTray.all[0]!.emit('click');
  const panel = h.FakeBrowserWindow.all[0]!;
  await invoke(frameOf(panel), 'window:open-detail', { id: 'systemd:web.service' });
  for (const page of APP_PAGES) await invoke(frameOf(panel), 'window:open-page', { page });
  return h.FakeBrowserWindow.all;
}

function frameOf(win: InstanceType<typeof h.FakeBrowserWindow>, id?: number) {
  const url = win.loaded?.url ?? '';
  return { sender: { id: id ?? win.webContents.id }, senderFrame: { url, parent: null } };
}

function invoke(event: unknown, channel: string, payload: unknown): Promise<unknown> {
  const handler = h.ipcHandlers.get(channel);
  if (handler === undefined) throw new Error(`no handler for ${channel}`);
  return handler(event, payload);
}

beforeEach(() => {
  vi.resetModules();
  h.FakeBrowserWindow.all = [];
  h.FakeTray.all = [];
  h.showing = [];
  h.ipcHandlers.clear();
  // The previous import registered its listeners on these shared fakes.
  h.app.removeAllListeners();
  h.nativeTheme.removeAllListeners();
  h.app.quit.mockClear();
  h.app.exit.mockClear();
  h.app.setDesktopName.mockClear();
  h.app.readyCalled = false;
  h.session.schemes = [];
  h.session.protocolHandlers.clear();
  vi.spyOn(console, 'warn').mockImplementation(() => {});
  // The tray icon's colour depends on the desktop (GNOME's top bar is always dark).
  vi.stubEnv('XDG_CURRENT_DESKTOP', 'KDE');
});

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

describe('main/shell/index.ts with a tray host', () => {
  it('wires single instance, session hardening, IPC and the tray', async () => {
    const monitor = await start({ sniOwner: true });
    await vi.waitFor(() => expect(h.FakeTray.all).toHaveLength(1));
    const tray = h.FakeTray.all[0]!;

    expect(h.app.setDesktopName).toHaveBeenCalledWith('daemon-deck.desktop');
    expect([...h.ipcHandlers.keys()].sort()).toEqual([...INVOKE_CHANNELS].sort());
    // electron-store writes the settings.json the CLI reads (~/.config/daemon-deck).
    const store = h.storeOptions as { name?: string; cwd?: string };
    expect(store.name).toBe('settings');
    expect(store.cwd).toMatch(/daemon-deck$/);
    const self = (h.coreOptions as { selfCommand?: string[] }).selfCommand;
    expect(self?.[0]).toMatch(/^\//);
    expect(self).toHaveLength(2);
    expect(h.removeAllIpcListeners).toHaveBeenCalledWith('electron-store-get-data');

    // Every permission is refused but clipboard writes from our own pages (Copy attach command);
    // every response carries our CSP.
    const page = 'app://daemon-deck/detail.html?id=session%3Atmux%3Awork';
    const top = { requestingUrl: page, isMainFrame: true };
    const granted = vi.fn();
    h.session.permissionRequest?.({}, 'media', granted, top);
    expect(granted).toHaveBeenCalledWith(false);
    expect(h.session.permissionCheck?.({}, 'notifications', '', top)).toBe(false);
    expect(h.session.permissionCheck?.({}, 'clipboard-sanitized-write', '', top)).toBe(true);
    expect(h.session.permissionCheck?.({}, 'clipboard-read', '', top)).toBe(false);
    expect(
      h.session.permissionCheck?.({}, 'clipboard-sanitized-write', '', {
        requestingUrl: 'https://example.com/',
        isMainFrame: true,
      }),
    ).toBe(false);
    const headers = vi.fn();
    h.session.headers?.({ responseHeaders: { 'X-A': ['1'] } }, headers);
    expect(headers).toHaveBeenCalledWith({
      responseHeaders: {
        'X-A': ['1'],
        'Content-Security-Policy': [expect.stringContaining("default-src 'none'")],
      },
    });

    // The tray shows the model; no window until asked.
    expect(tray.image.path).toBe('/app/build/tray/tray-normal-light.png');
    expect(tray.tooltip).toBe('Daemon Deck: All good');
    expect(menuLabels(tray)).toEqual(['Pause alerts', 'Open Daemon Deck', 'Quit']);
    expect(h.FakeBrowserWindow.all).toHaveLength(0);
    expect(monitor.start).toHaveBeenCalled();

    // A crash changes the menu and tooltip; an identical snapshot does not re-set the menu.
    const failed = {
      ...monitor.snapshot(),
      version: 2,
      entries: [trayEntry('web.service', 'failed')],
    };
    monitor.publish(failed);
    expect(menuLabels(tray)).toEqual([
      'Restart web.service',
      '---',
      'Pause alerts',
      'Open Daemon Deck',
      'Quit',
    ]);
    expect(tray.tooltip).toBe('Daemon Deck: 1 service failed (not pinned)');
    expect(tray.image.path).toBe('/app/build/tray/tray-normal-light.png');
    const sets = tray.menuSets;
    monitor.publish({ ...failed, version: 3 });
    expect(tray.menuSets).toBe(sets);

    clickMenu(tray, 'Restart web.service');
    expect(monitor.act).toHaveBeenCalledWith('systemd:web.service', 'restart');

    // Pause alerts toggles the setting; the tooltip says so.
    clickMenu(tray, 'Pause alerts');
    expect(tray.tooltip).toBe('Daemon Deck: 1 service failed (not pinned) · alerts paused');
    expect(tray.menu?.template.find((i) => i.label === 'Pause alerts')?.checked).toBe(true);
    clickMenu(tray, 'Pause alerts');
    expect(tray.tooltip).toBe('Daemon Deck: 1 service failed (not pinned)');

    // Left click opens the panel as a hardened popup.
    tray.emit('click');
    expect(h.FakeBrowserWindow.all).toHaveLength(1);
    const panel = h.FakeBrowserWindow.all[0]!;
    expect(panel.options).toMatchObject({ frame: false, skipTaskbar: true });
    expect(panel.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
    });
    expect(String(panel.options.webPreferences?.preload)).toMatch(/preload\/index\.cjs$/);
    expect(panel.loaded?.url).toBe('app://daemon-deck/panel.html');
    await vi.waitFor(() => expect(panel.visible).toBe(true));

    // Navigation and new windows are denied.
    const nav = new h.PreventableEvent('https://example.com/');
    panel.webContents.emit('will-navigate', nav);
    expect(nav.defaultPrevented).toBe(true);
    expect(panel.webContents.openHandler?.({ url: 'https://example.com/' })).toEqual({
      action: 'deny',
    });

    // IPC answers the panel and refuses anyone else.
    await expect(invoke(frameOf(panel), 'app:info', null)).resolves.toEqual({
      version: '0.1.0',
      transport: 'electron',
      systemLanguage: resolveLanguage(process.env),
    });
    await expect(invoke(frameOf(panel, 999), 'app:info', null)).rejects.toThrow(/sender refused/);

    // Pinning the failed unit (as the panel does) turns the tray icon to its warning variant.
    await expect(
      invoke(frameOf(panel), 'settings:pin', { id: 'systemd:web.service', pinned: true }),
    ).resolves.toMatchObject({ ok: true });
    expect(tray.image.path).toBe('/app/build/tray/tray-warning-light.png');
    expect(tray.tooltip).toBe('Daemon Deck: 1 service failed');

    // Snapshots reach the panel.
    monitor.publish({ ...failed, version: 4, entries: [trayEntry('web.service', 'running')] });
    expect(panel.webContents.sent.at(-1)?.[0]).toBe('snapshot:changed');

    // Opening details from the panel makes a detail window with the id in the query.
    await expect(
      invoke(frameOf(panel), 'window:open-detail', { id: 'systemd:web.service' }),
    ).resolves.toEqual({
      ok: true,
      value: null,
    });
    const detail = h.FakeBrowserWindow.all[1]!;
    const query = () => Object.fromEntries(new URL(detail.loaded?.url ?? '').searchParams);
    expect(query()).toEqual({ id: 'systemd:web.service' });
    // Show logs (a notification's button) brings the same window back on its Logs tab.
    await expect(
      invoke(frameOf(panel), 'window:open-detail', { id: 'systemd:web.service', tab: 'logs' }),
    ).resolves.toMatchObject({ ok: true });
    expect(h.FakeBrowserWindow.all).toHaveLength(2);
    expect(query()).toEqual({ id: 'systemd:web.service', tab: 'logs' });
    await expect(invoke(frameOf(detail), 'snapshot:get', null)).resolves.toMatchObject({
      version: 4,
    });

    // Closing the popup destroys it, renderer and all; closing everything keeps the app in the tray.
    panel.close();
    expect(panel.destroyed).toBe(true);
    expect(panel.webContents.isDestroyed()).toBe(true);
    detail.close();
    expect(detail.webContents.isDestroyed()).toBe(true);
    h.app.emit('window-all-closed');
    expect(h.app.quit).not.toHaveBeenCalled();

    // A second instance brings the panel back, built anew.
    h.app.emit('second-instance');
    const again = h.FakeBrowserWindow.all.at(-1)!;
    expect(again).not.toBe(panel);
    expect(again.loaded?.url).toBe('app://daemon-deck/panel.html');
    await vi.waitFor(() => expect(again.visible).toBe(true));

    clickMenu(tray, 'Quit');
    expect(h.app.quit).toHaveBeenCalled();
  });

  it('every window it opens, of every page, has the same hardened preferences', async () => {
    const wins = await openEveryPage();
    const pages = wins.map((w) => appPageOf(w.loaded?.url ?? '', { rendererDir: '/x' }));
    expect(pages.sort()).toEqual([...RENDERER_PAGES].sort());
    for (const win of wins) {
      const prefs = win.options.webPreferences ?? {};
      expect(prefs).toEqual(secureWebPreferences(String(prefs.preload)));
      expect(String(prefs.preload)).toMatch(/preload\/index\.cjs$/);
    }
  });

  it('closing each window destroys its webContents: no renderer stays behind', async () => {
    const wins = [...(await openEveryPage())];
    expect(wins).toHaveLength(RENDERER_PAGES.length);
    await vi.waitFor(() => expect(wins.every((w) => w.visible)).toBe(true));
    for (const win of wins) {
      const page = appPageOf(win.loaded?.url ?? '', { rendererDir: '/x' });
      win.close();
      expect({ page, destroyed: win.destroyed }).toEqual({ page, destroyed: true });
      expect({ page, webContents: win.webContents.isDestroyed() }).toEqual({
        page,
        webContents: true,
      });
      // IPC no longer answers a closed window's page, nor sends it snapshots.
      await expect(invoke(frameOf(win), 'app:info', null)).rejects.toThrow(/sender refused/);
    }
    // The popup panel closes (not hides) when it loses focus, too.
    h.FakeTray.all[0]!.emit('click');
    const popup = h.FakeBrowserWindow.all.at(-1)!;
    await vi.waitFor(() => expect(popup.visible).toBe(true));
    popup.emit('blur');
    expect(popup.destroyed).toBe(true);
    expect(popup.webContents.isDestroyed()).toBe(true);
    // A second click builds a new one.
    h.FakeTray.all[0]!.emit('click');
    expect(h.FakeBrowserWindow.all.at(-1)).not.toBe(popup);
  });

  it('tells the core whether any window shows processes, sessions or strays', async () => {
    await start({ sniOwner: true });
    await vi.waitFor(() => expect(h.FakeTray.all).toHaveLength(1));
    // No window yet: the core polls quietly.
    expect(h.showing).toEqual([false]);
    h.FakeTray.all[0]!.emit('click');
    const panel = h.FakeBrowserWindow.all[0]!;
    await vi.waitFor(() => expect(h.showing).toEqual([false, true]));
    // Settings shows no process; the panel closing leaves nothing that does.
    await invoke(frameOf(panel), 'window:open-page', { page: 'settings' });
    const settingsWin = h.FakeBrowserWindow.all[1]!;
    await vi.waitFor(() => expect(settingsWin.visible).toBe(true));
    panel.emit('blur');
    expect(h.showing).toEqual([false, true, false]);
    // A unit's detail does not count; a watched process's detail and the strays page do.
    await invoke(frameOf(settingsWin), 'window:open-detail', { id: 'systemd:web.service' });
    await vi.waitFor(() => expect(h.FakeBrowserWindow.all[2]?.visible).toBe(true));
    expect(h.showing).toEqual([false, true, false]);
    await invoke(frameOf(settingsWin), 'window:open-page', { page: 'strays' });
    const strays = h.FakeBrowserWindow.all[3]!;
    await vi.waitFor(() => expect(h.showing).toEqual([false, true, false, true]));
    strays.minimize();
    expect(h.showing.at(-1)).toBe(false);
    strays.restore();
    expect(h.showing.at(-1)).toBe(true);
    await invoke(frameOf(settingsWin), 'window:open-detail', { id: 'process:bot' });
    const bot = h.FakeBrowserWindow.all[4]!;
    await vi.waitFor(() => expect(bot.visible).toBe(true));
    strays.close();
    expect(h.showing.at(-1)).toBe(true);
    bot.close();
    expect(h.showing).toEqual([false, true, false, true, false, true, false]);
  });

  it('serves its pages from the privileged app:// scheme, registered before ready', async () => {
    await start({ sniOwner: true });
    await vi.waitFor(() => expect(h.session.protocolHandlers.has('app')).toBe(true));
    // codeCache: the pages' compiled scripts are kept between windows (issue 16).
    const privileges = ['standard', 'secure', 'supportFetchAPI', 'corsEnabled', 'codeCache'];
    expect(h.session.schemes).toEqual([
      { scheme: 'app', privileges: Object.fromEntries(privileges.map((p) => [p, true])) },
    ]);
    const serve = h.session.protocolHandlers.get('app')!;
    // The test's renderer folder holds no built pages: everything is a 404, with our CSP.
    for (const url of ['app://daemon-deck/panel.html', 'app://daemon-deck/../../etc/passwd']) {
      const res = await serve({ method: 'GET', url });
      expect(res.status).toBe(404);
      expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    }
    expect((await serve({ method: 'POST', url: 'app://daemon-deck/panel.html' })).status).toBe(405);
    // Let this start finish (the settings file is opened under its lock) before the next one.
    await vi.waitFor(() => expect(h.FakeTray.all).toHaveLength(1));
  });

  it('on GNOME the tray icon is the light glyph for its dark top bar', async () => {
    vi.stubEnv('XDG_CURRENT_DESKTOP', 'ubuntu:GNOME');
    await start({ sniOwner: true });
    await vi.waitFor(() => expect(h.FakeTray.all).toHaveLength(1));
    expect(h.FakeTray.all[0]!.image.path).toBe('/app/build/tray/tray-normal-dark.png');
  });

  it('a second instance quits at once and sets nothing up', async () => {
    await start({ lock: false, sniOwner: true });
    await vi.waitFor(() => expect(h.app.quit).toHaveBeenCalled());
    expect(h.ipcHandlers.size).toBe(0);
    expect(h.FakeTray.all).toHaveLength(0);
    expect(h.FakeBrowserWindow.all).toHaveLength(0);
  });
});

describe('crash alerts in the shell', () => {
  it('Show logs and the fallback notification open the detail window on its Logs tab', async () => {
    await start({ sniOwner: true });
    await vi.waitFor(() => expect(h.FakeTray.all).toHaveLength(1));
    h.FakeNotification.all = [];
    const alerts = (
      h.coreOptions as {
        alerts: {
          onShowLogs(id: string): void;
          fallback(req: NotificationRequest, id: string): void;
        };
      }
    ).alerts;

    const lastQuery = () =>
      Object.fromEntries(new URL(h.FakeBrowserWindow.all.at(-1)?.loaded?.url ?? '').searchParams);
    alerts.onShowLogs('systemd:web.service');
    expect(lastQuery()).toEqual({ id: 'systemd:web.service', tab: 'logs' });

    const req: NotificationRequest = {
      summary: 'bot crashed',
      body: 'It exited with status 1.',
      actions: [],
      urgency: 'critical',
      expireTimeoutMs: 0,
    };
    alerts.fallback(req, 'process:bot');
    const first = h.FakeNotification.all[0]!;
    expect(first.options).toMatchObject({
      title: 'bot crashed',
      urgency: 'critical',
      timeoutType: 'never',
    });
    expect(first.shown).toBe(true);
    // A crash loop replaces its one notification.
    alerts.fallback({ ...req, summary: 'bot crashed 2 times' }, 'process:bot');
    expect(first.closed).toBe(true);
    const second = h.FakeNotification.all[1]!;
    second.emit('click');
    expect(lastQuery()).toEqual({ id: 'process:bot', tab: 'logs' });
  });
});

describe('main/shell/index.ts without a tray host', () => {
  it('opens an ordinary window, quits when it closes, and moves to a tray that appears', async () => {
    const monitor = await start({ sniOwner: false });
    await vi.waitFor(() => expect(h.FakeBrowserWindow.all).toHaveLength(1));
    const win = h.FakeBrowserWindow.all[0]!;
    expect(h.FakeTray.all).toHaveLength(0);
    expect(win.options).toMatchObject({ frame: true, skipTaskbar: false });
    await vi.waitFor(() => expect(win.visible).toBe(true));

    // A panel (e.g. the AppIndicator extension) starts later: the tray appears.
    monitor.bus.watcherChanged(true);
    await vi.waitFor(() => expect(h.FakeTray.all).toHaveLength(1));

    // ...and goes away again: back to a window, and quitting with it.
    monitor.bus.watcherChanged(false);
    await vi.waitFor(() => expect(h.FakeTray.all[0]!.destroyed).toBe(true));
    win.close();
    expect(win.destroyed).toBe(true);
    h.app.emit('window-all-closed');
    expect(h.app.quit).toHaveBeenCalled();
  });
});
