// Unit authoring: create, edit (in full or through a drop-in), delete, undo and revert-to-vendor
// for the user's systemd units, each a transaction (transaction.ts) with a backup of every byte
// replaced (backup-store.ts).
//
// Relies on (systemd 252, PLATFORM-NOTES):
// - Writing a unit file does nothing until Manager.Reload(); EnableUnitFiles/DisableUnitFiles
//   do not reload either (UnitService.act reloads after them).
// - `systemctl edit` writes `<unitdir>/<unit>.d/override.conf` via a temp file, then reloads;
//   we do the same for units the app did not create. `systemctl revert` removes drop-ins.
// - rename(2) within one directory is atomic: every file is written to a temp file beside it,
//   fsynced, then renamed over the target (the Host's writeFileAtomic).
// Every check a change makes before its first write (unit-checks.ts) is also what --dry-run runs.
// Creating takes the store's lock and never replaces (Host.createFile): of parallel creates of
// one name, one wins and the others are told the name is taken.
import { rmdir } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import type {
  AuthoringOutcome,
  CreateOptions,
  EditPreview,
  RenderedFile,
  ServiceForm,
  TimerForm,
  UndoToken,
  UnitDefinition,
  UnitPreview,
} from '../model/authoring.js';
import type { Entry, Result, UnitDetail } from '../model/domain.js';
import { t } from '../../../i18n/index.js';
import { AppFailure, appError, fail, ok, toAppError } from '../errors.js';
import type { Host } from '../host/host.js';
import { createLocalHost } from '../host/local-host.js';
import {
  BackupStore,
  backupDir,
  saidText,
  sha256,
  type BackupTxn,
  type Said,
} from './backup-store.js';
import type { Bus } from './bus.js';
import { runTransaction, type Step, type StepHook } from './transaction.js';
import {
  issuesFailure,
  previewServiceForm,
  requireVerified,
  requireWritableFolder,
  resolveForm,
  resolveProgram,
  verifyUnits,
} from './unit-checks.js';
import {
  APP_MARKER,
  baseName,
  parseServiceUnit,
  quoteExecStart,
  renderServiceUnit,
  renderTimerUnit,
  serviceUnitName,
  splitCommandLine,
  unifiedDiff,
} from './unit-file.js';
import { parseUnitRef } from './unit-model.js';
import type { UnitService } from './unit-service.js';

export interface AuthoringDeps {
  bus: Bus;
  units: UnitService;
  env: NodeJS.ProcessEnv;
  /** Where files are read and written and programs run (default: this machine). */
  host?: Host;
  /** Called before each step of a change; a throw there fails that step (tests inject faults). */
  stepHook?: StepHook;
}

const SYSTEMD = 'org.freedesktop.systemd1';

const OPPOSITE = { start: 'stop', stop: 'start', enable: 'disable', disable: 'enable' } as const;
const PAST = { start: 'started', stop: 'stopped', enable: 'enabled', disable: 'disabled' } as const;
/** A transaction step's name, in the user's words (the error of a failed change quotes it). */
const STEP_WORDS = {
  start: 'errors:transaction.step.start',
  stop: 'errors:transaction.step.stop',
  enable: 'errors:transaction.step.enable',
  disable: 'errors:transaction.step.disable',
  write: 'errors:transaction.step.write',
  remove: 'errors:transaction.step.remove',
} as const;

/** The unit name of an id or bare name, or an AppFailure. */
export function unitOf(ref: string): string {
  const p = parseUnitRef(ref);
  if (!p.ok) throw new AppFailure(appError('invalid-input', p.message));
  return p.unit;
}

function asResult<T>(fn: () => Promise<T>): Promise<Result<T>> {
  return fn().then(ok, (err: unknown) => ({ ok: false as const, error: toAppError(err) }));
}

/** One file a change writes (data) or removes (null); `create` never replaces a file. */
interface FileChange {
  path: string;
  data: string | Buffer | null;
  create?: boolean;
}

/** Creates, edits, deletes and restores the user's units. */
export class UnitAuthoring {
  readonly #bus: Bus;
  readonly #units: UnitService;
  readonly #env: NodeJS.ProcessEnv;
  readonly #hook: StepHook | undefined;
  readonly host: Host;
  readonly unitDir: string;
  readonly backups: BackupStore;

