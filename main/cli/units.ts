// The entry commands, for every id `list` prints (systemd:, process:, session:, cron:,
// autostart:, or a bare unit name): list, sources, status, start/stop/restart/reload/
// enable/disable, logs, kill and rm. Actions go through the monitor's act, the one dispatcher
// the IPC table and the tray use; what an id's kind cannot do is refused by the same table
// (core/monitor/entry-verbs.ts), in words that say what it can do.
import { readFile } from 'node:fs/promises';
import type {
  Entry,
  EntryAction,
  EntryKind,
  SourceName,
  UnitDetail,
} from '../core/model/domain.js';
import type { LogLine, LogsResult } from '../core/model/authoring.js';
import type { Core } from '../core/app.js';
import { AppFailure, appError, fileError } from '../core/errors.js';
import {
  cannot,
  fullId,
  sourceNotices,
  sourceOfId,
  type EntryVerb,
} from '../core/monitor/entry-verbs.js';
import { parseSessionId } from '../core/sessions/session-source.js';
import type { LogQuery } from '../core/model/logs.js';
import { resolve } from 'node:path';
import {
  createSystemdMonitor,
  createSystemdSource,
  type SystemdMonitor,
  type SystemdSource,
} from '../core/monitor/create-monitor.js';
import type { UnitService } from '../core/systemd/unit-service.js';
import type { ProcessService } from '../core/processes/process-service.js';
import { sessionUnitFilesMemo } from '../core/systemd/unit-files-memo.js';
import {
  CliFailure,
  UsageError,
  crontabFromEnv,
  describeError,
  exactlyOne,
  interrupted,
  onFarHost,
  pad,
  stepLine,
  table,
  type CliIo,
  type Command,
  type EarlyStart,
  unwrap,
} from './command.js';
import { t } from '../../i18n/index.js';
import type { Host } from '../core/host/host.js';

const KINDS: readonly EntryKind[] = [
  'service',
  'socket',
  'timer',
  'process',
  'session',
  'cron',
  'autostart',
];
const KIND_SOURCE: Record<EntryKind, SourceName> = {
  service: 'systemd',
  socket: 'systemd',
  timer: 'systemd',
  process: 'processes',
  session: 'sessions',
  cron: 'cron',
  autostart: 'autostart',
};
const ACTIONS: readonly EntryAction[] = ['start', 'stop', 'restart', 'reload', 'enable', 'disable'];

/**
 * The sources that reach another host through its Host (the bus, crontab(1), autostart files);
 * processes and sessions read this machine's /proc and are not shown for one yet.
 */
const FAR_SOURCES: readonly SourceName[] = ['systemd', 'cron', 'autostart'];

export interface CoreUse {
  /** Start only these sources (default: all). */
  sources?: readonly SourceName[];
  /** Fail with the bus's own words when systemd is not reachable (default: false). */
  needsBus?: boolean;
  /**
   * The command only reads (list, sources): settings.json is read as it is (no lock, no write),
   * and this machine's systemd is asked first, the rest built during its answer.
   */
  readOnly?: boolean;
  /** This machine's systemd source, started already (Command.early): withCore owns it now. */
  systemd?: SystemdSource | undefined;
}

/**
 * The sources that match running processes against their command lines, and the age of the table
 * they take (the core's startup sources ask for one at most 5 s old: app.ts).
 */
const STARTUP_SOURCES: readonly SourceName[] = ['cron', 'autostart'];
const STARTUP_TABLE_MS = 5000;

/**
 * `list` and `sources` without options (`--json` at most): this machine's systemd is asked
 * before the catalogs load and the arguments are parsed, the rest built during its answer
 * (withCore takes the source over). Other arguments (--kind may not need systemd, --host asks
 * another machine) start nothing early.
 */
function startSystemdEarly(args: readonly string[], io: CliIo): EarlyStart | undefined {
  if (io.host !== undefined || !args.every((a) => a === '--json')) return undefined;
  const source = readOnlySystemdSource(io);
  source.start().catch(() => undefined); // withCore's monitor awaits the same start
  let ours = true; // until withCore takes it (and stops it)
  return {
    ready: source.requested(),
    take() {
      if (!ours) return undefined;
      ours = false;
      return source;
    },
    release() {
      if (!ours) return;
      ours = false;
      void source.stop();
    },
  };
}

