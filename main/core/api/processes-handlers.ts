// IPC handlers for the processes area (issue 4): processes, watch rules, strays, Adopt, tmux and
// screen sessions. Every payload is checked with zod here; what values mean (patterns, paths,
// session names) is checked by the core, which answers with readable AppErrors.
import { z } from 'zod';
import type { InvokeResult } from '../../../contract/ipc.js';
import type { Result } from '../model/domain.js';
import type { ProcessesInvokeMap } from '../../../contract/areas/processes.js';
import type { ProcessQuery, WatchRule } from '../model/processes.js';
import { fail, invalidInput } from '../errors.js';
import { asResult, asResultAsync, type ProcessService } from '../processes/process-service.js';
import type { ProcessProgress } from '../processes/progress.js';
import type { SessionService } from '../sessions/sessions.js';

/** What the core offers these channels. */
export interface ProcessesOps {
  processes: ProcessService;
  sessions: SessionService;
  /** Where stop and Adopt progress goes (the IPC table's event channels); absent: nowhere. */
  progress?: ProcessProgress;
}

export type ProcessesHandlers = {
  [C in keyof ProcessesInvokeMap]: (payload: unknown) => Promise<InvokeResult<C>>;
};

const text = (max: number) =>
  z
    .string()
    .max(max)
    .refine((s) => !s.includes('\0'), 'No NUL characters.');
const pid = z.number().int().positive().max(4_194_304);
const argv = z.array(text(65_536)).min(1).max(4096);
const path = text(4096).nullable();
const kind = z.enum(['tmux', 'screen']);
const opId = text(128).nullable().optional();

const query = z
  .object({
    pattern: text(4096).nullable(),
    full: z.boolean(),
    exact: z.boolean(),
    users: z.array(text(256)).max(64),
    parents: z.array(pid).max(1024),
    pick: z.enum(['all', 'newest', 'oldest']),
  })
  .strict() satisfies z.ZodType<ProcessQuery>;
const rule = z
  .object({
    name: text(64),
    pattern: text(4096),
    full: z.boolean(),
    exact: z.boolean(),
    start: argv.nullable(),
    cwd: path,
    log: path,
  })
  .strict() satisfies z.ZodType<WatchRule>;

const schemas = {
  list: z.object({ query: query.nullable() }).strict(),
  signal: z
    .object({ pid, starttime: z.number().int().nonnegative().nullable(), signal: text(32) })
    .strict(),
  stop: z
    .object({
      pids: z.array(pid).min(1).max(1024),
      timeoutMs: z.number().int().min(0).max(600_000).nullable(),
      opId,
    })
    .strict(),
  pid: z.object({ pid }).strict(),
  run: z.object({ argv, cwd: path, log: path, name: text(64).nullable() }).strict(),
  watchAdd: z.object({ rule }).strict(),
  name: z.object({ name: text(64) }).strict(),
  adoptPreview: z
    .object({
      pid,
      name: text(256),
      environment: z.array(text(1024)).max(1024),
      enable: z.boolean().optional(),
      restart: z.boolean().optional(),
    })
    .strict(),
  adopt: z
    .object({
      pid,
      starttime: z.number().int().nonnegative().nullable(),
      name: text(256),
      environment: z.array(text(1024)).max(1024),
      enable: z.boolean(),
      restart: z.boolean().optional(),
      opId,
    })
    .strict(),
  token: z.object({ token: text(512) }).strict(),
  watchLogs: z
    .object({
      name: text(64),
      lines: z.number().int().min(1).max(10_000).optional(),
      afterCursor: text(64).optional(),
    })
    .strict(),
  session: z.object({ kind, name: text(64) }).strict(),
  sessionNew: z.object({ kind, name: text(64), argv, cwd: path }).strict(),
  none: z.null().optional(),
};

function parse<T>(
  schema: z.ZodType<T>,
  payload: unknown,
): { ok: true; value: T } | { ok: false; message: string } {
  const r = schema.safeParse(payload);
  return r.success
    ? { ok: true, value: r.data }
    : {
        ok: false,
        message: r.error.issues
          .map((i) => `${i.path.join('.') || 'payload'}: ${i.message}`)
          .join('; '),
      };
}

