// Unit authoring: create, edit (in full or through a drop-in), delete, undo and revert-to-vendor
// for the user's systemd units, with a backup of every byte replaced.
//
// Relies on (systemd 252, PLATFORM-NOTES):
// - `systemd-analyze --user verify FILE...` loads the given files in a private manager (no bus
//   needed) with their directory first in the unit search path, so a copy in a temporary
//   directory is checked together with its drop-ins (`NAME.d/*.conf` beside it). A bad command
//   path or syntax makes it exit non-zero; unknown keys are only warned about.
// - Writing a unit file does nothing until Manager.Reload(); EnableUnitFiles/DisableUnitFiles
//   do not reload either (UnitService.act reloads after them).
// - `systemctl edit` writes `<unitdir>/<unit>.d/override.conf` via a temp file, then reloads;
//   we do the same for units the app did not create. `systemctl revert` removes drop-ins.
// - rename(2) within one directory is atomic: every file is written to a temp file beside it,
//   fsynced, then renamed over the target.
// Backups live in $XDG_DATA_HOME/daemon-deck/backups/<token>/ (a manifest plus the old bytes),
// so an Undo works from another process too (the CLI and the app share them).
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import {
  access,
  mkdir,
  mkdtemp,
  readFile,
  readdir,
  rm,
  rmdir,
  stat,
  unlink,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, delimiter, dirname, join } from 'node:path';
import type {
  AuthoringOutcome,
  EditPreview,
  FormIssue,
  LogsResult,
  RenderedFile,
  ServiceForm,
  TimerForm,
  TimerInfo,
  UndoToken,
  UnitDefinition,
  UnitPreview,
  UnitResources,
} from '../model/authoring.js';
import type { Result, UnitDetail } from '../model/domain.js';
import { writeFileAtomic } from '../atomic-write.js';
import { AppFailure, appError, fail, ok, toAppError } from '../errors.js';
import type { Bus } from './bus.js';
import { LogReader } from './logs.js';
import { ResourceSampler } from './resources.js';
import { TimerService } from './timers.js';
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
import { newUnitRecord, parseUnitRef, type UnitRecord } from './unit-model.js';
import type { UnitService } from './unit-service.js';
import type { Runner } from '../host/runner.js';

/** execFile with an argument vector (never a shell), collecting output and the exit status. */
export const runFile: Runner = (file, args, opts = {}) =>
  new Promise((resolve) => {
    execFile(
      file,
      args,
      {
        env: opts.env ?? process.env,
        timeout: opts.timeoutMs ?? 30_000,
        maxBuffer: 64 * 1024 * 1024,
        encoding: 'utf8',
      },
      (err, stdout, stderr) => {
        if (err === null) resolve({ stdout, stderr, code: 0 });
        else {
          const code = (err as { code?: unknown }).code;
          resolve({
            stdout,
            stderr: stderr || err.message,
            code: typeof code === 'number' ? code : 127,
          });
        }
      },
    );
  });

/** ~/.config/systemd/user, honouring XDG_CONFIG_HOME. */
export function userUnitDir(env: NodeJS.ProcessEnv): string {
  const config = env.XDG_CONFIG_HOME || join(env.HOME ?? '/', '.config');
  return join(config, 'systemd', 'user');
}

/** $XDG_DATA_HOME/daemon-deck/backups. */
export function backupDir(env: NodeJS.ProcessEnv): string {
  const data = env.XDG_DATA_HOME || join(env.HOME ?? '/', '.local', 'share');
  return join(data, 'daemon-deck', 'backups');
}

async function readOrNull(path: string): Promise<Buffer | null> {
  try {
    return await readFile(path);
  } catch (err) {
    if ((err as { code?: unknown }).code === 'ENOENT') return null;
    throw err;
  }
}

export { writeFileAtomic };

const sha256 = (b: Buffer | null) =>
  b === null ? null : createHash('sha256').update(b).digest('hex');