/**
 * This machine's systemd source for a command that reads once (list, sources): the unit-file list
 * comes from the memo while the unit folders stay as they were (unit-files-memo.ts).
 */
function readOnlySystemdSource(io: CliIo): SystemdSource {
  const memo = sessionUnitFilesMemo(io.env);
  return createSystemdSource({ env: io.env, ...(memo !== null ? { unitFilesMemo: memo } : {}) });
}

/** The systemd source startSystemdEarly started, for withCore to own (this command's early()). */
function takeEarlySystemd(early: EarlyStart | undefined): SystemdSource | undefined {
  return early?.take() as SystemdSource | undefined;
}

/** The core with its sources loaded once; without a bus, every source that needs none works. */
export async function withCore<T>(
  io: CliIo,
  fn: (core: Core) => Promise<T>,
  use: CoreUse = {},
): Promise<T> {
  // systemd's unit-file list is most of a `list` (the manager works out every file's state): ask
  // for it first, and load the core, read the settings and start the other sources meanwhile.
  const wanted =
    use.readOnly === true && io.host === undefined && (use.sources?.includes('systemd') ?? true);
  if (!wanted) void use.systemd?.stop();
  const early = wanted ? (use.systemd ?? readOnlySystemdSource(io)) : undefined;
  let core: Core | undefined;
  try {
    if (early !== undefined) {
      early.start().catch(() => undefined); // the monitor's start below awaits the same start
      await early.requested();
    }
    // Loaded here, not with the group: `status UNIT` needs neither the core nor the settings.
    const [{ createCore }, { openConfBackend }, { readSettingsOnce }] = await Promise.all([
      import('../core/app.js'),
      import('../core/settings/settings.js'),
      import('./settings-read.js'),
    ]);
    const settingsBackend =
      (use.readOnly === true ? readSettingsOnce(io.env) : null) ?? (await openConfBackend(io.env));
    for (const issue of settingsBackend.issues ?? [])
      io.err(`daemon-deck: ${t('cli:errors.warning', { message: issue })}`);
    // Another host (--host): its own crontab(1), and only the sources that reach it through the host.
    const host = io.host !== undefined ? await cliHost(io) : undefined;
    const crontab = host === undefined ? crontabFromEnv(io.env) : undefined;
    core = createCore({
      env: host?.env ?? io.env,
      ...(host !== undefined ? { host } : {}),
      ...(early !== undefined ? { systemd: early } : {}),
      // The CLI chose the language already (main/cli.ts), English under --json.
      languageFromSettings: false,
      settingsBackend,
      ...(crontab ? { crontab } : {}),
    });
    const sources =
      host === undefined
        ? use.sources
        : (use.sources ?? FAR_SOURCES).filter((s) => FAR_SOURCES.includes(s));
    const started = core.monitor.start(sources);
    started.catch(() => undefined); // awaited below; this only keeps an early failure handled
    if (
      early !== undefined &&
      (sources ?? STARTUP_SOURCES).some((s) => STARTUP_SOURCES.includes(s))
    ) {
      // The process table @reboot lines and autostart files are matched against (one scan, kept
      // for both): read now, while the manager still works, rather than whenever their files
      // are read, which may be after its answer. First the sources' own requests go out.
      await new Promise((resolve) => setImmediate(resolve));
      core.processes.recent(STARTUP_TABLE_MS);
    }
    await started;
    const systemd = core.monitor.snapshot().sources.systemd;
    if (use.needsBus === true && systemd.status === 'unavailable')
      throw new CliFailure(describeError(systemd.error));
    return await fn(core);
  } finally {
    if (core !== undefined) await core.monitor.stop();
    else await early?.stop();
    await early?.units.filesMemoWritten();
  }
}

/**
 * The host of --host. Imported when asked for: it brings the settings and zod, which `list` loads
 * only after systemd has its requests (withCore), not before them.
 */
async function cliHost(io: CliIo): Promise<Host> {
  return (await import('./hosts.js')).cliHost(io);
}

