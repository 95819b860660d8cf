// Timer jobs: make, edit, delete and run a job that runs on a schedule (NAME.service, a oneshot,
// and NAME.timer), list them with their next run, and each job's history of runs.
//
// Every change goes through unit authoring (systemd/unit-authoring.ts): systemd's verify before
// the first write, one transaction, one Undo (`unit undo TOKEN`). The schedule is checked by
// systemd itself first (calendar.ts): what systemd refuses is refused with its reason.
//
// Relies on (systemd 252): a timer's NextElapseUSecRealtime / LastTriggerUSec (realtime usec,
// 0 for none) on org.freedesktop.systemd1.Timer; a changed timer file takes effect after Reload
// when the timer is restarted (the edit restarts an active timer); StartUnit of a oneshot
// service runs it once now, as the timer would (same unit, same environment).
import { join } from 'node:path';
import type { AuthoringOutcome, RenderedFile } from '../model/authoring.js';
import type { Result } from '../model/domain.js';
import type {
  CalendarAnalysis,
  TimerHistory,
  TimerJob,
  TimerJobForm,
  TimerRun,
  TimerRunOutcome,
} from '../model/timers.js';
import { AppFailure, appError, ok, toAppError } from '../errors.js';
import { t } from '../../../i18n/index.js';
import type { Host } from '../host/host.js';
import type { Bus } from '../systemd/bus.js';
import { issuesFailure, resolveProgram } from '../systemd/unit-checks.js';
import type { Step } from '../systemd/transaction.js';
import { APP_MARKER, unitNameIssue } from '../systemd/unit-file.js';
import { timerProperty, usecIso } from '../systemd/timers.js';
import type { UnitAuthoring } from '../systemd/unit-authoring.js';
import type { UnitService } from '../systemd/unit-service.js';
import { appDirs } from '../xdg.js';
import { analyzeCalendar, checkTimespan } from './calendar.js';
import { jobFormIssues, parseJobUnits, renderJobUnits } from './job-units.js';
import {
  RunRecorder,
  RunStore,
  lastLines,
  mergeRuns,
  readExecProps,
  runFromProps,
  runsFromJournal,
} from './run-history.js';

export interface TimerJobsDeps {
  bus: Bus;
  units: UnitService;
  authoring: UnitAuthoring;
  store: RunStore;
}

const SYSTEMD = 'org.freedesktop.systemd1';
/** journald's socket: where it is, the journal keeps systemd's messages of each run. */
const JOURNAL_SOCKET = '/run/systemd/journal/socket';

function asResult<T>(fn: () => Promise<T>): Promise<Result<T>> {
  return fn().then(ok, (err: unknown) => ({ ok: false as const, error: toAppError(err) }));
}

function fromResult<T>(r: Result<T>): T {
  if (!r.ok) throw new AppFailure(r.error);
  return r.value;
}

/** A job's name from `NAME`, `NAME.timer`, `NAME.service` or `systemd:NAME.timer`. */
export function jobName(ref: string): string {
  const name = ref.replace(/^systemd:/, '').replace(/\.(timer|service)$/, '');
  const issue = unitNameIssue(name, 'timer');
  if (issue !== null) throw new AppFailure(appError('invalid-input', issue));
  return name;
}

export class TimerJobs {
  readonly #d: TimerJobsDeps;
  readonly host: Host;
  readonly recorder: RunRecorder;
  #watching = false;

  constructor(deps: TimerJobsDeps) {
    this.#d = deps;
    this.host = deps.authoring.host;
    this.recorder = new RunRecorder({
      bus: deps.bus,
      store: deps.store,
      jobOf: (unit) => this.#jobOfService(unit),
      output: (job) => this.output(job),
    });
  }

  /** Record every run as it ends (the app, the e2e transport); the CLI only reads back. */
  watch(): void {
    this.#watching = true;
    this.recorder.start();
  }

  stop(): void {
    this.#watching = false;
    this.recorder.stop();
  }

