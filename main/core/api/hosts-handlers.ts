// The hosts channels (issue 17) mapped onto FarHosts. Every channel names a host by its name in
// settings; FarHosts refuses, in words, a name that is not there.
import { hostsChannels } from '../../../contract/areas/hosts.js';
import type { OpsOf } from '../../../contract/channel.js';
import type { FarHosts } from '../host/far-hosts.js';

/** What the hosts channels use of FarHosts. */
export type HostsDeps = Pick<
  FarHosts,
  'view' | 'act' | 'reconnect' | 'add' | 'remove' | 'markSeen' | 'onChange'
>;

export function hostsOps(h: HostsDeps): OpsOf<typeof hostsChannels> {
  return {
    getHosts: () => h.view(),
    actOnHost: ({ host, id, action }) => h.act(host, id, action),
    reconnectHost: ({ host }) => h.reconnect(host),
    addHost: ({ name, destination }) => h.add(name, destination),
    removeHost: ({ host }) => h.remove(host),
    markHostSeen: ({ host }) => h.markSeen(host),
  };
}
