/// <reference types="vite/client" />
// The catalogs for the renderer (renderer/bundling.ts puts this module in place of
// index.ts there): none at start, each language's namespace loaded when a page asks for it, one
// small chunk each, so a window parses only the words it shows (issue 16).
import { type Catalog, type Namespace } from './namespaces.js';

export { NAMESPACES, type Catalog, type Namespace } from './namespaces.js';

export const resources: Record<'en' | 'ko', Partial<Record<Namespace, Catalog>>> = {
  en: {},
  ko: {},
};

const files = import.meta.glob<Catalog>('./*/*.json', { import: 'default' });

/**
 * The language a page most likely shows, from the browser's (in Electron, the system's): its
 * catalogs can start loading before main says which one is chosen. A guess only: see
 * i18n/index.ts resolveLanguage for the rule.
 */
export function likelyLanguage(locale: string): 'en' | 'ko' {
  return locale.toLowerCase().startsWith('ko') ? 'ko' : 'en';
}

/** Starts loading `namespaces` of `language`; loadCatalogs later gets the same modules. */
export function prefetchCatalogs(language: 'en' | 'ko', namespaces: readonly Namespace[]): void {
  for (const ns of namespaces) void files[`./${language}/${ns}.json`]?.().catch(() => {});
}

export async function loadCatalogs(
  language: 'en' | 'ko',
  namespaces: readonly Namespace[],
): Promise<Partial<Record<Namespace, Catalog>>> {
  const loaded = await Promise.all(
    namespaces.map(async (ns) => {
      const load = files[`./${language}/${ns}.json`];
      if (load === undefined) throw new Error(`no catalog ${language}/${ns}`);
      return [ns, await load()] as const;
    }),
  );
  return Object.fromEntries(loaded);
}
