// The Settings page: settings.html (opened from the panel's footer).
import { mount } from 'svelte';
import { bootPage } from '../components/boot-page';
import { Clock } from '../lib/clock.svelte';
import { SnapshotState } from '../lib/snapshot-state.svelte';
import Settings from './Settings.svelte';

bootPage('settings.html', ({ api, settings }) => {
  const snapshot = new SnapshotState(api);
  const clock = new Clock();
  snapshot.start();
  return (target) => {
    mount(Settings, { target, props: { settings, snapshot, clock, api } });
  };
});
