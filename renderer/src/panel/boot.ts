// The tray panel page: one snapshot subscription (taken over from the entry's early request),
// one settings subscription, one component.
import { mount } from 'svelte';
import type { DaemonDeckApi } from '../../../contract/index.js';
import type { EarlySnapshot, LanguageAnswers } from '../lib/early-snapshot';
import { startLanguage } from '../lib/language';
import { SettingsState } from '../lib/settings-state.svelte';
import { SnapshotState } from '../lib/snapshot-state.svelte';
import { applyTheme } from '../lib/theme';
import Panel from './Panel.svelte';
import { PANEL_NAMESPACES } from './namespaces';

export function boot(api: DaemonDeckApi, early: EarlySnapshot, language: LanguageAnswers): void {
  const snapshot = new SnapshotState(api);
  const settings = new SettingsState(api, (s) => applyTheme(s.theme));
  snapshot.start(early);
  settings.start();

  // The words are set before the first paint (lib/language.ts): the panel's own first, the rest
  // of its language once it is idle.
  void startLanguage(api, PANEL_NAMESPACES, language).then(() => {
    const target = document.getElementById('app');
    if (target === null) throw new Error('panel.html has no #app element');
    mount(Panel, { target, props: { api, snapshot, settings } });
  });
}
