// The Strays page: strays.html (issue 4): background processes no service manages, with Adopt.
import { mount } from 'svelte';
import '../styles/base.css';
import { daemonDeck } from '../lib/api';
import { startLanguage } from '../lib/language';
import { Clock } from '../lib/clock.svelte';
import { SettingsState } from '../lib/settings-state.svelte';
import { applyTheme } from '../lib/theme';
import Strays from './Strays.svelte';
import { StraysState } from './strays-state.svelte';

const api = daemonDeck();
const settings = new SettingsState(api, (s) => applyTheme(s.theme));
settings.start();

// The words are set before the first paint (lib/language.ts).
void startLanguage(api).then(() => {
  const target = document.getElementById('app');
  if (target === null) throw new Error('strays.html has no #app element');
  const strays = new StraysState(api, { settings });
  mount(Strays, { target, props: { api, strays, clock: new Clock() } });
});
