// The "Start automatically" page: startup.html?id=ENTRY (the wizard of issue 5).
import { mount } from 'svelte';
import '../styles/base.css';
import { daemonDeck } from '../lib/api';
import { startLanguage } from '../lib/language';
import { SettingsState } from '../lib/settings-state.svelte';
import { applyTheme } from '../lib/theme';
import Startup from './Startup.svelte';

const id = new URLSearchParams(location.search).get('id');
const api = daemonDeck();
const settings = new SettingsState(api, (s) => applyTheme(s.theme));
settings.start();

// The words are set before the first paint (lib/language.ts).
void startLanguage(api).then(() => {
  const target = document.getElementById('app');
  if (target === null) throw new Error('startup.html has no #app element');
  mount(Startup, { target, props: { api, id } });
});
