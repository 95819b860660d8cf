// Startup commands: `cron ...` (@reboot lines), `autostart ...` (XDG autostart files), `linger`.
import type { AutostartState, CronJob, CronState, StartupNotice } from '../core/model/startup.js';
import { scheduleOf } from '../core/cron/cron-service.js';
import { nextRuns } from '../core/cron/cron-schedule.js';
import { moveToTimer, undoToTimer, type CronToTimerDeps } from '../core/cron/cron-to-timer.js';
import { formatDateTime } from '../../i18n/format.js';
import { createStartup, type StartupWiring } from '../core/autostart/startup-service.js';
import {
  crontabFromEnv,
  UsageError,
  output,
  table,
  type CliIo,
  type Command,
  type ParsedArgs,
  unwrap,
} from './command.js';
import { t } from '../../i18n/index.js';
import { cliHost } from './hosts.js';

async function wiring(io: CliIo): Promise<StartupWiring> {
  // Another host (--host): its own crontab(1) and autostart folder; none of this machine's processes.
  if (io.host !== undefined) return createStartup({ host: await cliHost(io), processes: () => [] });
  const crontab = crontabFromEnv(io.env);
  return createStartup({ env: io.env, ...(crontab ? { crontab } : {}) });
}

function notices(list: StartupNotice[]): string[] {
  return list.map((n) =>
    t(n.severity === 'warning' ? 'cli:errors.warning' : 'cli:startup.note', { message: n.message }),
  );
}

function formatCron(s: CronState): string {
  const lines: string[] = [];
  lines.push(
    s.jobs.length === 0
      ? t('cli:startup.noCron')
      : table(
          [
            t('cli:startup.columns.key'),
            t('cli:units.columns.state'),
            t('cli:startup.columns.schedule'),
            t('cli:startup.columns.nextRun'),
            t('cli:processes.columns.command'),
          ],
          s.jobs.map((j) => [
            j.key,
            !j.enabled
              ? 'disabled'
              : j.pids.length > 0
                ? 'running'
                : j.reboot
                  ? 'enabled'
                  : 'timed',
            j.schedule,
            j.nextRun === null ? '-' : formatDateTime(j.nextRun),
            j.command,
          ]),
        ),
  );
  const all = [
    ...s.notices,
    ...s.jobs.flatMap((j) => j.notices.map((n) => ({ ...n, message: `${j.key}: ${n.message}` }))),
  ];
  if (all.length > 0) lines.push('', ...notices(all));
  return lines.join('\n');
}

function formatAutostart(s: AutostartState): string {
  if (s.items.length === 0) return t('cli:startup.noAutostart', { dir: s.userDir });
  return table(
    [
      t('cli:startup.columns.file'),
      t('cli:units.columns.state'),
      t('cli:startup.columns.origin'),
      t('cli:startup.columns.exec'),
    ],
    s.items.map((i) => [
      i.file,
      i.effective ? 'enabled' : i.enabled ? 'inactive' : 'disabled',
      i.origin,
      i.exec,
    ]),
  );
}

function sub(args: ParsedArgs, group: string, forms: string[]): [string, string[]] {
  const [verb, ...rest] = args.positionals;
  if (verb === undefined || !forms.includes(verb))
    throw new UsageError(t('cli:startup.needsOneOf', { group, forms: forms.join(', ') }));
  return [verb, rest];
}

function one(rest: string[], what: string, verb: string): string {
  if (rest.length !== 1 || rest[0] === undefined)
    throw new UsageError(t('cli:errors.exactlyOne', { command: verb, what }));
  return rest[0];
}

/** A cron KEY or autostart NAME, given bare or as the id list prints (cron:KEY, autostart:FILE). */
function key(rest: string[], what: string, verb: string, prefix: 'cron:' | 'autostart:'): string {
  const k = one(rest, what, verb);
  return k.startsWith(prefix) ? k.slice(prefix.length) : k;
}

function commandLine(args: ParsedArgs, verb: string): string[] {
  if (args.rest.length === 0 || args.rest[0] === '')
    throw new UsageError(t('cli:startup.needsCommand', { verb }));
  return args.rest;
}

/** The cron list with each line's next five runs (the JSON carries them; the table the first). */
function withNextRuns(
  s: CronState,
  now: Date,
): CronState & { jobs: Array<CronJob & { nextRuns: string[] }> } {
  return {
    ...s,
    jobs: s.jobs.map((j) => {
      const sched = j.enabled ? scheduleOf(j.schedule) : null;
      return {
        ...j,
        nextRuns: sched === null ? [] : nextRuns(sched, now, 5).map((d) => d.toISOString()),
      };
    }),
  };
}

const json = (args: ParsedArgs) => args.values.json === true;

function logOption(args: ParsedArgs): string | undefined {
  const log = args.values.log as string | undefined;
  if (log !== undefined && !log.startsWith('/')) throw new UsageError(t('cron:cli.logAbsolute'));
  return log;
}

/** `cron to-timer` and `cron undo TOKEN` need systemd: the core, loaded only for them. */
async function withToTimer<T>(io: CliIo, fn: (deps: CronToTimerDeps) => Promise<T>): Promise<T> {
  const { withCore } = await import('./units.js');
  return withCore(
    io,
    (core) =>
      fn({
        cron: core.startup.cron,
        timers: core.timers,
        undoUnits: (token) => core.authoring.undo(token),
      }),
    { sources: ['systemd'], needsBus: true },
  );
}