/** Only systemd: what unit authoring needs. */
export async function withMonitor<T>(
  io: CliIo,
  fn: (m: SystemdMonitor, host: Host | undefined) => Promise<T>,
): Promise<T> {
  const host = io.host !== undefined ? await cliHost(io) : undefined;
  const monitor = createSystemdMonitor(
    host !== undefined ? { env: host.env, host } : { env: io.env },
  );
  try {
    await monitor.start();
    const source = monitor.snapshot().sources.systemd;
    if (source.status === 'unavailable') throw new CliFailure(describeError(source.error));
    return await fn(monitor, host);
  } finally {
    await monitor.stop();
  }
}

/**
 * The bus alone, for one unit's detail (`status`): no unit list, no unit-file list (the slow
 * call, PLATFORM-NOTES) and no cgroup walk, which a monitor's first load makes. The same words
 * as the monitor's when the bus is not there.
 */
async function withUnits<T>(io: CliIo, fn: (units: UnitService) => Promise<T>): Promise<T> {
  // Another host (--host): through its monitor, as before (its processes are not in our cgroupfs).
  if (io.host !== undefined) return withMonitor(io, (monitor) => fn(monitor.units));
  const { bus, units } = createSystemdSource({ env: io.env });
  try {
    await bus.start();
    if (bus.state !== 'up')
      throw new CliFailure(
        describeError(
          appError('bus-unavailable', t('errors:bus.reconnects'), bus.lastError ?? undefined),
        ),
      );
    return await fn(units);
  } finally {
    bus.close();
  }
}

/** The source that owns an id, after checking the verb applies to its kind at all. */
function ownerFor(id: string, verb: EntryVerb): SourceName {
  const refused = cannot(id, verb);
  if (refused !== null)
    throw refused.code === 'invalid-input'
      ? new UsageError(refused.message)
      : new CliFailure(refused.message);
  return sourceOfId(id)!;
}

/** The core with only the id's own source loaded (and the bus required for a unit). */
function withOwner<T>(
  io: CliIo,
  id: string,
  verb: EntryVerb,
  fn: (core: Core, source: SourceName) => Promise<T>,
): Promise<T> {
  const source = ownerFor(id, verb);
  return withCore(io, (core) => fn(core, source), {
    sources: [source],
    needsBus: source === 'systemd',
  });
}

/** The entry as `list` shows it; fails in words when the source is down or the id unknown. */
function entryOf(core: Core, source: SourceName, id: string): Entry {
  const snapshot = core.monitor.snapshot();
  const status = source === 'systemd' ? snapshot.sources.systemd : snapshot.sources[source];
  if (status?.status === 'unavailable') throw new CliFailure(describeError(status.error));
  const entry = snapshot.entries.find((e) => e.id === fullId(id));
  if (entry === undefined) throw new CliFailure(t('cli:units.noSuchEntry', { id: fullId(id) }));
  return entry;
}

function formatList(entries: Entry[]): string {
  if (entries.length === 0) return t('cli:units.nothing');
  return table(
    [
      t('cli:units.columns.state'),
      t('cli:units.columns.atLogin'),
      t('cli:units.columns.id'),
      t('cli:units.columns.description'),
    ],
    entries.map((e) => [
      e.state,
      e.autostart.state ?? (e.autostart.enabled ? 'enabled' : '-'),
      e.id,
      e.description,
    ]),
  );
}

const yesNo = (yes: boolean) => (yes ? t('cli:units.yes') : t('cli:units.no'));

/** Label-value lines, the values lined up (labels measured in columns, for Korean too). */
function rows(list: Array<[string, string | number | null]>): string {
  return list
    .filter(([, v]) => v !== null && v !== '')
    .map(([k, v]) => `${pad(k + ':', 16)}${String(v)}`)
    .join('\n');
}

function formatDetail(d: UnitDetail): string {
  const e = d.entry;
  return rows([
    [t('cli:units.field.name'), d.unit],
    [t('cli:units.field.description'), e.description],
    [t('cli:units.field.state'), `${e.state} (${d.activeState}/${d.subState})`],
    [
      t('cli:units.field.startAtLogin'),
      `${yesNo(e.autostart.enabled)} (${d.unitFileState ?? t('cli:units.noUnitFile')})`,
    ],
    [t('cli:units.field.unitFile'), d.fragmentPath],
    [t('cli:units.field.dropIns'), d.dropInPaths.length > 0 ? d.dropInPaths.join(', ') : null],
    [t('cli:units.field.mainPid'), d.mainPid],
    [t('cli:units.field.since'), e.since],
    [t('cli:units.field.lastExit'), d.exitSummary],
    [t('cli:units.field.result'), d.result],
    [t('cli:units.field.restarts'), d.nRestarts],
  ]);
}

