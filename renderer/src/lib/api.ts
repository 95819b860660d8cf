// The one door to main: the preload's typed API. Nothing else crosses the boundary.
import type { DaemonDeckApi } from '../../../contract/index.js';

export function daemonDeck(): DaemonDeckApi {
  const api = (window as Partial<Window>).daemonDeck;
  if (api === undefined) throw new Error('window.daemonDeck is missing: the preload did not run.');
  return api;
}
