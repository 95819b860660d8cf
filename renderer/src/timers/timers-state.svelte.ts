// The Timers page's state: the jobs, and the make/edit form with the schedule builder. What a
// schedule means is systemd's to say: the form asks the core (timers:calendar) as the user types
// and shows systemd's normalised form and next five runs, or its refusal.
import {
  defaultSchedule,
  scheduleExpression,
  scheduleIssues,
  scheduleOf,
  type AppError,
  type CalendarAnalysis,
  type DaemonDeckApi,
  type Schedule,
  type ScheduleKind,
  type TimerJob,
  type TimerJobForm,
  type TimerWhen,
} from '../../../contract/index.js';
import { t } from '../../../i18n/index.js';
import { call } from '../lib/call';
import { Task } from '../lib/task.svelte';
import { UndoOffer } from '../lib/undo-offer.svelte';
import { ISSUE_KEYS, type WhenMode } from './timer-words';

export interface Outcome {
  kind: 'created' | 'edited' | 'deleted' | 'started';
  name: string;
  undo: string | null;
}

/** The command line as the form shows it: arguments with spaces quoted. */
export function commandLine(argv: readonly string[]): string {
  return argv
    .map((a) => (/^[\w@%+=:,./~-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`))
    .join(' ');
}

export class TimersState {
  readonly api: DaemonDeckApi;
  jobs = $state.raw<TimerJob[] | null>(null);
  error = $state.raw<AppError | null>(null);
  /** The job whose history is shown. */
  open = $state<string | null>(null);
  outcome = $state.raw<Outcome | null>(null);
  readonly undo = new UndoOffer();
  readonly action = new Task();

  // The form.
  editing = $state<string | null>(null);
  name = $state('');
  command = $state('');
  description = $state('');
  mode = $state<WhenMode>('words');
  schedule = $state<Schedule>(defaultSchedule('weekdays'));
  expr = $state('');
  span = $state('15min');
  persistent = $state(false);
  randomDelay = $state('');
  readonly submitTask = new Task();

  // What systemd makes of the schedule.
  analysis = $state.raw<CalendarAnalysis | null>(null);
  refused = $state<string | null>(null);
  checking = $state(false);
  #asked = 0;

  constructor(api: DaemonDeckApi) {
    this.api = api;
  }

  async load(): Promise<void> {
    const r = await call(() => this.api.listTimerJobs());
    if (r.ok) {
      this.jobs = r.value;
      this.error = null;
    } else this.error = r.error;
  }

  /** The builder's problems, in words. */
  get issues(): string[] {
    return this.mode === 'words'
      ? scheduleIssues(this.schedule).map((i) =>
          t(ISSUE_KEYS[i.key] ?? 'timers:schedule.issue.time'),
        )
      : [];
  }

  /** The calendar expression the form stands for, or null (not a calendar, or not ready). */
  get expression(): string | null {
    if (this.mode === 'calendar') return this.expr.trim() === '' ? null : this.expr.trim();
    if (this.mode !== 'words' || scheduleIssues(this.schedule).length > 0) return null;
    return scheduleExpression(this.schedule);
  }

  get when(): TimerWhen | null {
    const expr = this.expression;
    switch (this.mode) {
      case 'words':
      case 'calendar':
        return expr === null ? null : { kind: 'calendar', expr };
      default:
        return this.span.trim() === '' ? null : { kind: this.mode, span: this.span.trim() };
    }
  }

  setKind(kind: ScheduleKind): void {
    const at = 'at' in this.schedule ? this.schedule.at : '09:00';
    this.schedule = defaultSchedule(kind, at);
  }

  /** Ask systemd about the current expression; a later answer wins over an earlier one. */
  async analyze(): Promise<void> {
    const expr = this.expression;
    const asked = ++this.#asked;
    if (expr === null) {
      this.analysis = null;
      this.refused = null;
      this.checking = false;
      return;
    }
    this.checking = true;
    const r = await call(() => this.api.analyzeCalendar(expr, 5));
    if (asked !== this.#asked) return;
    this.checking = false;
    if (r.ok) {
      this.analysis = r.value;
      this.refused = null;
    } else {
      this.analysis = null;
      this.refused = r.error.message;
    }
  }

  reset(): void {
    this.editing = null;
    this.name = '';
    this.command = '';
    this.description = '';
    this.mode = 'words';
    this.schedule = defaultSchedule('weekdays');
    this.expr = '';
    this.span = '15min';
    this.persistent = false;
    this.randomDelay = '';
    this.submitTask.dismiss();
  }

  /** Open a job in the form: in words when the builder wrote its expression. */
  async edit(name: string): Promise<void> {
    const r = await this.action.run(() => this.api.getTimerJobForm(name));
    if (r === null || !r.ok) return;
    const f = r.value;
    this.editing = f.name;
    this.name = f.name;
    this.command = commandLine(f.argv);
    this.description = f.description;
    this.persistent = f.persistent;
    this.randomDelay = f.randomDelaySec === null ? '' : String(f.randomDelaySec);
    if (f.when.kind === 'calendar') {
      const s = scheduleOf(f.when.expr);
      this.mode = s === null ? 'calendar' : 'words';
      if (s !== null) this.schedule = s;
      this.expr = f.when.expr;
    } else {
      this.mode = f.when.kind;
      this.span = f.when.span;
    }
  }

  async submit(): Promise<void> {
    const when = this.when;
    const editing = this.editing;
    await this.submitTask.run(async () => {
      if (when === null)
        return {
          ok: false,
          error: {
            code: 'invalid-input',
            message: this.refused ?? this.issues[0] ?? t('timers:schedule.issue.time'),
          },
        };
      const split = await this.api.splitCommand(this.command);
      if (!split.ok) return split;
      const delay = this.randomDelay.trim();
      const form: TimerJobForm = {
        name: this.name.trim(),
        description: this.description,
        argv: split.value.argv,
        when,
        persistent: this.persistent,
        randomDelaySec: delay === '' ? null : Number(delay),
      };
      const r =
        editing === null
          ? await this.api.addTimerJob(form)
          : await this.api.editTimerJob(editing, form);
      if (r.ok) {
        this.outcome = {
          kind: editing === null ? 'created' : 'edited',
          name: form.name,
          undo: r.value.undo.id,
        };
        this.undo.reset();
        this.reset();
        await this.load();
      }
      return r;
    });
  }

  async runNow(name: string): Promise<void> {
    const r = await this.action.run(() => this.api.runTimerJob(name));
    if (r?.ok) {
      this.outcome = { kind: 'started', name, undo: null };
      this.open = name;
    }
  }

  async remove(name: string): Promise<void> {
    const r = await this.action.run(() => this.api.removeTimerJob(name));
    if (r?.ok) {
      this.outcome = { kind: 'deleted', name, undo: r.value.undo.id };
      this.undo.reset();
      if (this.open === name) this.open = null;
      await this.load();
    }
  }

  async undoLast(): Promise<void> {
    const token = this.outcome?.undo;
    if (token === null || token === undefined) return;
    await this.undo.undo(() => this.api.undo(token));
    await this.load();
  }
}
