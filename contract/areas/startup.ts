// The startup area of the IPC contract (issue 5): crontab @reboot lines, XDG autostart, linger
// and "how does this start?". Each channel declared once; contract/ipc.ts composes every area.
import { z } from 'zod';
import type {
  AutostartItem,
  AutostartState,
  CronChange,
  CronState,
  CronToTimerOutcome,
  HowItStarts,
  LingerState,
  SelfAutostart,
  StartupSetupRequest,
  StartupSetupResult,
} from '../../main/core/model/startup.js';
import { asPayload, returns, field, nothing } from '../channel.js';
import { absolutePath, argv, entryId, line, payload } from '../schemas.js';

/** The key of a crontab line. */
const key = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[0-9a-f]{8}(-\d+)?$/, 'A crontab line key looks like 1a2b3c4d.');
const revision = z.string().max(64).optional();
/** A log file for a crontab line: an absolute path, or '' / null for none. */
const cronLog = absolutePath.or(z.literal('')).nullable().optional();
const file = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[^/\0\n\r]+\.desktop$/, 'An autostart file is NAME.desktop, without a folder.');
type CronOpts = { log?: string | null; revision?: string };
/** Leaves out what was not given, so an absent option stays absent. */
const given = <T extends object>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

export const startupChannels = {
  'cron:list': returns<CronState>()('listCron', nothing),
  'cron:add': returns<CronChange>()('addCron', {
    payload: payload({ argv, log: cronLog, revision }),
    args: (argv: string[], opts: CronOpts = {}) => ({ argv, ...opts }),
  }),
  'cron:edit': returns<CronChange>()('editCron', {
    payload: payload({ key, argv, log: cronLog, revision }),
    args: (key: string, argv: string[], opts: CronOpts = {}) => ({ key, argv, ...opts }),
  }),
  'cron:set-enabled': returns<CronChange>()('setCronEnabled', {
    payload: payload({ key, enabled: z.boolean(), revision }),
    args: (key: string, enabled: boolean, revision?: string) => given({ key, enabled, revision }),
  }),
  'cron:remove': returns<CronChange>()('removeCron', {
    payload: payload({ key, revision }),
    args: (key: string, revision?: string) => given({ key, revision }),
  }),
  'cron:run': returns<{ pid: number }>()('runCronNow', field('key', key)),
  'cron:undo': returns<CronState>()('undoCron', nothing),
  // Issue 14: any line's schedule or command, its next runs, and "Move to a timer".
  'cron:change': returns<CronChange>()('changeCron', {
    payload: payload({
      key,
      schedule: line(200).optional(),
      argv: argv.optional(),
      log: cronLog,
      revision,
    }),
    args: (
      key: string,
      patch: { schedule?: string; argv?: string[]; log?: string | null },
      revision?: string,
    ) => given({ key, ...patch, revision }),
  }),
  'cron:next-runs': returns<string[]>()('cronNextRuns', {
    payload: payload({ key, count: z.number().int().min(1).max(50).optional() }),
    args: (key: string, count?: number) => given({ key, count }),
  }),
  'cron:to-timer': returns<CronToTimerOutcome>()('cronToTimer', {
    payload: payload({ key, name: line(100).optional() }),
    args: (key: string, name?: string) => given({ key, name }),
  }),
  'cron:undo-to-timer': returns<{ key: string | null; undone: string }>()(
    'undoCronToTimer',
    field('token', line(300)),
  ),
  'autostart:list': returns<AutostartState>()('listAutostart', nothing),
  'autostart:add': returns<AutostartItem>()('addAutostart', {
    payload: payload({ name: line(200), argv, comment: line(500).optional() }),
    args: (name: string, argv: string[], comment?: string) => given({ name, argv, comment }),
  }),
  'autostart:set-enabled': returns<AutostartItem>()('setAutostartEnabled', {
    payload: payload({ file, enabled: z.boolean() }),
    args: (file: string, enabled: boolean) => ({ file, enabled }),
  }),
  'autostart:remove': returns<null>()('removeAutostart', field('file', file)),
  'autostart:set-self': returns<SelfAutostart>()('setSelfAutostart', field('enabled', z.boolean())),
  'linger:get': returns<LingerState>()('getLinger', nothing),
  'linger:set': returns<LingerState>()('setLinger', field('enabled', z.boolean())),
  'startup:how': returns<HowItStarts>()('howItStarts', {
    payload: z.union([payload({ argv }), payload({ id: entryId })]),
    args: (target: { argv: string[] } | { id: string }) => asPayload(target),
  }),
  'startup:setup': returns<StartupSetupResult>()('setupStartup', {
    payload: payload({
      mechanism: z.enum(['systemd', 'cron', 'xdg-autostart']),
      argv,
      name: line(200).optional(),
      log: absolutePath.optional(),
      linger: z.boolean().optional(),
      move: z.boolean().optional(),
    }) satisfies z.ZodType<StartupSetupRequest>,
    args: (request: StartupSetupRequest) => asPayload(request),
  }),
};