  constructor(deps: AuthoringDeps) {
    this.#bus = deps.bus;
    this.#units = deps.units;
    this.#env = deps.env;
    this.#hook = deps.stepHook;
    this.host = deps.host ?? createLocalHost(deps.env);
    this.unitDir = join(this.host.xdg.config, 'systemd', 'user');
    this.backups = new BackupStore(backupDir(this.host.env), this.host);
  }

  resolveProgram(program: string): Promise<string> {
    return resolveProgram(program, this.#env);
  }

  /** The live preview: argv[0] resolved on PATH, then the files and issues. Writes nothing. */
  async preview(form: ServiceForm): Promise<Result<UnitPreview>> {
    return ok(await previewServiceForm(form, this.#env));
  }

  async splitCommand(line: string): Promise<Result<{ argv: string[]; execStart: string }>> {
    const s = splitCommandLine(line);
    if (!s.ok) return fail('invalid-input', s.message);
    if (s.argv.length === 0) return fail('invalid-input', t('errors:unitFile.argvEmpty'));
    const [program, ...rest] = s.argv;
    const argv = [await this.resolveProgram(program!), ...rest];
    // A bare name is looked up on PATH: not found there, that is what to say (not "absolute").
    if (!program!.includes('/') && argv[0] === program)
      return fail('invalid-input', t('create:command.notOnPath', { program }));
    try {
      return ok({ argv, execStart: `ExecStart=${quoteExecStart(argv)}` });
    } catch (err) {
      return fail('invalid-input', err instanceof Error ? err.message : String(err));
    }
  }

  verify(
    files: RenderedFile[],
    dropIns: Array<{ unit: string; name: string; text: string | Buffer }> = [],
  ): Promise<{ ok: boolean; problems: string[] }> {
    return verifyUnits(this.host, files, dropIns);
  }

  async reload(): Promise<void> {
    await this.#bus.call(
      {
        destination: SYSTEMD,
        path: '/org/freedesktop/systemd1',
        interface: 'org.freedesktop.systemd1.Manager',
        member: 'Reload',
      },
      60_000,
    );
  }

  async #act(unit: string, action: 'start' | 'stop' | 'enable' | 'disable'): Promise<void> {
    const r = await this.#units.act(unit, action);
    if (!r.ok) throw new AppFailure(r.error);
  }

  /** A step that starts, stops, enables or disables a unit; its undo does the opposite. */
  #actStep(unit: string, action: keyof typeof OPPOSITE, done: string[]): Step {
    return {
      name: t(STEP_WORDS[action], { unit }),
      run: async () => {
        await this.#act(unit, action);
        done.push(`${PAST[action]} ${unit}`);
      },
      undo: () => this.#act(unit, OPPOSITE[action]),
    };
  }

