// A client of org.freedesktop.Notifications (Desktop Notifications Specification 1.2) on the
// session bus, over the project's RobustBus: raw calls and one broad match rule, no proxies.
//
// Relies on / works around:
// - Notify(app_name s, replaces_id u, app_icon s, summary s, body s, actions as, hints a{sv},
//   expire_timeout i) -> id u. Actions are a flat [key, label, key, label...] list; the urgency
//   hint is a byte (0 low, 1 normal, 2 critical). replaces_id > 0 updates in place; a server may
//   still answer with a new id (the spec allows it), so the id returned is the one we keep.
// - ActionInvoked(id, key) and NotificationClosed(id, reason) are broadcast to every client:
//   only ids this client got back from Notify are reported, and only when the sender is the
//   current owner of the name (a restarted server gets a new unique name).
// - Not every server has the 'actions' capability (GetCapabilities); callers fall back then.
// - dbus-next's proxy.on leaks match rules (PLATFORM-NOTES): one match rule on the interface,
//   added once and re-added by RobustBus after a reconnect.
import dbus from 'dbus-next';
import type { Bus, BusSignal } from '../systemd/bus.js';

export const NOTIFICATIONS_NAME = 'org.freedesktop.Notifications';
export const NOTIFICATIONS_PATH = '/org/freedesktop/Notifications';
export const NOTIFICATIONS_IFACE = 'org.freedesktop.Notifications';

export type Urgency = 'low' | 'normal' | 'critical';

const URGENCY_BYTE: Record<Urgency, number> = { low: 0, normal: 1, critical: 2 };

export interface NotificationRequest {
  summary: string;
  body: string;
  /** [key, label] pairs in display order. */
  actions: Array<[key: string, label: string]>;
  urgency: Urgency;
  /** The id of a notification to replace in place, or 0. */
  replacesId?: number;
  /** -1 for the server's default, 0 for never. */
  expireTimeoutMs?: number;
  appIcon?: string;
}

/** What the rest of the core needs from a notification server. */
export interface Notifier {
  capabilities(): Promise<string[]>;
  notify(req: NotificationRequest): Promise<number>;
  close(id: number): Promise<void>;
  onAction(listener: (id: number, key: string) => void): () => void;
  onClosed(listener: (id: number, reason: number) => void): () => void;
}

export const APP_NAME = 'Daemon Deck';

/** The Notify call's body, in the signature `susssasa{sv}i` (pure: tested on its own). */
export function notifyBody(req: NotificationRequest, appName = APP_NAME): unknown[] {
  return [
    appName,
    req.replacesId ?? 0,
    req.appIcon ?? 'dialog-warning',
    req.summary,
    req.body,
    req.actions.flat(),
    { urgency: new dbus.Variant('y', URGENCY_BYTE[req.urgency]) },
    req.expireTimeoutMs ?? -1,
  ];
}

export class BusNotifier implements Notifier {
  readonly #bus: Bus;
  readonly #ours = new Set<number>();
  readonly #actionListeners = new Set<(id: number, key: string) => void>();
  readonly #closedListeners = new Set<(id: number, reason: number) => void>();
  #owner: string | null = null;
  #off: (() => void) | null = null;

  constructor(bus: Bus) {
    this.#bus = bus;
  }

  /** Add the match rule (awaited, so no signal is missed) and start dispatching. */
  async attach(): Promise<void> {
    if (this.#off !== null) return;
    this.#off = this.#bus.onSignal((s) => this.#dispatch(s));
    await this.#bus.addMatch(`type='signal',interface='${NOTIFICATIONS_IFACE}'`);
  }

  detach(): void {
    this.#off?.();
    this.#off = null;
  }

  async #resolveOwner(): Promise<string | null> {
    try {
      const [owner] = await this.#bus.call({
        destination: 'org.freedesktop.DBus',
        path: '/org/freedesktop/DBus',
        interface: 'org.freedesktop.DBus',
        member: 'GetNameOwner',
        signature: 's',
        body: [NOTIFICATIONS_NAME],
      });
      this.#owner = typeof owner === 'string' ? owner : null;
    } catch {
      this.#owner = null; // No server owns the name (yet): it may be activated by the next Notify.
    }
    return this.#owner;
  }

  #dispatch(s: BusSignal): void {
    if (s.interface !== NOTIFICATIONS_IFACE) return;
    if (this.#owner !== null && s.sender !== this.#owner) return;
    const id = Number(s.body[0]);
    if (!this.#ours.has(id)) return;
    if (s.member === 'ActionInvoked') {
      const key = String(s.body[1]);
      for (const l of this.#actionListeners) l(id, key);
    } else if (s.member === 'NotificationClosed') {
      this.#ours.delete(id);
      const reason = Number(s.body[1]);
      for (const l of this.#closedListeners) l(id, reason);
    }
  }

  async capabilities(): Promise<string[]> {
    const [caps] = await this.#bus.call({
      destination: NOTIFICATIONS_NAME,
      path: NOTIFICATIONS_PATH,
      interface: NOTIFICATIONS_IFACE,
      member: 'GetCapabilities',
    });
    return Array.isArray(caps) ? caps.map(String) : [];
  }

  async notify(req: NotificationRequest): Promise<number> {
    const [id] = await this.#bus.call({
      destination: NOTIFICATIONS_NAME,
      path: NOTIFICATIONS_PATH,
      interface: NOTIFICATIONS_IFACE,
      member: 'Notify',
      signature: 'susssasa{sv}i',
      body: notifyBody(req),
    });
    const n = Number(id);
    this.#ours.add(n);
    // Re-read the owner after each Notify: a restarted server has a new unique name.
    await this.#resolveOwner();
    return n;
  }

  async close(id: number): Promise<void> {
    await this.#bus.call({
      destination: NOTIFICATIONS_NAME,
      path: NOTIFICATIONS_PATH,
      interface: NOTIFICATIONS_IFACE,
      member: 'CloseNotification',
      signature: 'u',
      body: [id],
    });
  }

  onAction(listener: (id: number, key: string) => void): () => void {
    this.#actionListeners.add(listener);
    return () => this.#actionListeners.delete(listener);
  }

  onClosed(listener: (id: number, reason: number) => void): () => void {
    this.#closedListeners.add(listener);
    return () => this.#closedListeners.delete(listener);
  }
}
