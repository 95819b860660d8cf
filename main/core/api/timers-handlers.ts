// The timers channels (issue 14) mapped onto the core's TimerJobs.
import { timersChannels } from '../../../contract/areas/timers.js';
import type { OpsOf } from '../../../contract/channel.js';
import type { TimerJobs } from '../timers/timer-jobs.js';
import { createHandlers } from './handlers.js';

export type TimersDeps = Pick<
  TimerJobs,
  'list' | 'calendar' | 'preview' | 'add' | 'edit' | 'remove' | 'run' | 'history' | 'getForm'
>;

function timersOps(t: TimersDeps): OpsOf<typeof timersChannels> {
  return {
    listTimerJobs: () => t.list(),
    analyzeCalendar: ({ expr, count }) => t.calendar(expr, count),
    previewTimerJob: ({ form }) => t.preview(form),
    getTimerJobForm: ({ name }) => t.getForm(name),
    addTimerJob: ({ form }) => t.add(form),
    editTimerJob: ({ name, form }) => t.edit(name, form),
    removeTimerJob: ({ name }) => t.remove(name),
    runTimerJob: ({ name }) => t.run(name),
    getTimerHistory: ({ name }) => t.history(name),
  };
}

export function createTimersHandlers(deps: TimersDeps | undefined) {
  return createHandlers(
    timersChannels,
    deps && timersOps(deps),
    'Timer jobs are not available in this window.',
  );
}
