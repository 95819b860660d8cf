// The authoring area's facade: unit authoring (unit-authoring.ts), logs, live resources and
// timers over the monitor's bus and unit service, on one object for the IPC channels and the CLI.
import type {
  CreateOptions,
  LogsResult,
  ServiceForm,
  TimerForm,
  TimerInfo,
  UnitResources,
} from '../model/authoring.js';
import type { Result } from '../model/domain.js';
import { fail, ok, toAppError } from '../errors.js';
import { t } from '../../../i18n/index.js';
import type { Host } from '../host/host.js';
import { LogReader, filesOn } from './logs.js';
import type { LogQuery } from '../logs/log-query.js';
import { ResourceSampler } from './resources.js';
import { TimerService } from './timers.js';
import { UnitAuthoring, unitOf, type AuthoringDeps } from './unit-authoring.js';
import { newUnitRecord, type UnitRecord } from './unit-model.js';
import type { UnitService } from './unit-service.js';

/**
 * Everything the authoring channels and CLI commands need, on one object: unit authoring, logs,
 * live resources and timers over the monitor's bus and unit service.
 */
export class AuthoringService {
  readonly authoring: UnitAuthoring;
  readonly #units: UnitService;
  readonly #logs: LogReader;
  readonly #timers: TimerService;
  readonly #sampler: ResourceSampler;

  constructor(deps: AuthoringDeps & { sampler?: ResourceSampler; logs?: LogReader }) {
    this.authoring = new UnitAuthoring(deps);
    const host = this.authoring.host;
    const run: Host['run'] = (argv, opts) => host.run(argv, opts);
    this.#units = deps.units;
    // A unit's output file is read where the unit runs.
    this.#logs = deps.logs ?? new LogReader({ env: deps.env, run, files: filesOn(host, deps.env) });
    this.#timers = new TimerService(deps.bus, run, deps.env);
    this.#sampler = deps.sampler ?? new ResourceSampler();
  }

  preview = (form: ServiceForm) => this.authoring.preview(form);
  splitCommand = (line: string) => this.authoring.splitCommand(line);
  create = (form: ServiceForm, opts: CreateOptions) => this.authoring.create(form, opts);
  checkCreate = (form: ServiceForm, opts: CreateOptions) => this.authoring.checkCreate(form, opts);
  checkEdit = (ref: string, text: string) => this.authoring.checkEdit(ref, text);
  definition = (ref: string) => this.authoring.definition(ref);
  previewEdit = (ref: string, text: string) => this.authoring.previewEdit(ref, text);
  updateForm = (ref: string, form: ServiceForm) => this.authoring.updateForm(ref, form);
  editText = (ref: string, text: string) => this.authoring.editText(ref, text);
  revertToVendor = (ref: string) => this.authoring.revertToVendor(ref);
  remove = (ref: string) => this.authoring.remove(ref);
  undo = (token: string) => this.authoring.undo(token);
  createTimer = (form: TimerForm, opts: { enable: boolean }) =>
    this.authoring.createTimer(form, opts);

  async logs(ref: string, opts: LogQuery): Promise<Result<LogsResult>> {
    try {
      const unit = unitOf(ref);
      const d = await this.#units.detail(unit);
      if (!d.ok) return d;
      const texts: string[] = [];
      for (const p of [d.value.fragmentPath, ...d.value.dropInPaths]) {
        if (p === null) continue;
        const t = await this.authoring.host.readOrNull(p);
        if (t !== null) texts.push(t.toString('utf8'));
      }
      return ok(await this.#logs.read(unit, texts, opts));
    } catch (err) {
      return { ok: false, error: toAppError(err) };
    }
  }

  /** Live resources of one unit from one /proc scan (call repeatedly for CPU%). */
  async resources(ref: string): Promise<Result<UnitResources>> {
    try {
      const unit = unitOf(ref);
      let record = this.#units.units().find((r) => r.name === unit);
      if (record === undefined) {
        const d = await this.#units.detail(unit);
        if (!d.ok) return d;
        record = {
          ...newUnitRecord(unit),
          activeState: d.value.activeState,
          mainPid: d.value.mainPid ?? 0,
          nRestarts: d.value.nRestarts,
          stateChangeUsec: d.value.activeEnterTimestamp
            ? Date.parse(d.value.activeEnterTimestamp) * 1000
            : 0,
        };
      }
      const r = this.#sampler.sample([record]).get(unit);
      return r === undefined ? fail('internal', `No sample for ${unit}.`) : ok(r);
    } catch (err) {
      return { ok: false, error: toAppError(err) };
    }
  }

  /** Resources of many units from the same one scan (the detail windows and the bench). */
  resourcesOf(records: readonly UnitRecord[]): Map<string, UnitResources> {
    return this.#sampler.sample(records);
  }

  async timers(): Promise<Result<TimerInfo[]>> {
    try {
      return ok(await this.#timers.list(this.#units.units()));
    } catch (err) {
      return { ok: false, error: toAppError(err) };
    }
  }

  async calendarPreview(expr: string, count: number): Promise<Result<string[]>> {
    try {
      if (/[\0\n\r]/.test(expr)) return fail('invalid-input', t('errors:timers.calendarOneLine'));
      const r = await this.#timers.preview(expr, count);
      return r.ok ? ok(r.times) : fail('invalid-input', r.message);
    } catch (err) {
      return { ok: false, error: toAppError(err) };
    }
  }
}
