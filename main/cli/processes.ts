// Process and session commands: ps (pgrep's selection), watch add/rm/list, run, kill, sessions,
// strays, adopt. `ps` exits 1 without output when nothing matches, as pgrep does.
import type { AppError } from '../core/model/domain.js';
import type { ProcessQuery } from '../core/model/processes.js';
import { AppFailure } from '../core/errors.js';
import { PatternError } from '../core/processes/ere.js';
import { MatchError } from '../core/processes/matcher.js';
import { ProcessService } from '../core/processes/process-service.js';
import { openConfWatchRules } from '../core/processes/watch-rules.js';
import { SessionService } from '../core/sessions/sessions.js';
import { withCore } from './units.js';
import type { Core } from '../core/app.js';
import { hostAdoptUndos } from '../core/processes/adopt-undos.js';
import { changeFarRules, farHost, farProcessService, farRules, onFarHost } from './on-host.js';
import { farStrays, openFarProcessService } from '../core/host/far-control.js';
import { isSshHost } from '../core/host/hosts.js';
import {
  CliFailure,
  UsageError,
  exactlyOne,
  stepLine,
  type CliIo,
  type Command,
  output,
  outputList,
} from './command.js';
import { t } from '../../i18n/index.js';

function failure(error: AppError): CliFailure {
  return new CliFailure(error.message);
}

/** Run core code, turning its thrown errors into one-line CLI failures. */
async function core<T>(fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof AppFailure) throw failure(err.error);
    // A pattern that is no regular expression is bad usage: exit 2, as pgrep exits.
    if (err instanceof PatternError) throw new UsageError(err.message, false);
    if (err instanceof MatchError) throw new UsageError(err.message);
    throw err;
  }
}

async function service(io: CliIo): Promise<ProcessService> {
  // Another host (--host): its table read in one round trip, its rules from its settings file.
  if (onFarHost(io)) return (await core(() => farProcessService(io))).service;
  const rules = await openConfWatchRules(io.env, (issue) =>
    io.err(`daemon-deck: ${t('cli:errors.warning', { message: issue })}`),
  );
  return new ProcessService({ rules, env: io.env });
}

function list(v: unknown): string[] {
  const items = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return items.flatMap((x) => String(x).split(',')).filter((x) => x !== '');
}

