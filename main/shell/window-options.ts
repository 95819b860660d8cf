import { APP_PAGES, type AppPage } from '../../preload/contract.js';
// Pure decisions of the shell's hardening, kept apart from the electron runtime so unit tests
// can assert them under plain Node: webPreferences, window options, the CSP, and which URLs
// count as the app's own pages. Only types are imported from electron.
//
// Relies on (Electron 45 docs, "Security"): contextIsolation + sandbox + no nodeIntegration
// with a CommonJS preload (a sandboxed preload cannot be ESM); CSP as a header does not
// reliably reach file:// pages, so renderer/*.html also carry the same policy in a <meta> tag
// (electron/electron#23485, docs PR #14768) and both apply.
import { sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserWindowConstructorOptions, WebPreferences } from 'electron';

/** The same policy as the <meta> tag in renderer/panel.html and detail.html. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export type RendererPage = 'panel' | 'detail' | AppPage;
export const RENDERER_PAGES: readonly RendererPage[] = ['panel', 'detail', ...APP_PAGES];

export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    safeDialogs: true,
  };
}

/**
 * 'popup': the tray panel, borderless and hidden from the taskbar, shown next to the tray.
 * 'window': the same page as an ordinary window, for desktops without a tray host, where a
 * borderless window with no taskbar entry could not be found again.
 */
export type PanelMode = 'popup' | 'window';

export const PANEL_SIZE = { width: 380, height: 560 } as const;

export function panelWindowOptions(
  mode: PanelMode,
  preloadPath: string,
  dark: boolean,
): BrowserWindowConstructorOptions {
  const popup = mode === 'popup';
  return {
    ...PANEL_SIZE,
    minWidth: 320,
    minHeight: 360,
    show: false,
    title: 'Daemon Deck',
    frame: !popup,
    resizable: !popup,
    movable: true,
    minimizable: !popup,
    maximizable: false,
    fullscreenable: false,
    skipTaskbar: popup,
    alwaysOnTop: popup,
    autoHideMenuBar: true,
    backgroundColor: dark ? '#242424' : '#fafafa',
    webPreferences: secureWebPreferences(preloadPath),
  };
}

export function detailWindowOptions(
  preloadPath: string,
  dark: boolean,
): BrowserWindowConstructorOptions {
  return {
    width: 720,
    height: 560,
    minWidth: 480,
    minHeight: 360,
    show: false,
    title: 'Details — Daemon Deck',
    autoHideMenuBar: true,
    backgroundColor: dark ? '#242424' : '#fafafa',
    webPreferences: secureWebPreferences(preloadPath),
  };
}

/** Where the app's pages come from: the built renderer, or the dev server in `electron-vite dev`. */
export interface RendererOrigin {
  /** Absolute path of out/renderer. */
  rendererDir: string;
  /** `ELECTRON_RENDERER_URL` in development only; never set in a packaged app. */
  devServerUrl?: string | null;
}

/** Which of the app's pages `url` is, or null if it is anything else. */
export function appPageOf(url: string, origin: RendererOrigin): RendererPage | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  const pageFromName = (name: string): RendererPage | null => {
    const page = RENDERER_PAGES.find((p) => name === `${p}.html`);
    return page ?? null;
  };
  if (parsed.protocol === 'file:') {
    if (parsed.host !== '') return null;
    let path: string;
    try {
      path = fileURLToPath(parsed);
    } catch {
      return null;
    }
    const dir = origin.rendererDir.endsWith(sep) ? origin.rendererDir : origin.rendererDir + sep;
    if (!path.startsWith(dir)) return null;
    return pageFromName(path.slice(dir.length));
  }
  if (origin.devServerUrl) {
    let dev: URL;
    try {
      dev = new URL(origin.devServerUrl);
    } catch {
      return null;
    }
    const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(dev.hostname);
    if (!loopback || parsed.origin !== dev.origin) return null;
    return pageFromName(parsed.pathname.replace(/^\//, ''));
  }
  return null;
}

/**
 * The one permission the app grants: writing text to the clipboard (Copy attach command), asked by
 * the top frame of one of our own pages. Electron routes navigator.clipboard.writeText through
 * the session's permission check as `clipboard-sanitized-write` (electron/electron#37158).
 */
export function isPermitted(
  permission: string,
  requestingUrl: string | undefined,
  isMainFrame: boolean,
  origin: RendererOrigin,
): boolean {
  return (
    permission === 'clipboard-sanitized-write' &&
    isMainFrame &&
    requestingUrl !== undefined &&
    appPageOf(requestingUrl, origin) !== null
  );
}

/** Response headers with our CSP added (replacing any the response carried). */
export function withCsp(headers: Record<string, string[]> | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() !== 'content-security-policy') out[name] = value;
  }
  out['Content-Security-Policy'] = [CONTENT_SECURITY_POLICY];
  return out;
}
