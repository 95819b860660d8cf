// Startup commands: `cron ...` (@reboot lines), `autostart ...` (XDG autostart files), `linger`.
import type { AutostartState, CronState, StartupNotice } from '../core/model/startup.js';
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
            j.nextRun ?? '-',
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

const cron: Command = {
  name: 'cron',
  takesCommand: true,
  options: { json: { type: 'boolean' }, log: { type: 'string' } },
  async run(args, io) {
    const [verb, rest] = sub(args, 'cron', [
      'list',
      'add',
      'rm',
      'enable',
      'disable',
      'run',
      'undo',
    ]);
    const { service } = await wiring(io);
    switch (verb) {
      case 'list': {
        const s = unwrap(await service.listCron());
        output(io, args.values.json, s, formatCron);
        return 0;
      }
      case 'add': {
        const log = args.values.log as string | undefined;
        if (log !== undefined && !log.startsWith('/'))
          throw new UsageError('--log needs an absolute path');
        const c = unwrap(await service.addCron(commandLine(args, 'cron add'), log ? { log } : {}));
        io.out(c.key ?? '');
        for (const n of notices(c.state.jobs.find((j) => j.key === c.key)?.notices ?? []))
          io.err(n);
        return 0;
      }
      case 'rm':
        unwrap(await service.removeCron(key(rest, 'KEY', 'cron rm', 'cron:')));
        return 0;
      case 'enable':
      case 'disable':
        unwrap(
          await service.setCronEnabled(
            key(rest, 'KEY', `cron ${verb}`, 'cron:'),
            verb === 'enable',
          ),
        );
        return 0;
      case 'run':
        io.out(String(unwrap(await service.runCronNow(key(rest, 'KEY', 'cron run', 'cron:'))).pid));
        return 0;
      default:
        unwrap(await service.undoCron());
        return 0;
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
