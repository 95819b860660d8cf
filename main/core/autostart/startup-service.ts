// The startup area as one service: @reboot lines, autostart files, linger, "how does this start?"
// and the "Start this automatically" wizard's three ways. The startup channels map onto it (core/api).
//
// Relies on, for the systemd way: user units in $XDG_CONFIG_HOME/systemd/user, enabled ones linked
// from `*.wants/` folders there (what `systemctl --user enable` makes), read straight from disk so
// this needs no bus; creating one writes the unit atomically and runs `systemctl --user
// daemon-reload` then `enable --now` (argv only), against the session named by the environment.
import { basename, join } from 'node:path';
import type { Result } from '../model/domain.js';
import type {
  AutostartItem,
  AutostartState,
  CronChange,
  CronState,
  HowItStarts,
  LingerState,
  SelfAutostart,
  StarterRef,
  StartupSetupRequest,
  StartupSetupResult,
} from '../model/startup.js';
import { fail, ok, toAppError } from '../errors.js';
import { CronService, createCronSource } from '../cron/cron-service.js';
import { CrontabStore, type ExecResult } from '../cron/crontab-store.js';
import {
  moveToTimer,
  undoToTimer,
  type CronToTimerDeps,
  type CronToTimerOutcome,
} from '../cron/cron-to-timer.js';
import type { Host } from '../host/host.js';
import { createLocalHost } from '../host/local-host.js';
import type { ProcessLister } from '../cron/proc-list.js';
import type { PollingSource } from '../monitor/poll-timer.js';
import { AutostartService, createAutostartSource } from './autostart-service.js';
import { parseExecStart } from '../systemd/unit-file.js';
import {
  autostartStarterWords,
  cronStarterWords,
  howItStarts,
  serviceUnit,
  unitStarterWords,
  type Starter,
} from './how-it-starts.js';
import { Linger } from './linger.js';
import { t } from '../../../i18n/index.js';

export interface UnitStarter {
  unit: string;
  enabled: boolean;
  argv: string[] | null;
}

export interface StartupServiceOptions {
  cron: CronService;
  autostart: AutostartService;
  linger: Linger;
  /** The machine (its unit folder, systemctl); default this one, in `env`. */
  host?: Host;
  env?: NodeJS.ProcessEnv;
  /** User units and whether they are enabled; default: read from the user unit folder. */
  units?: () => UnitStarter[] | Promise<UnitStarter[]>;
  /** Run `systemctl --user ARGS`. */
  systemctl?: (args: string[]) => Promise<ExecResult>;
  /** Timer jobs and the unit undo, for "Move to a timer". */
  timers?: Omit<CronToTimerDeps, 'cron'>;
}

/** The user unit folder: $XDG_CONFIG_HOME/systemd/user. */
export function userUnitDir(host: Host): string {
  return join(host.xdg.config, 'systemd', 'user');
}

/** Enabled-ness from `*.wants/` links and ExecStart= from the unit file, for user units on disk. */
export async function readUserUnits(host: Host, dir: string): Promise<UnitStarter[]> {
  const names = await host.readdir(dir).catch(() => []);
  const enabled = new Set<string>();
  for (const n of names.filter((x) => x.endsWith('.wants') || x.endsWith('.requires')))
    for (const u of await host.readdir(join(dir, n)).catch(() => [])) enabled.add(u);
  const out: UnitStarter[] = [];
  for (const unit of names.filter((n) => n.endsWith('.service'))) {
    let argv: string[] | null;
    try {
      const text = (await host.readOrNull(join(dir, unit)))?.toString('utf8') ?? '';
      const exec = /^ExecStart=(.+)$/m.exec(text)?.[1];
      argv = exec ? parseExecStart(exec.trim(), { ignorePrefixes: true }) : null;
    } catch {
      argv = null; // unreadable: its command cannot be compared
    }
    out.push({ unit, enabled: enabled.has(unit), argv });
  }
  return out;
}

export class StartupService {
  private readonly cron: CronService;
  private readonly autostart: AutostartService;
  private readonly linger: Linger;
  private readonly host: Host;
  private readonly units: () => UnitStarter[] | Promise<UnitStarter[]>;
  private readonly systemctl: (args: string[]) => Promise<ExecResult>;
  /** Timer jobs, for "Move to a timer" (absent: it answers `unsupported`). */
  private readonly timers: Omit<CronToTimerDeps, 'cron'> | null;

  constructor(opts: StartupServiceOptions) {
    this.cron = opts.cron;
    this.timers = opts.timers ?? null;
    this.autostart = opts.autostart;
    this.linger = opts.linger;
    const host = opts.host ?? createLocalHost(opts.env ?? process.env);
    this.host = host;
    const dir = userUnitDir(host);
    this.units = opts.units ?? (() => readUserUnits(host, dir));
    this.systemctl =
      opts.systemctl ??
      ((args) => host.run(['systemctl', '--user', ...args], { timeoutMs: 30_000 }));
  }