function formatEntry(e: Entry): string {
  return rows([
    [t('cli:units.field.id'), e.id],
    [t('cli:units.field.name'), e.name],
    [t('cli:units.field.description'), e.description],
    [t('cli:units.field.state'), `${e.state} (${e.subState})`],
    [
      t('cli:units.field.startAtLogin'),
      `${yesNo(e.autostart.enabled)}${e.autostart.state ? ` (${e.autostart.state})` : ''}`,
    ],
    [t('cli:units.field.pids'), e.pids.length > 0 ? e.pids.join(', ') : null],
    [t('cli:units.field.since'), e.since],
    [
      t('cli:units.field.actions'),
      e.actions.length > 0 ? e.actions.join(', ') : t('cli:units.noneNow'),
    ],
  ]);
}

const list: Command = {
  name: 'list',
  options: { json: { type: 'boolean' }, kind: { type: 'string', choices: KINDS } },
  early: startSystemdEarly,
  run({ values, positionals }, io, early) {
    if (positionals.length > 0)
      throw new UsageError(t('cli:units.listArgs', { args: positionals.join(' ') }));
    const kind = values.kind as EntryKind | undefined;
    if (kind !== undefined && !(KINDS as readonly string[]).includes(kind)) {
      throw new UsageError(t('cli:units.unknownKind', { kind, kinds: KINDS.join(', ') }));
    }
    return withCore(
      io,
      (core) => {
        const snapshot = core.monitor.snapshot();
        const entries = snapshot.entries.filter((e) => kind === undefined || e.kind === kind);
        io.out(values.json ? JSON.stringify(entries, null, 2) : formatList(entries));
        for (const notice of sourceNotices(snapshot)) io.err(`daemon-deck: ${notice}`);
        return Promise.resolve(0);
      },
      {
        readOnly: true,
        ...(kind === undefined ? {} : { sources: [KIND_SOURCE[kind]] }),
        systemd: takeEarlySystemd(early),
      },
    );
  },
};

const sources: Command = {
  name: 'sources',
  options: { json: { type: 'boolean' } },
  early: startSystemdEarly,
  run({ values, positionals }, io, early) {
    if (positionals.length > 0)
      throw new UsageError(t('cli:errors.noArguments', { command: 'sources' }));
    return withCore(
      io,
      (core) => {
        const s = core.monitor.snapshot().sources;
        io.out(
          values.json
            ? JSON.stringify(s, null, 2)
            : table(
                [
                  t('cli:units.columns.source'),
                  t('cli:units.columns.status'),
                  t('cli:units.columns.why'),
                ],
                Object.entries(s).map(([name, st]) => [
                  name,
                  st?.status ?? 'unknown',
                  st?.status === 'unavailable' ? describeError(st.error) : '',
                ]),
              ),
        );
        return Promise.resolve(0);
      },
      { readOnly: true, systemd: takeEarlySystemd(early) },
    );
  },
};

const status: Command = {
  name: 'status',
  options: { json: { type: 'boolean' } },
  run({ values, positionals }, io) {
    const id = exactlyOne(positionals, 'status');
    // A unit needs the bus alone: no settings, no other source, not even the unit list (the
    // same detail, sooner: `status` is what scripts, status bars and prompts run).
    if (ownerFor(id, 'status') === 'systemd')
      return withUnits(io, async (units) => {
        const r = await units.detail(id);
        if (!r.ok) throw new CliFailure(describeError(r.error));
        io.out(
          values.json
            ? JSON.stringify({ ...r.value.entry, detail: r.value }, null, 2)
            : formatDetail(r.value),
        );
        return 0;
      });
    return withOwner(io, id, 'status', (core, source) => {
      const entry = entryOf(core, source, id);
      io.out(
        values.json ? JSON.stringify({ ...entry, detail: null }, null, 2) : formatEntry(entry),
      );
      return Promise.resolve(0);
    });
  },
};

