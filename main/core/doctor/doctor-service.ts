// "Will it start?" as one service: the check (facts read, then pure rules), the fixes the app can
// make (each through the core's own services: systemctl through the Host, Linger, the autostart
// and cron services), a rehearsal of one entry, the startup timing, and the user's own word on
// which programs are GUI programs (kept in the settings file under one key).
//
// The check only reads. Fixes run only when asked; a rehearsal runs one entry only when asked and
// stops again what it started.
import { join } from 'node:path';
import { t } from '../../../i18n/index.js';
import type { ActionOutcome, EntryAction, Result } from '../model/domain.js';
import type {
  DoctorAction,
  DoctorEntry,
  DoctorReport,
  GuiMark,
  Rehearsal,
  StartupTiming,
} from '../model/doctor.js';
import { fail, ok, toAppError } from '../errors.js';
import type { Host } from '../host/host.js';
import type { KeyValueBackend } from '../settings/settings.js';
import type { StartupWiring } from '../autostart/startup-service.js';
import { userUnitDir } from '../autostart/startup-service.js';
import { parseExec } from '../autostart/desktop-entry.js';
import { DesktopEntry } from '../autostart/desktop-entry.js';
import { cronEnvironment } from '../cron/cron-service.js';
import { cronSplit } from '../cron/cron-command.js';
import { homeDir } from '../xdg.js';
import { parseShow } from './facts.js';
import { FactsReader, type FactsReaderOptions } from './read-facts.js';
import { checkAll } from './rules.js';
import { processOutcome, unitOutcome, watchLocal, type ProcessWatcher } from './rehearse.js';
import { startupTiming } from './timing.js';
import { RobustBus, type Bus } from '../systemd/bus.js';
import { listUnits, userSystemctl } from './systemctl.js';
import { REHEARSAL_KEYS } from './messages.js';

export const GUI_MARKS_KEY = 'doctor.guiMarks';
export const DEFAULT_WATCH_MS = 4000;

