// The `daemon-deck` command: the same core as the app, scriptable, with JSON output.
// Exit status: 0 success, 1 the operation failed (one readable line on stderr), 2 bad usage.
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import type { AppError, Entry, EntryAction, EntryKind, UnitDetail } from '../preload/contract.js';
import { createSystemdMonitor, type SystemdMonitor } from './core/monitor/create-monitor.js';

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

const USAGE = `Usage: daemon-deck COMMAND [OPTIONS]

Everything you keep running in the background, from the command line.

Commands:
  list [--json] [--kind KIND]      every entry with its state (KIND: ${KINDS.join(', ')})
  status ID [--json]               one entry in detail
  start|stop|restart|reload ID     act on an entry and wait for the result
  enable|disable ID                start (or not) at login

IDs are as the app shows them: systemd:NAME.service; a bare unit name works too.
Options:
  -h, --help                       this text
  -V, --version                    the version`;

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  env: NodeJS.ProcessEnv;
}

class UsageError extends Error {}

/** The version in the nearest package.json above this file (source and built layouts differ). */
function version(): string {
  for (const rel of ['../package.json', '../../package.json', '../../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === 'daemon-deck') return pkg.version ?? 'unknown';
    } catch {
      continue;
    }
  }
  return 'unknown';
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

function formatList(entries: Entry[]): string {
  if (entries.length === 0) return 'Nothing to show.';
  const rows = entries.map((e) => [
    e.state,
    e.autostart.state ?? (e.autostart.enabled ? 'enabled' : '-'),
    e.id,
    e.description,
  ]);
  const widths = [0, 1, 2].map((i) =>
    Math.max(...rows.map((r) => (r[i] ?? '').length), ['STATE', 'AT LOGIN', 'ID'][i]!.length),
  );
  const line = (r: string[]) =>
    [
      pad(r[0] ?? '', widths[0]!),
      pad(r[1] ?? '', widths[1]!),
      pad(r[2] ?? '', widths[2]!),
      r[3] ?? '',
    ]
      .join('  ')
      .trimEnd();
  return [line(['STATE', 'AT LOGIN', 'ID', 'DESCRIPTION']), ...rows.map(line)].join('\n');
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

function describe(error: AppError): string {
  const detail = error.detail?.split('\n')[0];
  return detail && !error.message.includes(detail) && error.code === 'bus-unavailable'
    ? `${error.message} (${detail})`
    : error.message;
}

async function withMonitor<T>(io: CliIo, fn: (m: SystemdMonitor) => Promise<T>): Promise<T> {
  const monitor = createSystemdMonitor({ env: io.env });
  try {
    await monitor.start();
    const source = monitor.snapshot().sources.systemd;
    if (source.status === 'unavailable') throw new CliFailure(describe(source.error));
    return await fn(monitor);
  } finally {
    await monitor.stop();
  }
}

class CliFailure extends Error {}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`daemon-deck: ${err.message}\nRun 'daemon-deck --help' for usage.`);
      return 2;
    }
    if (err instanceof CliFailure) {
      io.err(`daemon-deck: ${err.message}`);
      return 1;
    }
    io.err(`daemon-deck: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}

async function dispatch(argv: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        json: { type: 'boolean' },
        kind: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'V' },
      },
    });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  if (values.version) {
    io.out(version());
    return 0;
  }
  const [command, ...rest] = positionals;
  if (command === undefined) {
    io.out(USAGE);
    return 2;
  }
  if (command === 'list') {
    if (rest.length > 0) throw new UsageError(`list takes no arguments (got "${rest.join(' ')}")`);
    const kind = values.kind;
    if (kind !== undefined && !(KINDS as readonly string[]).includes(kind)) {
      throw new UsageError(`unknown kind "${kind}": use one of ${KINDS.join(', ')}`);
    }
    return withMonitor(io, (m) => {
      const entries = m.snapshot().entries.filter((e) => kind === undefined || e.kind === kind);
      io.out(values.json ? JSON.stringify(entries, null, 2) : formatList(entries));
      return Promise.resolve(0);
    });
  }
  if (command === 'status') {
    const id = one(rest, 'status');
    return withMonitor(io, async (m) => {
      const r = await m.unitDetail(id);
      if (!r.ok) throw new CliFailure(describe(r.error));
      io.out(
        values.json
          ? JSON.stringify({ ...r.value.entry, detail: r.value }, null, 2)
          : formatDetail(r.value),
      );
      return 0;
    });
  }
  if ((ACTIONS as readonly string[]).includes(command)) {
    const action = command as EntryAction;
    const id = one(rest, command);
    return withMonitor(io, async (m) => {
      const r = await m.act(id, action);
      if (!r.ok) throw new CliFailure(describe(r.error));
      if (values.json) io.out(JSON.stringify(r.value, null, 2));
      return 0;
    });
  }
  throw new UsageError(`unknown command "${command}"`);
}

function one(rest: string[], command: string): string {
  if (rest.length !== 1 || rest[0] === undefined) {
    throw new UsageError(`${command} takes exactly one ID`);
  }
  return rest[0];
}
