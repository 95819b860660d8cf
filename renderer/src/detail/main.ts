// The detail window page: detail.html?id=systemd%3Afoo.service, process:RULE, session:tmux:NAME
// or pid:N, with &tab=logs to open on a tab (Show logs). Units get Detail.svelte; watch rules,
// sessions and single processes their own views.
import { mount } from 'svelte';
import { DETAIL_TABS, type DetailTab } from '../../../contract/index.js';
import '../styles/base.css';
import { daemonDeck } from '../lib/api';
import { startLanguage } from '../lib/language';
import { Clock } from '../lib/clock.svelte';
import { DetailState } from '../lib/detail-state.svelte';
import { SettingsState } from '../lib/settings-state.svelte';
import { applyTheme } from '../lib/theme';
import { detailKind } from '../processes/process-view';
import CronDetail from '../cron/CronDetail.svelte';
import { CronDetailState } from '../cron/cron-detail-state.svelte';
import Detail from './Detail.svelte';
import { HistoryState } from './history-state.svelte';
import { DefinitionState, LogsState, ResourcesState } from './live-state.svelte';
import ProcessDetail from './ProcessDetail.svelte';
import { ProcessDetailState } from './process-detail-state.svelte';
import SessionDetail from './SessionDetail.svelte';
import { SessionDetailState } from './session-detail-state.svelte';
import WatchDetail from './WatchDetail.svelte';
import { WatchDetailState } from './watch-detail-state.svelte';

const params = new URLSearchParams(location.search);
const id = params.get('id') ?? '';
const askedTab = params.get('tab');
const initialTab: DetailTab = DETAIL_TABS.find((t) => t === askedTab) ?? 'overview';
const api = daemonDeck();
const settings = new SettingsState(api, (s) => applyTheme(s.theme));
const clock = new Clock();
settings.start();

document.title = `${id.replace(/^(systemd|process|session:tmux|session:screen|pid):/, '') || 'Details'} — Daemon Deck`;

// The words are set before the first paint (lib/language.ts).
void startLanguage(api).then(() => {
  const target = document.getElementById('app');
  if (target === null) throw new Error('detail.html has no #app element');

  // A crontab line (issue 14): its own view.
  if (id.startsWith('cron:')) {
    mount(CronDetail, { target, props: { cron: new CronDetailState(api, id) } });
    return;
  }
  switch (detailKind(id)) {
    case 'watch': {
      const watch = new WatchDetailState(api, id);
      const logs = new LogsState(api, id, { read: (o) => api.getWatchLogs(watch.name, o) });
      mount(WatchDetail, { target, props: { api, watch, settings, clock, logs, initialTab } });
      break;
    }
    case 'session':
      mount(SessionDetail, { target, props: { api, session: new SessionDetailState(api, id) } });
      break;
    case 'process':
      mount(ProcessDetail, {
        target,
        props: { api, proc: new ProcessDetailState(api, id), clock },
      });
      break;
    case 'unit': {
      const state = new DetailState(api, id);
      const resources = new ResourcesState(api, id);
      const logs = new LogsState(api, id);
      const definition = new DefinitionState(api, id);
      const history = new HistoryState(api, id);
      state.start();
      mount(Detail, {
        target,
        props: { api, state, settings, clock, resources, logs, definition, history, initialTab },
      });
    }
  }
});
