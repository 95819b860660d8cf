// The Electron main entry: app lifecycle and wiring only. Everything with logic lives in
// main/core (plain Node, tested there) or in the pure shell modules beside this file.
//
// Start-up order matters: the single-instance lock before anything else; session hardening and
// the IPC handlers before the first window loads; the tray only when a StatusNotifierItem host
// exists (stock GNOME has none), otherwise the panel opens as an ordinary window and closing it
// quits. A host that appears or vanishes later (a panel restarting, autostart racing the panel
// at login) switches between the two.
import { app, ipcMain, nativeTheme, session } from 'electron';
import Store from 'electron-store';
import { join } from 'node:path';
import { resolveLanguage } from '../../i18n/index.js';
import { createIpcTable } from '../core/api/ipc-table.js';
import { createCore } from '../core/app.js';
import { keepYoungGenerationSmall } from '../core/heap.js';
import { selfCommand } from '../core/autostart/autostart-service.js';
import {
  SETTINGS_FILE_NAME,
  openSettingsFile,
  type KeyValueBackend,
} from '../core/settings/settings.js';
import { panelThemeFor, type TrayCommand } from '../core/tray/menu-model.js';
import type { RobustBus } from '../core/systemd/bus.js';
import { checkSniHost, watchSniHost, type SniHostStatus } from '../core/tray/sni-host.js';
import { registerAppScheme, serveAppScheme } from './app-protocol.js';
import { serveIpc } from './ipc.js';
import { createNotificationFallback } from './notification-fallback.js';
import { createTray, type TrayController } from './tray.js';
import { createWindowManager, hardenSession, hardenWebContents } from './windows.js';

const log = (message: string) => console.warn(`[daemon-deck] ${message}`);

// Before anything allocates: the core idles for days (heap.ts).
keepYoungGenerationSmall();

/** Must match the installed desktop entry (build/daemon-deck.desktop, electron-builder's executableName). */
const DESKTOP_NAME = 'daemon-deck.desktop';

/**
 * electron-store on the same settings.json the CLI uses (~/.config/daemon-deck). No `defaults`,
 * `schema` or `migrations` here: the core checks, defaults and migrates every value itself
 * (settings-schema.ts), because electron-store's migrations do not run on a new file and its
 * schema throws on a file someone edited by hand (PLATFORM-NOTES).
 */
async function openSettingsBackend(): Promise<KeyValueBackend> {
  return openSettingsFile(process.env, (cwd) => {
    const store = new Store<Record<string, unknown>>({ name: SETTINGS_FILE_NAME, cwd });
    // electron-store answers a synchronous 'electron-store-get-data' message from any renderer
    // (for renderer-side stores, which we do not have). Only the contract's channels stay open.
    ipcMain.removeAllListeners('electron-store-get-data');
    return store;
  });
}

/** Resolves once the bus has connected or given up (or after `timeoutMs`). */
function busSettled(bus: RobustBus, timeoutMs: number): Promise<void> {
  if (bus.state !== 'connecting') return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, timeoutMs);
    const off = bus.onState((state) => {
      if (state !== 'connecting') done();
    });
    function done(): void {
      clearTimeout(timer);
      off();
      resolve();
    }
  });
}