export function createProcessesHandlers(ops: ProcessesOps | undefined): ProcessesHandlers {
  const unsupported = <T>(): Promise<Result<T>> =>
    Promise.resolve(fail('unsupported', 'Processes and sessions are not available in this build.'));
  const handle =
    <S, T>(
      schema: z.ZodType<S>,
      run: (ops: ProcessesOps, value: S) => Promise<Result<T>> | Result<T>,
    ) =>
    async (payload: unknown): Promise<Result<T>> => {
      const p = parse(schema, payload);
      if (!p.ok) return invalidInput(p.message);
      if (ops === undefined) return unsupported<T>();
      return run(ops, p.value);
    };
  return {
    'processes:list': handle(schemas.list, (o, v) => asResult(() => o.processes.list(v.query))),
    'processes:signal': handle(schemas.signal, (o, v) =>
      asResult(() => {
        o.processes.signal(v.pid, v.starttime, v.signal);
        return null;
      }),
    ),
    'processes:stop': handle(schemas.stop, (o, v) => {
      const id = v.opId ?? null;
      const progress = o.progress;
      return asResultAsync(() =>
        o.processes.stop(
          v.pids,
          v.timeoutMs,
          id !== null && progress !== undefined
            ? (step) => progress.stop({ opId: id, pids: v.pids, step })
            : undefined,
        ),
      );
    }),
    'processes:detail': handle(schemas.pid, (o, v) => asResult(() => o.processes.detail(v.pid))),
    'processes:run': handle(schemas.run, (o, v) =>
      asResultAsync(() => o.processes.run(v.argv, { cwd: v.cwd, log: v.log, name: v.name })),
    ),
    'processes:watch-list': handle(schemas.none, (o) => asResult(() => o.processes.rules.list())),
    'processes:watch-add': handle(schemas.watchAdd, (o, v) =>
      asResult(() => o.processes.rules.add(v.rule)),
    ),
    'processes:watch-remove': handle(schemas.name, (o, v) =>
      asResult(() => o.processes.rules.remove(v.name)),
    ),
    'processes:strays': handle(schemas.none, (o) => asResult(() => o.processes.strays())),
    'processes:adopt-preview': handle(schemas.adoptPreview, (o, v) =>
      asResultAsync(() =>
        o.processes.adoptPreview(v.pid, v.name, v.environment, v.enable, v.restart),
      ),
    ),
    'processes:adopt': handle(schemas.adopt, (o, v) => {
      const id = v.opId ?? null;
      const progress = o.progress;
      const unit = v.name.endsWith('.service') ? v.name : `${v.name}.service`;
      return asResultAsync(() =>
        o.processes.adopt(
          v,
          undefined,
          id !== null && progress !== undefined
            ? (phase, step) => progress.adopt({ opId: id, pid: v.pid, unit, phase, step })
            : undefined,
        ),
      );
    }),
    'processes:adopt-undo': handle(schemas.token, (o, v) =>
      asResultAsync(async () => {
        await o.processes.adoptUndo(v.token);
        return null;
      }),
    ),
    'processes:adopt-dismiss': handle(schemas.token, (o, v) =>
      asResult(() => {
        o.processes.dismissUndo(v.token);
        return null;
      }),
    ),
    'processes:watch-logs': handle(schemas.watchLogs, (o, v) =>
      asResultAsync(() =>
        o.processes.watchLogs(v.name, {
          ...(v.lines !== undefined ? { lines: v.lines } : {}),
          ...(v.afterCursor !== undefined ? { afterCursor: v.afterCursor } : {}),
        }),
      ),
    ),
    'sessions:list': handle(schemas.none, (o) => asResultAsync(() => o.sessions.list())),
    'sessions:kill': handle(schemas.session, (o, v) =>
      asResultAsync(async () => {
        await o.sessions.kill(v.kind, v.name);
        return null;
      }),
    ),
    'sessions:new': handle(schemas.sessionNew, (o, v) =>
      asResultAsync(() => o.sessions.create(v.kind, v.name, v.argv, v.cwd)),
    ),
    'sessions:attach-command': handle(schemas.session, (o, v) =>
      asResult(() => o.sessions.attachCommand(v.kind, v.name)),
    ),
  };
}
