// The IPC handler table: one function per invoke channel, each validating its payload with zod
// before it reaches the core. Electron's ipcMain is one transport for this table (main/shell/ipc.ts);
// the e2e tests' HTTP transport is another. Senders are checked by each transport.
import { z } from 'zod';
import {
  APP_PAGES,
  DETAIL_TABS,
  type AppPage,
  type DetailTab,
  type AppInfo,
  type EventChannel,
  type EventMap,
  type InvokeChannel,
  type InvokeResult,
} from '../../../contract/ipc.js';
import { ENTRY_ACTIONS, type Result } from '../model/domain.js';
import type { Monitor } from '../monitor/monitor.js';
import type { SettingsStore } from '../settings/settings.js';
import { logLinesSchema, pollIntervalSchema, themeSchema } from '../settings/settings-schema.js';
import { invalidInput, toAppError } from '../errors.js';
import { createAuthoringHandlers, type AuthoringOps } from './authoring-handlers.js';
import { createStartupHandlers, type StartupOps } from './startup-handlers.js';
import { createAlertsHandlers, type AlertsOps } from './alerts-handlers.js';
import { createProcessesHandlers, type ProcessesOps } from './processes-handlers.js';

/** What only the shell (or a test transport) can do: windows. */
export interface WindowOps {
  openDetail(id: string, tab?: DetailTab): Promise<Result<null>>;
  openPage(page: AppPage, id?: string): Promise<Result<null>>;
}

export type HandlerTable = {
  [C in InvokeChannel]: (payload: unknown) => Promise<InvokeResult<C>>;
};

export interface IpcTable {
  handlers: HandlerTable;
  subscribe<E extends EventChannel>(channel: E, listener: (value: EventMap[E]) => void): () => void;
}

const entryId = z
  .string()
  .min(1)
  .max(512)
  .refine((s) => !/[\0\n\r]/.test(s), 'An id holds no control characters.');
