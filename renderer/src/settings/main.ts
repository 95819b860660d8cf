// The Settings page: settings.html (opened from the panel's footer).
import { mount } from 'svelte';
import '../styles/base.css';
import { daemonDeck } from '../lib/api';
import { startLanguage } from '../lib/language';
import { Clock } from '../lib/clock.svelte';
import { SettingsState } from '../lib/settings-state.svelte';
import { SnapshotState } from '../lib/snapshot-state.svelte';
import { applyTheme } from '../lib/theme';
import Settings from './Settings.svelte';

const api = daemonDeck();
const settings = new SettingsState(api, (s) => applyTheme(s.theme));
const snapshot = new SnapshotState(api);
const clock = new Clock();
settings.start();
snapshot.start();

// The words are set before the first paint (lib/language.ts).
void startLanguage(api).then(() => {
  const target = document.getElementById('app');
  if (target === null) throw new Error('settings.html has no #app element');
  mount(Settings, { target, props: { settings, snapshot, clock, api } });
});