const actions: Command[] = ACTIONS.map((action) => ({
  name: action,
  options: { json: { type: 'boolean' } },
  run({ values, positionals }, io) {
    const id = exactlyOne(positionals, action);
    return withOwner(io, id, action, async (core) => {
      const r = await core.monitor.act(id, action);
      if (!r.ok) throw new CliFailure(describeError(r.error));
      if (values.json) io.out(JSON.stringify(r.value, null, 2));
      return 0;
    });
  },
}));

type LogsFetch = (opts: LogQuery) => Promise<LogsResult>;

/**
 * What reading and writing logs takes, loaded by `logs` when it runs: `list` loads this group and
 * sends systemd its requests without them.
 */
async function logsKit() {
  const [
    { tailFile, filesOn },
    { logLineText, parsePriority },
    { EXPORT_MAX_LINES, exportText },
    atomic,
  ] = await Promise.all([
    import('../core/systemd/logs.js'),
    import('../core/logs/log-query.js'),
    import('../core/logs/logs-service.js'),
    import('../core/atomic-write.js'),
  ]);
  const { writeFileAtomic } = atomic;
  return {
    tailFile,
    filesOn,
    logLineText,
    parsePriority,
    EXPORT_MAX_LINES,
    exportText,
    writeFileAtomic,
  };
}
type LogsKit = Awaited<ReturnType<typeof logsKit>>;

/**
 * How to read an id's logs: a unit's journal (or output file), a rule's or a cron line's log, on
 * the machine the entry is on (`--host`: the rule and the file are that host's).
 */
function logsOf(
  io: CliIo,
  core: Core,
  source: SourceName,
  id: string,
  { tailFile, filesOn }: LogsKit,
): LogsFetch {
  if (source === 'systemd')
    return async (opts) => {
      const r = await core.authoring.logs(id, opts);
      if (!r.ok) throw new CliFailure(describeError(r.error));
      return r.value;
    };
  if (source === 'processes') {
    const name = id.slice('process:'.length);
    if (onFarHost(io)) {
      // Its rules and files are that host's: one service there, for every read of a --follow.
      let far: Promise<ProcessService> | null = null;
      return async (opts) => {
        far ??= import('./on-host.js').then(async (h) => (await h.farProcessService(io)).service);
        return (await far).watchLogs(name, opts);
      };
    }
    return (opts) => core.processes.watchLogs(name, opts);
  }
  // cron: the file its line sends output to, on the machine whose crontab it is.
  const files = filesOn(core.host, core.host.env);
  return async (opts) => {
    const state = await core.startup.cron.state();
    if (!state.ok) throw new CliFailure(describeError(state.error));
    const job = state.value.jobs.find((j) => j.id === id);
    if (job === undefined) throw new CliFailure(t('cli:units.notInCrontab', { id }));
    if (job.log === null) throw new CliFailure(t('cli:units.logsNowhere', { id }));
    const lines = await tailFile(job.log, opts.lines ?? 50, opts.afterCursor, opts, files);
    return {
      source: 'file',
      path: job.log,
      lines: lines ?? [],
      emptyReason:
        lines === null
          ? t('cli:units.logNotYet', { path: job.log })
          : lines.length === 0
            ? t('cli:units.logEmpty', { path: job.log })
            : null,
    };
  };
}