  listCron = (): Promise<Result<CronState>> => this.cron.state();
  addCron = (argv: string[], opts: { log?: string | null; revision?: string }) =>
    this.cron.add(argv, opts);
  editCron = (key: string, argv: string[], opts: { log?: string | null; revision?: string }) =>
    this.cron.update(key, argv, opts);
  changeCron = (
    key: string,
    patch: { schedule?: string; argv?: string[]; log?: string | null },
    revision?: string,
  ) => this.cron.change(key, patch, revision);
  setCronEnabled = (
    key: string,
    enabled: boolean,
    revision?: string,
  ): Promise<Result<CronChange>> => this.cron.setEnabled(key, enabled, revision);
  removeCron = (key: string, revision?: string) => this.cron.remove(key, revision);
  runCronNow = (key: string) => this.cron.runNow(key);
  cronNextRuns = (key: string, count?: number) => this.cron.nextRuns(key, count);
  cronToTimer = (key: string, name?: string): Promise<Result<CronToTimerOutcome>> =>
    this.timers === null
      ? Promise.resolve(fail('unsupported', t('cron:toTimer.noTimers')))
      : moveToTimer({ cron: this.cron, ...this.timers }, key, name ? { name } : {});
  undoCronToTimer = (token: string) =>
    this.timers === null
      ? Promise.resolve(fail('unsupported', t('cron:toTimer.noTimers')))
      : undoToTimer({ cron: this.cron, ...this.timers }, token);
  undoCron = () => this.cron.undo();
  listAutostart = (): Promise<Result<AutostartState>> => this.autostart.list();
  addAutostart = (name: string, argv: string[], comment?: string): Promise<Result<AutostartItem>> =>
    this.autostart.add(name, argv, comment !== undefined ? { comment } : {});
  setAutostartEnabled = (file: string, enabled: boolean) =>
    this.autostart.setEnabled(file, enabled);
  removeAutostart = (file: string) => this.autostart.remove(file);
  setSelfAutostart = (enabled: boolean): Promise<Result<SelfAutostart>> =>
    this.autostart.setSelf(enabled);
  getLinger = (): Promise<Result<LingerState>> => this.linger.get();
  setLinger = (enabled: boolean) => this.linger.set(enabled);

  /** Everything that starts something, from all three mechanisms. */
  async starters(): Promise<Result<Starter[]>> {
    const cron = await this.cron.list();
    const auto = await this.autostart.list();
    const out: Starter[] = [];
    if (cron.ok)
      for (const j of cron.value.jobs)
        if (j.reboot)
          out.push({
            mechanism: 'cron',
            id: j.id,
            active: j.enabled,
            argv: j.argv,
            detail: cronStarterWords(j.line),
          });
    if (auto.ok)
      for (const i of auto.value.items)
        out.push({
          mechanism: 'xdg-autostart',
          id: i.id,
          active: i.effective,
          argv: i.argv,
          detail: autostartStarterWords(i.name, i.file),
        });
    for (const u of await this.units())
      out.push({
        mechanism: 'systemd',
        id: `systemd:${u.unit}`,
        active: u.enabled,
        argv: u.argv,
        detail: unitStarterWords(u.unit, u.enabled),
      });
    if (!cron.ok && cron.error.code !== 'unsupported') return cron;
    if (!auto.ok) return auto;
    return ok(out);
  }

  async howItStarts(target: { argv: string[] } | { id: string }): Promise<Result<HowItStarts>> {
    const all = await this.starters();
    if (!all.ok) return all;
    let argv: string[];
    if ('argv' in target) {
      argv = target.argv;
    } else {
      const s = all.value.find((x) => x.id === target.id);
      if (!s)
        return fail('invalid-input', `Nothing known as "${target.id}" starts at login or boot.`);
      if (!s.argv)
        return fail(
          'unsupported',
          `The command of ${target.id} is a shell line that cannot be compared.`,
        );
      argv = s.argv;
    }
    return ok(howItStarts(argv, all.value));
  }

  async setup(req: StartupSetupRequest): Promise<Result<StartupSetupResult>> {
    const prog = basename(req.argv[0] ?? 'command');
    const name = req.name ?? prog;
    let id: string;
    switch (req.mechanism) {
      case 'cron': {
        const r = await this.cron.add(req.argv, { log: req.log ?? null });
        if (!r.ok) return r;
        id = `cron:${r.value.key!}`;
        break;
      }
      case 'xdg-autostart': {
        const r = await this.autostart.add(name, req.argv);
        if (!r.ok) return r;
        id = r.value.id;
        break;
      }
      case 'systemd': {
        const r = await this.createUnit(name, req.argv);
        if (!r.ok) return r;
        id = `systemd:${r.value}`;
        if (req.linger) {
          const l = await this.linger.set(true);
          if (!l.ok) return l;
        }
        break;
      }
    }
    const moved: StarterRef[] = [];
    if (req.move === true) {
      const before = await this.howItStarts({ argv: req.argv });
      if (!before.ok) return before;
      for (const old of before.value.via.filter((v) => v.id !== id)) {
        const off = await this.setStarterEnabled(old, false);
        if (!off.ok) return off;
        moved.push(old);
      }
    }
    const how = await this.howItStarts({ argv: req.argv });
    if (!how.ok) return how;
    return ok({ mechanism: req.mechanism, id, how: how.value, moved });
  }

