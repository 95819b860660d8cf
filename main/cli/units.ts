// systemd unit commands: list, status, start/stop/restart/reload/enable/disable.
import type { Entry, EntryAction, EntryKind, UnitDetail } from '../core/model/domain.js';
import { createCore, type Core } from '../core/app.js';
import { openConfBackend } from '../core/settings/settings.js';
import { createSystemdMonitor, type SystemdMonitor } from '../core/monitor/create-monitor.js';
import {
  CliFailure,
  UsageError,
  crontabFromEnv,
  describeError,
  exactlyOne,
  pad,
  table,
  type CliIo,
  type Command,
} from './command.js';

const KINDS: readonly EntryKind[] = [
  'service',
  'socket',
  'timer',
  'process',
  'session',
  'cron',
  'autostart',
];
const ACTIONS: readonly EntryAction[] = ['start', 'stop', 'restart', 'reload', 'enable', 'disable'];

/** Every source (units, processes, sessions, @reboot, autostart), loaded once. */
export async function withCore<T>(io: CliIo, fn: (core: Core) => Promise<T>): Promise<T> {
  const crontab = crontabFromEnv(io.env);
  const settingsBackend = await openConfBackend(io.env);
  for (const issue of settingsBackend.issues ?? []) io.err(`daemon-deck: warning: ${issue}`);
  const core = createCore({
    env: io.env,
    settingsBackend,
    ...(crontab ? { crontab } : {}),
  });
  try {
    await core.monitor.start();
    const source = core.monitor.snapshot().sources.systemd;
    if (source.status === 'unavailable') throw new CliFailure(describeError(source.error));
    return await fn(core);
  } finally {
    await core.monitor.stop();
  }
}

/** Only systemd: what unit status and actions need. */
export async function withMonitor<T>(io: CliIo, fn: (m: SystemdMonitor) => Promise<T>): Promise<T> {
  const monitor = createSystemdMonitor({ env: io.env });
  try {
    await monitor.start();
    const source = monitor.snapshot().sources.systemd;
    if (source.status === 'unavailable') throw new CliFailure(describeError(source.error));
    return await fn(monitor);
  } finally {
    await monitor.stop();
  }
}

function formatList(entries: Entry[]): string {
  if (entries.length === 0) return 'Nothing to show.';
  return table(
    ['STATE', 'AT LOGIN', 'ID', 'DESCRIPTION'],
    entries.map((e) => [
      e.state,
      e.autostart.state ?? (e.autostart.enabled ? 'enabled' : '-'),
      e.id,
      e.description,
    ]),
  );
}

function formatDetail(d: UnitDetail): string {
  const e = d.entry;
  const rows: Array<[string, string | number | null]> = [
    ['Name', d.unit],
    ['Description', e.description],
    ['State', `${e.state} (${d.activeState}/${d.subState})`],
    [
      'Start at login',
      `${e.autostart.enabled ? 'yes' : 'no'} (${d.unitFileState ?? 'no unit file'})`,
    ],
    ['Unit file', d.fragmentPath],
    ['Drop-ins', d.dropInPaths.length > 0 ? d.dropInPaths.join(', ') : null],
    ['Main PID', d.mainPid],
    ['Since', e.since],
    ['Last exit', d.exitSummary],
    ['Result', d.result],
    ['Restarts', d.nRestarts],
  ];
  return rows
    .filter(([, v]) => v !== null && v !== '')
    .map(([k, v]) => `${pad(k + ':', 16)}${String(v)}`)
    .join('\n');
}

const list: Command = {
  name: 'list',
  usage: ['list [--json] [--kind KIND]'],
  summary: `every entry with its state (KIND: ${KINDS.join(', ')})`,
  options: { json: { type: 'boolean' }, kind: { type: 'string' } },
  run({ values, positionals }, io) {
    if (positionals.length > 0)
      throw new UsageError(`list takes no arguments (got "${positionals.join(' ')}")`);
    const kind = values.kind as string | undefined;
    if (kind !== undefined && !(KINDS as readonly string[]).includes(kind)) {
      throw new UsageError(`unknown kind "${kind}": use one of ${KINDS.join(', ')}`);
    }
    return withCore(io, (core) => {
      const entries = core.monitor
        .snapshot()
        .entries.filter((e) => kind === undefined || e.kind === kind);
      io.out(values.json ? JSON.stringify(entries, null, 2) : formatList(entries));
      return Promise.resolve(0);
    });
  },
};

const status: Command = {
  name: 'status',
  usage: ['status ID [--json]'],
  summary: 'one entry in detail',
  options: { json: { type: 'boolean' } },
  run({ values, positionals }, io) {
    const id = exactlyOne(positionals, 'status');
    return withMonitor(io, async (m) => {
      const r = await m.unitDetail(id);
      if (!r.ok) throw new CliFailure(describeError(r.error));
      io.out(
        values.json
          ? JSON.stringify({ ...r.value.entry, detail: r.value }, null, 2)
          : formatDetail(r.value),
      );
      return 0;
    });
  },
};

const actions: Command[] = ACTIONS.map((action) => ({
  name: action,
  usage: [`${action} ID [--json]`],
  summary:
    action === 'enable'
      ? 'start at login (systemd: enable)'
      : action === 'disable'
        ? 'do not start at login (systemd: disable)'
        : `${action} and wait for the result`,
  options: { json: { type: 'boolean' } },
  run({ values, positionals }, io) {
    const id = exactlyOne(positionals, action);
    return withMonitor(io, async (m) => {
      const r = await m.act(id, action);
      if (!r.ok) throw new CliFailure(describeError(r.error));
      if (values.json) io.out(JSON.stringify(r.value, null, 2));
      return 0;
    });
  },
}));

export const unitCommands: Command[] = [list, status, ...actions];
