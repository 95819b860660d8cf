// i18n as the preload sees it (renderer/bundling.ts, preloadStandIns): the languages, no words.
// The preload only turns a method's arguments into its payload; the contract modules it bundles
// name t() only in zod messages (inert there: preload/inert-zod.ts) and in what the pages format
// (model/setup.ts), never run in the preload. Without this, every window's preload carried i18next
// and ran its setup before the page's first script: 68 KB where 16 KB do (issue 16).
export * from '../i18n/languages.js';

export function t(key: string): string {
  throw new Error(`The preload shows no words (asked for ${key}).`);
}
