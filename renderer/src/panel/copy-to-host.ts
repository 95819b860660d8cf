// "Copy to host..." (issue 17): which of this machine's entries a setup file holds.
import type { Entry } from '../../../contract/index.js';

/**
 * Whether a setup file holds this entry: a unit the user made, an @reboot line, an autostart
 * entry or a watch rule (main/core/setup/export.ts). Sessions, the session's plumbing and what
 * came with the system are none of its.
 */
export function copyable(entry: Entry): boolean {
  if (entry.origin === 'system' || entry.plumbing !== undefined) return false;
  return entry.kind !== 'session';
}
