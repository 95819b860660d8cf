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

function logsOps({ logs, chooseSavePath }: LogsDeps): OpsOf<typeof logsChannels> {
  return {
    exportLogs: async ({ target, query }) => {
      if (chooseSavePath === undefined) return ok(null);
      const path = await chooseSavePath(exportName(target));
      if (path === null) return ok(null);
      return logs.exportTo(target, query, path);
    },
    getLogFileInfo: ({ target }) => logs.fileInfo(target),
    rotateLogFile: ({ target }) => logs.rotate(target),
  };
}

export function createLogsHandlers(deps: LogsDeps | undefined) {
  return createHandlers(
    logsChannels,
    deps && logsOps(deps),
    'Exporting and rotating logs is not available in this window.',
  );
}
