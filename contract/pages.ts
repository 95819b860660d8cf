// The app's windows as the contract names them (no zod here: the renderer imports these values).
import type { Language } from '../i18n/index.js';

/** Pages other than the panel and the detail window. */
export const APP_PAGES = [
  'create',
  'startup',
  'settings',
  'strays',
  'watch',
  'run',
  'timers',
] as const;
export type AppPage = (typeof APP_PAGES)[number];

/** The detail window's tabs; window:open-detail may name the one to show first. */
export type DetailTab = 'overview' | 'logs' | 'definition' | 'history';
export const DETAIL_TABS: readonly DetailTab[] = ['overview', 'logs', 'definition', 'history'];

export interface AppInfo {
  version: string;
  /** 'electron' in the app, 'test' in the e2e transport. */
  transport: 'electron' | 'test';
  /** The language the system's locale asks for (LANGUAGE, LC_ALL, LC_MESSAGES, LANG). */
  systemLanguage: Language;
}

/** The pages' one Content-Security-Policy: the shell's response header (main/shell) and the
 * <meta> tag of every page's document (renderer/pages.ts). */
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
