// The languages the app speaks, without the words: what the contract's settings check needs, and
// all the preload gets of i18n (renderer/bundling.ts, preloadStandIns). index.ts re-exports them.
export const LANGUAGES = ['en', 'ko'] as const;
export type Language = (typeof LANGUAGES)[number];
/** The language setting: the system's, or one chosen. */
export type LanguageSetting = 'system' | Language;
export const LANGUAGE_SETTINGS: readonly LanguageSetting[] = ['system', ...LANGUAGES];
