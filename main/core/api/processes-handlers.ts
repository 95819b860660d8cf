// The processes channels (issue 4) mapped onto the ProcessService and the SessionService:
// processes, watch rules, strays, Adopt, tmux and screen sessions.
import { processesChannels } from '../../../contract/areas/processes.js';
import type { OpsOf } from '../../../contract/channel.js';
import type { Result } from '../model/domain.js';
import { asResult, asResultAsync, type ProcessService } from '../processes/process-service.js';
import { farStrays } from '../host/far-control.js';
import { fail } from '../errors.js';
import { t } from '../../../i18n/index.js';
import type { ProcessProgress } from '../processes/progress.js';
import type { SessionService } from '../sessions/sessions.js';
import { createHandlers } from './handlers.js';

/** What the processes channels use. */
export interface ProcessesDeps {
  processes: ProcessService;
  sessions: SessionService;
  /** Where stop and Adopt progress goes (the IPC table's event channels); absent: nowhere. */
  progress?: ProcessProgress;
  /**
   * A far host's process service, by its name in settings (FarHosts.processes): its strays and
   * Adopt there (issue 17). Absent (no far hosts in this build), a host is refused in words.
   */
  far?: (host: string) => Promise<Result<ProcessService>>;
}

function processesOps({
  processes: p,
  sessions,
  progress,
  far,
}: ProcessesDeps): OpsOf<typeof processesChannels> {
  /** `fn` on this machine's service, or on the far host's when `host` names one. */
  async function on<T>(
    host: string | undefined,
    fn: (s: ProcessService) => T | Promise<T>,
  ): Promise<Result<T>> {
    if (host === undefined) return asResultAsync(async () => fn(p));
    if (far === undefined) return fail('invalid-input', t('hosts:errors.unknown', { name: host }));
    const s = await far(host);
    return s.ok ? asResultAsync(async () => fn(s.value)) : s;
  }
  return {
    listProcesses: ({ query }) => asResult(() => p.list(query)),
    signalProcess: ({ pid, starttime, signal }) =>
      asResult(() => {
        p.signal(pid, starttime, signal);
        return null;
      }),
    stopProcesses: ({ pids, timeoutMs, opId }) =>
      asResultAsync(() =>
        p.stop(
          pids,
          timeoutMs,
          opId != null && progress !== undefined
            ? (step) => progress.stop({ opId, pids, step })
            : undefined,
        ),
      ),
    getProcess: ({ pid }) => asResult(() => p.detail(pid)),
    runInBackground: ({ argv, ...opts }) => asResultAsync(() => p.run(argv, opts)),
    listWatchRules: () => asResult(() => p.rules.list()),
    addWatchRule: ({ rule }) => asResult(() => p.rules.add(rule)),
    removeWatchRule: ({ name }) => asResult(() => p.rules.remove(name)),
    listStrays: (q) =>
      q?.host === undefined ? asResult(() => p.strays()) : on(q.host, (s) => farStrays(s, q.host!)),
    countStrays: ({ ignored }) => asResult(() => p.strayCount(ignored)),
    previewAdopt: ({ pid, name, environment, enable, restart, host }) =>
      on(host, (s) => s.adoptPreview(pid, name, environment, enable, restart)),
    adopt: (request) => {
      const { opId } = request;
      const unit = request.name.endsWith('.service') ? request.name : `${request.name}.service`;
      return on(request.host, (s) =>
        s.adopt(
          request,
          undefined,
          opId != null && progress !== undefined
            ? (phase, step) => progress.adopt({ opId, pid: request.pid, unit, phase, step })
            : undefined,
        ),
      );
    },
    undoAdopt: ({ token, host }) =>
      on(host, async (s) => {
        await s.adoptUndo(token);
        return null;
      }),
    dismissAdopt: ({ token, host }) =>
      host === undefined
        ? asResult(() => {
            p.dismissUndo(token);
            return null;
          })
        : on(host, (s) => {
            s.dismissUndo(token);
            return null;
          }),
    getWatchLogs: ({ name, ...range }) => asResultAsync(() => p.watchLogs(name, range)),
    listSessions: () => asResultAsync(() => sessions.list()),
    killSession: ({ kind, name }) =>
      asResultAsync(async () => {
        await sessions.kill(kind, name);
        return null;
      }),
    newSession: ({ kind, name, argv, cwd }) =>
      asResultAsync(() => sessions.create(kind, name, argv, cwd)),
    attachCommand: ({ kind, name }) => asResult(() => sessions.attachCommand(kind, name)),
  };
}

export function createProcessesHandlers(deps: ProcessesDeps | undefined) {
  return createHandlers(
    processesChannels,
    deps && processesOps(deps),
    'Processes and sessions are not available in this build.',
  );
}
