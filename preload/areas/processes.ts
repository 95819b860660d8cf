// The named API methods of the processes area over a transport.
import type { Transport } from '../api.js';
import type { ProcessesApi } from '../../contract/areas/processes.js';

export function createProcessesApi(transport: Transport): ProcessesApi {
  return {
    listProcesses: (query) => transport.invoke('processes:list', { query }),
    signalProcess: (pid, starttime, signal) =>
      transport.invoke('processes:signal', { pid, starttime, signal }),
    stopProcesses: (pids, timeoutMs, opId) =>
      transport.invoke('processes:stop', {
        pids,
        timeoutMs: timeoutMs ?? null,
        ...(opId != null ? { opId } : {}),
      }),
    onStopProgress: (listener) => transport.subscribe('processes:stop-progress', listener),
    getProcess: (pid) => transport.invoke('processes:detail', { pid }),
    runInBackground: (argv, opts = {}) =>
      transport.invoke('processes:run', {
        argv,
        cwd: opts.cwd ?? null,
        log: opts.log ?? null,
        name: opts.name ?? null,
      }),
    listWatchRules: () => transport.invoke('processes:watch-list', null),
    addWatchRule: (rule) => transport.invoke('processes:watch-add', { rule }),
    removeWatchRule: (name) => transport.invoke('processes:watch-remove', { name }),
    listStrays: () => transport.invoke('processes:strays', null),
    previewAdopt: (pid, name, environment, opts = {}) =>
      transport.invoke('processes:adopt-preview', { pid, name, environment, ...opts }),
    adopt: (request) => transport.invoke('processes:adopt', request),
    onAdoptProgress: (listener) => transport.subscribe('processes:adopt-progress', listener),
    undoAdopt: (token) => transport.invoke('processes:adopt-undo', { token }),
    dismissAdopt: (token) => transport.invoke('processes:adopt-dismiss', { token }),
    getWatchLogs: (name, opts = {}) => transport.invoke('processes:watch-logs', { name, ...opts }),
    listSessions: () => transport.invoke('sessions:list', null),
    killSession: (kind, name) => transport.invoke('sessions:kill', { kind, name }),
    newSession: (kind, name, argv, cwd) =>
      transport.invoke('sessions:new', { kind, name, argv, cwd: cwd ?? null }),
    attachCommand: (kind, name) => transport.invoke('sessions:attach-command', { kind, name }),
  };
}
