// The logs of a unit or a watch rule, beyond reading lines: export to a file, and the size,
// growth and rotation of the file a background command writes. The lines come from the
// LogReader (units) and ProcessService.watchLogs (rules), so a filter means the same here as in
// the Logs tab and `daemon-deck logs`.
import { writeFileAtomic } from '../atomic-write.js';
import { AppFailure, appError, ok, toAppError } from '../errors.js';
import type { LogsResult } from '../model/authoring.js';
import type { Result } from '../model/domain.js';
import {
  GrowthMeter,
  logFileInfo,
  rotateLogFile,
  type LogFileInfo,
  type RotateOutcome,
} from './log-file.js';
import { logLineText, type LogQuery } from './log-query.js';
import { t } from '../../../i18n/index.js';
import type { LogExport, LogTarget } from '../model/logs.js';

export type { LogExport, LogTarget };

/** The most lines an export writes (the newest ones). */
export const EXPORT_MAX_LINES = 100_000;
/** The logs.warnAboveBytes default: 100 MiB. */
export const DEFAULT_WARN_BYTES = 100 * 1024 * 1024;

export interface LogsServiceDeps {
  /** A target's lines as the Logs tab reads them. */
  read(target: LogTarget, query: LogQuery): Promise<LogsResult>;
  /** The size above which a log file is too big (a setting). */
  warnAboveBytes?: () => number;
  now?: () => number;
}

/** What the export writes: one line per log line, "TIME <PRIORITY> MESSAGE". */
export function exportText(lines: LogsResult['lines']): string {
  return lines.map((l) => `${logLineText(l)}\n`).join('');
}

async function result<T>(fn: () => Promise<T>): Promise<Result<T>> {
  try {
    return ok(await fn());
  } catch (err) {
    return { ok: false, error: toAppError(err) };
  }
}

export class LogsService {
  readonly #deps: LogsServiceDeps;
  readonly #meter: GrowthMeter;

  constructor(deps: LogsServiceDeps) {
    this.#deps = deps;
    this.#meter = new GrowthMeter(deps.now);
  }

  /** Writes the lines `query` selects (at most EXPORT_MAX_LINES, the newest) to `path`, atomically. */
  exportTo(target: LogTarget, query: LogQuery, path: string): Promise<Result<LogExport>> {
    return result(async () => {
      if (!path.startsWith('/'))
        throw new AppFailure(appError('invalid-input', t('logs:export.absolute', { path })));
      const rest = { ...query };
      delete rest.afterCursor;
      const r = await this.#deps.read(target, { ...rest, lines: query.lines ?? EXPORT_MAX_LINES });
      await writeFileAtomic(path, exportText(r.lines));
      return { path, lines: r.lines.length };
    });
  }

  async #filePath(target: LogTarget): Promise<string | null> {
    const r = await this.#deps.read(target, { lines: 1 });
    return r.source === 'file' ? r.path : null;
  }

  fileInfo(target: LogTarget): Promise<Result<LogFileInfo | null>> {
    return result(async () => {
      const path = await this.#filePath(target);
      if (path === null) return null;
      const limit = this.#deps.warnAboveBytes?.() ?? DEFAULT_WARN_BYTES;
      return logFileInfo(path, limit, this.#meter);
    });
  }

  rotate(target: LogTarget): Promise<Result<RotateOutcome>> {
    return result(async () => {
      const path = await this.#filePath(target);
      if (path === null) throw new AppFailure(appError('invalid-input', t('logs:rotate.noFile')));
      return rotateLogFile(path);
    });
  }
}

/** The LogsService over the core's own readers: a unit's log (journal or output file) and a
 *  watch rule's log file. */
export function createLogsService(
  authoring: { logs(id: string, q: LogQuery): Promise<Result<LogsResult>> },
  processes: { watchLogs(name: string, q: LogQuery): Promise<LogsResult> },
  opts: Omit<LogsServiceDeps, 'read'> = {},
): LogsService {
  return new LogsService({
    ...opts,
    read: async (target, query) => {
      if (target.kind === 'watch') return processes.watchLogs(target.name, query);
      const r = await authoring.logs(target.id, query);
      if (!r.ok) throw new AppFailure(r.error);
      return r.value;
    },
  });
}
