// The logs channels (issue 14) mapped onto the LogsService; the export asks the shell (or the
// test transport) where to save.
import { logsChannels } from '../../../contract/areas/logs.js';
import type { OpsOf } from '../../../contract/channel.js';
import { ok } from '../errors.js';
import type { LogsService, LogTarget } from '../logs/logs-service.js';
import { createHandlers } from './handlers.js';

export interface LogsDeps {
  logs: Pick<LogsService, 'exportTo' | 'fileInfo' | 'rotate'>;
  /** A save dialog: the path the user chose, or null when cancelled. */
  chooseSavePath?: (defaultName: string) => Promise<string | null>;
}

/** The file name a save dialog proposes: the unit's or rule's name and .log. */
export function exportName(target: LogTarget): string {
  const name = target.kind === 'unit' ? target.id.replace(/^[a-z]+:/, '') : target.name;
  return `${name.replace(/[^A-Za-z0-9._@-]/g, '_')}.log`;
}

/** With `deps` absent (a shell that has not wired them), every channel answers `unsupported`. */
export function createLogsHandlers(deps: LogsDeps | undefined) {
  const ops: OpsOf<typeof logsChannels> | undefined = deps && {
    exportLogs: async ({ target, query }) => {
      const path = deps.chooseSavePath ? await deps.chooseSavePath(exportName(target)) : null;
      return path === null ? ok(null) : deps.logs.exportTo(target, query, path);
    },
    getLogFileInfo: ({ target }) => deps.logs.fileInfo(target),
    rotateLogFile: ({ target }) => deps.logs.rotate(target),
  };
  return createHandlers(logsChannels, ops, 'Exporting and rotating logs is not available here.');
}
