// The logs area of the IPC contract (issue 14): export a log to a file the user picks, and a
// background command's log file: its size and growth, and rotation. Reading lines stays on
// authoring:logs and processes:watch-logs (with the filters of logRange). Each channel declared
// once; contract/ipc.ts composes every area.
import { z } from 'zod';
import type {
  LogExport,
  LogFileInfo,
  LogQuery,
  LogTarget,
  RotateOutcome,
} from '../../main/core/model/logs.js';
import { returns, field } from '../channel.js';
import { entryId, logRange, payload, text } from '../schemas.js';

const target = z.discriminatedUnion('kind', [
  payload({ kind: z.literal('unit'), id: entryId }),
  payload({ kind: z.literal('watch'), name: text(64) }),
]) satisfies z.ZodType<LogTarget>;

export const logsChannels = {
  /** Asks the shell where to save (a save dialog), then writes the lines the query selects
   *  there atomically; null when the user cancelled. */
  'logs:export': returns<LogExport | null>()('exportLogs', {
    payload: payload({ target, query: payload(logRange) }),
    args: (t: LogTarget, query: LogQuery = {}) => ({ target: t, query }),
  }),
  /** The size and growth of the file a target's output goes to; null when it goes to the journal. */
  'logs:file-info': returns<LogFileInfo | null>()('getLogFileInfo', field('target', target)),
  /** Rotates that file without losing a line its writers write (main/core/logs/log-file.ts). */
  'logs:rotate': returns<RotateOutcome>()('rotateLogFile', field('target', target)),
};
