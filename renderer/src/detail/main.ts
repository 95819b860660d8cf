// The detail window page: detail.html?id=systemd%3Afoo.service[&tab=logs]
import { mount } from 'svelte';
import { DETAIL_TABS, type DetailTab } from '../../../preload/contract.js';
import '../styles/base.css';
import { daemonDeck } from '../lib/api';
import { Clock } from '../lib/clock.svelte';
import { DetailState } from '../lib/detail-state.svelte';
import { SettingsState } from '../lib/settings-state.svelte';
import { applyTheme } from '../lib/theme';
import Detail from './Detail.svelte';
import { HistoryState } from './history-state.svelte';
import { DefinitionState, LogsState, ResourcesState } from './live-state.svelte';

const params = new URLSearchParams(location.search);
const id = params.get('id') ?? '';
const askedTab = params.get('tab');
const initialTab: DetailTab = DETAIL_TABS.find((t) => t === askedTab) ?? 'overview';
const api = daemonDeck();
const state = new DetailState(api, id);
const settings = new SettingsState(api, (s) => applyTheme(s.theme));
const clock = new Clock();
const resources = new ResourcesState(api, id);
const logs = new LogsState(api, id);
const definition = new DefinitionState(api, id);
const history = new HistoryState(api, id);
state.start();
settings.start();

document.title = `${id.replace(/^systemd:/, '') || 'Details'} — Daemon Deck`;

const target = document.getElementById('app');
if (target === null) throw new Error('detail.html has no #app element');
mount(Detail, {
  target,
  props: { api, state, settings, clock, resources, logs, definition, history, initialTab },
});