export interface DoctorOptions {
  host: Host;
  startup: Pick<StartupWiring, 'cron' | 'autostart' | 'linger'> | null;
  /** Where the GUI marks live (the settings file); absent: kept in memory. */
  backend?: KeyValueBackend;
  /** The monitor's act, when the app runs one (a restart then shows at once); else systemctl. */
  act?: (id: string, action: EntryAction) => Promise<Result<ActionOutcome>>;
  /** Runs a program for a rehearsal; default this machine. */
  watch?: ProcessWatcher;
  /**
   * The session bus systemd is asked on: the app's own connection. Without one the service opens
   * a connection of its own on the host's session bus at the first check (close() ends it).
   */
  bus?: Bus;
  /** Reader options tests set (cron's boot state, cron.allow/deny). */
  reader?: Pick<FactsReaderOptions, 'cronAtBoot' | 'cronAccessFiles' | 'user'>;
  now?: () => number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class DoctorService {
  private readonly host: Host;
  private readonly opts: DoctorOptions;
  private readonly reader: FactsReader;
  private memoryMarks: Record<string, boolean> = {};
  /** The connection this service opened itself (no bus was given). */
  private ownBus: Promise<RobustBus> | null = null;

  constructor(opts: DoctorOptions) {
    this.host = opts.host;
    this.opts = opts;
    this.reader = new FactsReader({
      host: opts.host,
      bus: () => this.bus(),
      cron: opts.startup?.cron ?? null,
      autostart: opts.startup?.autostart ?? null,
      linger: opts.startup?.linger ?? null,
      marks: () => new Map(Object.entries(this.markRecord())),
      ...opts.reader,
    });
  }

  /** The bus to ask systemd on, or null when there is none up. */
  private async bus(): Promise<Bus | null> {
    if (this.opts.bus !== undefined) return this.opts.bus.state === 'up' ? this.opts.bus : null;
    this.ownBus ??= (async () => {
      // Another host brings its own way to its bus (Host.openBus); this one is at an address.
      const open = this.host.openBus;
      const bus = new RobustBus({
        address: this.host.sessionBusAddress(),
        ...(open !== undefined ? { open } : {}),
      });
      await bus.start();
      return bus;
    })();
    const bus = await this.ownBus;
    return bus.state === 'up' ? bus : null;
  }

  /** Ends the connection this service opened itself, if any. */
  async close(): Promise<void> {
    this.reader.close();
    const own = this.ownBus;
    this.ownBus = null;
    (await own)?.close();
  }

  /** Forget the facts kept from earlier checks (each kept fact also checks itself). */
  invalidate(): void {
    this.reader.forget();
  }

  private markRecord(): Record<string, boolean> {
    const raw = this.opts.backend?.get(GUI_MARKS_KEY) ?? this.memoryMarks;
    if (raw === null || typeof raw !== 'object') return {};
    return Object.fromEntries(
      Object.entries(raw as Record<string, unknown>).filter(
        (e): e is [string, boolean] => typeof e[1] === 'boolean',
      ),
    );
  }

  marks(): Result<GuiMark[]> {
    return ok(Object.entries(this.markRecord()).map(([program, gui]) => ({ program, gui })));
  }

  /** Mark a program as a GUI program or not; null forgets the mark (the guess decides again). */
  mark(program: string, gui: boolean | null): Result<GuiMark[]> {
    try {
      const next = { ...this.markRecord() };
      if (gui === null) delete next[program];
      else next[program] = gui;
      if (this.opts.backend) this.opts.backend.set(GUI_MARKS_KEY, next);
      else this.memoryMarks = next;
      return this.marks();
    } catch (err) {
      return { ok: false, error: toAppError(err) };
    }
  }

  private systemctl(args: string[]) {
    return userSystemctl(this.host, args);
  }

  private async systemctlOk(args: string[]): Promise<Result<null>> {
    const r = await this.systemctl(args);
    if (r.code === 0) return ok(null);
    return fail(
      'job-failed',
      t('doctor:error.systemctl', {
        args: args.join(' '),
        why: r.stderr.trim().split('\n')[0] ?? '',
      }),
      r.stderr,
    );
  }

  /** Everything set to start (no id), or one entry. Reads only. */
  async check(id?: string): Promise<Result<DoctorReport>> {
    const started = (this.opts.now ?? Date.now)();
    try {
      const facts = await this.reader.read(id === undefined ? { all: true } : { id: id });
      const entries: DoctorEntry[] = [
        ...facts.units.map((u): DoctorEntry => ({ id: u.id, mechanism: 'systemd', name: u.unit })),
        ...(facts.cron?.lines ?? []).map((l): DoctorEntry => ({
          id: l.id,
          mechanism: 'cron',
          name: l.command,
        })),
        ...facts.autostart.map((a): DoctorEntry => ({
          id: a.id,
          mechanism: 'xdg-autostart',
          name: a.name,
        })),
      ];
      // Across mechanisms, one entry's group may be large (many starters of one command): only its
      // own findings are worked out.
      let findings = checkAll(facts, id);
      if (id !== undefined) findings = findings.filter((f) => f.entry === id);
      return ok({
        entries,
        findings,
        checkedAt: new Date(started).toISOString(),
        tookMs: (this.opts.now ?? Date.now)() - started,
        unavailable: facts.unavailable,
      });
    } catch (err) {
      return { ok: false, error: toAppError(err) };
    }
  }

  /** Make a fix the check offered. */
  async fix(action: DoctorAction): Promise<Result<null>> {
    try {
      switch (action.kind) {
        case 'daemon-reload':
          return await this.systemctlOk(['daemon-reload']);
        case 'unmask':
          return await this.systemctlOk(['unmask', '--', action.unit]);
        case 'restart': {
          if (this.opts.act) {
            const r = await this.opts.act(action.id, 'restart');
            return r.ok ? ok(null) : r;
          }
          const unit = action.id.replace(/^systemd:/, '');
          const reset = await this.systemctlOk(['reset-failed', '--', unit]);
          if (!reset.ok) return reset;
          return await this.systemctlOk(['restart', '--', unit]);
        }
        case 'remove-broken-link':
          return await this.removeBrokenLink(action.unit);
        case 'enable-linger': {
          const linger = this.opts.startup?.linger;
          if (!linger) return fail('unsupported', t('doctor:error.no-startup'));
          const r = await linger.set(true);
          return r.ok ? ok(null) : r;
        }
        case 'autostart-enable': {
          const a = this.opts.startup?.autostart;
          if (!a) return fail('unsupported', t('doctor:error.no-startup'));
          const r = await a.setEnabled(action.file, true);
          return r.ok ? ok(null) : r;
        }
        case 'cron-full-path': {
          const cron = this.opts.startup?.cron;
          if (!cron) return fail('unsupported', t('doctor:error.no-startup'));
          const state = await cron.list();
          if (!state.ok) return state;
          const job = state.value.jobs.find((j) => j.key === action.key);
          if (!job)
            return fail('invalid-input', t('doctor:error.no-entry', { id: `cron:${action.key}` }));
          const r = await cron.update(action.key, action.argv, {
            log: job.log,
            revision: state.value.revision,
          });
          return r.ok ? ok(null) : r;
        }
      }
    } catch (err) {
      return { ok: false, error: toAppError(err) };
    }
  }

  /** A link in the user unit folder to a file that is gone, and the links that enable it. */
  private async removeBrokenLink(unit: string): Promise<Result<null>> {
    if (unit.includes('/') || unit.startsWith('.'))
      return fail('invalid-input', t('doctor:error.no-entry', { id: unit }));
    const dir = userUnitDir(this.host);
    const path = join(dir, unit);
    const st = await this.host.stat(path);
    if (st?.kind === 'link' && (await this.host.readOrNull(path).catch(() => null)) !== null)
      return fail('conflict', t('doctor:error.link-not-broken', { unit }));
    if (st !== null && st.kind !== 'link')
      return fail('conflict', t('doctor:error.link-not-broken', { unit }));
    for (const n of await this.host.readdir(dir))
      if (/\.(wants|requires)$/.test(n) && (await this.host.stat(join(dir, n, unit))) !== null)
        await this.host.remove(join(dir, n, unit));
    if (st !== null) await this.host.remove(path);
    return this.systemctlOk(['daemon-reload']);
  }

  /** Run one entry now as at login or boot, watch it, and stop what was started. */
  async rehearse(id: string, watchMs = DEFAULT_WATCH_MS): Promise<Result<Rehearsal>> {
    try {
      if (id.startsWith('systemd:')) return await this.rehearseUnit(id, watchMs);
      if (id.startsWith('cron:')) return await this.rehearseCron(id, watchMs);
      if (id.startsWith('autostart:')) return await this.rehearseAutostart(id, watchMs);
      return fail('invalid-input', t('doctor:error.cannot-rehearse', { id }));
    } catch (err) {
      return { ok: false, error: toAppError(err) };
    }
  }

  private summary(r: Omit<Rehearsal, 'summary'>): Rehearsal {
    const seconds = Math.round(r.watchedMs / 100) / 10;
    const how = r.signal ?? String(r.exitCode ?? '');
    return { ...r, summary: t(REHEARSAL_KEYS[r.outcome], { seconds, how }) };
  }

  private async rehearseUnit(id: string, watchMs: number): Promise<Result<Rehearsal>> {
    const unit = id.slice('systemd:'.length);
    const props = ['Id', 'ActiveState', 'SubState', 'Result', 'ExecMainStatus', 'ExecMainCode'];
    const show = async () => {
      const r = await this.systemctl(['show', '-p', props.join(','), '--', unit]);
      return parseShow(r.stdout)[0] ?? {};
    };
    const before = await show();
    if (before.ActiveState === 'active' || before.ActiveState === 'activating')
      return fail('conflict', t('doctor:error.already-running', { unit }));
    await this.systemctl(['reset-failed', '--', unit]);
    const start = await this.systemctl(['start', '--no-block', '--', unit]);
    if (start.code !== 0)
      return ok(
        this.summary({
          id,
          mechanism: 'systemd',
          argv: null,
          outcome: 'not-started',
          cameUp: false,
          stayedUp: false,
          exitCode: null,
          signal: null,
          output: start.stderr.trim(),
          watchedMs: 0,
        }),
      );
    const began = Date.now();
    let seenUp = false;
    let last = await show();
    while (Date.now() - began < watchMs) {
      last = await show();
      if (last.ActiveState === 'activating' || last.ActiveState === 'active') seenUp = true;
      if (last.ActiveState === 'failed' || (last.ActiveState === 'inactive' && seenUp)) break;
      await sleep(150);
    }
    const watchedMs = Date.now() - began;
    const o = unitOutcome(last, seenUp);
    const logs = await this.systemctl(['status', '--no-pager', '--lines=20', '--', unit]);
    // Leave it as it was: stopped.
    if (o.stayedUp) await this.systemctl(['stop', '--no-block', '--', unit]);
    return ok(
      this.summary({
        id,
        mechanism: 'systemd',
        argv: null,
        ...o,
        output: logs.stdout.trim(),
        watchedMs,
      }),
    );
  }

  private async rehearseCron(id: string, watchMs: number): Promise<Result<Rehearsal>> {
    const cron = this.opts.startup?.cron;
    if (!cron) return fail('unsupported', t('doctor:error.no-startup'));
    const state = await cron.list();
    if (!state.ok) return state;
    const job = state.value.jobs.find((j) => j.id === id);
    if (!job) return fail('invalid-input', t('doctor:error.no-entry', { id }));
    const { shell, stdin } = cronSplit(job.command);
    const env = cronEnvironment(
      this.host.env,
      Object.fromEntries(state.value.env.map((e) => [e.name, e.value])),
    );
    const home = homeDir(this.host.env);
    const cwd = (await this.host.stat(home))?.kind === 'dir' ? home : '/';
    const run = await (this.opts.watch ?? watchLocal)(['/bin/sh', '-c', shell], {
      env,
      cwd,
      input: stdin,
      watchMs,
    });
    return ok(
      this.summary({
        id,
        mechanism: 'cron',
        argv: job.argv,
        ...processOutcome(run),
        output: run.output,
        watchedMs: watchMs,
      }),
    );
  }

  private async rehearseAutostart(id: string, watchMs: number): Promise<Result<Rehearsal>> {
    const a = this.opts.startup?.autostart;
    if (!a) return fail('unsupported', t('doctor:error.no-startup'));
    const state = await a.list();
    if (!state.ok) return state;
    const item = state.value.items.find((i) => i.id === id);
    if (!item) return fail('invalid-input', t('doctor:error.no-entry', { id }));
    const entry = DesktopEntry.parse((await this.host.readFile(item.path)).toString('utf8'));
    const argv = parseExec(entry.get('Exec') ?? '');
    if (argv === null || argv.length === 0)
      return fail('unsupported', t('doctor:error.cannot-rehearse', { id }));
    const home = homeDir(this.host.env);
    const dir = entry.get('Path') || home;
    const cwd = (await this.host.stat(dir))?.kind === 'dir' ? dir : '/';
    const run = await (this.opts.watch ?? watchLocal)(argv, {
      env: this.host.env,
      cwd,
      input: null,
      watchMs,
    });
    return ok(
      this.summary({
        id,
        mechanism: 'xdg-autostart',
        argv,
        ...processOutcome(run),
        output: run.output,
        watchedMs: watchMs,
      }),
    );
  }

  /** How long each unit took to start, slowest first, and from login to the last. */
  async timing(): Promise<Result<StartupTiming>> {
    try {
      const list = await listUnits(this.host);
      if (list.code !== 0)
        return fail('bus-unavailable', t('doctor:error.no-manager'), list.stderr);
      const units = list.stdout
        .split('\n')
        .map((l) => l.trim().split(/\s+/)[0] ?? '')
        .filter((u) => u !== '' && !u.endsWith('.device'));
      const props = 'Id,InactiveExitTimestampMonotonic,ActiveEnterTimestampMonotonic';
      const [shown, manager] = await Promise.all([
        units.length > 0 ? this.systemctl(['show', '-p', props, '--', ...units]) : null,
        this.systemctl(['show', '-p', 'UserspaceTimestampMonotonic,FinishTimestampMonotonic']),
      ]);
      return ok(startupTiming(parseShow(shown?.stdout ?? ''), parseShow(manager.stdout)[0] ?? {}));
    } catch (err) {
      return { ok: false, error: toAppError(err) };
    }
  }
}
