// What is the user's and what is the desktop session's own plumbing, and how far a switch may go
// on the latter. Pure rules, shared by the core (which stamps them on entries) and its tests.
//
// THE RULE
// 1. Plumbing is decided by the unit's name, wherever its file is: the session's own services and
//    sockets keep their role when a copy in ~/.config/systemd/user overrides the packaged file
//    (that is how people customise them). The names, with the role each plays:
//    - bus:            dbus.socket, dbus.service, dbus-broker.service
//    - exit:           systemd-exit.service (starting it ends the user manager and the session)
//    - setup:          systemd-tmpfiles-*, xdg-user-dirs*  (one-off setup and clean-up steps)
//    - keys:           gpg-agent*, dirmngr*, keyboxd*, ssh-agent*, gnome-keyring*, p11-kit*
//    - accessibility:  at-spi*
//    - settings:       dconf*
//    - portal:         xdg-* (desktop portals, document portal, permission store)
//    - sound:          pipewire*, wireplumber*, pulseaudio*, filter-chain*
//    - notifications:  dunst*, mako*, notification daemons (crash alerts are shown through them)
//    - desktop:        gvfs-*, evolution-*, tracker-*, obex*, speech-dispatcher*, pk-*,
//                      gnome-*, org.gnome.*, org.freedesktop.*, plasma-*, kde*, xfce*
//    and every *.target (systemd's own synchronisation points; the list does not show them).
// 2. The guard: 'locked' (no switch at all, the row says why) for the bus, systemd-exit and the
//    setup steps: turning the first off cuts every program, Daemon Deck included, from the
//    session bus; turning the second on ends the session; the third are one-off steps with
//    nothing to switch. Every other plumbing entry is 'confirm': its switch asks first and says
//    what will happen before it turns it off.
// 3. Origin: plumbing is 'system'. Any other unit is 'user' when its file is not in a directory
//    of the system or of a package (/usr, /lib, /etc, /opt, /nix, /var/lib, /snap, /run but for the
//    manager's transient units, which the user made with `systemd-run` or Run in background);
//    a unit with no file known is 'system'. Watch rules, sessions, cron lines and autostart
//    entries are the user's (their sources leave origin unset, read as 'user').
import type { EntryOrigin, Plumbing, PlumbingRole } from './domain.js';

const RULES: ReadonlyArray<readonly [RegExp, PlumbingRole, Plumbing['guard']]> = [
  [/^dbus(-broker)?\.(socket|service)$/, 'bus', 'locked'],
  [/^systemd-exit\.service$/, 'exit', 'locked'],
  [/^(systemd-tmpfiles-|xdg-user-dirs)/, 'setup', 'locked'],
  [/^(gpg-agent|dirmngr|keyboxd|ssh-agent|gnome-keyring|p11-kit)/, 'keys', 'confirm'],
  [/^at-spi/, 'accessibility', 'confirm'],
  [/^dconf/, 'settings', 'confirm'],
  [/^xdg-/, 'portal', 'confirm'],
  [/^(pipewire|wireplumber|pulseaudio|filter-chain)/, 'sound', 'confirm'],
  [/^(dunst|mako|notification-daemon|xfce4-notifyd)/, 'notifications', 'confirm'],
  [
    /^(gvfs-|evolution-|tracker-|obex|speech-dispatcher|pk-|gnome-|org\.gnome\.|org\.freedesktop\.|plasma-|kde|xfce)/,
    'desktop',
    'confirm',
  ],
  [/\.target$/, 'desktop', 'locked'],
];

/** The plumbing role and guard of a unit name, or null when it is not the session's plumbing. */
export function plumbingOf(unit: string): Plumbing | null {
  for (const [pattern, role, guard] of RULES) if (pattern.test(unit)) return { role, guard };
  return null;
}

// /var/lib only: home directories live under /var/home on some systems.
const SYSTEM_DIRS = /^\/(usr|lib|lib64|etc|opt|nix|snap|run|var\/lib)\//;
const TRANSIENT = /^\/run\/user\/\d+\/systemd\/transient\//;

/** Who set a unit up, from its name and the path of its file (null when systemd knows none). */
export function unitOrigin(unit: string, fragmentPath: string | null): EntryOrigin {
  if (plumbingOf(unit) !== null) return 'system';
  if (fragmentPath === null || fragmentPath === '') return 'system';
  if (TRANSIENT.test(fragmentPath)) return 'user';
  return SYSTEM_DIRS.test(fragmentPath) ? 'system' : 'user';
}