  /** A service is a timer job's when a timer of the same name is loaded (any timer's service). */
  #jobOfService(unit: string): string | null {
    const base = unit.slice(0, -'.service'.length);
    return this.#d.units.units().some((r) => r.name === `${base}.timer`) ? base : null;
  }

  outputPath(name: string): string {
    return join(appDirs(this.host.env).state, 'timer-output', `${name}.log`);
  }

  /** The last lines of the job's output file (its last run's, as each run replaces it). */
  async output(name: string): Promise<string[]> {
    const bytes = await this.host.readOrNull(this.outputPath(name));
    return bytes === null ? [] : lastLines(bytes.toString('utf8'));
  }

  calendar(expr: string, count = 5, base?: Date): Promise<Result<CalendarAnalysis>> {
    return analyzeCalendar(this.host, expr, { count, ...(base ? { base } : {}) });
  }

  /** The form checked (systemd judges the schedule) and its two files; writes nothing. */
  async plan(form: TimerJobForm): Promise<RenderedFile[]> {
    const name = form.name.replace(/\.(timer|service)$/, '');
    const [program, ...rest] = form.argv;
    const argv =
      program === undefined ? [] : [await resolveProgram(program, this.host.env), ...rest];
    let resolved: TimerJobForm = { ...form, name, argv };
    const issues = jobFormIssues(resolved);
    if (issues.length > 0) throw issuesFailure(issues);
    if (resolved.when.kind === 'calendar') {
      const c = await this.calendar(resolved.when.expr.trim(), 1);
      if (!c.ok)
        throw new AppFailure(
          appError(
            'invalid-input',
            t('errors:timers.scheduleRefused', { reason: c.error.message }),
            c.error.detail,
          ),
        );
      // systemd's normalised form is written: what `systemctl show` and the builder read back.
      resolved = { ...resolved, when: { kind: 'calendar', expr: c.value.normalized } };
    } else fromResult(await checkTimespan(this.host, resolved.when.span));
    return renderJobUnits(resolved, this.outputPath(name));
  }

  /** Preview of a form: the files it would write. */
  preview(form: TimerJobForm): Promise<Result<RenderedFile[]>> {
    return asResult(() => this.plan(form));
  }

  /** Make the job: check, write both files, enable and start the timer (by default). */
  add(form: TimerJobForm, opts: { start?: boolean } = {}): Promise<Result<AuthoringOutcome>> {
    return asResult(async () => {
      const files = await this.plan(form);
      const name = files[1]!.name.replace(/\.timer$/, '');
      // systemd opens the output file but does not make its folder.
      await this.host.updateFile(this.outputPath(name), (cur) => (cur === null ? '' : undefined));
      const timer = `${name}.timer`;
      const start = opts.start ?? true;
      return this.#d.authoring.installUnit(files, {
        unit: timer,
        enable: start ? [timer] : [],
        start: start ? [timer] : [],
      });
    });
  }

  /** The job's form as it is on disk, or a failure when it is not a job the app made. */
  async form(ref: string): Promise<TimerJobForm> {
    const name = jobName(ref);
    const dir = this.#d.authoring.unitDir;
    const [svc, tmr] = await Promise.all([
      this.host.readOrNull(join(dir, `${name}.service`)),
      this.host.readOrNull(join(dir, `${name}.timer`)),
    ]);
    if (svc === null || tmr === null)
      throw new AppFailure(appError('no-such-unit', t('errors:timers.noJob', { name })));
    const form = parseJobUnits(name, svc.toString('utf8'), tmr.toString('utf8'));
    if (form === null)
      throw new AppFailure(appError('unsupported', t('errors:timers.notAJob', { name })));
    return form;
  }

  getForm(ref: string): Promise<Result<TimerJobForm>> {
    return asResult(() => this.form(ref));
  }

  /** Change a job (the name stays); an active timer is restarted to take the new schedule. */
  edit(ref: string, patch: Partial<Omit<TimerJobForm, 'name'>>): Promise<Result<AuthoringOutcome>> {
    return asResult(async () => {
      const current = await this.form(ref);
      const files = await this.plan({ ...current, ...patch, name: current.name });
      const timer = `${current.name}.timer`;
      const active = this.#d.units.units().find((r) => r.name === timer)?.activeState === 'active';
      const after: Step[] = active
        ? [
            {
              name: t('errors:transaction.step.restart', { unit: timer }),
              run: async () => {
                fromResult(await this.#d.units.act(timer, 'restart'));
              },
            },
          ]
        : [];
      return this.#d.authoring.replaceUnits(files, { unit: timer, after });
    });
  }

  /** Stop, disable and delete both files (Undo puts them back, enabled and started as before). */
  remove(ref: string): Promise<Result<AuthoringOutcome>> {
    return asResult(async () => {
      const name = jobName(ref);
      await this.form(name);
      return fromResult(await this.#d.authoring.remove(`${name}.timer`));
    });
  }

  /**
   * Run the job now, as its timer would: its service started through systemd. With `wait`, once
   * the run ended, with its outcome (a failed run is an outcome, not an error).
   */
  run(ref: string, opts: { wait?: boolean } = {}): Promise<Result<TimerRunOutcome>> {
    return asResult(async () => {
      const name = jobName(ref);
      await this.form(name);
      const service = `${name}.service`;
      if (opts.wait !== true) {
        await this.#d.bus.call({
          destination: SYSTEMD,
          path: '/org/freedesktop/systemd1',
          interface: 'org.freedesktop.systemd1.Manager',
          member: 'StartUnit',
          signature: 'ss',
          body: [service, 'replace'],
        });
        return { name, run: null };
      }
      const r = await this.#d.units.act(service, 'start');
      if (!r.ok && r.error.code !== 'job-failed') throw new AppFailure(r.error);
      const props = await readExecProps(this.#d.bus, service);
      const run = runFromProps(props, await this.output(name), 'systemd');
      if (run !== null && this.#watching) await this.recorder.check(service, name);
      return { name, run };
    });
  }

  /** Every run known of a job, newest first: recorded, systemd's last, and the journal's. */
  history(ref: string): Promise<Result<TimerHistory>> {
    return asResult(async () => {
      const name = jobName(ref);
      const service = `${name}.service`;
      const last = await this.#lastRun(name);
      const journal = (await this.host.stat(JOURNAL_SOCKET)) !== null;
      const fromJournal = journal ? await this.#journalRuns(service) : [];
      const runs = mergeRuns(this.#d.store.of(name), last === null ? [] : [last], fromJournal);
      return { name, runs, journal, watching: this.#watching };
    });
  }

  /** The service's last run as systemd reports it now, or null (none yet, or not loaded). */
  async #lastRun(name: string): Promise<TimerRun | null> {
    try {
      const props = await readExecProps(this.#d.bus, `${name}.service`);
      return runFromProps(props, await this.output(name), 'systemd');
    } catch {
      return null;
    }
  }

  async #journalRuns(service: string): Promise<TimerRun[]> {
    const r = await this.host.run(
      ['journalctl', '--user', '-u', service, '-o', 'json', '-n', '2000', '--no-pager'],
      { env: { ...this.host.env, LC_ALL: 'C', SYSTEMD_COLORS: '0' }, timeoutMs: 15_000 },
    );
    return r.code === 0 ? runsFromJournal(r.stdout) : [];
  }

  async #timerProp(unit: string, prop: string): Promise<string | null> {
    return usecIso(await timerProperty(this.#d.bus, unit, prop));
  }

  /** The timer jobs the app made, by name, with their next and last run. */
  list(): Promise<Result<TimerJob[]>> {
    return asResult(async () => {
      const dir = this.#d.authoring.unitDir;
      const names = (await this.host.readdir(dir))
        .filter((n) => n.endsWith('.timer') && !n.startsWith('.'))
        .map((n) => n.slice(0, -'.timer'.length))
        .sort();
      const jobs: TimerJob[] = [];
      for (const name of names) {
        const head = await this.host.readOrNull(join(dir, `${name}.timer`));
        if (head === null || !head.toString('utf8').startsWith(APP_MARKER)) continue;
        let form: TimerJobForm;
        try {
          form = await this.form(name);
        } catch {
          continue;
        }
        const record = this.#d.units.units().find((r) => r.name === `${name}.timer`);
        const [nextRun, lastRun] = await Promise.all([
          this.#timerProp(`${name}.timer`, 'NextElapseUSecRealtime'),
          this.#timerProp(`${name}.timer`, 'LastTriggerUSec'),
        ]);
        jobs.push({
          name,
          timerId: `systemd:${name}.timer`,
          serviceId: `systemd:${name}.service`,
          description: form.description,
          argv: form.argv,
          when: form.when,
          persistent: form.persistent,
          randomDelaySec: form.randomDelaySec,
          enabled: record?.unitFileState === 'enabled',
          active: record?.activeState === 'active',
          nextRun,
          lastRun,
          lastResult:
            this.#d.store.of(name)[0]?.result ?? (await this.#lastRun(name))?.result ?? null,
          outputPath: this.outputPath(name),
        });
      }
      return jobs;
    });
  }
}
