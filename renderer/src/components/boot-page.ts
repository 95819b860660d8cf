// The start of every form page's main.ts: the API, the theme from the settings, the words set
// before the first paint (lib/language.ts), then the page mounted on #app.
import type { DaemonDeckApi } from '../../../contract/index.js';
import '../styles/base.css';
import { daemonDeck } from '../lib/api';
import { startLanguage } from '../lib/language';
import { SettingsState } from '../lib/settings-state.svelte';
import { applyTheme } from '../lib/theme';

export interface BootedPage {
  api: DaemonDeckApi;
  settings: SettingsState;
}

/** Starts the settings (and so the theme), then calls mountOn(#app) once the language is set. */
export function bootPage(
  page: string,
  setup: (booted: BootedPage) => (target: HTMLElement) => void,
): void {
  const api = daemonDeck();
  const settings = new SettingsState(api, (s) => applyTheme(s.theme));
  settings.start();
  const mountOn = setup({ api, settings });
  void startLanguage(api).then(() => {
    const target = document.getElementById('app');
    if (target === null) throw new Error(`${page} has no #app element`);
    mountOn(target);
  });
}
