// The timers area of the IPC contract (issue 14): timer jobs made and edited in words, run now,
// each run's outcome, and systemd's reading of a calendar expression. Each channel declared once;
// contract/ipc.ts composes every area. Shapes only: systemd judges the schedule (the core asks it).
import { z } from 'zod';
import type { AuthoringOutcome, RenderedFile } from '../../main/core/model/authoring.js';
import type {
  CalendarAnalysis,
  TimerHistory,
  TimerJob,
  TimerJobForm,
  TimerRunOutcome,
} from '../../main/core/model/timers.js';
import { returns, field, nothing } from '../channel.js';
import { arg, line, payload, text } from '../schemas.js';

const when = z.discriminatedUnion('kind', [
  payload({ kind: z.literal('calendar'), expr: text(1024) }),
  payload({ kind: z.literal('after-boot'), span: text(256) }),
  payload({ kind: z.literal('after-login'), span: text(256) }),
  payload({ kind: z.literal('every'), span: text(256) }),
]);
const jobForm = payload({
  name: text(256),
  description: text(4096),
  argv: z.array(arg).max(4096),
  when,
  persistent: z.boolean(),
  randomDelaySec: z
    .number()
    .int()
    .min(0)
    .max(7 * 24 * 3600)
    .nullable(),
}) satisfies z.ZodType<TimerJobForm>;
/** A job as the user names it: `backup`, `backup.timer` or an entry id. */
const job = line(512);

export const timersChannels = {
  'timers:list': returns<TimerJob[]>()('listTimerJobs', nothing),
  /** systemd's normalised form of an expression and its next `count` runs, or its refusal. */
  'timers:calendar': returns<CalendarAnalysis>()('analyzeCalendar', {
    payload: payload({ expr: text(1024), count: z.number().int().min(1).max(100) }),
    args: (expr: string, count: number) => ({ expr, count }),
  }),
  /** The files a form would write, after every check (systemd's included). Writes nothing. */
  'timers:preview': returns<RenderedFile[]>()('previewTimerJob', field('form', jobForm)),
  'timers:form': returns<TimerJobForm>()('getTimerJobForm', field('name', job)),
  'timers:add': returns<AuthoringOutcome>()('addTimerJob', field('form', jobForm)),
  'timers:edit': returns<AuthoringOutcome>()('editTimerJob', {
    payload: payload({ name: job, form: jobForm }),
    args: (name: string, form: TimerJobForm) => ({ name, form }),
  }),
  'timers:remove': returns<AuthoringOutcome>()('removeTimerJob', field('name', job)),
  /** Start the job's service now; resolves once it is started (not finished). */
  'timers:run': returns<TimerRunOutcome>()('runTimerJob', field('name', job)),
  'timers:history': returns<TimerHistory>()('getTimerHistory', field('name', job)),
};
