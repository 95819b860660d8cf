// IPC handlers of the startup area (issue 5): crontab @reboot lines, XDG autostart, linger and
// "how does this start?". Each payload is validated with zod before it reaches the core; without a
// startup service (a host where it is not wired) every channel answers `unsupported`.
import { z } from 'zod';
import type { InvokeResult } from '../../../contract/ipc.js';
import type { Result } from '../model/domain.js';
import type {
  AutostartItem,
  AutostartState,
  CronChange,
  CronState,
  HowItStarts,
  LingerState,
  SelfAutostart,
  StartupSetupRequest,
  StartupSetupResult,
} from '../model/startup.js';
import type { StartupInvokeMap } from '../../../contract/areas/startup.js';
import { fail, invalidInput } from '../errors.js';

/** What the startup handlers need from the core (implemented by StartupService). */
export interface StartupOps {
  listCron(): Promise<Result<CronState>>;
  addCron(
    argv: string[],
    opts: { log?: string | null; revision?: string },
  ): Promise<Result<CronChange>>;
  editCron(
    key: string,
    argv: string[],
    opts: { log?: string | null; revision?: string },
  ): Promise<Result<CronChange>>;
  setCronEnabled(key: string, enabled: boolean, revision?: string): Promise<Result<CronChange>>;
  removeCron(key: string, revision?: string): Promise<Result<CronChange>>;
  runCronNow(key: string): Promise<Result<{ pid: number }>>;
  undoCron(): Promise<Result<CronState>>;
  listAutostart(): Promise<Result<AutostartState>>;
  addAutostart(name: string, argv: string[], comment?: string): Promise<Result<AutostartItem>>;
  setAutostartEnabled(file: string, enabled: boolean): Promise<Result<AutostartItem>>;
  removeAutostart(file: string): Promise<Result<null>>;
  setSelfAutostart(enabled: boolean): Promise<Result<SelfAutostart>>;
  getLinger(): Promise<Result<LingerState>>;
  setLinger(enabled: boolean): Promise<Result<LingerState>>;
  howItStarts(target: { argv: string[] } | { id: string }): Promise<Result<HowItStarts>>;
  setup(request: StartupSetupRequest): Promise<Result<StartupSetupResult>>;
}

export type StartupHandlers = {
  [C in keyof StartupInvokeMap]: (payload: unknown) => Promise<InvokeResult<C>>;
};

const noControl = (s: string) => !/[\0\n\r]/.test(s);
const arg = z.string().max(4096).refine(noControl, 'An argument cannot contain a newline or NUL.');
const argv = z
  .array(arg)
  .min(1, 'A command needs at least the program to run.')
  .max(256)
  .refine((a) => (a[0] ?? '') !== '', 'The program to run cannot be empty.');
const key = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[0-9a-f]{8}(-\d+)?$/, 'A crontab line key looks like 1a2b3c4d.');
const revision = z.string().max(64).optional();
const log = z
  .string()
  .max(4096)
  .refine(noControl, 'A log file name cannot contain a newline.')
  .refine((s) => s === '' || s.startsWith('/'), 'The log file must be an absolute path.')
  .nullable()
  .optional();
const file = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[^/\0\n\r]+\.desktop$/, 'An autostart file is NAME.desktop, without a folder.');
const name = z.string().min(1).max(200).refine(noControl, 'A name holds no control characters.');
const mechanism = z.enum(['systemd', 'cron', 'xdg-autostart']);

const schemas = {
  add: z.object({ argv, log, revision }).strict(),
  edit: z.object({ key, argv, log, revision }).strict(),
  setEnabled: z.object({ key, enabled: z.boolean(), revision }).strict(),
  remove: z.object({ key, revision }).strict(),
  run: z.object({ key }).strict(),
  autostartAdd: z
    .object({ name, argv, comment: z.string().max(500).refine(noControl).optional() })
    .strict(),
  autostartEnabled: z.object({ file, enabled: z.boolean() }).strict(),
  autostartRemove: z.object({ file }).strict(),
  enabled: z.object({ enabled: z.boolean() }).strict(),
  how: z.union([
    z.object({ argv }).strict(),
    z.object({ id: z.string().min(1).max(512).refine(noControl) }).strict(),
  ]),
  setup: z
    .object({
      mechanism,
      argv,
      name: name.optional(),
      log: z
        .string()
        .max(4096)
        .refine(noControl)
        .refine((s) => s.startsWith('/'), 'The log file must be an absolute path.')
        .optional(),
      linger: z.boolean().optional(),
    })
    .strict(),
  none: z.null().optional(),
};

function check<T>(
  schema: z.ZodType<T>,
  payload: unknown,
): { ok: true; value: T } | { ok: false; message: string } {
  const p = schema.safeParse(payload);
  if (p.success) return { ok: true, value: p.data };
  return { ok: false, message: p.error.issues.map((i) => i.message).join('; ') };
}

/** Drop undefined fields so optional payload fields stay absent. */
function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

export function createStartupHandlers(startup: StartupOps | undefined): StartupHandlers {
  const unsupported = <T>(): Result<T> =>
    fail('unsupported', 'Start-at-login and @reboot management is not available in this build.');
  function handler<S, T>(
    schema: z.ZodType<S>,
    call: (ops: StartupOps, value: S) => Promise<Result<T>>,
  ): (payload: unknown) => Promise<Result<T>> {
    return async (payload) => {
      const p = check(schema, payload);
      if (!p.ok) return invalidInput(p.message);
      if (startup === undefined) return unsupported();
      return call(startup, p.value);
    };
  }
  return {
    'cron:list': handler(schemas.none, (s) => s.listCron()),
    'cron:add': handler(schemas.add, (s, v) =>
      s.addCron(v.argv, defined({ log: v.log, revision: v.revision })),
    ),
    'cron:edit': handler(schemas.edit, (s, v) =>
      s.editCron(v.key, v.argv, defined({ log: v.log, revision: v.revision })),
    ),
    'cron:set-enabled': handler(schemas.setEnabled, (s, v) =>
      s.setCronEnabled(v.key, v.enabled, v.revision),
    ),
    'cron:remove': handler(schemas.remove, (s, v) => s.removeCron(v.key, v.revision)),
    'cron:run': handler(schemas.run, (s, v) => s.runCronNow(v.key)),
    'cron:undo': handler(schemas.none, (s) => s.undoCron()),
    'autostart:list': handler(schemas.none, (s) => s.listAutostart()),
    'autostart:add': handler(schemas.autostartAdd, (s, v) =>
      s.addAutostart(v.name, v.argv, v.comment),
    ),
    'autostart:set-enabled': handler(schemas.autostartEnabled, (s, v) =>
      s.setAutostartEnabled(v.file, v.enabled),
    ),
    'autostart:remove': handler(schemas.autostartRemove, (s, v) => s.removeAutostart(v.file)),
    'autostart:set-self': handler(schemas.enabled, (s, v) => s.setSelfAutostart(v.enabled)),
    'linger:get': handler(schemas.none, (s) => s.getLinger()),
    'linger:set': handler(schemas.enabled, (s, v) => s.setLinger(v.enabled)),
    'startup:how': handler(schemas.how, (s, v) => s.howItStarts(v)),
    'startup:setup': handler(schemas.setup, (s, v) => s.setup(defined(v))),
  };
}
