// Build-time choices for what the windows load first (issue 16: the panel's first render), shared
// by electron.vite.config.ts and the e2e build (test/e2e/build-renderer.ts) so both ship the same.
import type { Plugin } from 'vite';

const LAZY_CATALOGS = new URL('../i18n/locales/lazy.ts', import.meta.url).pathname;
const INERT_ZOD = new URL('../preload/inert-zod.ts', import.meta.url).pathname;

/**
 * The renderer and the preload get the message catalogs on demand (i18n/locales/lazy.ts: one
 * chunk per language and namespace, loaded by i18n's loadLanguage) instead of every catalog of
 * both languages in the first script; the core and the CLI keep them bundled (locales/index.ts).
 */
export function lazyCatalogs(): Plugin {
  return {
    name: 'daemon-deck-lazy-catalogs',
    enforce: 'pre',
    resolveId(source, importer) {
      if (source === './locales/index.js' && importer?.endsWith('/i18n/index.ts')) {
        return LAZY_CATALOGS;
      }
      return null;
    },
  };
}

/** The preload builds no zod schema (preload/inert-zod.ts says why). */
export function inertZod(): Plugin {
  return {
    name: 'daemon-deck-inert-zod',
    enforce: 'pre',
    resolveId(source) {
      return source === 'zod' ? INERT_ZOD : null;
    },
  };
}
