// The detail window of a crontab line (cron:KEY, issue 14): the line as the core lists it, its
// next five runs, and what can be done to it: run now, turn on or off, a new schedule, Move to a
// timer (with its Undo), remove. An edit gives the line a new key; the window follows it.
import type {
  AppError,
  CronJob,
  CronToTimerOutcome,
  DaemonDeckApi,
  Result,
} from '../../../contract/index.js';
import { ActionState } from '../lib/action-state.svelte';
import { call } from '../lib/call';

export type CronAction = 'run' | 'toggle' | 'schedule' | 'move' | 'undo';

export class CronDetailState {
  job = $state.raw<CronJob | null>(null);
  runs = $state.raw<string[]>([]);
  loaded = $state(false);
  error = $state.raw<AppError | null>(null);
  /** The last "Move to a timer", until it is undone. */
  moved = $state.raw<CronToTimerOutcome | null>(null);
  readonly actions = new ActionState<CronAction>();
  key: string;
  readonly #api: DaemonDeckApi;

  constructor(api: DaemonDeckApi, id: string) {
    this.#api = api;
    this.key = id.replace(/^cron:/, '');
  }

  async load(): Promise<void> {
    const s = await call(() => this.#api.listCron());
    this.loaded = true;
    if (!s.ok) {
      this.error = s.error;
      return;
    }
    this.error = null;
    this.job = s.value.jobs.find((j) => j.key === this.key) ?? null;
    const runs = await call(() => this.#api.cronNextRuns(this.key, 5));
    this.runs = runs.ok ? runs.value : [];
  }

  async #act<T>(kind: CronAction, task: () => Promise<Result<T>>): Promise<T | null> {
    const r = await this.actions.run(this.key, kind, () => call(task));
    if (r === null || !r.ok) return null;
    return r.value;
  }

  async run(): Promise<void> {
    await this.#act('run', () => this.#api.runCronNow(this.key));
    await this.load();
  }

  async toggle(): Promise<void> {
    const job = this.job;
    if (job === null) return;
    await this.#act('toggle', () => this.#api.setCronEnabled(this.key, !job.enabled));
    await this.load();
  }

  /** A new schedule; true when it was written. */
  async setSchedule(schedule: string): Promise<boolean> {
    const c = await this.#act('schedule', () => this.#api.changeCron(this.key, { schedule }));
    if (c === null) return false;
    if (c.key !== null) this.key = c.key;
    await this.load();
    return true;
  }

  async moveToTimer(): Promise<void> {
    const m = await this.#act('move', () => this.#api.cronToTimer(this.key));
    if (m !== null) this.moved = m;
    await this.load();
  }

  async undoMove(): Promise<void> {
    const moved = this.moved;
    if (moved === null) return;
    const r = await this.#act('undo', () => this.#api.undoCronToTimer(moved.undo));
    if (r !== null) this.moved = null;
    await this.load();
  }

  dismiss(): void {
    this.actions.dismiss(this.key);
  }
}
