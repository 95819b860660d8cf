// The "Run in background" page: run.html (issue 4); run.html?id=session:tmux preselects tmux.
import { mount } from 'svelte';
import '../styles/base.css';
import { daemonDeck } from '../lib/api';
import { startLanguage } from '../lib/language';
import { SettingsState } from '../lib/settings-state.svelte';
import { applyTheme } from '../lib/theme';
import RunForm from './RunForm.svelte';
import { RunFormState } from './run-form-state.svelte';

const id = new URLSearchParams(location.search).get('id') ?? '';
const where = id === 'session:tmux' ? 'tmux' : id === 'session:screen' ? 'screen' : 'detached';
const api = daemonDeck();
const settings = new SettingsState(api, (s) => applyTheme(s.theme));
settings.start();

// The words are set before the first paint (lib/language.ts).
void startLanguage(api).then(() => {
  const target = document.getElementById('app');
  if (target === null) throw new Error('run.html has no #app element');
  mount(RunForm, { target, props: { api, form: new RunFormState(api, where) } });
});
