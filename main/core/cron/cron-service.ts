// @reboot entries and the rest of the crontab, as the app shows and edits them.
//
// Relies on the CrontabStore (crontab -l / crontab -, re-read and compare) and on /proc. What cron
// does that users trip over, and this module tells them (PLATFORM-NOTES, crontab(5)):
// - @reboot jobs run only when the cron daemon starts (at boot, if cron is enabled then), with
//   PATH=/usr/bin:/bin, SHELL=/bin/sh and no DISPLAY, session bus or XDG_RUNTIME_DIR;
// - a relative program name is looked up in that short PATH only, and a relative file argument is
//   relative to $HOME;
// - an unescaped `%` ends the command; the rest becomes the job's stdin.
// "Run now" reproduces that: /bin/sh -c with the command as cron would pass it, cron's
// environment plus the crontab's own NAME=value lines, detached, cwd $HOME.
import { userInfo } from 'node:os';
import { isDeepStrictEqual } from 'node:util';
import type { ActionOutcome, Entry, EntryAction, Result, SourceStatus } from '../model/domain.js';
import type { CronChange, CronJob, CronState, StartupNotice } from '../model/startup.js';
import { fail, ok, toAppError } from '../errors.js';
import { t } from '../../../i18n/index.js';
import type { Host } from '../host/host.js';
import { createLocalHost } from '../host/local-host.js';
import { createPollTimer, type PollingSource } from '../monitor/poll-timer.js';
import { homeDir } from '../xdg.js';
import { cronArgv, cronCommand, cronSplit } from './cron-command.js';
import { nextRun, nextRuns, parseSchedule } from './cron-schedule.js';
import {
  CrontabDocument,
  CrontabEditError,
  DISABLED_MARKER,
  fnv1a,
  parseJob,
  type JobLine,
  type JobSchedule,
} from './crontab-document.js';
import type { CrontabStore } from './crontab-store.js';
import { listProcesses, RunningIndex, type ProcessLister } from './proc-list.js';

export interface CronServiceOptions {
  store: CrontabStore;
  /** The machine the jobs run on; default this one, in `env`. */
  host?: Host;
  env?: NodeJS.ProcessEnv;
  processes?: ProcessLister;
  now?: () => Date;
  /** Whether cron starts at boot: true, false, or null when it cannot be told. */
  cronAtBoot?: () => boolean | null | Promise<boolean | null>;
}

/** Programs that need a display or the session bus, so fail or misbehave from @reboot. */
const GUI_HINTS =
  /(^|\/)(notify-send|xdg-open|zenity|kdialog|xterm|gnome-[\w-]+|kde[\w-]*|firefox|chromium|google-chrome|code|electron|xrandr|xset|xdotool|gsettings|dbus-send|gdbus|pactl|paplay|spotify|slack|discord|telegram-desktop|nextcloud|dropbox|syncthing-gtk|keepassxc|copyq|flameshot|redshift|conky|plank|nm-applet)$/;

/** Whether cron starts at boot on `host`: true, false, or null when it cannot be told. */
export async function defaultCronAtBoot(host: Host): Promise<boolean | null> {
  const wants = [
    '/etc/systemd/system/multi-user.target.wants/cron.service',
    '/etc/systemd/system/multi-user.target.wants/crond.service',
    '/etc/systemd/system/multi-user.target.wants/cronie.service',
  ];
  for (const w of wants) if ((await host.stat(w)) !== null) return true;
  // No SysV runlevel folders: systemd decides.
  if ((await host.readdir('/etc/rc2.d').catch(() => [])).some((n) => /^S\d*cron/.test(n)))
    return true;
  if ((await host.stat('/run/systemd/system')) !== null) return false;
  return null;
}

