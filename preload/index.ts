// The sandboxed preload: exposes the typed API on window.daemonDeck and nothing else.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { asksSnapshotEarly, createApi, type Transport } from './api.js';
import type {
  EventChannel,
  EventMap,
  InvokeChannel,
  InvokePayload,
  InvokeResult,
} from '../contract/ipc.js';

const transport: Transport = {
  invoke<C extends InvokeChannel>(channel: C, payload: InvokePayload<C>) {
    return ipcRenderer.invoke(channel, payload) as Promise<InvokeResult<C>>;
  },
  subscribe<E extends EventChannel>(channel: E, listener: (value: EventMap[E]) => void) {
    const handler = (_event: IpcRendererEvent, value: EventMap[E]) => listener(value);
    ipcRenderer.on(channel, handler);
    return () => {
      ipcRenderer.removeListener(channel, handler);
    };
  },
};

contextBridge.exposeInMainWorld(
  'daemonDeck',
  createApi(transport, { askEarly: asksSnapshotEarly() }),
);
