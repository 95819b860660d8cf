// The alerts area of the IPC contract (issue 6): pause, per-entry mutes, crash history. Each
// channel declared once; contract/ipc.ts composes every area.
import { z } from 'zod';
import type { AlertsState, CrashHistoryView } from '../../main/core/model/alerts.js';
import { returns, field, nothing } from '../channel.js';
import { entryId, payload } from '../schemas.js';

export const alertsChannels = {
  'alerts:get': returns<AlertsState>()('getAlerts', nothing),
  'alerts:pause': returns<AlertsState>()('setAlertsPaused', field('paused', z.boolean())),
  /** Mute an entry's alerts for `minutes` (null: until unmuted; 0: unmute). */
  'alerts:mute': returns<AlertsState>()('muteAlerts', {
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
  'alerts:history': returns<CrashHistoryView>()('getCrashHistory', field('id', entryId)),
};
