// The user's other machines as the app shows them (issue 17): each far host in settings with its
// connection state and its entries. This machine's entries stay in the Snapshot; a far host's are
// here, the last ones known kept (and shown stale) while it is out of reach.
import type { Entry } from './domain.js';

/** connecting: the first connection or a reconnection is under way; unreachable: it failed. */
export type HostState = 'connected' | 'connecting' | 'unreachable';

export interface FarHostView {
  /** The name in settings (`daemon-deck host add NAME DEST`). */
  name: string;
  /** The SSH destination as the user's ~/.ssh/config knows it. */
  destination: string;
  state: HostState;
  /** Why it is unreachable (or why the last attempt failed), in the user's words; else null. */
  reason: string | null;
  /** ISO 8601 of the last time the entries were read fresh; null when never. */
  updatedAt: string | null;
  /** ISO 8601 of the next reconnection attempt while unreachable; else null. */
  retryAt: string | null;
  /** The host's entries; while unreachable, the last ones known (stale). */
  entries: Entry[];
  /** Crashes alerted from this host since the user last looked (the tray counts them). */
  unseenCrashes: number;
}

export interface HostsView {
  /** Monotonic counter, bumped on every change. */
  version: number;
  /** The far hosts in settings, in settings order. This machine is not among them. */
  hosts: FarHostView[];
}
