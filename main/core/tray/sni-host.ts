// Is there a tray to put an icon in? Electron's Tray on Linux is a StatusNotifierItem: it
// registers with `org.kde.StatusNotifierWatcher` on the session bus and only falls back to
// XEmbed when no watcher exists, which most current panels do not show at all. Stock GNOME
// has no watcher unless the AppIndicator extension is on (PLATFORM-NOTES, "Desktop
// integration"). When there is no host the shell opens a normal window instead.
//
// Relies on: org.freedesktop.DBus.NameHasOwner, the watcher's IsStatusNotifierHostRegistered
// property (a watcher can run with no host, e.g. a leftover from a crashed panel), and
// NameOwnerChanged and StatusNotifierHostRegistered to notice a panel that starts after us
// (autostart races the panel at login).
import type { BusSignal, CallRequest } from '../systemd/bus.js';

export const SNI_WATCHER = 'org.kde.StatusNotifierWatcher';
const WATCHER_PATH = '/StatusNotifierWatcher';
const DBUS = 'org.freedesktop.DBus';

/** The part of main/core/systemd/bus.ts's Bus this needs (RobustBus fits). */
export interface SniBus {
  call(req: CallRequest, timeoutMs?: number): Promise<unknown[]>;
  addMatch(rule: string): Promise<void>;
  onSignal(listener: (signal: BusSignal) => void): () => void;
}

export type SniHostStatus =
  | { available: true }
  | { available: false; reason: 'no-watcher' | 'no-host' | 'bus-error'; detail?: string };

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Whether a StatusNotifierItem host is there to show a tray icon. A watcher whose
 * IsStatusNotifierHostRegistered cannot be read counts as a host: some watchers (older
 * snixembed, some waybar builds) do not implement Properties, and a false negative would hide
 * a working tray behind a window.
 */
export async function checkSniHost(bus: SniBus, timeoutMs = 2_000): Promise<SniHostStatus> {
  let owned: unknown;
  try {
    [owned] = await bus.call(
      {
        destination: DBUS,
        path: '/org/freedesktop/DBus',
        interface: DBUS,
        member: 'NameHasOwner',
        signature: 's',
        body: [SNI_WATCHER],
      },
      timeoutMs,
    );
  } catch (err) {
    return { available: false, reason: 'bus-error', detail: describe(err) };
  }
  if (owned !== true) return { available: false, reason: 'no-watcher' };
  try {
    const [registered] = await bus.call(
      {
        destination: SNI_WATCHER,
        path: WATCHER_PATH,
        interface: 'org.freedesktop.DBus.Properties',
        member: 'Get',
        signature: 'ss',
        body: [SNI_WATCHER, 'IsStatusNotifierHostRegistered'],
      },
      timeoutMs,
    );
    if (registered === false) return { available: false, reason: 'no-host' };
  } catch {
    // See the doc comment: an unreadable property is not evidence of a missing host.
    return { available: true };
  }
  return { available: true };
}

/**
 * Calls `listener` with a fresh check whenever the watcher appears or goes away. Returns an
 * unsubscribe function. The match rule stays for the bus's life (dbus-next cannot remove
 * rules reliably, see bus.ts), which is one rule per process.
 */
export async function watchSniHost(
  bus: SniBus,
  listener: (status: SniHostStatus) => void,
  timeoutMs = 2_000,
): Promise<() => void> {
  await bus.addMatch(
    `type='signal',sender='${DBUS}',interface='${DBUS}',member='NameOwnerChanged',arg0='${SNI_WATCHER}'`,
  );
  await bus.addMatch(`type='signal',interface='${SNI_WATCHER}'`);
  let latest = 0;
  return bus.onSignal((signal) => {
    const ownerChanged =
      signal.interface === DBUS &&
      signal.member === 'NameOwnerChanged' &&
      signal.body[0] === SNI_WATCHER;
    const hostChanged =
      signal.interface === SNI_WATCHER &&
      (signal.member === 'StatusNotifierHostRegistered' ||
        signal.member === 'StatusNotifierHostUnregistered');
    if (!ownerChanged && !hostChanged) return;
    // The watcher's host registers a moment after the watcher claims its name; a late check
    // superseded by a newer one is dropped so listeners see changes in order.
    const mine = ++latest;
    void checkSniHost(bus, timeoutMs).then((status) => {
      if (mine === latest) listener(status);
    });
  });
}
