// Build-time choices for what the windows load first (issue 16: the panel's first render), shared
// by electron.vite.config.ts and the e2e build (test/e2e/build-renderer.ts) so both ship the same.
import type { BuildEnvironmentOptions, HtmlTagDescriptor, Plugin } from 'vite';
import { PANEL_NAMESPACES } from './src/panel/namespaces.js';

const LAZY_CATALOGS = new URL('../i18n/locales/lazy.ts', import.meta.url).pathname;
const INERT_ZOD = new URL('../preload/inert-zod.ts', import.meta.url).pathname;
const NO_WORDS = new URL('../preload/no-words.ts', import.meta.url).pathname;

/**
 * The renderer gets the message catalogs on demand (i18n/locales/lazy.ts: one
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

/**
 * What the preload gets in place of two modules the contract brings in and the preload never runs:
 * a zod that builds no schema (preload/inert-zod.ts says why) and an i18n without words or i18next
 * (preload/no-words.ts says why).
 */
export function preloadStandIns(): Plugin {
  return {
    name: 'daemon-deck-preload-stand-ins',
    enforce: 'pre',
    resolveId(source) {
      if (source === 'zod') return INERT_ZOD;
      if (/(^|\/)i18n\/index\.js$/.test(source)) return NO_WORDS;
      return null;
    },
  };
}

/**
 * The panel's entry is small and loads the rest (panel/boot.ts) with import(), after its early
 * requests leave (panel/main.ts). Its document names those scripts too (modulepreload), so they
 * load beside the entry instead of after it: one round trip to main fewer before the first
 * paint (issue 16). Only what the entry itself imports dynamically, with all it imports.
 */
export function preloadBoot(): Plugin {
  return {
    name: 'daemon-deck-preload-boot',
    transformIndexHtml: {
      order: 'post',
      handler(html, { bundle, chunk }) {
        if (bundle === undefined || chunk === undefined || chunk.name !== 'panel') return html;
        const files = new Set<string>();
        const add = (file: string): void => {
          const next = bundle[file];
          if (next?.type !== 'chunk' || files.has(file) || html.includes(file)) return;
          files.add(file);
          next.imports.forEach(add);
        };
        chunk.dynamicImports.forEach(add);
        const tags: HtmlTagDescriptor[] = [...files].map((file) => ({
          tag: 'link',
          attrs: { rel: 'modulepreload', crossorigin: true, href: `./${file}` },
          injectTo: 'head',
        }));
        return { html, tags };
      },
    },
  };
}

const PANEL_CATALOG = new RegExp(
  `[\\\\/]i18n[\\\\/]locales[\\\\/](en|ko)[\\\\/](?:${PANEL_NAMESPACES.join('|')})\\.json$`,
);

/**
 * What the pages share, in one chunk: the UI kit, the state and view modules, the contract's types
 * and constants (no zod), Svelte, i18next.
 */
const SHARED =
  /[\\/](renderer[\\/]src[\\/]((components|lib)[\\/]|[a-z]+[\\/][a-z-]+-(state\.svelte|view)\.ts$|strays[\\/]stray-groups\.ts$)|i18n[\\/](index|format)\.ts$|contract[\\/](index|pages)\.ts$|main[\\/]core[\\/]model[\\/]|node_modules[\\/](svelte|esm-env|clsx|i18next)[\\/])/;
/** Not there: what the pages' entries load first (the panel's early requests) and zod's users. */
const ENTRY_ONLY =
  /[\\/]renderer[\\/]src[\\/]lib[\\/](api|early-snapshot|zod-jitless|schemas)\.ts$/;
/**
 * What the panel's entry runs before the rest loads (panel/main.ts), in a small chunk of its own.
 * And Svelte's constants.js, which makes an Error as it loads (STALE_REACTION): with a debugger
 * attached (the tests' Chromium, through CDP) V8 then reads the source positions of the whole
 * script that made it, which was the 153 KB shared chunk, 5.5 ms on the panel's way to its first
 * paint (a trace of the panel bench); in this small chunk it is a fraction of a millisecond.
 */
const EARLY =
  /([\\/]renderer[\\/]src[\\/](lib[\\/](api|early-snapshot)|panel[\\/]namespaces)\.ts|[\\/]i18n[\\/]locales[\\/](lazy|namespaces)\.ts|preload-helper\.js|[\\/]styles[\\/]base\.css|[\\/]svelte[\\/]src[\\/]internal[\\/]client[\\/]constants\.js)$/;

/**
 * How the renderer's files are cut (issue 16: the panel's first render). Every file the panel
 * loads before its first paint is one more request; over the e2e transport's HTTP/1.1 (six
 * connections, one held by the event stream) thirty of them queued in six rounds. So:
 * - one stylesheet for every page, in each page's head, loaded beside its entry script (Svelte's
 *   styles are scoped; the :global ones are too, under a scoped class);
 * - what the pages share (the UI kit, Svelte, i18next) in one chunk, where it was a dozen;
 * - the catalogs the panel paints with (panel/namespaces.ts), one chunk per language.
 */
export const rendererBuild = {
  cssCodeSplit: false,
  rollupOptions: {
    output: {
      codeSplitting: {
        groups: [
          {
            name: 'early',
            test: EARLY,
            priority: 2,
          },
          {
            name: 'app',
            test: (id: string) => SHARED.test(id) && !ENTRY_ONLY.test(id),
            minShareCount: 2,
          },
          {
            // The bundler's timing report names a group whose name is a function by this.
            debugName: 'words',
            name: (id: string) => {
              const language = PANEL_CATALOG.exec(id)?.[1];
              return language === undefined ? null : `words-${language}`;
            },
            test: PANEL_CATALOG,
            priority: 1,
          },
        ],
      },
    },
  },
} satisfies BuildEnvironmentOptions;
