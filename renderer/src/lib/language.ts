// The page's language: the setting when one is chosen, else the system's (main resolves the
// locale, LANGUAGE/LC_ALL/LC_MESSAGES/LANG, as the CLI does, and says it in app:info). Set before
// the page mounts, so the first paint is already in the right language; a later change of the
// setting reloads the page, which is simpler and surer than re-rendering every word in place.
import type { DaemonDeckApi, Settings } from '../../../contract/index.js';
import { localeTag, setLanguage, type Language } from '../../../i18n/index.js';

function chosen(setting: Settings['language'], system: Language): Language {
  return setting === 'system' ? system : setting;
}

/** Sets the language before mounting; never rejects (English when main cannot say). */
export async function startLanguage(api: DaemonDeckApi): Promise<void> {
  try {
    const [info, settings] = await Promise.all([api.getAppInfo(), api.getSettings()]);
    const language = chosen(settings.language, info.systemLanguage);
    setLanguage(language);
    document.documentElement.lang = localeTag(language);
    api.onSettings((next) => {
      if (chosen(next.language, info.systemLanguage) !== language) location.reload();
    });
  } catch {
    // The page still shows, in English; the failure to reach main shows in the page itself.
  }
}