export function jobNotices(job: Pick<CronJob, 'reboot' | 'argv' | 'command'>): StartupNotice[] {
  const out: StartupNotice[] = [];
  const { stdin } = cronSplit(job.command);
  if (stdin !== null)
    out.push({
      code: 'stdin-in-command',
      severity: 'warning',
      message: t('errors:cron.stdin'),
    });
  if (job.argv === null) {
    if (stdin === null)
      out.push({
        code: 'unparsed-command',
        severity: 'info',
        message: t('errors:cron.unparsed'),
      });
  } else {
    const prog = job.argv[0]!;
    if (!prog.startsWith('/'))
      out.push({
        code: 'relative-path',
        severity: 'warning',
        message: t('errors:cron.relativeProgram', { program: prog }),
      });
    for (const a of job.argv.slice(1))
      if (/^\.\.?\//.test(a)) {
        out.push({
          code: 'relative-path',
          severity: 'warning',
          message: t('errors:cron.relativeArgument', { argument: a }),
        });
        break;
      }
  }
  const words = job.argv ?? job.command.split(/\s+/);
  if (job.reboot && words.some((w) => GUI_HINTS.test(w)))
    out.push({
      code: 'no-display',
      severity: 'warning',
      message: t('errors:cron.noDisplay'),
    });
  return out;
}

/** The environment cron gives a job: its own few variables, then the crontab's NAME=value lines. */
export function cronEnvironment(
  env: NodeJS.ProcessEnv,
  crontabEnv: Record<string, string>,
): NodeJS.ProcessEnv {
  const user = env.USER ?? env.LOGNAME ?? userInfo().username;
  return {
    PATH: '/usr/bin:/bin',
    SHELL: '/bin/sh',
    HOME: homeDir(env),
    LOGNAME: user,
    USER: user,
    ...crontabEnv,
  };
}

/** Per crontab line: what depends on the line alone, its next run, and its last CronJob. */
interface LineCache {
  parsed: ReturnType<typeof cronArgv>;
  shell: string;
  stdin: string | null;
  reboot: boolean;
  enabled: boolean;
  notices: StartupNotice[];
  /** ms since the epoch; undefined until computed; null when it never runs (or is @reboot or disabled). */
  next: number | null | undefined;
  nextIso: string | null;
  /** When `next` was worked out. */
  nextFrom: number;
  job: CronJob | null;
}

/** A schedule as typed (`@daily`, `0 9 * * 1-5`), or null when it is not one. */
export function scheduleOf(text: string): JobSchedule | null {
  const job = parseJob(`${text.trim()} x`);
  return job !== null && job.command === 'x' ? job.schedule : null;
}

/** 1-based numbers of the lines that are none of blank, comment, environment or job. */
function unreadableLines(doc: CrontabDocument): number[] {
  return doc.lines.flatMap((l, i) => (l.kind === 'unknown' ? [i + 1] : []));
}

export class CronService {
  readonly store: CrontabStore;
  private readonly env: NodeJS.ProcessEnv;
  private readonly processes: ProcessLister;
  private readonly now: () => Date;
  private readonly host: Host;
  private readonly cronAtBoot: () => boolean | null | Promise<boolean | null>;
  /** What cronAtBoot said at the last list(). */
  private atBoot: boolean | null = null;
  private readonly listeners = new Set<() => void>();
  private last: Result<CronState> | null = null;
  /** The last crontab text read, its document and what was worked out per line. */
  private parsed: { text: string; doc: CrontabDocument; lines: Map<JobLine, LineCache> } | null =
    null;

