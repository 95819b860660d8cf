// The "Run in background" page: run.html (issue 4); run.html?id=session:tmux preselects tmux.
import { mount } from 'svelte';
import { bootPage } from '../components/boot-page';
import RunForm from './RunForm.svelte';
import { RunFormState } from './run-form-state.svelte';

const id = new URLSearchParams(location.search).get('id') ?? '';
const where = id === 'session:tmux' ? 'tmux' : id === 'session:screen' ? 'screen' : 'detached';
bootPage('run.html', ({ api }) => (target) => {
  mount(RunForm, { target, props: { api, form: new RunFormState(api, where) } });
});
