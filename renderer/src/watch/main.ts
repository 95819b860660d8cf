// The "Watch a process" page: watch.html (issue 4): a pgrep-style watch rule with a live preview.
import { mount } from 'svelte';
import { bootPage } from '../components/boot-page';
import WatchForm from './WatchForm.svelte';
import { WatchFormState } from './watch-form-state.svelte';

bootPage('watch.html', ({ api }) => (target) => {
  mount(WatchForm, { target, props: { api, form: new WatchFormState(api) } });
});
