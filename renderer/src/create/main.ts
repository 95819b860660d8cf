// The "New service" page: create.html (a systemd user service from a form, issue 3).
import { mount } from 'svelte';
import '../styles/base.css';
import { daemonDeck } from '../lib/api';
import { startLanguage } from '../lib/language';
import { SettingsState } from '../lib/settings-state.svelte';
import { applyTheme } from '../lib/theme';
import Create from './Create.svelte';
import { CreateState } from './create-state.svelte';

const api = daemonDeck();
const settings = new SettingsState(api, (s) => applyTheme(s.theme));
settings.start();
const form = new CreateState(api);
void form.refresh();
void form.loadTaken();
addEventListener('pagehide', () => form.stop());

// The words are set before the first paint (lib/language.ts).
void startLanguage(api).then(() => {
  const target = document.getElementById('app');
  if (target === null) throw new Error('create.html has no #app element');
  mount(Create, { target, props: { api, form } });
});
