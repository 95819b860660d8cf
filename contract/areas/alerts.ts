// The alerts area of the IPC contract (issue 6): pause, per-entry mutes, crash history. Each
// channel declared once; contract/ipc.ts composes every area.
import { z } from 'zod';
import type { AlertsState, CrashHistoryView } from '../../main/core/model/alerts.js';
import { noArgs, returns } from '../channel.js';
import { entryId, none, payload } from '../schemas.js';

export const alertsChannels = {
  'alerts:get': returns<AlertsState>()({ method: 'getAlerts', payload: none, args: noArgs }),
  'alerts:pause': returns<AlertsState>()({
    method: 'setAlertsPaused',
    payload: payload({ paused: z.boolean() }),
    args: (paused: boolean) => ({ paused }),
  }),
  /** Mute an entry's alerts for `minutes` (null: until unmuted; 0: unmute). */
  'alerts:mute': returns<AlertsState>()({
    method: 'muteAlerts',
    payload: payload({
      id: entryId,
      minutes: z
        .number()
        .int()
        .min(0)
        .max(60 * 24 * 365)
        .nullable(),
    }),
    args: (id: string, minutes: number | null) => ({ id, minutes }),
  }),
  'alerts:history': returns<CrashHistoryView>()({
    method: 'getCrashHistory',
    payload: payload({ id: entryId }),
    args: (id: string) => ({ id }),
  }),
};