// Options named as journalctl names them: -n, -f, -p, -S/--since, -U/--until, -g/--grep, -o
// is journalctl's --output FORMAT, so the file to write is --export FILE.
const logs: Command = {
  name: 'logs',
  options: {
    lines: { type: 'string', short: 'n' },
    follow: { type: 'boolean', short: 'f' },
    priority: { type: 'string', short: 'p' },
    since: { type: 'string', short: 'S' },
    until: { type: 'string', short: 'U' },
    grep: { type: 'string', short: 'g' },
    export: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run({ values, positionals }, io) {
    const id = exactlyOne(positionals, 'logs');
    const kit = await logsKit();
    const { EXPORT_MAX_LINES, parsePriority, logLineText, writeFileAtomic, exportText } = kit;
    const exportTo = typeof values.export === 'string' ? resolve(values.export) : null;
    const n =
      values.lines === undefined
        ? exportTo !== null
          ? EXPORT_MAX_LINES
          : 50
        : Number(values.lines);
    if (!Number.isInteger(n) || n < 1) throw new UsageError(t('cli:units.linesNumber'));
    if (exportTo !== null && values.follow === true)
      throw new UsageError(t('logs:cli.outputFollow'));
    const filter: LogQuery = {};
    if (typeof values.priority === 'string') {
      const p = parsePriority(values.priority);
      if (p === null) throw new UsageError(t('logs:cli.badPriority'));
      filter.priority = p;
    }
    if (typeof values.since === 'string') filter.since = values.since;
    if (typeof values.until === 'string') filter.until = values.until;
    if (typeof values.grep === 'string') filter.grep = values.grep;
    const json = values.json === true;
    const print = (ls: LogLine[]) => {
      for (const l of ls) io.out(json ? JSON.stringify(l) : logLineText(l));
    };
    return withOwner(io, id, 'logs', async (core, source) => {
      const fetch = logsOf(io, core, source, id, kit);
      const first = await attempt(() => fetch({ ...filter, lines: n }));
      if (exportTo !== null) {
        await attempt(() => writeFileAtomic(exportTo, exportText(first.lines)));
        const done = { path: exportTo, lines: first.lines.length };
        io.out(
          json
            ? JSON.stringify(done)
            : t('logs:cli.exported', { count: done.lines, path: exportTo }),
        );
        return 0;
      }
      print(first.lines);
      if (first.filterNote && !json) io.err(first.filterNote);
      if (first.lines.length === 0 && first.emptyReason !== null && !json)
        io.err(first.emptyReason);
      if (values.follow !== true) return 0;
      let cursor = first.lines.at(-1)?.cursor ?? (first.source === 'file' ? 'file:0' : undefined);
      const stop = interrupted();
      let stopped = false;
      void stop.then(() => (stopped = true));
      while (!stopped) {
        await Promise.race([stop, new Promise((r) => setTimeout(r, 500))]);
        if (stopped) break;
        const next = await fetch(
          cursor === undefined ? { ...filter, lines: n } : { ...filter, afterCursor: cursor },
        );
        if (cursor === undefined && next.lines.length === 0) continue;
        print(next.lines);
        cursor = next.lines.at(-1)?.cursor ?? cursor;
      }
      return 0;
    });
  },
};

/** Core code that throws AppFailure, as a one-line CLI failure. */
async function attempt<T>(fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof AppFailure) throw new CliFailure(describeError(err.error));
    throw err;
  }
}

const kill: Command = {
  name: 'kill',
  options: { signal: { type: 'string', short: 's' }, timeout: { type: 'string' } },
  async run({ values, positionals }, io) {
    const id = exactlyOne(positionals, 'kill');
    const sig = typeof values.signal === 'string' ? values.signal : null;
    const timeoutMs = typeof values.timeout === 'string' ? Number(values.timeout) * 1000 : null;
    if (timeoutMs !== null && !(timeoutMs >= 0))
      throw new UsageError(t('cli:units.timeoutSeconds'));
    const signalOrStop = async (core: Core, pids: number[]) => {
      // Another host: its pids are that host's, signalled and stopped there (far-control.ts),
      // never this machine's processes that happen to have the same numbers.
      if (onFarHost(io)) {
        // Loaded only here: `list` and the other verbs start without them.
        const [{ farProcessService }, { signalFar }] = await Promise.all([
          import('./on-host.js'),
          import('../core/host/far-control.js'),
        ]);
        const { host, service } = await attempt(() => farProcessService(io));
        if (sig !== null)
          for (const pid of pids) await attempt(() => signalFar(host, service.scan(), pid, sig));
        else await attempt(() => service.stop(pids, timeoutMs, (step) => io.out(stepLine(step))));
        return 0;
      }
      if (sig !== null) {
        for (const pid of pids) await attempt(() => core.processes.signal(pid, null, sig));
        return 0;
      }
      await attempt(() => core.processes.stop(pids, timeoutMs, (step) => io.out(stepLine(step))));
      return 0;
    };
    if (/^\d+$/.test(id))
      return withCore(io, (core) => signalOrStop(core, [Number(id)]), { sources: [] });
    const session = parseSessionId(id);
    if (session !== null) {
      if (sig !== null) throw new UsageError(t('cli:units.signalSession'));
      return withCore(
        io,
        async (core) => {
          await attempt(() => core.sessions.kill(session.kind, session.name));
          io.out(t('cli:units.killedSession', { kind: session.kind, name: session.name }));
          return 0;
        },
        { sources: [] },
      );
    }
    if (sourceOfId(id) === null) throw new UsageError(t('cli:units.notPidOrId', { id }));
    return withOwner(io, id, 'kill', async (core, source) => {
      const entry = entryOf(core, source, id);
      if (entry.pids.length === 0) {
        io.out(t('cli:units.notRunning', { id: entry.id }));
        return 0;
      }
      return signalOrStop(core, entry.pids);
    });
  },
};