const idPayload = z.object({ id: entryId }).strict();
const detailPayload = z.object({ id: entryId, tab: z.enum(DETAIL_TABS).optional() }).strict();
const settingsPatch = z
  .object({
    theme: themeSchema.optional(),
    pollIntervalMs: pollIntervalSchema.optional(),
    alerts: z
      .object({
        notifyOnAutoRestart: z.boolean().optional(),
        logLines: logLinesSchema.optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
const actPayload = z.object({ id: entryId, action: z.enum(ENTRY_ACTIONS) }).strict();
const pagePayload = z.object({ page: z.enum(APP_PAGES), id: entryId.optional() }).strict();
const pinPayload = z.object({ id: entryId, pinned: z.boolean() }).strict();
const nullPayload = z.null().optional();

/** Thrown for payloads that fail validation on channels whose result is not a Result. */
export class InvalidPayloadError extends Error {}

function parse<T>(
  schema: z.ZodType<T>,
  payload: unknown,
): { ok: true; value: T } | { ok: false; message: string } {
  const parsed = schema.safeParse(payload);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, message: parsed.error.issues.map((i) => i.message).join('; ') };
}

export interface IpcTableDeps {
  monitor: Monitor;
  settings: SettingsStore;
  windows: WindowOps;
  appInfo: AppInfo;
  /** Unit authoring, logs, resources and timers (issue 3); absent: its channels answer `unsupported`. */
  authoring?: AuthoringOps;
  /** Crontab @reboot, XDG autostart, linger, how things start (issue 5); absent: `unsupported`. */
  startup?: StartupOps;
  /** Processes, watch rules, strays, Adopt, tmux/screen (issue 4); absent: `unsupported`. */
  processes?: ProcessesOps;
  /** Crash alerts: pause, mutes, crash history (issue 6); absent: `unsupported`. */
  alerts?: AlertsOps;
}

export function createIpcTable({
  monitor,
  settings,
  windows,
  appInfo,
  authoring,
  startup,
  processes,
  alerts,
}: IpcTableDeps): IpcTable {
  const noPayload = <T>(payload: unknown, answer: () => T): Promise<T> => {
    const p = parse(nullPayload, payload);
    if (!p.ok)
      return Promise.reject(new InvalidPayloadError(`This request takes no payload: ${p.message}`));
    return Promise.resolve(answer());
  };
  const handlers: HandlerTable = {
    ...createAuthoringHandlers(authoring),
    ...createStartupHandlers(startup),
    ...createProcessesHandlers(processes),
    ...createAlertsHandlers(alerts),
    'snapshot:get': (payload) => noPayload(payload, () => monitor.snapshot()),
    'units:detail': async (payload) => {
      const p = parse(idPayload, payload);
      if (!p.ok) return invalidInput(p.message);
      return monitor.unitDetail(p.value.id);
    },
    'entries:act': async (payload) => {
      const p = parse(actPayload, payload);
      if (!p.ok) return invalidInput(p.message);
      return monitor.act(p.value.id, p.value.action);
    },
    'settings:get': (payload) => noPayload(payload, () => settings.get()),
    'settings:pin': (payload) => {
      const p = parse(pinPayload, payload);
      if (!p.ok) return Promise.resolve(invalidInput(p.message));
      const { id, pinned } = p.value;
      const current = settings.get().pinned.filter((x) => x !== id);
      try {
        const next = settings.update({ pinned: pinned ? [...current, id] : current });
        return Promise.resolve({ ok: true as const, value: next });
      } catch (err) {
        // The settings file could not be written (a full disk): say so, keep the old settings.
        return Promise.resolve({ ok: false as const, error: toAppError(err) });
      }
    },
    'settings:update': (payload) => {
      const p = parse(settingsPatch, payload);
      if (!p.ok) return Promise.resolve(invalidInput(p.message));
      const { theme, pollIntervalMs, alerts } = p.value;
      try {
        const next = settings.update({
          ...(theme !== undefined ? { theme } : {}),
          ...(pollIntervalMs !== undefined ? { pollIntervalMs } : {}),
          ...(alerts !== undefined
            ? {
                alerts: Object.fromEntries(
                  Object.entries(alerts).filter(([, v]) => v !== undefined),
                ),
              }
            : {}),
        });
        return Promise.resolve({ ok: true as const, value: next });
      } catch (err) {
        // The settings file could not be written (a full disk): say so, keep the old settings.
        return Promise.resolve({ ok: false as const, error: toAppError(err) });
      }
    },
    'window:open-detail': async (payload) => {
      const p = parse(detailPayload, payload);
      if (!p.ok) return invalidInput(p.message);
      return p.value.tab === undefined
        ? windows.openDetail(p.value.id)
        : windows.openDetail(p.value.id, p.value.tab);
    },
    'window:open-page': async (payload) => {
      const p = parse(pagePayload, payload);
      if (!p.ok) return invalidInput(p.message);
      return windows.openPage(p.value.page, p.value.id);
    },
    'app:info': (payload) => noPayload(payload, () => appInfo),
  };
  return {
    handlers,
    subscribe(channel, listener) {
      switch (channel) {
        case 'snapshot:changed':
          return monitor.onSnapshot(listener as (v: EventMap['snapshot:changed']) => void);
        case 'settings:changed':
          return settings.onChange(listener as (v: EventMap['settings:changed']) => void);
        case 'processes:stop-progress':
          return (
            processes?.progress?.on(
              'processes:stop-progress',
              listener as (v: EventMap['processes:stop-progress']) => void,
            ) ?? (() => undefined)
          );
        case 'processes:adopt-progress':
          return (
            processes?.progress?.on(
              'processes:adopt-progress',
              listener as (v: EventMap['processes:adopt-progress']) => void,
            ) ?? (() => undefined)
          );
        default:
          throw new Error(`unknown event channel ${String(channel)}`);
      }
    },
  };
}