const cron: Command = {
  name: 'cron',
  takesCommand: true,
  options: {
    json: { type: 'boolean' },
    log: { type: 'string' },
    schedule: { type: 'string' },
    name: { type: 'string' },
  },
  async run(args, io) {
    const [verb, rest] = sub(args, 'cron', [
      'list',
      'add',
      'edit',
      'rm',
      'enable',
      'disable',
      'run',
      'to-timer',
      'undo',
    ]);
    const { service } = await wiring(io);
    switch (verb) {
      case 'list': {
        const s = withNextRuns(unwrap(await service.listCron()), new Date());
        output(io, args.values.json, s, formatCron);
        return 0;
      }
      case 'add': {
        const log = logOption(args);
        const c = unwrap(await service.addCron(commandLine(args, 'cron add'), log ? { log } : {}));
        if (json(args)) output(io, true, { key: c.key }, () => '');
        else io.out(c.key ?? '');
        for (const n of notices(c.state.jobs.find((j) => j.key === c.key)?.notices ?? []))
          io.err(n);
        return 0;
      }
      case 'edit': {
        const k = key(rest, 'KEY', 'cron edit', 'cron:');
        const schedule = args.values.schedule as string | undefined;
        const argv = args.rest.length > 0 && args.rest[0] !== '' ? args.rest : undefined;
        const log = logOption(args);
        if (schedule === undefined && argv === undefined)
          throw new UsageError(t('cron:cli.editNeedsChange'));
        const c = unwrap(
          await service.changeCron(k, {
            ...(schedule !== undefined ? { schedule } : {}),
            ...(argv !== undefined ? { argv, log: log ?? null } : {}),
          }),
        );
        const job = c.state.jobs.find((j) => j.key === c.key) ?? null;
        output(io, args.values.json, { key: c.key, job }, (x) => x.key ?? '');
        if (!json(args)) for (const n of notices(job?.notices ?? [])) io.err(n);
        return 0;
      }
      case 'rm':
      case 'enable':
      case 'disable': {
        const k = key(rest, 'KEY', `cron ${verb}`, 'cron:');
        const c = unwrap(
          verb === 'rm'
            ? await service.removeCron(k)
            : await service.setCronEnabled(k, verb === 'enable'),
        );
        if (json(args)) output(io, true, { key: c.key }, () => '');
        return 0;
      }
      case 'run': {
        const r = unwrap(await service.runCronNow(key(rest, 'KEY', 'cron run', 'cron:')));
        output(io, args.values.json, r, (x) => String(x.pid));
        return 0;
      }
      case 'to-timer': {
        const k = key(rest, 'KEY', 'cron to-timer', 'cron:');
        const name = args.values.name as string | undefined;
        const r = unwrap(
          await withToTimer(io, (deps) => moveToTimer(deps, k, name ? { name } : {})),
        );
        output(io, args.values.json, r, (x) =>
          t('cron:cli.moved', { key: x.key, timer: x.timer, expr: x.expr, token: x.undo }),
        );
        return 0;
      }
      default: {
        if (rest.length > 1) throw new UsageError(t('cron:cli.undoForms'));
        const token = rest[0];
        if (token === undefined) {
          unwrap(await service.undoCron());
          if (json(args)) output(io, true, { undone: 'crontab' }, () => '');
          return 0;
        }
        const r = unwrap(await withToTimer(io, (deps) => undoToTimer(deps, token)));
        if (json(args)) output(io, true, r, () => '');
        return 0;
      }
    }
  },
};

const autostart: Command = {
  name: 'autostart',
  takesCommand: true,
  options: { json: { type: 'boolean' } },
  async run(args, io) {
    const [verb, rest] = sub(args, 'autostart', ['list', 'add', 'enable', 'disable', 'rm']);
    const { service } = await wiring(io);
    switch (verb) {
      case 'list': {
        const s = unwrap(await service.listAutostart());
        output(io, args.values.json, s, formatAutostart);
        return 0;
      }
      case 'add': {
        const name = one(rest, 'NAME', 'autostart add');
        const it = unwrap(await service.addAutostart(name, commandLine(args, 'autostart add')));
        io.out(it.file);
        return 0;
      }
      case 'rm':
        unwrap(await service.removeAutostart(key(rest, 'NAME', 'autostart rm', 'autostart:')));
        return 0;
      default:
        unwrap(
          await service.setAutostartEnabled(
            key(rest, 'NAME', `autostart ${verb}`, 'autostart:'),
            verb === 'enable',
          ),
        );
        return 0;
    }
  },
};

const linger: Command = {
  name: 'linger',
  options: { json: { type: 'boolean' } },
  async run(args, io) {
    const [state, ...extra] = args.positionals;
    if (extra.length > 0 || (state !== undefined && state !== 'on' && state !== 'off'))
      throw new UsageError(t('cli:startup.lingerForms'));
    const { service } = await wiring(io);
    const s = unwrap(
      state === undefined ? await service.getLinger() : await service.setLinger(state === 'on'),
    );
    output(
      io,
      args.values.json,
      s,
      (x) =>
        `${t(x.lingering ? 'cli:startup.lingerOn' : 'cli:startup.lingerOff', { user: x.user })}\n${x.explanation}`,
    );
    return 0;
  },
};

export const startupCommands: Command[] = [cron, autostart, linger];
