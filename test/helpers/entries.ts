// Entries as the monitor lists them, for unit tests of what reads a snapshot.
import type { Entry } from '../../main/core/model/domain.js';
import { blankServiceEntry } from '../../main/core/systemd/unit-authoring.js';

/**
 * A systemd service entry named `name` (id `systemd:NAME`), stopped, with no pids, figures,
 * autostart or actions; `patch` sets any field, the id and kind included.
 */
export function serviceEntry(name: string, patch: Partial<Entry> = {}): Entry {
  return { ...blankServiceEntry(name), subState: 'dead', ...patch };
}

/** A service as the tray shows it: its state, and the actions that state offers. */
export function trayEntry(name: string, state: Entry['state']): Entry {
  return serviceEntry(name, {
    state,
    subState: '',
    actions: state === 'running' ? ['stop', 'restart'] : ['start', 'restart'],
  });
}

/**
 * A unit entry as the panel's view tests want it: its kind from its suffix, a description, not
 * started at login, startable; `patch` sets any field.
 */
export function unitKindEntry(name: string, patch: Partial<Entry> = {}): Entry {
  const kind = name.endsWith('.socket') ? 'socket' : name.endsWith('.timer') ? 'timer' : 'service';
  return serviceEntry(name, {
    kind,
    description: `${name} description`,
    autostart: { enabled: false, via: [], state: 'disabled' },
    actions: ['start', 'enable'],
    ...patch,
  });
}
