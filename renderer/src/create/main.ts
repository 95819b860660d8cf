// The "New service" page: create.html (a systemd user service from a form, issue 3).
import { mount } from 'svelte';
import { bootPage } from '../components/boot-page';
import Create from './Create.svelte';
import { CreateState } from './create-state.svelte';

bootPage('create.html', ({ api }) => {
  const form = new CreateState(api);
  void form.refresh();
  void form.loadTaken();
  addEventListener('pagehide', () => form.stop());
  return (target) => {
    mount(Create, { target, props: { api, form } });
  };
});
