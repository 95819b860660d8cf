// Pure decisions of the shell's hardening, kept apart from the electron runtime so unit tests
// can assert them under plain Node: webPreferences, window options, the CSP, and which URLs
// count as the app's own pages. Only types are imported from electron.
//
// Relies on (Electron 45 docs, "Security"): contextIsolation + sandbox + no nodeIntegration
// with a CommonJS preload (a sandboxed preload cannot be ESM). The pages are served from our
// own privileged scheme, app://daemon-deck/ (checklist item 18: no file://, so the fuse that
// grants file:// extra privileges is off), with the CSP as a response header; renderer/*.html
// also carry the same policy in a <meta> tag, so both apply wherever a page is loaded.
import { extname, join, resolve, sep } from 'node:path';
import type { BrowserWindowConstructorOptions, WebPreferences } from 'electron';
import { APP_PAGES, CONTENT_SECURITY_POLICY, type AppPage } from '../../contract/pages.js';
import { t } from '../../i18n/index.js';

export { CONTENT_SECURITY_POLICY };

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
    title: t('common:window.details', { app: 'Daemon Deck' }),
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

/** The scheme and host the built pages are served from (main/shell/app-protocol.ts). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'daemon-deck';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/** The URL a window loads for `page`: our scheme, or the dev server in development. */
export function pageUrl(
  page: RendererPage,
  query: Record<string, string> | undefined,
  origin: RendererOrigin,
): string {
  const base = origin.devServerUrl ? origin.devServerUrl.replace(/\/+$/, '') : APP_ORIGIN;
  const search =
    query && Object.keys(query).length > 0 ? `?${new URLSearchParams(query).toString()}` : '';
  return `${base}/${page}.html${search}`;
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
  if (parsed.protocol === `${APP_SCHEME}:`) {
    if (parsed.host !== APP_HOST || parsed.username !== '' || parsed.password !== '') return null;
    return pageFromName(parsed.pathname.replace(/^\//, ''));
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

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

/** A response of the app scheme, as plain data (main/shell/app-protocol.ts makes it a Response). */
export interface AppResponse {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array | string;
}

/**
 * The file under `rendererDir` that an app:// URL names, with its content type, or null when the
 * URL is not ours or would leave the folder: only app://daemon-deck/, no credentials or port,
 * no `.`/`..` segments (also when percent-encoded), no backslash or NUL, known file types only.
 */
export function resolveAppAsset(
  url: string,
  rendererDir: string,
): { path: string; contentType: string } | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return null;
  if (parsed.username !== '' || parsed.password !== '') return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(parsed.pathname);
  } catch {
    return null;
  }
  if (/[\\\0]/.test(pathname)) return null;
  const segments = pathname.replace(/^\//, '').split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..')) return null;
  const contentType = CONTENT_TYPES[extname(pathname).toLowerCase()];
  if (contentType === undefined) return null;
  const base = resolve(rendererDir);
  const path = join(base, ...segments);
  if (!path.startsWith(base + sep)) return null;
  return { path, contentType };
}

/**
 * Answers one request of the app scheme: GET of a file under `rendererDir`, with our CSP and
 * nosniff; 404 for anything outside it or missing, 405 for other methods.
 */
export async function appResponse(
  method: string,
  url: string,
  rendererDir: string,
  readFile: (path: string) => Promise<Uint8Array>,
): Promise<AppResponse> {
  const headers = {
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
  };
  if (method !== 'GET' && method !== 'HEAD') {
    return { status: 405, headers, body: 'Method not allowed' };
  }
  const target = resolveAppAsset(url, rendererDir);
  if (target === null) return { status: 404, headers, body: 'Not found' };
  let body: Uint8Array;
  try {
    body = await readFile(target.path);
  } catch {
    return { status: 404, headers, body: 'Not found' };
  }
  return {
    status: 200,
    headers: { ...headers, 'Content-Type': target.contentType },
    body: method === 'HEAD' ? '' : body,
  };
}
