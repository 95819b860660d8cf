// The startup area of the IPC contract: its channels, what each takes and answers, and the
// named API methods; contract/ipc.ts composes every area into InvokeMap and DaemonDeckApi.
import type { Result } from '../../main/core/model/domain.js';
import type {
  CronState,
  CronChange,
  AutostartItem,
  AutostartState,
  SelfAutostart,
  LingerState,
  HowItStarts,
  StartupSetupRequest,
  StartupSetupResult,
} from '../../main/core/model/startup.js';

export interface StartupInvokeMap {
  'cron:list': [payload: null, result: Result<CronState>];
  'cron:add': [
    payload: { argv: string[]; log?: string | null; revision?: string },
    result: Result<CronChange>,
  ];
  'cron:edit': [
    payload: { key: string; argv: string[]; log?: string | null; revision?: string },
    result: Result<CronChange>,
  ];
  'cron:set-enabled': [
    payload: { key: string; enabled: boolean; revision?: string },
    result: Result<CronChange>,
  ];
  'cron:remove': [payload: { key: string; revision?: string }, result: Result<CronChange>];
  'cron:run': [payload: { key: string }, result: Result<{ pid: number }>];
  'cron:undo': [payload: null, result: Result<CronState>];
  'autostart:list': [payload: null, result: Result<AutostartState>];
  'autostart:add': [
    payload: { name: string; argv: string[]; comment?: string },
    result: Result<AutostartItem>,
  ];
  'autostart:set-enabled': [
    payload: { file: string; enabled: boolean },
    result: Result<AutostartItem>,
  ];
  'autostart:remove': [payload: { file: string }, result: Result<null>];
  'autostart:set-self': [payload: { enabled: boolean }, result: Result<SelfAutostart>];
  'linger:get': [payload: null, result: Result<LingerState>];
  'linger:set': [payload: { enabled: boolean }, result: Result<LingerState>];
  'startup:how': [payload: { argv: string[] } | { id: string }, result: Result<HowItStarts>];
  'startup:setup': [payload: StartupSetupRequest, result: Result<StartupSetupResult>];
}

export const STARTUP_CHANNELS = [
  'cron:list',
  'cron:add',
  'cron:edit',
  'cron:set-enabled',
  'cron:remove',
  'cron:run',
  'cron:undo',
  'autostart:list',
  'autostart:add',
  'autostart:set-enabled',
  'autostart:remove',
  'autostart:set-self',
  'linger:get',
  'linger:set',
  'startup:how',
  'startup:setup',
] as const satisfies readonly (keyof StartupInvokeMap)[];

export interface StartupApi {
  listCron(): Promise<Result<CronState>>;
  addCron(
    argv: string[],
    opts?: { log?: string | null; revision?: string },
  ): Promise<Result<CronChange>>;
  editCron(
    key: string,
    argv: string[],
    opts?: { log?: string | null; revision?: string },
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
  setupStartup(request: StartupSetupRequest): Promise<Result<StartupSetupResult>>;
}