  async #detail(unit: string): Promise<UnitDetail | null> {
    // systemd cannot load a template (NAME@.service) without an instance: read it from disk.
    if (unit.includes('@.')) return this.#templateDetail(unit);
    const r = await this.#units.detail(unit);
    if (r.ok) return r.value;
    if (r.error.code === 'no-such-unit') return null;
    throw new AppFailure(r.error);
  }

  async #templateDetail(unit: string): Promise<UnitDetail | null> {
    const path = join(this.unitDir, unit);
    if ((await this.host.readOrNull(path)) === null) return null;
    const dropDir = join(this.unitDir, `${unit}.d`);
    const dropInPaths = (await this.host.readdir(dropDir))
      .filter((n) => n.endsWith('.conf'))
      .sort()
      .map((n) => join(dropDir, n));
    return {
      entry: blankServiceEntry(unit),
      unit,
      loadState: 'loaded',
      activeState: 'inactive',
      subState: '',
      unitFileState: null,
      fragmentPath: path,
      dropInPaths,
      mainPid: null,
      result: null,
      execMainCode: null,
      execMainStatus: null,
      exitSummary: null,
      activeEnterTimestamp: null,
      inactiveEnterTimestamp: null,
      nRestarts: 0,
    };
  }

  /** How a path is named in a step: relative to the unit folder when it is inside it. */
  #shown(path: string): string {
    const rel = relative(this.unitDir, path);
    return rel.startsWith('..') ? path : rel;
  }

  #taken(name: string, where: string): AppFailure {
    return new AppFailure(appError('conflict', t('errors:authoring.taken', { name, where })));
  }

  /**
   * Every check a new unit's install makes before its first write: the names are free (for
   * systemd and on disk), the unit folder can be written, and systemd's verify passes (the
   * program exists and is executable, the syntax is right).
   */
  async #checkNew(files: RenderedFile[]): Promise<void> {
    for (const f of files) {
      const path = join(this.unitDir, f.name);
      const existing = await this.#detail(f.name);
      if (existing !== null && existing.loadState !== 'not-found')
        throw this.#taken(f.name, existing.fragmentPath ?? 'loaded in systemd');
      if ((await this.host.readOrNull(path)) !== null) throw this.#taken(f.name, path);
      await requireWritableFolder(path);
    }
    requireVerified(await this.verify(files), 'unit');
  }

  /** Write a new unit file under its lock; one already there (a parallel create) is "taken". */
  async #createUnitFile(path: string, text: string): Promise<void> {
    try {
      await this.host.createFile(path, text, 0o644);
    } catch (err) {
      if (err instanceof AppFailure && err.error.code === 'conflict')
        throw this.#taken(basename(path), path);
      throw err;
    }
  }

  /**
   * Install rendered unit files that do not exist yet: check, write (never replacing), Reload,
   * enable, start, record the undo: one transaction. This is the entry point for other areas
   * that make a unit from a form.
   */
  async installUnit(
    files: RenderedFile[],
    opts: { unit: string; enable?: string[]; start?: string[] },
  ): Promise<AuthoringOutcome> {
    await this.#checkNew(files);
    const done: string[] = ['verified'];
    return this.#change(
      t('errors:transaction.creating', { what: opts.unit }),
      { key: 'common:outcome.created', params: { unit: opts.unit } },
      files.map((f) => ({ path: join(this.unitDir, f.name), data: f.text, create: true })),
      {
        done,
        prepare: (txn) => {
          txn.stopFirst = files.map((f) => f.name).filter((n) => !n.includes('@.'));
        },
        after: [
          ...(opts.enable ?? []).map((u) => this.#actStep(u, 'enable', done)),
          ...(opts.start ?? []).map((u) => this.#actStep(u, 'start', done)),
        ],
      },
    );
  }

  /** The files a create writes, the unit the user acts on, and whether it is enabled. */
  async #createPlan(
    form: ServiceForm,
    opts: { enable: boolean },
  ): Promise<{ files: RenderedFile[]; main: string; enable: boolean }> {
    // "Start at login" in the form means enabled.
    const enable = opts.enable || form.startAtLogin;
    const resolved = await resolveForm({ ...form, startAtLogin: enable }, this.#env);
    const p = await previewServiceForm({ ...form, startAtLogin: enable }, this.#env);
    if (p.issues.length > 0) throw issuesFailure(p.issues);
    // The unit the user acts on: the socket when there is one, else the service.
    const main =
      resolved.socket !== null ? `${baseName(form.name)}.socket` : serviceUnitName(resolved);
    return { files: p.files, main, enable };
  }

  /** Create a service (and its socket) from a form; enable and start when asked. */
  create(form: ServiceForm, opts: CreateOptions): Promise<Result<AuthoringOutcome>> {
    return asResult(async () => {
      const plan = await this.#createPlan(form, opts);
      return this.installUnit(plan.files, {
        unit: plan.main,
        enable: plan.enable ? [plan.main] : [],
        start: opts.start ? [plan.main] : [],
      });
    });
  }

  /** --dry-run of create: every check the real create makes, and the files; writes nothing. */
  checkCreate(form: ServiceForm, opts: CreateOptions): Promise<Result<UnitPreview>> {
    return asResult(async () => {
      const plan = await this.#createPlan(form, opts);
      await this.#checkNew(plan.files);
      return await previewServiceForm({ ...form, startAtLogin: plan.enable }, this.#env);
    });
  }

  /** Create NAME.timer for a service; enable (and so start) it when asked. */
  createTimer(form: TimerForm, opts: { enable: boolean }): Promise<Result<AuthoringOutcome>> {
    return asResult(async () => {
      const r = renderTimerUnit(form);
      if (!r.ok) throw issuesFailure(r.issues);
      const service = await this.#detail(r.service);
      if (service === null || service.loadState === 'not-found')
        throw new AppFailure(
          appError('no-such-unit', t('errors:authoring.serviceMissing', { service: r.service })),
        );
      return this.installUnit([r.file], {
        unit: r.file.name,
        enable: opts.enable ? [r.file.name] : [],
        start: opts.enable ? [r.file.name] : [],
      });
    });
  }

  async #isOwned(path: string | null): Promise<boolean> {
    if (path === null || dirname(path) !== this.unitDir) return false;
    const bytes = await this.host.readOrNull(path);
    return bytes !== null && bytes.toString('utf8').startsWith(APP_MARKER);
  }

  async #text(path: string): Promise<string | null> {
    return (await this.host.readOrNull(path))?.toString('utf8') ?? null;
  }

  /** The unit's files, whether the app owns it, and the form it was made from. */
  definition(ref: string): Promise<Result<UnitDefinition>> {
    return asResult(async () => {
      const unit = unitOf(ref);
      const d = await this.#detail(unit);
      if (d === null || (d.loadState === 'not-found' && d.fragmentPath === null))
        throw new AppFailure(appError('no-such-unit', t('errors:authoring.unitMissing', { unit })));
      const fragment = d.fragmentPath !== null ? await this.#text(d.fragmentPath) : null;
      const dropIns: Array<{ path: string; text: string }> = [];
      for (const p of d.dropInPaths) {
        const t = await this.#text(p);
        if (t !== null) dropIns.push({ path: p, text: t });
      }
      const ownedByApp = await this.#isOwned(d.fragmentPath);
      let form: ServiceForm | null = null;
      if (ownedByApp && fragment !== null && unit.endsWith('.service')) {
        const socketName = `${baseName(unit).replace(/@$/, '')}.socket`;
        const socketPath = join(this.unitDir, socketName);
        const socketText =
          unit.includes('@.') || (await this.#isOwned(socketPath))
            ? await this.#text(socketPath)
            : null;
        form = parseServiceUnit(unit, fragment, socketText);
        if (form !== null) {
          // Every unit the app writes has an [Install] section: whether it starts at login is
          // whether the unit the user acts on (its socket, if any) is enabled.
          const main = form.socket !== null ? await this.#detail(socketName) : d;
          form.startAtLogin = main?.unitFileState === 'enabled';
        }
      }
      return {
        unit,
        fragmentPath: d.fragmentPath,
        fragment,
        dropIns,
        ownedByApp,
        form,
        overridePath: join(this.unitDir, `${unit}.d`, 'override.conf'),
      };
    });
  }

  /**
   * Where an edit as text goes, the effective unit before/after, and the verify result. A full
   * edit of an app unit keeps the marker line: without it the app would silently stop owning the
   * unit (the next edit would become a drop-in and delete would be refused), which is never what
   * an edit of the text means; the marker is the app's bookkeeping, put back at the top.
   */
  async #planEdit(
    ref: string,
    input: string,
  ): Promise<{ def: UnitDefinition; preview: EditPreview; verified: boolean; text: string }> {
    if (input.includes('\0'))
      throw new AppFailure(appError('invalid-input', t('errors:authoring.textNul')));
    const r = await this.definition(ref);
    if (!r.ok) throw new AppFailure(r.error);
    const def = r.value;
    const mode = def.ownedByApp ? 'full' : 'drop-in';
    const text =
      mode === 'full' && !input.startsWith(APP_MARKER) ? `${APP_MARKER}\n${input}` : input;
    const path = mode === 'full' ? def.fragmentPath! : def.overridePath;
    const effective = (fragment: string | null, dropIns: Array<{ path: string; text: string }>) =>
      [
        ...(def.fragmentPath !== null ? [`# ${def.fragmentPath}`, fragment ?? ''] : []),
        ...dropIns.flatMap((d) => [`# ${d.path}`, d.text]),
      ].join('\n');
    const before = effective(def.fragment, def.dropIns);
    let after: string;
    let verify: { ok: boolean; problems: string[] };
    if (mode === 'full') {
      after = effective(text, def.dropIns);
      verify = await this.verify(
        [{ name: def.unit, text }],
        def.dropIns.map((d) => ({ unit: def.unit, name: basename(d.path), text: d.text })),
      );
    } else {
      const others = def.dropIns.filter((d) => d.path !== def.overridePath);
      const withOverride = [...others, { path: def.overridePath, text }];
      after = effective(def.fragment, withOverride);
      verify = await this.verify(
        [{ name: def.unit, text: def.fragment ?? '' }],
        withOverride.map((d) => ({ unit: def.unit, name: basename(d.path), text: d.text })),
      );
    }
    return {
      def,
      text,
      verified: verify.ok,
      preview: {
        path,
        mode,
        diff: unifiedDiff(before, after, `${def.unit} (now)`, `${def.unit} (after the edit)`),
        problems: verify.problems,
      },
    };
  }

  previewEdit(ref: string, text: string): Promise<Result<EditPreview>> {
    return asResult(async () => (await this.#planEdit(ref, text)).preview);
  }

  /** --dry-run of editText: every check the real edit makes, and the diff; writes nothing. */
  checkEdit(ref: string, text: string): Promise<Result<EditPreview>> {
    return asResult(async () => {
      const plan = await this.#planEdit(ref, text);
      if (!plan.verified) requireVerified({ ok: false, problems: plan.preview.problems }, 'edit');
      await requireWritableFolder(plan.preview.path);
      return plan.preview;
    });
  }

  /**
   * Write files (null: remove; create: never replacing) with a backup, then Reload: one
   * transaction, with the caller's steps `before` the backup and `after` the reload. Each write
   * holds the file's store lock and first checks that the file is still what it was when the
   * change began; each file step's undo puts the saved bytes back and reloads.
   */
  async #change(
    what: string,
    summary: Said,
    changes: FileChange[],
    opts: {
      done: string[];
      before?: Step[];
      after?: Step[];
      prepare?: (txn: BackupTxn) => void;
    },
  ): Promise<AuthoringOutcome> {
    const { done } = opts;
    const paths = changes.map((c) => c.path);
    const expected = await Promise.all(
      paths.map(async (p) => sha256(await this.host.readOrNull(p))),
    );
    let txn: BackupTxn | null = null;
    let undo: UndoToken | null = null;
    const write = async (c: FileChange, i: number) => {
      if (c.create === true) return this.#createUnitFile(c.path, c.data as string);
      await this.host.withLock(c.path, async () => {
        if (sha256(await this.host.readOrNull(c.path)) !== expected[i])
          throw new AppFailure(
            appError('conflict', t('errors:authoring.changedMeanwhile', { path: c.path })),
          );
        if (c.data === null) await this.#removeFile(c.path);
        else await this.host.writeFileAtomic(c.path, c.data);
      });
    };
    const steps: Step[] = [
      ...(opts.before ?? []),
      {
        name: t('errors:transaction.step.prepareUndo'),
        run: async () => {
          txn = await this.backups.begin(summary, paths);
          opts.prepare?.(txn);
        },
        undo: () => txn!.abandon(),
      },
      ...changes.map((c, i): Step => ({
        name: t(STEP_WORDS[c.data === null ? 'remove' : 'write'], { unit: this.#shown(c.path) }),
        run: async () => {
          await write(c, i);
          const label = c.data === null ? 'removed' : 'written';
          if (!done.includes(label)) done.push(label);
        },
        undo: async () => {
          await txn!.restoreFiles([txn!.files[i]!]);
          await this.reload();
        },
      })),
      {
        name: t('errors:transaction.step.reload'),
        run: async () => {
          await this.reload();
          done.push('reloaded');
        },
      },
      ...(opts.after ?? []),
      {
        name: t('errors:transaction.step.recordUndo'),
        run: async () => {
          undo = await txn!.finish();
        },
      },
    ];
    await runTransaction(what, steps, this.#hook);
    return { paths, undo: undo!, steps: done };
  }

  /**
   * Replace unit files the app created with new text: verify, then one transaction with one Undo
   * (`after` runs once systemd has reloaded). The entry point for other areas' forms (timers).
   */
  async replaceUnits(
    files: RenderedFile[],
    opts: { unit: string; after?: Step[] },
  ): Promise<AuthoringOutcome> {
    for (const f of files)
      if (!(await this.#isOwned(join(this.unitDir, f.name))))
        throw new AppFailure(
          appError('unsupported', t('errors:authoring.notOwnedReplace', { unit: f.name })),
        );
    requireVerified(await this.verify(files), 'unit');
    const done = ['verified'];
    return this.#change(
      t('errors:transaction.editing', { what: opts.unit }),
      { key: 'common:outcome.edited', params: { unit: opts.unit } },
      files.map((f) => ({ path: join(this.unitDir, f.name), data: f.text })),
      { done, after: opts.after ?? [] },
    );
  }

  /** Remove a file, and its NAME.d folder when that is left empty (as systemctl revert does). */
  async #removeFile(path: string): Promise<void> {
    await this.host.remove(path);
    // rmdir refuses a folder that still holds files: only an empty NAME.d goes.
    if (basename(dirname(path)).endsWith('.d')) await rmdir(dirname(path)).catch(() => undefined);
  }

  /** Save text: the whole file of an app-owned unit, else `override.conf` (as systemctl edit). */
  editText(ref: string, input: string): Promise<Result<AuthoringOutcome>> {
    return asResult(async () => {
      const plan = await this.#planEdit(ref, input);
      if (!plan.verified) requireVerified({ ok: false, problems: plan.preview.problems }, 'edit');
      const o = await this.#change(
        t('errors:transaction.editing', { what: plan.def.unit }),
        {
          key:
            plan.preview.mode === 'drop-in'
              ? 'common:outcome.editedOverride'
              : 'common:outcome.edited',
          params: { unit: plan.def.unit },
        },
        [{ path: plan.preview.path, data: plan.text }],
        { done: ['verified'] },
      );
      if (plan.text !== input) o.steps.push('kept the "Created by Daemon Deck" first line');
      return o;
    });
  }

  /** Save a form over a service the app created (same name). */
  updateForm(ref: string, form: ServiceForm): Promise<Result<AuthoringOutcome>> {
    return asResult(async () => {
      const def = await this.definition(ref);
      if (!def.ok) throw new AppFailure(def.error);
      if (!def.value.ownedByApp)
        throw new AppFailure(
          appError('unsupported', t('errors:authoring.notOwnedEdit', { unit: def.value.unit })),
        );
      const resolved = await resolveForm(form, this.#env);
      const p = renderServiceUnit(resolved);
      if (p.issues.length > 0) throw issuesFailure(p.issues);
      if (serviceUnitName(resolved) !== def.value.unit)
        throw new AppFailure(
          appError('invalid-input', t('errors:authoring.nameChange', { unit: def.value.unit })),
        );
      requireVerified(await this.verify(p.files), 'unit');
      const socketPath = join(this.unitDir, `${baseName(form.name)}.socket`);
      const changes: FileChange[] = p.files.map((f) => ({
        path: join(this.unitDir, f.name),
        data: f.text,
      }));
      if (form.socket === null && (await this.#isOwned(socketPath)))
        changes.push({ path: socketPath, data: null });
      const editing = t('errors:transaction.editing', { what: def.value.unit });
      const said = { key: 'common:outcome.edited', params: { unit: def.value.unit } };
      return this.#change(editing, said, changes, {
        done: ['verified'],
      });
    });
  }

  /** Remove the user's drop-ins (and a user copy overriding a vendor unit), as systemctl revert. */
  revertToVendor(ref: string): Promise<Result<AuthoringOutcome>> {
    return asResult(async () => {
      const unit = unitOf(ref);
      const dropDir = join(this.unitDir, `${unit}.d`);
      const names = (await this.host.readdir(dropDir)).filter((n) => n.endsWith('.conf'));
      if (names.length === 0)
        throw new AppFailure(appError('conflict', t('errors:authoring.noOverrides', { unit })));
      const o = await this.#change(
        t('errors:transaction.reverting', { what: unit }),
        { key: 'common:outcome.reverted', params: { unit } },
        names.map((n) => ({ path: join(dropDir, n), data: null })),
        { done: [] },
      );
      return { ...o, steps: ['removed drop-ins', 'reloaded'] };
    });
  }

  /**
   * Stop, disable and remove a unit the app created (with its socket and timer), then Reload:
   * one transaction, so a failure at any step leaves it running, enabled and on disk as before.
   */
  remove(ref: string): Promise<Result<AuthoringOutcome>> {
    return asResult(async () => {
      const unit = unitOf(ref);
      const d = await this.#detail(unit);
      if (d === null || d.fragmentPath === null)
        throw new AppFailure(appError('no-such-unit', t('errors:authoring.unitMissing', { unit })));
      if (!(await this.#isOwned(d.fragmentPath)))
        throw new AppFailure(
          appError('unsupported', t('errors:authoring.notOwnedDelete', { unit })),
        );
      const base = baseName(unit).replace(/@$/, '');
      const family = [unit];
      for (const sib of [`${base}.socket`, `${base}.timer`, `${base}.service`, `${base}@.service`])
        if (sib !== unit && (await this.#isOwned(join(this.unitDir, sib)))) family.push(sib);
      const done: string[] = [];
      const steps: Step[] = [];
      const enableAfter: string[] = [];
      const startAfter: string[] = [];
      // Stop triggers first (socket, timer), then the service.
      const order = [...family].sort(
        (a, b) => Number(a.endsWith('service')) - Number(b.endsWith('service')),
      );
      for (const u of order) {
        if (u.includes('@.')) continue;
        const ud = await this.#detail(u);
        if (ud === null) continue;
        if (['active', 'activating', 'reloading'].includes(ud.activeState)) {
          startAfter.unshift(u);
          steps.push(this.#actStep(u, 'stop', done));
        }
        if (ud.unitFileState === 'enabled') {
          enableAfter.push(u);
          steps.push(this.#actStep(u, 'disable', done));
        }
      }
      // Undo of the remove steps restores the files before the enable/start undos run.
      const paths: string[] = [];
      for (const u of family) {
        paths.push(join(this.unitDir, u));
        const dropDir = join(this.unitDir, `${u}.d`);
        for (const n of await this.host.readdir(dropDir)) paths.push(join(dropDir, n));
      }
      return this.#change(
        t('errors:transaction.deleting', { what: unit }),
        { key: 'common:outcome.deleted', params: { unit } },
        paths.map((path) => ({ path, data: null })),
        {
          done,
          before: steps,
          prepare: (txn) => {
            txn.enableAfter = enableAfter;
            txn.startAfter = startAfter;
          },
        },
      );
    });
  }

  /** Put back the exact bytes an action replaced, then Reload (and re-enable/restart after a delete). */
  undo(token: string): Promise<Result<{ paths: string[] }>> {
    return asResult(async () => {
      const m = await this.backups.read(token);
      if (m === null)
        throw new AppFailure(appError('invalid-input', t('errors:authoring.nothingToUndo')));
      for (const f of m.files) {
        const now = sha256(await this.host.readOrNull(f.path));
        if (now !== f.afterHash)
          throw new AppFailure(
            appError(
              'conflict',
              t('errors:authoring.undoConflict', {
                path: f.path,
                summary: m.said === undefined ? m.summary : saidText(m.said),
              }),
            ),
          );
      }
      // Every backup is read before anything changes: a missing one fails with nothing done.
      for (const f of m.files)
        if (f.before !== null) await this.backups.backupBytes(m.id, f.before);
      for (const u of m.stopFirst) {
        const d = await this.#detail(u);
        if (d === null) continue;
        if (d.activeState !== 'inactive' && d.activeState !== 'failed') await this.#act(u, 'stop');
        if (d.unitFileState === 'enabled') await this.#act(u, 'disable');
      }
      for (const f of m.files) {
        if (f.before === null) await this.#removeFile(f.path);
        else
          await this.host.writeFileAtomic(
            f.path,
            await this.backups.backupBytes(m.id, f.before),
            f.mode ?? 0o644,
          );
      }
      await this.reload();
      for (const u of m.enableAfter) await this.#act(u, 'enable');
      for (const u of m.startAfter) await this.#act(u, 'start');
      await this.backups.discard(m.id);
      return { paths: m.files.map((f) => f.path) };
    });
  }
}

/** A systemd service entry for `unit` (id `systemd:UNIT`), stopped, with no pids, figures,
 * autostart or actions: a template, which systemd does not list. */
export function blankServiceEntry(unit: string): Entry {
  return {
    id: `systemd:${unit}`,
    kind: 'service',
    name: unit,
    description: '',
    state: 'stopped',
    subState: '',
    autostart: { enabled: false, via: [], state: null },
    pids: [],
    cpu: null,
    memory: null,
    since: null,
    restarts: 0,
    actions: [],
  };
}
