// IPC handlers of the alerts area (issue 6): pause, per-entry mutes, crash history. Each payload
// is validated with zod before it reaches the core; without an alerts service every channel
// answers `unsupported`.
import { z } from 'zod';
import type { InvokeResult } from '../../../contract/ipc.js';
import type { AlertsInvokeMap } from '../../../contract/areas/alerts.js';
import type { AlertsState, CrashHistoryView } from '../model/alerts.js';
import { fail, invalidInput, ok } from '../errors.js';

/** What the alerts handlers need from the core (CrashAlerts plus CrashHistory: see alertsOps). */
export interface AlertsOps {
  state(): AlertsState;
  setPaused(paused: boolean): AlertsState;
  /** forMs null: until unmuted; 0: unmute. */
  mute(id: string, forMs: number | null): AlertsState;
  history(id: string): CrashHistoryView;
}

export type AlertsHandlers = {
  [C in keyof AlertsInvokeMap]: (payload: unknown) => Promise<InvokeResult<C>>;
};

const id = z
  .string()
  .min(1)
  .max(512)
  .regex(/^[a-z]+:[^\0\n]+$/, 'Not an entry id.');
const schemas = {
  get: z.null(),
  pause: z.object({ paused: z.boolean() }).strict(),
  mute: z
    .object({
      id,
      minutes: z
        .number()
        .int()
        .min(0)
        .max(60 * 24 * 365)
        .nullable(),
    })
    .strict(),
  history: z.object({ id }).strict(),
};

function problem(err: z.ZodError): string {
  return err.issues.map((i) => `${i.path.join('.') || 'payload'}: ${i.message}`).join('; ');
}

export function createAlertsHandlers(ops: AlertsOps | undefined): AlertsHandlers {
  const unsupported = () =>
    Promise.resolve(fail('unsupported', 'Crash alerts are not available in this window.'));
  if (ops === undefined)
    return {
      'alerts:get': unsupported,
      'alerts:pause': unsupported,
      'alerts:mute': unsupported,
      'alerts:history': unsupported,
    };
  return {
    'alerts:get': (payload) => {
      const p = schemas.get.safeParse(payload);
      return Promise.resolve(p.success ? ok(ops.state()) : invalidInput(problem(p.error)));
    },
    'alerts:pause': (payload) => {
      const p = schemas.pause.safeParse(payload);
      return Promise.resolve(
        p.success ? ok(ops.setPaused(p.data.paused)) : invalidInput(problem(p.error)),
      );
    },
    'alerts:mute': (payload) => {
      const p = schemas.mute.safeParse(payload);
      if (!p.success) return Promise.resolve(invalidInput(problem(p.error)));
      const { minutes } = p.data;
      return Promise.resolve(ok(ops.mute(p.data.id, minutes === null ? null : minutes * 60_000)));
    },
    'alerts:history': (payload) => {
      const p = schemas.history.safeParse(payload);
      return Promise.resolve(
        p.success ? ok(ops.history(p.data.id)) : invalidInput(problem(p.error)),
      );
    },
  };
}

/** The ops over a running CrashAlerts and its CrashHistory. */
export function alertsOps(
  alerts: Pick<AlertsOps, 'state' | 'setPaused' | 'mute'>,
  history: { of(id: string): CrashHistoryView['records']; flapping(id: string): boolean },
): AlertsOps {
  return {
    state: () => alerts.state(),
    setPaused: (paused) => alerts.setPaused(paused),
    mute: (entry, forMs) => alerts.mute(entry, forMs),
    history: (entry) => ({
      id: entry,
      records: history.of(entry),
      flapping: history.flapping(entry),
    }),
  };
}