  /**
   * Turns one starter on or off without removing it: a crontab line is commented out, an
   * autostart entry gets Hidden=true, a user unit is disabled (it keeps running until it stops).
   */
  async setStarterEnabled(starter: StarterRef, enabled: boolean): Promise<Result<null>> {
    const name = starter.id.slice(starter.id.indexOf(':') + 1);
    switch (starter.mechanism) {
      case 'cron': {
        const r = await this.cron.setEnabled(name, enabled);
        return r.ok ? ok(null) : r;
      }
      case 'xdg-autostart': {
        const r = await this.autostart.setEnabled(name, enabled);
        return r.ok ? ok(null) : r;
      }
      case 'systemd': {
        const args = [enabled ? 'enable' : 'disable', name];
        const r = await this.systemctl(args).catch((err: unknown) => ({
          code: 127,
          stdout: '',
          stderr: String(err),
        }));
        return r.code === 0
          ? ok(null)
          : fail(
              'job-failed',
              `systemctl --user ${args.join(' ')}: ${r.stderr.trim().split('\n')[0] ?? ''}`,
              r.stderr,
            );
      }
    }
  }

  private async createUnit(name: string, argv: string[]): Promise<Result<string>> {
    if (!argv[0]?.startsWith('/'))
      return fail(
        'invalid-input',
        'A service needs the full path of the program (it starts with /).',
      );
    const slug =
      name
        .toLowerCase()
        .replace(/[^a-z0-9_.-]+/g, '-')
        .replace(/^[-.]+|-+$/g, '')
        .slice(0, 60) || 'command';
    const unit = `${slug}.service`;
    const path = join(userUnitDir(this.host), unit);
    try {
      // Created under the store lock; a unit already there is never replaced.
      await this.host.createFile(path, serviceUnit(argv, `${name} (set up by Daemon Deck)`));
    } catch (err) {
      const e = toAppError(err);
      return e.code === 'conflict'
        ? fail('conflict', `A user unit named ${unit} already exists; pick another name.`)
        : { ok: false, error: e };
    }
    for (const args of [['daemon-reload'], ['enable', '--now', unit]]) {
      const r = await this.systemctl(args).catch((err: unknown) => ({
        code: 127,
        stdout: '',
        stderr: String(err),
      }));
      if (r.code !== 0) {
        // Leave nothing half-installed: the unit file goes again (best effort reload after).
        await this.host.remove(path).catch(() => undefined);
        await this.systemctl(['daemon-reload']).catch(() => undefined);
        return fail(
          'job-failed',
          `systemctl --user ${args.join(' ')} failed: ${r.stderr.trim().split('\n')[0] ?? ''}`,
          r.stderr,
        );
      }
    }
    return ok(unit);
  }
}

export interface StartupWiring {
  service: StartupService;
  cron: CronService;
  autostart: AutostartService;
  linger: Linger;
  /** Entry sources for the monitor: `cron:KEY` and `autostart:FILE`; their polls can be re-timed. */
  sources: PollingSource[];
}

/** Everything of the startup area with production defaults; tests and the CLI override pieces. */
export function createStartup(
  opts: {
    /** The machine; default this one, in `env`. */
    host?: Host;
    env?: NodeJS.ProcessEnv;
    /** argv prefix for crontab(1). */
    crontab?: string[];
    /** The spool folder that crontab(1) installs into (CrontabStoreOptions.spool). */
    crontabSpool?: string;
    /** The command that starts the app itself (for "Start Daemon Deck at login"). */
    selfCommand?: string[];
    pollMs?: number;
    /** Who runs what: the app shares its process poll's table instead of a scan of its own. */
    processes?: ProcessLister;
    /** Timer jobs and the unit undo, for "Move to a timer". */
    timers?: Omit<CronToTimerDeps, 'cron'>;
  } = {},
): StartupWiring {
  const host = opts.host ?? createLocalHost(opts.env ?? process.env);
  const processes = opts.processes ? { processes: opts.processes } : {};
  const cron = new CronService({
    store: new CrontabStore({
      host,
      ...(opts.crontab ? { crontab: opts.crontab } : {}),
      ...(opts.crontabSpool !== undefined ? { spool: opts.crontabSpool } : {}),
    }),
    host,
    ...processes,
  });
  const autostart = new AutostartService({
    host,
    ...(opts.selfCommand ? { selfCommand: opts.selfCommand } : {}),
    ...processes,
  });
  const linger = new Linger({ host });
  const service = new StartupService({
    cron,
    autostart,
    linger,
    host,
    ...(opts.timers ? { timers: opts.timers } : {}),
  });
  const poll = opts.pollMs !== undefined ? { pollMs: opts.pollMs } : {};
  return {
    service,
    cron,
    autostart,
    linger,
    sources: [createCronSource(cron, poll), createAutostartSource(autostart, poll)],
  };
}
