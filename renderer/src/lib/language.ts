// The page's language: the setting when one is chosen, else the system's (main resolves the
// locale, LANGUAGE/LC_ALL/LC_MESSAGES/LANG, as the CLI does, and says it in app:info). Set before
// the page mounts, so the first paint is already in the right language; a later change of the
// setting reloads the page, which is simpler and surer than re-rendering every word in place.
//
// The catalogs come on demand (i18n/locales/lazy.ts): a page that names the namespaces it shows
// first loads only those of its language before mounting, and the rest once it is idle.
import type { DaemonDeckApi, Settings } from '../../../contract/index.js';
import { askLanguage, type LanguageAnswers } from './early-snapshot';
import {
  loadCatalogsOf,
  loadLanguage,
  localeTag,
  resolveLanguage,
  type Language,
  type Namespace,
} from '../../../i18n/index.js';

function chosen(setting: Settings['language'], system: Language): Language {
  return setting === 'system' ? system : setting;
}

async function language(api: DaemonDeckApi, asked: LanguageAnswers): Promise<Language> {
  try {
    const [info, settings] = await asked;
    const language = chosen(settings.language, info.systemLanguage);
    api.onSettings((next) => {
      if (chosen(next.language, info.systemLanguage) !== language) location.reload();
    });
    return language;
  } catch {
    // The page still shows, in English; the failure to reach main shows in the page itself.
    return 'en';
  }
}

/**
 * Sets the language and loads its catalogs (`first` when given, else all) before mounting; never
 * rejects. `asked`: main's answers when the page asked for them early (askLanguage).
 */
export async function startLanguage(
  api: DaemonDeckApi,
  first?: readonly Namespace[],
  asked?: LanguageAnswers,
): Promise<void> {
  // While main answers, the catalogs of the browser's language (Electron's is the system's) are
  // already on their way: usually the one chosen, so the words cost no round trip of their own
  // (loadLanguage below waits for the same imports).
  const likely = resolveLanguage({ LANG: navigator.language });
  void loadCatalogsOf(likely, first).catch(() => {});
  const chosenLanguage = await language(api, asked ?? askLanguage(api));
  try {
    await loadLanguage(chosenLanguage, first);
  } catch (err) {
    console.error('Could not load the words of the page', err);
  }
  document.documentElement.lang = localeTag(chosenLanguage);
  if (first !== undefined) {
    requestIdleCallback(() => void loadLanguage(chosenLanguage).catch(() => {}), {
      timeout: 2000,
    });
  }
}