const rm: Command = {
  name: 'rm',
  options: { json: { type: 'boolean' } },
  run({ values, positionals }, io) {
    const id = exactlyOne(positionals, 'rm');
    return withOwner(io, id, 'rm', async (core, source) => {
      const r =
        source === 'processes'
          ? await attempt(async () => {
              const name = id.slice('process:'.length);
              // Another host's rules are in its user's settings.json, never this machine's.
              if (!onFarHost(io)) return core.processes.rules.remove(name);
              const { changeFarRules, farHost } = await import('./on-host.js');
              return changeFarRules(await farHost(io), (rules) => rules.remove(name));
            })
          : source === 'cron'
            ? await core.startup.service.removeCron(id.slice('cron:'.length))
            : source === 'autostart'
              ? await core.startup.service.removeAutostart(id.slice('autostart:'.length))
              : await core.authoring.remove(id);
      if (typeof r === 'object' && 'ok' in r && !r.ok) throw new CliFailure(describeError(r.error));
      io.out(
        values.json
          ? JSON.stringify({ id: fullId(id), removed: true })
          : t('cli:units.removed', { id: fullId(id) }),
      );
      return 0;
    });
  },
};

export const unitCommands: Command[] = [list, sources, status, ...actions, logs, kill, rm];

/** `unit show` for an id that is no unit: the @reboot line, the autostart file, the watch rule. */
export function showDefinition(io: CliIo, id: string, json: boolean): Promise<number> {
  return withOwner(io, id, 'status', async (core, source) => {
    const print = (value: unknown, text: string) =>
      io.out(json ? JSON.stringify(value, null, 2) : text);
    switch (source) {
      case 'processes': {
        const name = id.slice('process:'.length);
        const rules = onFarHost(io)
          ? await import('./on-host.js').then(async (h) => h.farRules(await h.farHost(io)))
          : core.processes.rules;
        const rule = rules.get(name);
        if (rule === null) throw new CliFailure(t('cli:units.noRule', { name }));
        const match = rule.full ? 'cli:units.ruleMatchFull' : 'cli:units.ruleMatchName';
        print(
          rule,
          [
            t('cli:units.ruleHeading', { name: rule.name }),
            t(match, { pattern: rule.pattern }) + (rule.exact ? t('cli:units.ruleExactly') : ''),
            ...(rule.start ? [t('cli:units.ruleStart', { command: rule.start.join(' ') })] : []),
            ...(rule.cwd ? [t('cli:units.ruleCwd', { cwd: rule.cwd })] : []),
            ...(rule.log ? [t('cli:units.ruleLog', { log: rule.log })] : []),
          ].join('\n'),
        );
        return 0;
      }
      case 'cron': {
        const job = unwrap(await core.startup.cron.state()).jobs.find((j) => j.id === id);
        if (job === undefined) throw new CliFailure(t('cli:units.notInCrontab', { id }));
        print(job, `${t('cli:units.cronHeading', { key: job.key })}\n${job.line}`);
        return 0;
      }
      case 'autostart': {
        const item = unwrap(await core.startup.autostart.list()).items.find((i) => i.id === id);
        if (item === undefined) throw new CliFailure(t('cli:units.noSuchId', { id }));
        const text = await readFile(item.path, 'utf8').catch((err: unknown) => {
          throw new CliFailure(fileError(err, item.path, 'read')?.message ?? String(err));
        });
        print({ path: item.path, text }, `# ${item.path}\n${text.trimEnd()}`);
        return 0;
      }
      default:
        throw new CliFailure(t('cli:units.sessionNoDefinition', { id }));
    }
  });
}