async function main(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  app.setDesktopName(DESKTOP_NAME);

  let quitting = false;
  app.on('before-quit', () => {
    quitting = true;
  });
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, log));
  registerAppScheme();

  await app.whenReady();

  const here = import.meta.dirname;
  const devServerUrl = app.isPackaged ? null : (process.env.ELECTRON_RENDERER_URL ?? null);
  const origin = { rendererDir: join(here, '../renderer'), devServerUrl };
  hardenSession(session.defaultSession, origin);
  serveAppScheme(session.defaultSession, origin.rendererDir);
  const iconDir = app.isPackaged
    ? join(process.resourcesPath, 'tray')
    : join(app.getAppPath(), 'build/tray');

  const core = createCore({
    env: process.env,
    settingsBackend: await openSettingsBackend(),
    // Crash alerts: Show logs (a notification's button, or a click on the fallback) opens the
    // detail window on its Logs tab.
    alerts: {
      onShowLogs: (id) => void windows.openDetail(id, 'logs'),
      fallback: createNotificationFallback({
        onClick: (id) => void windows.openDetail(id, 'logs'),
        log,
      }),
    },
    // $APPIMAGE for AppImages; in development Electron needs the app folder after its binary.
    selfCommand: selfCommand(
      process.env,
      process.execPath,
      app.isPackaged ? [] : [app.getAppPath()],
    ),
  });
  const { monitor, settings } = core;
  for (const issue of settings.report.issues) log(`settings: ${issue}`);
  nativeTheme.themeSource = settings.get().theme;

  const windows = createWindowManager({
    preloadPath: join(here, '../preload/index.cjs'),
    origin,
    isQuitting: () => quitting,
    log,
    // No window shows processes, sessions or strays: the core polls quietly (issue 16).
    onShowing: (showing) => core.setShowing(showing),
  });
  const table = createIpcTable({
    ...core.ipcDeps,
    windows,
    appInfo: {
      version: app.getVersion(),
      transport: 'electron',
      systemLanguage: resolveLanguage(process.env),
    },
  });
  const stopIpc = serveIpc({ ipc: ipcMain, table, targets: windows, origin, log });

  app.on('second-instance', () => windows.focus());

  let tray: TrayController | null = null;
  /** Unseen crashes of far hosts (issue 17) as their last change said; the tray counts them. */
  let farCrashes: Array<{ host: string; count: number }> = [];
  const run = (command: TrayCommand): void => {
    switch (command.type) {
      case 'act':
        void monitor.act(command.entryId, command.action).then((result) => {
          if (!result.ok)
            log(`tray: ${command.action} ${command.entryId}: ${result.error.message}`);
        });
        return;
      case 'pause-alerts':
        core.alerts.alerts.setPaused(command.paused);
        return;
      case 'open-panel':
        windows.showPanel();
        return;
      case 'quit':
        app.quit();
        return;
    }
  };

  let hostAvailable: boolean | null = null;
  /** Acts on changes only: a reconnect that finds the same answer changes nothing. */
  function useTray(status: SniHostStatus): void {
    if (status.available === hostAvailable) return;
    hostAvailable = status.available;
    if (status.available) {
      windows.setPanelMode('popup');
      tray ??= createTray({
        iconDir,
        snapshot: () => monitor.snapshot(),
        settings: () => settings.get(),
        systemDark: () => nativeTheme.shouldUseDarkColors,
        panelTheme: panelThemeFor(process.env.XDG_CURRENT_DESKTOP),
        run,
        activate: () => windows.togglePanel(),
        farCrashes: () => farCrashes,
      });
      return;
    }
    log(`tray: no StatusNotifierItem host (${status.reason}); showing a window instead`);
    tray?.destroy();
    tray = null;
    windows.setPanelMode('window');
    windows.showPanel();
  }

  monitor.onSnapshot(() => tray?.refresh());
  core.hosts?.onChange((view) => {
    farCrashes = view.hosts.map((h) => ({ host: h.name, count: h.unseenCrashes }));
    tray?.refresh();
  });
  settings.onChange((next) => {
    nativeTheme.themeSource = next.theme;
    tray?.refresh();
  });
  nativeTheme.on('updated', () => tray?.refresh());
  // A mute ends with time, not with a change: the icon and menu are looked at again each minute.
  setInterval(() => tray?.refresh(), 60_000).unref();

  app.on('window-all-closed', () => {
    // With a tray the app lives on in it; without one, the window was the app.
    if (tray === null) app.quit();
  });
  app.on('will-quit', () => {
    stopIpc();
    tray?.destroy();
    void core.stop();
  });

  // The first sync of systemd can take seconds; the tray decision needs only the bus.
  monitor.start().catch((err: unknown) => log(`monitor: could not start: ${String(err)}`));
  await busSettled(monitor.bus, 3_000);
  useTray(await checkSniHost(monitor.bus));
  monitor.bus.onState((state) => {
    if (state === 'up') void checkSniHost(monitor.bus).then(useTray);
  });
  try {
    await watchSniHost(monitor.bus, useTray);
  } catch (err) {
    log(`tray: cannot watch for a tray host appearing later: ${String(err)}`);
  }
}

main().catch((err: unknown) => {
  log(`fatal: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  app.exit(1);
});
