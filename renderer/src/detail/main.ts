// The detail window page: detail.html?id=systemd%3Afoo.service
import { mount } from 'svelte';
import '../styles/base.css';
import { daemonDeck } from '../lib/api';
import { Clock } from '../lib/clock.svelte';
import { DetailState } from '../lib/detail-state.svelte';
import { SettingsState } from '../lib/settings-state.svelte';
import { applyTheme } from '../lib/theme';
import Detail from './Detail.svelte';
import { DefinitionState, LogsState, ResourcesState } from './live-state.svelte';

const id = new URLSearchParams(location.search).get('id') ?? '';
const api = daemonDeck();
const state = new DetailState(api, id);
const settings = new SettingsState(api, (s) => applyTheme(s.theme));
const clock = new Clock();
const resources = new ResourcesState(api, id);
const logs = new LogsState(api, id);
const definition = new DefinitionState(api, id);
state.start();
settings.start();

document.title = `${id.replace(/^systemd:/, '') || 'Details'} — Daemon Deck`;

const target = document.getElementById('app');
if (target === null) throw new Error('detail.html has no #app element');
mount(Detail, {
  target,
  props: { api, state, settings, clock, resources, logs, definition },
});