interface ManifestFile {
  path: string;
  /** The backup file name inside the token directory, or null when the path did not exist. */
  before: string | null;
  mode: number | null;
  /** sha256 of what we left there (null: we removed it), to refuse an Undo over later edits. */
  afterHash: string | null;
}

interface Manifest {
  id: string;
  summary: string;
  createdAt: string;
  files: ManifestFile[];
  /** Units to stop and disable before the files are put back (those the action created). */
  stopFirst: string[];
  /** Units to enable and start after the files are put back (those the action deleted). */
  enableAfter: string[];
  startAfter: string[];
}

/** Backups of replaced files and the Undo that puts them back. */
export class BackupStore {
  constructor(readonly dir: string) {}

  /** Save the current bytes of `paths`; finish() after writing records what was left there. */
  async begin(summary: string, paths: string[]): Promise<BackupTxn> {
    const id = `${Date.now().toString(36)}-${randomBytes(5).toString('hex')}`;
    const tokenDir = join(this.dir, id);
    const files: ManifestFile[] = [];
    try {
      await mkdir(tokenDir, { recursive: true, mode: 0o700 });
      for (const [i, path] of paths.entries()) {
        const bytes = await readOrNull(path);
        let mode: number | null = null;
        let before: string | null = null;
        if (bytes !== null) {
          mode = (await stat(path)).mode & 0o7777;
          before = `${i}.bak`;
          await writeFileAtomic(join(tokenDir, before), bytes, 0o600);
        }
        files.push({ path, before, mode, afterHash: null });
      }
    } catch (err) {
      // No half backup is left to offer an Undo that cannot work (a full disk, say).
      await this.discard(id).catch(() => undefined);
      throw err;
    }
    return new BackupTxn(this, id, summary, files);
  }

  async writeManifest(m: Manifest): Promise<void> {
    await writeFileAtomic(join(this.dir, m.id, 'manifest.json'), JSON.stringify(m, null, 2));
  }

  async read(token: string): Promise<Manifest | null> {
    if (!/^[0-9a-z]+-[0-9a-f]+$/.test(token)) return null;
    const raw = await readOrNull(join(this.dir, token, 'manifest.json'));
    return raw === null ? null : (JSON.parse(raw.toString('utf8')) as Manifest);
  }

  async backupBytes(token: string, name: string): Promise<Buffer> {
    return readFile(join(this.dir, token, name));
  }

  async discard(token: string): Promise<void> {
    await rm(join(this.dir, token), { recursive: true, force: true });
  }
}

export class BackupTxn {
  stopFirst: string[] = [];
  enableAfter: string[] = [];
  startAfter: string[] = [];
  constructor(
    readonly store: BackupStore,
    readonly id: string,
    readonly summary: string,
    readonly files: ManifestFile[],
  ) {}

  async finish(): Promise<UndoToken> {
    for (const f of this.files) f.afterHash = sha256(await readOrNull(f.path));
    const createdAt = new Date().toISOString();
    await this.store.writeManifest({
      id: this.id,
      summary: this.summary,
      createdAt,
      files: this.files,
      stopFirst: this.stopFirst,
      enableAfter: this.enableAfter,
      startAfter: this.startAfter,
    });
    return { id: this.id, summary: this.summary, createdAt };
  }

  /** Nothing was written after all: drop the backup. */
  abandon(): Promise<void> {
    return this.store.discard(this.id);
  }
}

export interface AuthoringDeps {
  bus: Bus;
  units: UnitService;
  env: NodeJS.ProcessEnv;
  run?: Runner;
}

const SYSTEMD = 'org.freedesktop.systemd1';

