// The Timers page: timers.html (issue 14): timer jobs made and edited in words, run now, history.
import { mount } from 'svelte';
import { bootPage } from '../components/boot-page';
import TimersPage from './TimersPage.svelte';
import { TimersState } from './timers-state.svelte';

bootPage('timers.html', ({ api }) => (target) => {
  mount(TimersPage, { target, props: { state: new TimersState(api) } });
});
