// The "Start automatically" page: startup.html?id=ENTRY (the wizard of issue 5).
import { mount } from 'svelte';
import { bootPage } from '../components/boot-page';
import Startup from './Startup.svelte';

const id = new URLSearchParams(location.search).get('id');
bootPage('startup.html', ({ api }) => (target) => {
  mount(Startup, { target, props: { api, id } });
});
