// Builds the named-method API from any transport that can invoke a channel and subscribe to an
// event channel. The Electron preload passes ipcRenderer; the e2e tests pass fetch + EventSource.
import type {
  DaemonDeckApi,
  EventChannel,
  EventMap,
  InvokeChannel,
  InvokePayload,
  InvokeResult,
} from '../contract/ipc.js';
import { createAuthoringApi } from './areas/authoring.js';
import { createProcessesApi } from './areas/processes.js';
import { createStartupApi } from './areas/startup.js';
import { createAlertsApi } from './areas/alerts.js';

export interface Transport {
  invoke<C extends InvokeChannel>(channel: C, payload: InvokePayload<C>): Promise<InvokeResult<C>>;
  subscribe<E extends EventChannel>(channel: E, listener: (value: EventMap[E]) => void): () => void;
}

export function createApi(transport: Transport): DaemonDeckApi {
  return {
    ...createAuthoringApi(transport),
    ...createProcessesApi(transport),
    ...createStartupApi(transport),
    ...createAlertsApi(transport),
    getSnapshot: () => transport.invoke('snapshot:get', null),
    onSnapshot: (listener) => transport.subscribe('snapshot:changed', listener),
    getUnitDetail: (id) => transport.invoke('units:detail', { id }),
    act: (id, action) => transport.invoke('entries:act', { id, action }),
    getSettings: () => transport.invoke('settings:get', null),
    onSettings: (listener) => transport.subscribe('settings:changed', listener),
    setPinned: (id, pinned) => transport.invoke('settings:pin', { id, pinned }),
    updateSettings: (patch) => transport.invoke('settings:update', patch),
    openDetail: (id, tab) =>
      transport.invoke('window:open-detail', tab === undefined ? { id } : { id, tab }),
    openPage: (page, id) =>
      transport.invoke('window:open-page', id === undefined ? { page } : { page, id }),
    getAppInfo: () => transport.invoke('app:info', null),
  };
}
