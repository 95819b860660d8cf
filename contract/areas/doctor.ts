// The "Will it start?" area of the IPC contract (issue 15): the check of everything set to start
// (or one entry), its fixes, a rehearsal, the startup timing and the GUI-program marks. Each
// channel declared once; contract/ipc.ts composes every area.
import { z } from 'zod';
import type {
  DoctorAction,
  DoctorReport,
  GuiMark,
  Rehearsal,
  StartupTiming,
} from '../../main/core/model/doctor.js';
import { asPayload, returns, field, nothing } from '../channel.js';
import { argv, entryId, line, path, payload } from '../schemas.js';

const unit = line(256);
const doctorAction = z.discriminatedUnion('kind', [
  payload({ kind: z.literal('daemon-reload') }),
  payload({ kind: z.literal('unmask'), unit }),
  payload({ kind: z.literal('restart'), id: entryId }),
  payload({ kind: z.literal('remove-broken-link'), unit }),
  payload({ kind: z.literal('enable-linger') }),
  payload({ kind: z.literal('autostart-enable'), file: line(255) }),
  payload({ kind: z.literal('cron-full-path'), key: line(64), argv }),
]) satisfies z.ZodType<DoctorAction>;

export const doctorChannels = {
  /** Everything set to start at login or boot, or one entry when `id` is given. Reads only. */
  'doctor:check': returns<DoctorReport>()('checkStartup', {
    payload: payload({ id: entryId.optional() }),
    args: (id?: string) => (id === undefined ? {} : { id }),
  }),
  'doctor:fix': returns<null>()('fixStartup', field('action', doctorAction)),
  'doctor:rehearse': returns<Rehearsal>()('rehearseStartup', {
    payload: payload({ id: entryId, watchMs: z.number().int().min(500).max(60_000).optional() }),
    args: (id: string, watchMs?: number) => (watchMs === undefined ? { id } : { id, watchMs }),
  }),
  'doctor:timing': returns<StartupTiming>()('startupTiming', nothing),
  'doctor:marks': returns<GuiMark[]>()('guiMarks', nothing),
  'doctor:mark': returns<GuiMark[]>()('markGui', {
    payload: payload({ program: path.min(1), gui: z.boolean().nullable() }),
    args: (mark: GuiMark) => asPayload(mark),
  }),
};