/** Split a command typed as one string into words: quotes and backslashes as a shell reads them, nothing expanded. */
export function splitWords(line: string): string[] {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote === "'") {
      if (c === "'") quote = null;
      else cur += c;
    } else if (quote === '"') {
      if (c === '"') quote = null;
      else if (c === '\\' && i + 1 < line.length && '"\\$`'.includes(line[i + 1]!))
        cur += line[++i];
      else cur += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < line.length) {
      cur += line[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (quote !== null) throw new UsageError(t('cli:processes.unterminated', { quote, line }));
  if (inWord) words.push(cur);
  return words;
}

const ps: Command = {
  name: 'ps',
  options: {
    full: { type: 'boolean', short: 'f' },
    exact: { type: 'boolean', short: 'x' },
    user: { type: 'string', short: 'u', multiple: true },
    parent: { type: 'string', short: 'P', multiple: true },
    newest: { type: 'boolean', short: 'n' },
    oldest: { type: 'boolean', short: 'o' },
    json: { type: 'boolean' },
  },
  async run({ values, positionals }, io) {
    if (positionals.length > 1) throw new UsageError(t('cli:processes.onePattern'));
    if (values.newest && values.oldest) throw new UsageError(t('cli:errors.newestOldest'));
    const parents = list(values.parent).map((p) => {
      if (!/^\d+$/.test(p)) throw new UsageError(t('cli:processes.notPid', { value: p }));
      return Number(p);
    });
    const query: ProcessQuery = {
      pattern: positionals[0] ?? null,
      full: values.full === true,
      exact: values.exact === true,
      users: list(values.user),
      parents,
      pick: values.newest ? 'newest' : values.oldest ? 'oldest' : 'all',
    };
    const s = await service(io);
    const rows = await core(() => s.list(query));
    if (values.json) io.out(JSON.stringify(rows, null, 2));
    else if (rows.length > 0) io.out(rows.map((r) => `${r.pid} ${r.command}`).join('\n'));
    return rows.length > 0 ? 0 : 1;
  },
};

const watch: Command = {
  name: 'watch',
  takesCommand: true,
  options: {
    match: { type: 'string' },
    full: { type: 'boolean', short: 'f' },
    exact: { type: 'boolean', short: 'x' },
    start: { type: 'string' },
    cwd: { type: 'string' },
    log: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run({ values, positionals, rest }, io) {
    const [sub, ...args] = positionals;
    const s = await service(io);
    if (sub === 'add') {
      const name = exactlyOne(args, 'watch add', 'NAME');
      if (typeof values.match !== 'string') throw new UsageError(t('cli:errors.watchNeedsMatch'));
      const start =
        rest.length > 0 ? rest : typeof values.start === 'string' ? splitWords(values.start) : null;
      const wanted = {
        name,
        pattern: values.match,
        full: values.full === true,
        exact: values.exact === true,
        start,
        cwd: typeof values.cwd === 'string' ? values.cwd : null,
        log: typeof values.log === 'string' ? values.log : null,
      };
      const rule = await core(async () =>
        onFarHost(io)
          ? changeFarRules(await farHost(io), (rules) => rules.add(wanted))
          : s.rules.add(wanted),
      );
      io.out(t('cli:processes.watching', { name: rule.name }));
      return 0;
    }
    if (sub === 'rm') {
      // The rule's name or its id as list prints it (process:NAME).
      const name = exactlyOne(args, 'watch rm', 'NAME').replace(/^process:/, '');
      await core(async () =>
        onFarHost(io)
          ? changeFarRules(await farHost(io), (rules) => rules.remove(name))
          : s.rules.remove(name),
      );
      io.out(t('cli:processes.ruleRemoved', { name }));
      return 0;
    }
    if (sub === 'list') {
      const entries = s.entries(s.scan());
      outputList(
        io,
        values.json,
        entries,
        t('cli:processes.noRules'),
        [
          t('cli:units.columns.state'),
          t('cli:units.columns.id'),
          t('cli:processes.columns.pids'),
          t('cli:units.columns.description'),
        ],
        (e) => [e.state, e.id, e.pids.join(',') || '-', e.description],
      );
      return 0;
    }
    throw new UsageError(t('cli:processes.watchForms'));
  },
};

const run: Command = {
  name: 'run',
  takesCommand: true,
  options: { log: { type: 'string' }, cwd: { type: 'string' }, json: { type: 'boolean' } },
  async run({ values, positionals, rest }, io) {
    const name = exactlyOne(positionals, 'run', 'NAME');
    if (name.trim() === '') throw new UsageError(t('cli:errors.runNeedsName'));
    if (rest.length === 0 || rest[0] === '') throw new UsageError(t('cli:errors.runNeedsCommand'));
    if (onFarHost(io)) {
      // Another host: started there, detached, in its user's home or --cwd; its output is
      // discarded (a log file there is not offered yet, and --log says so).
      if (typeof values.log === 'string')
        throw new CliFailure(t('hosts:far.noLog', { name: io.host }));
      const host = await farHost(io);
      const pid = await core(() =>
        host.spawnDetached(rest, {
          cwd: typeof values.cwd === 'string' ? values.cwd : (host.env.HOME ?? '/'),
        }),
      );
      output(io, values.json, { pid, host: host.name }, (x) =>
        t('hosts:far.started', { name, host: x.host, pid: x.pid }),
      );
      return 0;
    }
    const s = await service(io);
    const r = await core(() =>
      s.run(rest, {
        name,
        cwd: typeof values.cwd === 'string' ? values.cwd : (io.env.PWD ?? process.cwd()),
        log: typeof values.log === 'string' ? values.log : null,
      }),
    );
    output(io, values.json, r, (x) => t('cli:processes.started', { name, pid: x.pid, log: x.log }));
    return 0;
  },
};

/** A command that takes no arguments and prints a list: a table, or JSON with --json. */
function listCommand<T>(
  name: string,
  list: (io: CliIo) => Promise<readonly T[]>,
  [empty, header, row]: [string, string[], (x: T) => string[]],
): Command {
  return {
    name,
    options: { json: { type: 'boolean' } },
    async run({ values, positionals }, io) {
      if (positionals.length > 0)
        throw new UsageError(t('cli:errors.noArguments', { command: name }));
      outputList(io, values.json, await list(io), empty, header, row);
      return 0;
    },
  };
}

const sessions = listCommand(
  'sessions',
  async (io) => {
    const s = await service(io);
    // Another host: the core's own listing run there (tmux and screen through the host's one
    // runner, each argv quoted for the far shell), named from the far table read once.
    const at = onFarHost(io) ? { host: await farHost(io) } : { env: io.env };
    return core(() => new SessionService({ ...at, scan: () => s.scan() }).list());
  },
  [
    t('cli:processes.noSessions'),
    [
      t('cli:units.columns.id'),
      t('cli:processes.columns.windows'),
      t('cli:processes.columns.attached'),
      t('cli:processes.columns.running'),
    ],
    (x) => [
      x.id,
      String(x.windows),
      x.attached ? t('cli:units.yes') : t('cli:units.no'),
      x.commands.join(' | '),
    ],
  ],
);

const strays = listCommand(
  'strays',
  async (io) => {
    const s = await service(io);
    // Another host: from its one table read (far-control.ts), each naming the host.
    if (onFarHost(io)) return farStrays(s, (await farHost(io)).name);
    return core(() => s.strays());
  },
  [
    t('cli:processes.noStrays'),
    [
      t('cli:processes.columns.pid'),
      t('cli:processes.columns.started'),
      t('cli:processes.columns.how'),
      t('cli:processes.columns.cwd'),
      t('cli:processes.columns.command'),
    ],
    (x) => [String(x.pid), x.startedAt, x.origin, x.cwd ?? '?', x.command],
  ],
);

/**
 * The process service Adopt runs on: this machine's (the core's), or on another host (--host)
 * its table, its processes stopped and started there, the unit written through that host's
 * authoring and started by its manager (the core's, over the host). Either keeps its Undo
 * records in a file of that host (adopt-undos.ts), for `adopt --undo NAME`.
 */
function adoptService(io: CliIo, c: Core): Promise<ProcessService> | ProcessService {
  if (!(onFarHost(io) && isSshHost(c.host))) return c.processes;
  const host = c.host;
  return core(() =>
    openFarProcessService(host, farRules(host), {
      authoring: c.authoring,
      unitAct: (id, action) => c.monitor.act(id, action),
      undoStore: hostAdoptUndos(host),
    }),
  );
}

/** `adopt --undo NAME`: the last Adopt as NAME undone, on this machine or on --host. */
function undoAdopt(name: string, json: unknown, io: CliIo): Promise<number> {
  return withCore(
    io,
    async (c) => {
      const processes = await adoptService(io, c);
      const r = await core(() => processes.adoptUndoLast(name));
      const command = r.argv.join(' ');
      output(
        io,
        json,
        { undone: r.unit, argv: r.argv, cwd: r.cwd, ...(io.host ? { host: io.host } : {}) },
        () => t('adopt:cli.undone', { unit: r.unit, command }),
      );
      return 0;
    },
    { sources: ['systemd'], needsBus: true },
  );
}

const adopt: Command = {
  name: 'adopt',
  options: {
    name: { type: 'string' },
    enable: { type: 'boolean' },
    'dry-run': { type: 'boolean' },
    env: { type: 'string', multiple: true },
    undo: { type: 'string' },
    json: { type: 'boolean' },
  },
  run({ values, positionals }, io) {
    if (typeof values.undo === 'string') {
      if (positionals.length > 0 || values.name !== undefined || values['dry-run'] === true)
        throw new UsageError(t('adopt:cli.undoForms'));
      return undoAdopt(values.undo, values.json, io);
    }
    const arg = exactlyOne(positionals, 'adopt', 'PID');
    if (!/^\d+$/.test(arg)) throw new UsageError(t('cli:processes.notPid', { value: arg }));
    if (typeof values.name !== 'string') throw new UsageError(t('cli:errors.adoptNeedsName'));
    const json = values.json === true;
    const pid = Number(arg);
    const name = values.name;
    const keep = list(values.env);
    const enable = values.enable === true;
    return withCore(
      io,
      async (c) => {
        const processes = await adoptService(io, c);
        if (values['dry-run'] === true) {
          const p = await core(() => processes.adoptPreview(pid, name, keep, enable, true, true));
          if (p.issues.length > 0 || p.unitText === null)
            throw new CliFailure(
              p.issues.map((i) => i.message).join(' ') || t('cli:processes.nothingToAdopt'),
            );
          if (json) io.out(JSON.stringify(p, null, 2));
          else {
            io.out(t('cli:processes.adoptDryRun', { unit: p.unit, pid }));
            io.out(p.unitText.replace(/\n$/, ''));
          }
          return 0;
        }
        // With --json, one object at the end: the stop's steps are in it rather than printed.
        const r = await core(() =>
          processes.adopt({ pid, starttime: null, name, environment: keep, enable }, (step) => {
            if (!json) io.out(t('cli:processes.adoptStep', { pid, step: stepLine(step) }));
          }),
        );
        const detail = await c.monitor.unitDetail(`systemd:${r.unit}`);
        const mainPid = detail.ok && detail.value.mainPid ? detail.value.mainPid : null;
        const undo = [
          'daemon-deck',
          ...(io.host ? ['--host', io.host] : []),
          'adopt',
          '--undo',
          r.unit.replace(/\.service$/, ''),
        ].join(' ');
        if (json) {
          io.out(JSON.stringify({ pid, ...r, mainPid, undo }, null, 2));
          return 0;
        }
        const main = mainPid !== null ? t('cli:processes.adoptMainPid', { pid: mainPid }) : '';
        io.out(
          t(r.enabled ? 'cli:processes.adoptedEnabled' : 'cli:processes.adopted', {
            pid,
            unit: r.unit,
            main,
          }),
        );
        io.out(t('adopt:cli.undoWith', { command: undo }));
        return 0;
      },
      { sources: ['systemd'], needsBus: true },
    );
  },
};

export const processCommands: Command[] = [ps, watch, run, sessions, strays, adopt];