/** An absolute program for argv[0]: a bare name is looked up on PATH, as a shell would. */
export async function resolveProgram(program: string, env: NodeJS.ProcessEnv): Promise<string> {
  if (program.startsWith('~/')) return join(env.HOME ?? '/', program.slice(2));
  if (program.startsWith('/') || program === '' || program.includes('/')) return program;
  for (const dir of (env.PATH ?? '/usr/local/bin:/usr/bin:/bin').split(delimiter)) {
    if (!dir.startsWith('/')) continue;
    const candidate = join(dir, program);
    try {
      await access(candidate, fsConstants.X_OK);
      if ((await stat(candidate)).isFile()) return candidate;
    } catch {
      continue;
    }
  }
  return program;
}

async function resolveForm(form: ServiceForm, env: NodeJS.ProcessEnv): Promise<ServiceForm> {
  const [program, ...rest] = form.argv;
  if (program === undefined) return form;
  return { ...form, argv: [await resolveProgram(program, env), ...rest] };
}

/** The preview of a form with its program resolved on PATH; needs no systemd. Writes nothing. */
export async function previewServiceForm(
  form: ServiceForm,
  env: NodeJS.ProcessEnv,
): Promise<UnitPreview> {
  const resolved = await resolveForm(form, env);
  const preview = renderServiceUnit(resolved);
  const program = form.argv[0];
  if (
    program !== undefined &&
    program !== '' &&
    !program.includes('/') &&
    resolved.argv[0] === program
  ) {
    preview.issues = preview.issues.map((i) =>
      i.field === 'argv.0'
        ? { field: 'argv.0', message: `"${program}" is not a program on PATH: give its full path.` }
        : i,
    );
  }
  return preview;
}

function invalid<T>(issues: FormIssue[]): Result<T> {
  return fail(
    'invalid-input',
    issues.map((i) => i.message).join(' '),
    issues.map((i) => `${i.field}: ${i.message}`).join('\n'),
  );
}

/** The unit name of an id or bare name, or an AppFailure. */
function unitOf(ref: string): string {
  const p = parseUnitRef(ref);
  if (!p.ok) throw new AppFailure(appError('invalid-input', p.message));
  return p.unit;
}

/** Creates, edits, deletes and restores the user's units. */
export class UnitAuthoring {
  readonly #bus: Bus;
  readonly #units: UnitService;
  readonly #env: NodeJS.ProcessEnv;
  readonly #run: Runner;
  readonly unitDir: string;
  readonly backups: BackupStore;

  constructor(deps: AuthoringDeps) {
    this.#bus = deps.bus;
    this.#units = deps.units;
    this.#env = deps.env;
    this.#run = deps.run ?? runFile;
    this.unitDir = userUnitDir(deps.env);
    this.backups = new BackupStore(backupDir(deps.env));
  }

