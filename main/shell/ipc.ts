// Serves the IPC handler table (main/core/api/ipc-table.ts) over Electron's ipcMain, and pushes
// the table's events to the app's windows.
//
// Every invoke is checked before the table sees it: the sender must be the top frame of one of
// our own windows and that frame must be showing one of our pages (app://daemon-deck/ pages,
// or the dev server in development). Anything else is rejected and logged; payloads are then
// validated by the table itself. The electron objects are reached only through the small
// interfaces below (MinimalIpc, IpcTargets), so a test drives this with fakes of the same shape.
import { EVENT_CHANNELS, INVOKE_CHANNELS, type EventChannel } from '../../contract/ipc.js';
import type { IpcTable } from '../core/api/ipc-table.js';
import { appPageOf, type RendererOrigin } from './window-options.js';

/** The parts of Electron's IpcMainInvokeEvent the sender check reads. */
export interface InvokeEventLike {
  sender: { id: number };
  senderFrame: { url: string; parent: unknown } | null;
}

/** The parts of Electron's ipcMain this uses (ipcMain itself fits). */
export interface MinimalIpc {
  handle(
    channel: string,
    listener: (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>,
  ): void;
  removeHandler(channel: string): void;
}

/** A window's webContents, as far as sending events goes. */
export interface EventTarget {
  id: number;
  isDestroyed(): boolean;
  send(channel: string, ...args: unknown[]): void;
}

/** The app's own windows: who may invoke, and who gets events. */
export interface IpcTargets {
  isOwnWebContents(id: number): boolean;
  webContents(): Iterable<EventTarget>;
}

export interface ServeIpcOptions {
  ipc: MinimalIpc;
  table: IpcTable;
  targets: IpcTargets;
  origin: RendererOrigin;
  log?: (message: string) => void;
}

export class RejectedSenderError extends Error {
  override name = 'RejectedSenderError';
}

/** Why a sender is refused, or null when it is one of ours. */
export function senderProblem(
  event: InvokeEventLike,
  targets: IpcTargets,
  origin: RendererOrigin,
): string | null {
  if (!targets.isOwnWebContents(event.sender.id)) return 'not one of the app windows';
  const frame = event.senderFrame;
  if (frame === null) return 'the sending frame is gone (navigated or destroyed)';
  if (frame.parent !== null) return 'a sub-frame';
  if (appPageOf(frame.url, origin) === null) return `an unexpected page (${frame.url})`;
  return null;
}

/** Registers one handler per invoke channel and forwards events. Returns a function that undoes both. */
export function serveIpc({
  ipc,
  table,
  targets,
  origin,
  log = console.warn,
}: ServeIpcOptions): () => void {
  for (const channel of INVOKE_CHANNELS) {
    const handler = table.handlers[channel] as (payload: unknown) => Promise<unknown>;
    ipc.handle(channel, async (event, ...args) => {
      const problem = senderProblem(event, targets, origin);
      if (problem !== null) {
        log(`ipc: rejected ${channel} from webContents ${event.sender.id}: ${problem}`);
        throw new RejectedSenderError(`${channel}: sender refused`);
      }
      // The preload sends exactly one payload argument; anything else did not come from it.
      if (args.length > 1) {
        log(`ipc: rejected ${channel}: ${args.length} arguments`);
        throw new RejectedSenderError(`${channel}: expected one payload argument`);
      }
      return handler(args[0]);
    });
  }

  const unsubscribers = EVENT_CHANNELS.map((channel: EventChannel) =>
    table.subscribe(channel, (value) => broadcast(targets, channel, value, log)),
  );

  return () => {
    for (const channel of INVOKE_CHANNELS) ipc.removeHandler(channel);
    for (const off of unsubscribers) off();
  };
}

function broadcast(
  targets: IpcTargets,
  channel: EventChannel,
  value: unknown,
  log: (m: string) => void,
): void {
  for (const wc of targets.webContents()) {
    if (wc.isDestroyed()) continue;
    try {
      wc.send(channel, value);
    } catch (err) {
      log(`ipc: could not send ${channel} to webContents ${wc.id}: ${String(err)}`);
    }
  }
}