  constructor(opts: CronServiceOptions) {
    this.store = opts.store;
    this.host = opts.host ?? createLocalHost(opts.env ?? process.env);
    this.env = opts.env ?? this.host.env;
    this.processes = opts.processes ?? listProcesses;
    this.now = opts.now ?? (() => new Date());
    this.cronAtBoot = opts.cronAtBoot ?? (() => defaultCronAtBoot(this.host));
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The state from the last list() or change, without reading again. */
  cached(): Result<CronState> | null {
    return this.last;
  }

  private changed(state: Result<CronState>): void {
    const before = this.last;
    this.last = state;
    // Structural, with an early exit: two JSON strings of a large crontab's state were megabytes.
    if (!isDeepStrictEqual(before, state)) for (const l of this.listeners) l();
  }

  /**
   * Read the crontab and describe it. `reuse`: take the last text read while cron's spool says
   * nothing was installed since (CrontabStore.readCached; the processes are looked at anew).
   */
  async list(opts: { reuse?: boolean } = {}): Promise<Result<CronState>> {
    const text = await (opts.reuse === true ? this.store.readCached() : this.store.read());
    // Asked only while there is an @reboot line to warn about.
    if (text.ok && text.value.includes('@reboot')) this.atBoot = await this.cronAtBoot();
    if (!text.ok) {
      const state: Result<CronState> =
        text.error.code === 'unsupported'
          ? ok(this.describe('', false))
          : { ok: false, error: text.error };
      this.changed(state);
      return state;
    }
    const state = ok(this.describe(text.value, true));
    this.changed(state);
    return state;
  }

  private describe(text: string, installed: boolean): CronState {
    // The same text as last time (the usual 30 s refresh): the same document and line data.
    if (this.parsed?.text !== text)
      this.parsed = { text, doc: CrontabDocument.parse(text), lines: new Map() };
    const { doc, lines } = this.parsed;
    const procs = this.processes();
    const cronRuns = procs.some((p) => p.comm === 'cron' || p.comm === 'crond');
    const now = this.now();
    const running = new RunningIndex(procs);
    const jobs = doc.jobs().map((l) => this.job(l, running, now, lines));
    const notices: StartupNotice[] = [];
    if (!installed)
      notices.push({
        code: 'cron-not-installed',
        severity: 'warning',
        message: t('errors:cron.notInstalled'),
      });
    else if (!cronRuns)
      notices.push({
        code: 'cron-not-running',
        severity: 'warning',
        message: t('errors:cron.notRunning'),
      });
    const unreadable = unreadableLines(doc);
    if (unreadable.length > 0) {
      const one = unreadable.length === 1;
      const list = unreadable.slice(0, 5).join(', ') + (unreadable.length > 5 ? ', ...' : '');
      notices.push({
        code: 'unreadable-lines',
        severity: 'warning',
        message: one
          ? t('errors:cron.unreadableLine', { list })
          : t('errors:cron.unreadableLines', { list }),
      });
    }
    if (installed && jobs.some((j) => j.reboot)) {
      notices.push({
        code: 'reboot-only-at-cron-start',
        severity: 'info',
        message: t('errors:cron.rebootOnce'),
      });
      if (this.atBoot === false)
        notices.push({
          code: 'cron-not-at-boot',
          severity: 'warning',
          message: t('errors:cron.notAtBoot'),
        });
    }
    return {
      revision: fnv1a(text),
      installed,
      running: cronRuns,
      jobs,
      env: doc.lines.flatMap((l) => (l.env ? [l.env] : [])),
      notices,
      backups: [],
    };
  }

  /**
   * One line as a CronJob. What depends on the line alone is worked out once per line; the next
   * run is kept until it passes; a job whose pids and next run did not change is the same object
   * as last time (a large crontab's refresh then builds almost nothing).
   */
  private job(
    l: JobLine,
    running: RunningIndex,
    now: Date,
    lines: Map<JobLine, LineCache>,
  ): CronJob {
    let c = lines.get(l);
    if (c === undefined) {
      const parsed = cronArgv(l.command);
      const reboot = l.schedule.special === 'reboot';
      const { shell, stdin } = cronSplit(l.command);
      c = {
        parsed,
        shell,
        stdin,
        reboot,
        enabled: l.kind === 'job',
        notices: jobNotices({ reboot, argv: parsed?.argv ?? null, command: l.command }),
        next: undefined,
        nextIso: null,
        nextFrom: 0,
        job: null,
      };
      lines.set(l, c);
    }
    const pids =
      c.enabled || c.reboot
        ? running.pids(c.parsed?.argv ?? null, c.stdin === null ? c.shell : null)
        : [];
    // The next run stays the next run until it is reached (nextRun starts at the next minute);
    // a clock that went back asks again.
    const t = now.getTime();
    if (!c.enabled || c.reboot) c.next = null;
    else if (c.next === undefined || t < c.nextFrom || (c.next !== null && c.next <= t)) {
      const at = nextRun(l.schedule, now);
      c.next = at?.getTime() ?? null;
      c.nextIso = at?.toISOString() ?? null;
      c.nextFrom = t;
    }
    const next = c.next === null ? null : c.nextIso;
    const prev = c.job;
    if (
      prev !== null &&
      prev.nextRun === next &&
      prev.pids.length === pids.length &&
      prev.pids.every((p, i) => p === pids[i])
    )
      return prev;
    c.job = {
      key: l.key,
      id: `cron:${l.key}`,
      line: c.enabled ? l.raw : l.raw.slice(DISABLED_MARKER.length),
      schedule: l.schedule.text,
      reboot: c.reboot,
      enabled: c.enabled,
      command: l.command,
      argv: c.parsed?.argv ?? null,
      log: c.parsed?.log ?? null,
      pids,
      nextRun: next,
      notices: c.notices,
    };
    return c.job;
  }

  private async withBackups(state: CronState): Promise<CronState> {
    const backups = await this.store.backups();
    return {
      ...state,
      backups: backups.map(({ id, createdAt, reason }) => ({ id, createdAt, reason })),
    };
  }

  async state(): Promise<Result<CronState>> {
    const s = await this.list();
    if (!s.ok) return s;
    return ok(await this.withBackups(s.value));
  }

  /**
   * Read, check the caller's revision, edit, and commit (re-read and compare inside), holding the
   * crontab's store lock from the read to the install: Daemon Deck's processes take turns.
   */
  private async edit(
    reason: string,
    revision: string | undefined,
    op: (doc: CrontabDocument) => { doc: CrontabDocument; key: string | null },
  ): Promise<Result<CronChange>> {
    let result: Result<{ key: string | null }>;
    try {
      result = await this.store.locked(() => this.editLocked(reason, revision, op));
    } catch (err) {
      return { ok: false, error: toAppError(err) };
    }
    if (!result.ok) return result;
    const state = await this.state();
    if (!state.ok) return state;
    return ok({ key: result.value.key, state: state.value });
  }

  private async editLocked(
    reason: string,
    revision: string | undefined,
    op: (doc: CrontabDocument) => { doc: CrontabDocument; key: string | null },
  ): Promise<Result<{ key: string | null }>> {
    const text = await this.store.read();
    if (!text.ok) return text;
    if (revision !== undefined && revision !== fnv1a(text.value))
      return fail('conflict', t('errors:cron.changedSinceShown'));
    let result: { doc: CrontabDocument; key: string | null };
    try {
      result = op(CrontabDocument.parse(text.value));
    } catch (err) {
      if (err instanceof CrontabEditError) return fail('invalid-input', err.message);
      if (err instanceof Error) return fail('invalid-input', err.message);
      throw err;
    }
    const next = result.doc.toString();
    if (next !== text.value) {
      const c = await this.store.commit(text.value, next, reason);
      if (!c.ok) {
        // crontab(1) checks every line: say when the ones it trips on are not the app's.
        const unreadable = unreadableLines(CrontabDocument.parse(text.value));
        if (c.error.code === 'invalid-input' && unreadable.length > 0)
          return fail(
            'invalid-input',
            t('errors:cron.refusedForLine', { line: unreadable[0]! }),
            c.error.detail,
          );
        return c;
      }
    }
    return ok({ key: result.key });
  }

  private requireJob(doc: CrontabDocument, key: string): JobLine {
    const job = doc.find(key);
    if (!job) throw new CrontabEditError(t('errors:cron.noKeyAnyMore', { key }));
    return job;
  }

  add(
    argv: string[],
    opts: { log?: string | null; revision?: string } = {},
  ): Promise<Result<CronChange>> {
    return this.edit('add an @reboot line', opts.revision, (doc) =>
      doc.append(`@reboot ${cronCommand(argv, { log: opts.log ?? null })}`),
    );
  }

  /** A new command for a line (any line: @reboot or timed); its schedule and state stay. */
  update(
    key: string,
    argv: string[],
    opts: { log?: string | null; revision?: string } = {},
  ): Promise<Result<CronChange>> {
    return this.change(key, { argv, log: opts.log ?? null }, opts.revision);
  }

  /**
   * Change a line's schedule, its command, or both (issue 14). Only its own line changes; a
   * disabled line stays disabled; the schedule must be one cron reads (five fields with values in
   * range, or @hourly, @daily...).
   */
  change(
    key: string,
    patch: { schedule?: string; argv?: string[]; log?: string | null },
    revision?: string,
  ): Promise<Result<CronChange>> {
    return this.edit('edit a line', revision, (doc) => {
      this.requireJob(doc, key);
      if (patch.schedule !== undefined) {
        const s = scheduleOf(patch.schedule);
        if (s === null || (s.special !== 'reboot' && parseSchedule(s) === null))
          throw new CrontabEditError(
            t('cron:edit.badSchedule', { schedule: patch.schedule.trim() }),
          );
      }
      return doc.editJob(key, {
        ...(patch.schedule !== undefined ? { schedule: patch.schedule } : {}),
        ...(patch.argv !== undefined
          ? { command: cronCommand(patch.argv, { log: patch.log ?? null }) }
          : {}),
      });
    });
  }

  setEnabled(key: string, enabled: boolean, revision?: string): Promise<Result<CronChange>> {
    return this.edit(enabled ? 'enable a line' : 'disable a line', revision, (doc) => {
      this.requireJob(doc, key);
      return { doc: enabled ? doc.enable(key) : doc.disable(key), key };
    });
  }

  remove(key: string, revision?: string): Promise<Result<CronChange>> {
    return this.edit('remove a line', revision, (doc) => {
      this.requireJob(doc, key);
      return { doc: doc.remove(key), key: null };
    });
  }

  /** The next `count` runs of a line (none for @reboot or a disabled line), from now. */
  async nextRuns(key: string, count = 5): Promise<Result<string[]>> {
    const text = await this.store.read();
    if (!text.ok) return text;
    const job = CrontabDocument.parse(text.value).find(key);
    if (!job) return fail('invalid-input', t('cron:line.notFound', { key }));
    if (job.kind === 'disabled-job') return ok([]);
    return ok(nextRuns(job.schedule, this.now(), count).map((d) => d.toISOString()));
  }

  /** The line with this key as the list shows it, or a failure when there is none. */
  async getJob(key: string): Promise<Result<CronJob>> {
    const s = await this.list();
    if (!s.ok) return s;
    const job = s.value.jobs.find((j) => j.key === key);
    return job ? ok(job) : fail('invalid-input', t('cron:line.notFound', { key }));
  }

  async undo(): Promise<Result<CronState>> {
    const r = await this.store.undo();
    if (!r.ok) return r;
    return this.state();
  }

  /** Run a line's command now, detached, as cron would run it. */
  async runNow(key: string): Promise<Result<{ pid: number }>> {
    const text = await this.store.read();
    if (!text.ok) return text;
    const doc = CrontabDocument.parse(text.value);
    const job = doc.find(key);
    if (!job) return fail('invalid-input', t('errors:cron.noKey', { key }));
    const { shell, stdin } = cronSplit(job.command);
    const home = homeDir(this.env);
    const env = cronEnvironment(this.env, doc.env());
    try {
      const pid = await this.host.spawnDetached(['/bin/sh', '-c', shell], {
        cwd: (await this.host.stat(home))?.kind === 'dir' ? home : '/',
        env,
        ...(stdin !== null ? { input: stdin } : {}),
      });
      setTimeout(() => void this.list(), 300).unref();
      return ok({ pid });
    } catch (err) {
      const e = toAppError(err);
      return fail(e.code, t('errors:cron.couldNotRun', { reason: e.message }), e.detail);
    }
  }
}

/** Crontab lines as monitor entries (`cron:KEY`), refreshed every `pollMs` and after edits. */
export function createCronSource(
  service: CronService,
  opts: { pollMs?: number } = {},
): PollingSource {
  let pending: Promise<unknown> = Promise.resolve();
  const made = new WeakMap<CronJob, Entry>();
  // The periodic refresh reuses the crontab text while cron's spool says nothing was installed
  // since (a stat, not a `crontab -l` fork every 30 s); the jobs' processes are looked at anew.
  const refresh = () => {
    pending = service.list({ reuse: true });
    return pending;
  };
  // On the shared poll clock (poll-timer.ts): its 30 s ticks wake the core with the 2 s ones.
  const timer = createPollTimer(() => void refresh(), opts.pollMs ?? 30_000);
  const status = (): SourceStatus => {
    const s = service.cached();
    if (s === null) return { status: 'connecting' };
    if (!s.ok) return { status: 'unavailable', error: s.error };
    return { status: 'ok' };
  };
  const entries = (): Entry[] => {
    const s = service.cached();
    if (!s || !s.ok) return [];
    // A job object is reused while its line, pids and next run stay (CronService.job), so its
    // entry is too: a large crontab's refresh builds entries only for what changed.
    return s.value.jobs.map((j) => {
      let e = made.get(j);
      if (e === undefined) made.set(j, (e = cronEntry(j)));
      return e;
    });
  };
  return {
    name: 'cron',
    prefixes: ['cron:'],
    get intervalMs() {
      return timer.intervalMs;
    },
    setIntervalMs: (ms) => timer.setIntervalMs(ms),
    async start() {
      await refresh();
      timer.start();
    },
    stop() {
      timer.stop();
      return Promise.resolve();
    },
    async settled() {
      await pending;
    },
    entries,
    status,
    onChange: (l) => service.onChange(l),
    async act(id: string, action: EntryAction): Promise<Result<ActionOutcome>> {
      const key = id.slice('cron:'.length);
      const done = async (r: Result<unknown>): Promise<Result<ActionOutcome>> => {
        if (!r.ok) return r;
        await refresh();
        return ok({ id, action, result: 'ok', entry: entries().find((e) => e.id === id) ?? null });
      };
      switch (action) {
        case 'start':
          return done(await service.runNow(key));
        case 'enable':
          return done(await service.setEnabled(key, true));
        case 'disable':
          return done(await service.setEnabled(key, false));
        case 'stop': {
          const job = entries().find((e) => e.id === id);
          for (const pid of job?.pids ?? []) {
            try {
              process.kill(pid, 'SIGTERM');
            } catch (err) {
              return fail(
                'access-denied',
                t('errors:cron.couldNotStop', { pid, reason: String(err) }),
              );
            }
          }
          return done(ok(null));
        }
        default:
          return fail('unsupported', t('cron:line.cannotAct', { action }));
      }
    },
  };
}

export function cronEntry(j: CronJob): Entry {
  const prog = j.argv?.[0] ?? j.command.split(/\s+/)[0] ?? j.command;
  const running = j.pids.length > 0;
  // A timed line says its schedule where an @reboot line says "@reboot", and carries its next run
  // as a timer does (the row and the detail show it); cron keeps no record of its last run.
  const state = !j.enabled ? 'disabled' : j.reboot ? '@reboot' : j.schedule;
  return {
    id: j.id,
    kind: 'cron',
    name: prog.slice(prog.lastIndexOf('/') + 1) || prog,
    description: j.command,
    state: running ? 'running' : 'stopped',
    subState: state,
    autostart: {
      enabled: j.enabled,
      via: j.enabled ? ['cron'] : [],
      state,
    },
    pids: j.pids,
    cpu: null,
    memory: null,
    since: null,
    restarts: 0,
    actions: [running ? 'stop' : 'start', j.enabled ? 'disable' : 'enable'],
    ...(j.reboot ? {} : { timer: { next: j.nextRun, last: null, unit: null } }),
  };
}
