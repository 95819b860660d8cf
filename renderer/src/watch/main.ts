// The "Watch a process" page: watch.html (issue 4): a pgrep-style watch rule with a live preview.
import { mount } from 'svelte';
import '../styles/base.css';
import { daemonDeck } from '../lib/api';
import { startLanguage } from '../lib/language';
import { SettingsState } from '../lib/settings-state.svelte';
import { applyTheme } from '../lib/theme';
import WatchForm from './WatchForm.svelte';
import { WatchFormState } from './watch-form-state.svelte';

const api = daemonDeck();
const settings = new SettingsState(api, (s) => applyTheme(s.theme));
settings.start();

// The words are set before the first paint (lib/language.ts).
void startLanguage(api).then(() => {
  const target = document.getElementById('app');
  if (target === null) throw new Error('watch.html has no #app element');
  mount(WatchForm, { target, props: { api, form: new WatchFormState(api) } });
});