  resolveProgram(program: string): Promise<string> {
    return resolveProgram(program, this.#env);
  }

  #resolved(form: ServiceForm): Promise<ServiceForm> {
    return resolveForm(form, this.#env);
  }

  /** The live preview: argv[0] resolved on PATH, then the files and issues. Writes nothing. */
  async preview(form: ServiceForm): Promise<Result<UnitPreview>> {
    return ok(await previewServiceForm(form, this.#env));
  }

  async splitCommand(line: string): Promise<Result<{ argv: string[]; execStart: string }>> {
    const s = splitCommandLine(line);
    if (!s.ok) return fail('invalid-input', s.message);
    if (s.argv.length === 0) return fail('invalid-input', 'Enter the command to run.');
    const [program, ...rest] = s.argv;
    const argv = [await this.resolveProgram(program!), ...rest];
    try {
      return ok({ argv, execStart: `ExecStart=${quoteExecStart(argv)}` });
    } catch (err) {
      return fail('invalid-input', err instanceof Error ? err.message : String(err));
    }
  }

  /**
   * Run `systemd-analyze --user verify` on copies of `files` (and drop-ins per unit) in a
   * private temporary directory. Returns the complaints and whether verify passed.
   */
  async verify(
    files: RenderedFile[],
    dropIns: Array<{ unit: string; name: string; text: string | Buffer }> = [],
  ): Promise<{ ok: boolean; problems: string[] }> {
    const dir = await mkdtemp(join(tmpdir(), 'dd-verify-'));
    try {
      for (const f of files) await writeFileAtomic(join(dir, f.name), f.text);
      for (const d of dropIns) await writeFileAtomic(join(dir, `${d.unit}.d`, d.name), d.text);
      const r = await this.#run(
        'systemd-analyze',
        ['--user', 'verify', ...files.map((f) => join(dir, f.name))],
        { env: { ...this.#env, LC_ALL: 'C', SYSTEMD_LOG_COLOR: '0' }, timeoutMs: 60_000 },
      );
      const problems = `${r.stderr}\n${r.stdout}`
        .split('\n')
        .map((l) => l.split(`${dir}/`).join('').trim())
        .filter((l) => l !== '');
      return { ok: r.code === 0, problems };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
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
    if ((await readOrNull(path)) === null) return null;
    const dropDir = join(this.unitDir, `${unit}.d`);
    let dropInPaths: string[] = [];
    try {
      dropInPaths = (await readdir(dropDir))
        .filter((n) => n.endsWith('.conf'))
        .sort()
        .map((n) => join(dropDir, n));
    } catch (err) {
      if ((err as { code?: unknown }).code !== 'ENOENT') throw err;
    }
    return {
      entry: {
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
      },
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

  /**
   * Install rendered unit files that do not exist yet: verify, write atomically, Reload.
   * Returns the paths and an undo token that stops, disables and removes them again.
   * This is the entry point for other areas (Adopt) that make a unit from a form.
   */
  async installUnit(
    files: RenderedFile[],
    opts: { summary: string; enable?: string[]; start?: string[] },
  ): Promise<AuthoringOutcome> {
    const steps: string[] = [];
    for (const f of files) {
      const existing = await this.#detail(f.name);
      if (existing !== null && existing.loadState !== 'not-found') {
        throw new AppFailure(
          appError(
            'conflict',
            `${f.name} already exists${existing.fragmentPath ? ` (${existing.fragmentPath})` : ''}: choose another name, or edit that unit.`,
          ),
        );
      }
      if ((await readOrNull(join(this.unitDir, f.name))) !== null)
        throw new AppFailure(appError('conflict', `${f.name} already exists in ${this.unitDir}.`));
    }
    const v = await this.verify(files);
    if (!v.ok)
      throw new AppFailure(
        appError(
          'invalid-input',
          `systemd refused the unit: ${v.problems[v.problems.length - 1] ?? 'verify failed'}`,
          v.problems.join('\n'),
        ),
      );
    steps.push('verified');
    const paths = files.map((f) => join(this.unitDir, f.name));
    const txn = await this.backups.begin(opts.summary, paths);
    txn.stopFirst = files.map((f) => f.name).filter((n) => !n.includes('@.'));
    try {
      for (const [i, f] of files.entries()) await writeFileAtomic(paths[i]!, f.text);
    } catch (err) {
      for (const p of paths) await rm(p, { force: true });
      await txn.abandon();
      throw err;
    }
    const undo = await txn.finish();
    steps.push('written');
    await this.reload();
    steps.push('reloaded');
    for (const u of opts.enable ?? []) {
      await this.#act(u, 'enable');
      steps.push(`enabled ${u}`);
    }
    for (const u of opts.start ?? []) {
      await this.#act(u, 'start');
      steps.push(`started ${u}`);
    }
    return { paths, undo, steps };
  }

  /** Create a service (and its socket) from a form; enable and start when asked. */
  async create(
    form: ServiceForm,
    opts: { enable: boolean; start: boolean },
  ): Promise<Result<AuthoringOutcome>> {
    try {
      // Enabling needs an [Install] section, and "start at login" in the form means enabled.
      const enable = opts.enable || form.startAtLogin;
      const resolved = await this.#resolved({ ...form, startAtLogin: enable });
      const p = await previewServiceForm({ ...form, startAtLogin: enable }, this.#env);
      if (p.issues.length > 0) return invalid(p.issues);
      // The unit the user acts on: the socket when there is one, else the service.
      const main =
        resolved.socket !== null ? `${baseName(form.name)}.socket` : serviceUnitName(resolved);
      return ok(
        await this.installUnit(p.files, {
          summary: `Created ${main}`,
          enable: enable ? [main] : [],
          start: opts.start ? [main] : [],
        }),
      );
    } catch (err) {
      return { ok: false, error: toAppError(err) };
    }
  }

  /** Create NAME.timer for a service; enable (and so start) it when asked. */
  async createTimer(form: TimerForm, opts: { enable: boolean }): Promise<Result<AuthoringOutcome>> {
    try {
      const r = renderTimerUnit(form);
      if (!r.ok) return invalid(r.issues);
      const service = await this.#detail(r.service);
      if (service === null || service.loadState === 'not-found')
        return fail('no-such-unit', `${r.service} does not exist: create the service first.`);
      return ok(
        await this.installUnit([r.file], {
          summary: `Created ${r.file.name}`,
          enable: opts.enable ? [r.file.name] : [],
          start: opts.enable ? [r.file.name] : [],
        }),
      );
    } catch (err) {
      return { ok: false, error: toAppError(err) };
    }
  }

  #ownedPath(path: string | null): boolean {
    return path !== null && dirname(path) === this.unitDir;
  }

  async #isOwned(path: string | null): Promise<boolean> {
    if (!this.#ownedPath(path)) return false;
    const bytes = await readOrNull(path!);
    return bytes !== null && bytes.toString('utf8').startsWith(APP_MARKER);
  }

  /** The unit's files, whether the app owns it, and the form it was made from. */
  async definition(ref: string): Promise<Result<UnitDefinition>> {
    try {
      const unit = unitOf(ref);
      const d = await this.#detail(unit);
      if (d === null || (d.loadState === 'not-found' && d.fragmentPath === null))
        return fail('no-such-unit', `${unit} does not exist.`);
      const fragment =
        d.fragmentPath !== null
          ? ((await readOrNull(d.fragmentPath))?.toString('utf8') ?? null)
          : null;
      const dropIns: Array<{ path: string; text: string }> = [];
      for (const p of d.dropInPaths) {
        const t = await readOrNull(p);
        if (t !== null) dropIns.push({ path: p, text: t.toString('utf8') });
      }
      const ownedByApp = await this.#isOwned(d.fragmentPath);
      let form: ServiceForm | null = null;
      if (ownedByApp && fragment !== null && unit.endsWith('.service')) {
        const socketPath = join(this.unitDir, `${baseName(unit).replace(/@$/, '')}.socket`);
        const socketText =
          unit.includes('@.') || (await this.#isOwned(socketPath))
            ? ((await readOrNull(socketPath))?.toString('utf8') ?? null)
            : null;
        form = parseServiceUnit(unit, fragment, socketText);
      }
      return ok({
        unit,
        fragmentPath: d.fragmentPath,
        fragment,
        dropIns,
        ownedByApp,
        form,
        overridePath: join(this.unitDir, `${unit}.d`, 'override.conf'),
      });
    } catch (err) {
      return { ok: false, error: toAppError(err) };
    }
  }

  /** Where an edit as text goes, the effective unit before/after, and the verify result. */
  async #planEdit(
    ref: string,
    text: string,
  ): Promise<{ def: UnitDefinition; preview: EditPreview; verified: boolean }> {
    const r = await this.definition(ref);
    if (!r.ok) throw new AppFailure(r.error);
    const def = r.value;
    const mode = def.ownedByApp ? 'full' : 'drop-in';
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
      verified: verify.ok,
      preview: {
        path,
        mode,
        diff: unifiedDiff(before, after, `${def.unit} (now)`, `${def.unit} (after the edit)`),
        problems: verify.problems,
      },
    };
  }

  async previewEdit(ref: string, text: string): Promise<Result<EditPreview>> {
    try {
      return ok((await this.#planEdit(ref, text)).preview);
    } catch (err) {
      return { ok: false, error: toAppError(err) };
    }
  }

  /** Write files (null: remove) with a backup, then Reload. */
  async #writeWithBackup(
    summary: string,
    changes: Array<{ path: string; data: string | null }>,
  ): Promise<{ undo: UndoToken; paths: string[] }> {
    const paths = changes.map((c) => c.path);
    const txn = await this.backups.begin(summary, paths);
    let done = 0;
    try {
      for (const c of changes) {
        if (c.data === null) {
          await rm(c.path, { force: true });
          // A now-empty NAME.d goes too (rmdir refuses a directory that still holds files).
          if (basename(dirname(c.path)).endsWith('.d'))
            await rmdir(dirname(c.path)).catch(() => undefined);
        } else await writeFileAtomic(c.path, c.data);
        done++;
      }
    } catch (err) {
      // A write failed (a full disk, a read-only folder): put back what the earlier ones changed,
      // so the unit is as it was, and drop the backup.
      await this.#restore(txn, done).catch(() => undefined);
      await txn.abandon().catch(() => undefined);
      throw err;
    }
    const undo = await txn.finish();
    await this.reload();
    return { undo, paths };
  }

  /** Put back the first `count` files of a transaction from its backup. */
  async #restore(txn: BackupTxn, count: number): Promise<void> {
    for (const f of txn.files.slice(0, count)) {
      if (f.before === null) await rm(f.path, { force: true });
      else
        await writeFileAtomic(
          f.path,
          await this.backups.backupBytes(txn.id, f.before),
          f.mode ?? 0o644,
        );
    }
  }

  /** Save text: the whole file of an app-owned unit, else `override.conf` (as systemctl edit). */
  async editText(ref: string, text: string): Promise<Result<AuthoringOutcome>> {
    try {
      const lp = text.includes('\0') ? 'The text contains a NUL character.' : null;
      if (lp !== null) return fail('invalid-input', lp);
      const plan = await this.#planEdit(ref, text);
      if (!plan.verified)
        return fail(
          'invalid-input',
          `systemd refused the edit: ${plan.preview.problems[plan.preview.problems.length - 1] ?? 'verify failed'}`,
          plan.preview.problems.join('\n'),
        );
      const { undo, paths } = await this.#writeWithBackup(
        `Edited ${plan.def.unit}${plan.preview.mode === 'drop-in' ? ' (override)' : ''}`,
        [{ path: plan.preview.path, data: text }],
      );
      return ok({ paths, undo, steps: ['verified', 'written', 'reloaded'] });
    } catch (err) {
      return { ok: false, error: toAppError(err) };
    }
  }

  /** Save a form over a service the app created (same name). */
  async updateForm(ref: string, form: ServiceForm): Promise<Result<AuthoringOutcome>> {
    try {
      const def = await this.definition(ref);
      if (!def.ok) return def;
      if (!def.value.ownedByApp)
        return fail(
          'unsupported',
          `${def.value.unit} was not created by Daemon Deck: edit it as text (a drop-in override).`,
        );
      const resolved = await this.#resolved(form);
      const p = renderServiceUnit(resolved);
      if (p.issues.length > 0) return invalid(p.issues);
      if (serviceUnitName(resolved) !== def.value.unit)
        return fail(
          'invalid-input',
          `The name cannot change while editing ${def.value.unit}; create a new service instead.`,
        );
      const v = await this.verify(p.files);
      if (!v.ok)
        return fail(
          'invalid-input',
          `systemd refused the unit: ${v.problems[v.problems.length - 1] ?? 'verify failed'}`,
          v.problems.join('\n'),
        );
      const socketPath = join(this.unitDir, `${baseName(form.name)}.socket`);
      const changes: Array<{ path: string; data: string | null }> = p.files.map((f) => ({
        path: join(this.unitDir, f.name),
        data: f.text,
      }));
      if (form.socket === null && (await this.#isOwned(socketPath)))
        changes.push({ path: socketPath, data: null });
      const { undo, paths } = await this.#writeWithBackup(`Edited ${def.value.unit}`, changes);
      return ok({ paths, undo, steps: ['verified', 'written', 'reloaded'] });
    } catch (err) {
      return { ok: false, error: toAppError(err) };
    }
  }

  /** Remove the user's drop-ins (and a user copy overriding a vendor unit), as systemctl revert. */
  async revertToVendor(ref: string): Promise<Result<AuthoringOutcome>> {
    try {
      const unit = unitOf(ref);
      const dropDir = join(this.unitDir, `${unit}.d`);
      let names: string[] = [];
      try {
        names = (await readdir(dropDir)).filter((n) => n.endsWith('.conf'));
      } catch (err) {
        if ((err as { code?: unknown }).code !== 'ENOENT') throw err;
      }
      if (names.length === 0)
        return fail('conflict', `${unit} has no drop-in overrides of yours to remove.`);
      const { undo, paths } = await this.#writeWithBackup(
        `Reverted ${unit} to its vendor version`,
        names.map((n) => ({ path: join(dropDir, n), data: null })),
      );
      return ok({ paths, undo, steps: ['removed drop-ins', 'reloaded'] });
    } catch (err) {
      return { ok: false, error: toAppError(err) };
    }
  }

  /** Stop, disable and remove a unit the app created (with its socket and timer), then Reload. */
  async remove(ref: string): Promise<Result<AuthoringOutcome>> {
    try {
      const unit = unitOf(ref);
      const d = await this.#detail(unit);
      if (d === null || d.fragmentPath === null)
        return fail('no-such-unit', `${unit} does not exist.`);
      if (!(await this.#isOwned(d.fragmentPath)))
        return fail(
          'unsupported',
          `${unit} was not created by Daemon Deck, so it is not deleted here (disable it instead).`,
        );
      const base = baseName(unit).replace(/@$/, '');
      const family = [unit];
      for (const sib of [
        `${base}.socket`,
        `${base}.timer`,
        `${base}.service`,
        `${base}@.service`,
      ]) {
        if (sib !== unit && (await this.#isOwned(join(this.unitDir, sib)))) family.push(sib);
      }
      const steps: string[] = [];
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
        if (
          ud.activeState === 'active' ||
          ud.activeState === 'activating' ||
          ud.activeState === 'reloading'
        ) {
          await this.#act(u, 'stop');
          startAfter.unshift(u);
          steps.push(`stopped ${u}`);
        }
        if (ud.unitFileState === 'enabled') {
          await this.#act(u, 'disable');
          enableAfter.push(u);
          steps.push(`disabled ${u}`);
        }
      }
      const changes: Array<{ path: string; data: null }> = [];
      for (const u of family) {
        changes.push({ path: join(this.unitDir, u), data: null });
        const dropDir = join(this.unitDir, `${u}.d`);
        try {
          for (const n of await readdir(dropDir))
            changes.push({ path: join(dropDir, n), data: null });
        } catch (err) {
          if ((err as { code?: unknown }).code !== 'ENOENT') throw err;
        }
      }
      const txn = await this.backups.begin(
        `Deleted ${unit}`,
        changes.map((c) => c.path),
      );
      txn.enableAfter = enableAfter;
      txn.startAfter = startAfter;
      for (const c of changes) {
        await unlink(c.path).catch((err: unknown) => {
          if ((err as { code?: unknown }).code !== 'ENOENT') throw err;
        });
        if (basename(dirname(c.path)).endsWith('.d'))
          await rmdir(dirname(c.path)).catch(() => undefined);
      }
      const undo = await txn.finish();
      steps.push('removed');
      await this.reload();
      steps.push('reloaded');
      return ok({ paths: changes.map((c) => c.path), undo, steps });
    } catch (err) {
      return { ok: false, error: toAppError(err) };
    }
  }

  /** Put back the exact bytes an action replaced, then Reload (and re-enable/restart after a delete). */
  async undo(token: string): Promise<Result<{ paths: string[] }>> {
    try {
      const m = await this.backups.read(token);
      if (m === null)
        return fail(
          'invalid-input',
          'Nothing to undo: that change is unknown or was already undone.',
        );
      for (const f of m.files) {
        const now = sha256(await readOrNull(f.path));
        if (now !== f.afterHash)
          return fail(
            'conflict',
            `${f.path} changed after "${m.summary}", so Undo would lose that change; nothing was restored.`,
          );
      }
      for (const u of m.stopFirst) {
        const d = await this.#detail(u);
        if (d === null) continue;
        if (d.activeState !== 'inactive' && d.activeState !== 'failed') await this.#act(u, 'stop');
        if (d.unitFileState === 'enabled') await this.#act(u, 'disable');
      }
      for (const f of m.files) {
        if (f.before === null) {
          await rm(f.path, { force: true });
          if (basename(dirname(f.path)).endsWith('.d'))
            await rmdir(dirname(f.path)).catch(() => undefined);
        } else {
          await writeFileAtomic(
            f.path,
            await this.backups.backupBytes(m.id, f.before),
            f.mode ?? 0o644,
          );
        }
      }
      await this.reload();
      for (const u of m.enableAfter) await this.#act(u, 'enable');
      for (const u of m.startAfter) await this.#act(u, 'start');
      await this.backups.discard(m.id);
      return ok({ paths: m.files.map((f) => f.path) });
    } catch (err) {
      return { ok: false, error: toAppError(err) };
    }
  }
}

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
    const run = deps.run ?? runFile;
    this.authoring = new UnitAuthoring(deps);
    this.#units = deps.units;
    this.#logs = deps.logs ?? new LogReader({ env: deps.env, run });
    this.#timers = new TimerService(deps.bus, run, deps.env);
    this.#sampler = deps.sampler ?? new ResourceSampler();
  }

  preview = (form: ServiceForm) => this.authoring.preview(form);
  splitCommand = (line: string) => this.authoring.splitCommand(line);
  create = (form: ServiceForm, opts: { enable: boolean; start: boolean }) =>
    this.authoring.create(form, opts);
  definition = (ref: string) => this.authoring.definition(ref);
  previewEdit = (ref: string, text: string) => this.authoring.previewEdit(ref, text);
  updateForm = (ref: string, form: ServiceForm) => this.authoring.updateForm(ref, form);
  editText = (ref: string, text: string) => this.authoring.editText(ref, text);
  revertToVendor = (ref: string) => this.authoring.revertToVendor(ref);
  remove = (ref: string) => this.authoring.remove(ref);
  undo = (token: string) => this.authoring.undo(token);
  createTimer = (form: TimerForm, opts: { enable: boolean }) =>
    this.authoring.createTimer(form, opts);

  async logs(
    ref: string,
    opts: { lines?: number; afterCursor?: string },
  ): Promise<Result<LogsResult>> {
    try {
      const unit = unitOf(ref);
      const d = await this.#units.detail(unit);
      if (!d.ok) return d;
      const texts: string[] = [];
      for (const p of [d.value.fragmentPath, ...d.value.dropInPaths]) {
        if (p === null) continue;
        const t = await readOrNull(p);
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
      if (/[\0\n\r]/.test(expr)) return fail('invalid-input', 'A calendar time is one line.');
      const r = await this.#timers.preview(expr, count);
      return r.ok ? ok(r.times) : fail('invalid-input', r.message);
    } catch (err) {
      return { ok: false, error: toAppError(err) };
    }
  }
}
