// The Strays page: strays.html (issue 4): background processes no service manages, with Adopt.
import { mount } from 'svelte';
import { bootPage } from '../components/boot-page';
import { Clock } from '../lib/clock.svelte';
import Strays from './Strays.svelte';
import { StraysState } from './strays-state.svelte';

bootPage('strays.html', ({ api, settings }) => (target) => {
  const strays = new StraysState(api, { settings });
  mount(Strays, { target, props: { api, strays, clock: new Clock() } });
});
