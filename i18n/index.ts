// The app's words in English and Korean: one i18next instance shared by the core, the CLI and the
// renderer (this folder is neutral ground, like contract/: it imports nothing but i18next and its
// catalogs). i18next is the well-kept choice for this: nested JSON catalogs, plurals through the
// platform's Intl.PluralRules (`key_one`/`key_other` in English, `key_other` alone in Korean),
// interpolation, and a synchronous init when the resources are bundled, as they are for the core and
// the CLI. The renderer builds without them (renderer/bundling.ts): a page loads its language's
// catalogs with loadLanguage() before it mounts (issue 16, the panel's first render). The preload
// gets none of this module, only languages.ts (preload/no-words.ts).
//
// Keys are written whole, `t('common:units.bytes')`, so test/unit/i18n-keys.test.ts can find every
// key the code uses and fail when a catalog lacks one. Values are not HTML-escaped here: Svelte
// escapes text when it renders it, and the CLI prints plain text.
import i18next, { type TOptions } from 'i18next';
import { NAMESPACES, loadCatalogs, resources, type Namespace } from './locales/index.js';
import { LANGUAGES, type Language, type LanguageSetting } from './languages.js';

export { NAMESPACES, type Namespace };
export { LANGUAGES, LANGUAGE_SETTINGS, type Language, type LanguageSetting } from './languages.js';

const i18n = i18next.createInstance();
void i18n.init({
  resources,
  lng: 'en',
  fallbackLng: 'en',
  supportedLngs: [...LANGUAGES],
  ns: [...NAMESPACES],
  defaultNS: 'common',
  initAsync: false,
  interpolation: { escapeValue: false },
  returnNull: false,
});

let current: Language = 'en';

/**
 * Each message asked for without options, in the current language and catalogs: i18next's lookup
 * costs some 20 µs a call once warm and several times that while cold, and the panel's first paint
 * asks for ~50 messages, half of them the same few (issue 16). Emptied when either changes.
 */
const plain = new Map<string, string>();

/** The message under `key` ('namespace:path.to.key') in the current language. */
export function t(key: string, options?: TOptions): string {
  if (options !== undefined) return String(i18n.t(key, options));
  let message = plain.get(key);
  if (message === undefined) {
    message = String(i18n.t(key, {}));
    plain.set(key, message);
  }
  return message;
}

/** True when the current language's catalogs (or English's) have `key`. */
export function hasKey(key: string): boolean {
  return i18n.exists(key);
}

export function setLanguage(language: Language): void {
  current = language;
  plain.clear();
  void i18n.changeLanguage(language);
}

/**
 * Loads the catalogs of `language` for `namespaces` (all by default) that are not loaded yet.
 * Where the catalogs are bundled (core, CLI) there is nothing to load.
 */
export async function loadCatalogsOf(
  language: Language,
  namespaces: readonly Namespace[] = NAMESPACES,
): Promise<void> {
  const missing = namespaces.filter((ns) => !i18n.hasResourceBundle(language, ns));
  if (missing.length === 0) return;
  const catalogs = await loadCatalogs(language, missing);
  for (const [ns, catalog] of Object.entries(catalogs)) {
    // The catalog modules are never changed: i18next keeps them without its deep copy.
    if (!i18n.hasResourceBundle(language, ns)) {
      i18n.addResourceBundle(language, ns, catalog, false, false, { skipCopy: true });
    }
  }
  plain.clear();
}

/** Loads what `namespaces` (all by default) need of `language`, then makes it the current one. */
export async function loadLanguage(
  language: Language,
  namespaces: readonly Namespace[] = NAMESPACES,
): Promise<void> {
  await loadCatalogsOf(language, namespaces);
  setLanguage(language);
}

export function currentLanguage(): Language {
  return current;
}

/** The BCP 47 tag for Intl formatters and the document's lang attribute. */
export function localeTag(language: Language = current): string {
  return language === 'ko' ? 'ko-KR' : 'en-US';
}

function languageOfLocale(locale: string | undefined): Language | undefined {
  if (locale === undefined || locale === '') return undefined;
  const code = locale.split(/[_.@-]/)[0]?.toLowerCase();
  return (LANGUAGES as readonly string[]).includes(code ?? '') ? (code as Language) : undefined;
}

function isCLocale(locale: string): boolean {
  return locale === 'C' || locale === 'POSIX' || locale.startsWith('C.');
}

/**
 * The language for an environment, as gettext picks a program's messages: the first of LC_ALL,
 * LC_MESSAGES and LANG that is set is the locale; under the C locale the messages are English and
 * LANGUAGE is ignored (gettext's rule); otherwise LANGUAGE, a colon-separated list of preferences,
 * wins over the locale. A language we have no catalog for falls through to the next choice, and
 * in the end to English. A setting other than 'system' wins over all of it.
 */
export function resolveLanguage(
  env: Readonly<Record<string, string | undefined>>,
  setting: LanguageSetting = 'system',
): Language {
  if (setting !== 'system') return setting;
  const locale = [env.LC_ALL, env.LC_MESSAGES, env.LANG].find((v) => v !== undefined && v !== '');
  if (locale !== undefined && isCLocale(locale)) return 'en';
  for (const choice of (env.LANGUAGE ?? '').split(':')) {
    const language = languageOfLocale(choice);
    if (language !== undefined) return language;
  }
  return languageOfLocale(locale) ?? 'en';
}
