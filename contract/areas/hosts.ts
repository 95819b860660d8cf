// The hosts area of the IPC contract (issue 17): the user's other machines in the panel. Every
// channel takes a host by its name in settings, and the core refuses a name that is not there:
// nothing from the renderer ever names an SSH destination.
import { z } from 'zod';
import {
  ENTRY_ACTIONS,
  type ActionOutcome,
  type EntryAction,
} from '../../main/core/model/domain.js';
import type { FarHostView, HostsView } from '../../main/core/model/hosts.js';
import { answers, event, field, nothing, returns } from '../channel.js';
import { entryId, payload } from '../schemas.js';
import { hostDestinationSchema, hostNameSchema } from '../settings-schemas.js';

export const hostsChannels = {
  /** Every far host with its state and entries. */
  'hosts:get': answers<HostsView>()('getHosts', nothing),
  /** Start, stop, restart, enable, disable... an entry on a far host. */
  'hosts:act': returns<ActionOutcome>()('actOnHost', {
    payload: payload({ host: hostNameSchema, id: entryId, action: z.enum(ENTRY_ACTIONS) }),
    args: (host: string, id: string, action: EntryAction) => ({ host, id, action }),
  }),
  /** Try to connect now (the Retry button of an unreachable host). */
  'hosts:reconnect': returns<FarHostView>()('reconnectHost', field('host', hostNameSchema)),
  /** Add a host in Settings (the same as `daemon-deck host add NAME DEST`). */
  'hosts:add': returns<HostsView>()('addHost', {
    payload: payload({ name: hostNameSchema, destination: hostDestinationSchema }),
    args: (name: string, destination: string) => ({ name, destination }),
  }),
  'hosts:remove': returns<HostsView>()('removeHost', field('host', hostNameSchema)),
  /** The user looked at a host's crashes: its unseen count goes back to 0. */
  'hosts:seen': returns<HostsView>()('markHostSeen', field('host', hostNameSchema)),
};

export const hostsEvents = {
  'hosts:changed': event<HostsView>()('onHosts'),
};
