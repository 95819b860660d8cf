// The Timers page: timers.html (issue 14): timer jobs made and edited in words, run now, history.
import { mount } from 'svelte';
import '../styles/base.css';
import { daemonDeck } from '../lib/api';
import { startLanguage } from '../lib/language';
import { SettingsState } from '../lib/settings-state.svelte';
import { applyTheme } from '../lib/theme';
import TimersPage from './TimersPage.svelte';
import { TimersState } from './timers-state.svelte';

const api = daemonDeck();
new SettingsState(api, (s) => applyTheme(s.theme)).start();
const target = document.getElementById('app');
if (target === null) throw new Error('timers.html has no #app element');
// The words are set before the first paint (lib/language.ts).
void startLanguage(api).then(() =>
  mount(TimersPage, { target, props: { state: new TimersState(api) } }),
);
