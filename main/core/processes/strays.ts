// Strays: the user's background processes that no terminal holds, no systemd unit manages, and
// that are not the desktop session's own plumbing. Pure classification over a scanned table;
// the few per-process reads it needs (cwd, ignored signals) come in through `StrayProbe`.
//
// Relies on: a unit's processes sit in a `.service` cgroup (`/proc/PID/cgroup`), system or user
// manager alike; `nohup` leaves SIGHUP ignored (SigIgn bit 0 in /proc/PID/status) across exec;
// `setsid` makes the process a session leader (sid == pid); the classic daemon recipe (fork,
// setsid, fork, chdir("/"), umask) leaves a process whose session leader is gone, usually with
// cwd `/`; an orphan is re-parented to PID 1 or to the nearest subreaper (`systemd --user`).
// Heuristics, stated: desktop apps live in `app-*.scope` cgroups of the user manager and are not
// strays unless that scope is a terminal's (a nohup'd command keeps its terminal's scope).
import type { Stray, StrayOrigin } from '../model/processes.js';
import { commandLine, type ProcessInfo, type ProcessTable } from './proc-scanner.js';

export interface StrayProbe {
  cwd(pid: number): string | null;
  /** True when the process ignores SIGHUP (nohup), null when unknown. */
  ignoresHup(pid: number): boolean | null;
}

/** Process names of desktop-session plumbing (comm, 15 characters at most). */
const PLUMBING = new Set([
  'systemd',
  '(sd-pam)',
  'dbus-daemon',
  'dbus-broker',
  'dbus-broker-lau',
  'dbus-launch',
  'gnome-keyring-d',
  'ssh-agent',
  'gpg-agent',
  'at-spi-bus-laun',
  'at-spi2-registr',
  'pulseaudio',
  'pipewire',
  'pipewire-pulse',
  'wireplumber',
  'Xwayland',
  'Xorg',
  'Xvfb',
  'gnome-session-b',
  'gnome-session-c',
  'kwalletd5',
  'kwalletd6',
  'ibus-daemon',
  'fcitx5',
  'polkit-gnome-au',
  'xdg-permission-',
  'xdg-document-po',
  'xdg-desktop-por',
  'dconf-service',
  'tmux: server',
  'screen',
  'SCREEN',
  'dunst',
]);

const TERMINAL_SCOPE =
  /vte-spawn|terminal|konsole|kitty|alacritty|foot|xterm|wezterm|tilix|terminator|tmux|screen/i;

export function isManaged(p: ProcessInfo): boolean {
  return p.unit !== null && p.unit.endsWith('.service');
}

function isDesktopApp(p: ProcessInfo): boolean {
  return p.unit !== null && /^app-.*\.scope$/.test(p.unit) && !TERMINAL_SCOPE.test(p.unit);
}

function isSubreaper(p: ProcessInfo | undefined): boolean {
  return p !== undefined && p.comm === 'systemd';
}

const ORIGIN_TEXT: Record<StrayOrigin, string> = {
  nohup: 'started with nohup (ignores hang-ups)',
  'background-job': 'a background job (&) its shell left running',
  setsid: 'started with setsid (its own session)',
  daemon: 'daemonised itself (fork, setsid, fork)',
  orphan: 'left running after its parent exited',
};

export function classifyOrigin(
  p: ProcessInfo,
  table: ProcessTable,
  probe: StrayProbe,
): StrayOrigin {
  if (probe.ignoresHup(p.pid) === true) return 'nohup';
  if (p.session === p.pid) return 'setsid';
  if (!table.byPid.has(p.session)) return 'daemon';
  const parent = table.byPid.get(p.ppid);
  if (p.ppid === 1 || isSubreaper(parent)) {
    return p.pgid !== p.session ? 'background-job' : 'orphan';
  }
  return 'background-job';
}

/** Is this process a stray of user `uid`? */
export function isStray(p: ProcessInfo, table: ProcessTable, uid: number): boolean {
  if (p.uid !== uid || p.kernelThread || p.argv.length === 0) return false;
  if (p.state === 'Z' || p.state === 'X') return false;
  if (p.pid === 1 || p.ttyNr !== 0) return false;
  if (isManaged(p) || isDesktopApp(p) || PLUMBING.has(p.comm)) return false;
  if (p.comm.startsWith('tmux') || p.comm.startsWith('(sd-')) return false;
  const parent = table.byPid.get(p.ppid);
  const orphaned = p.ppid === 1 || p.ppid === 0 || isSubreaper(parent);
  const detachedLeader = p.session === p.pid;
  const sessionGone = !table.byPid.has(p.session);
  return orphaned || detachedLeader || sessionGone;
}

export function findStrays(table: ProcessTable, uid: number, probe: StrayProbe): Stray[] {
  const out: Stray[] = [];
  for (const p of table.processes) {
    if (!isStray(p, table, uid)) continue;
    const origin = classifyOrigin(p, table, probe);
    out.push({
      pid: p.pid,
      starttime: p.starttime,
      argv: p.argv,
      command: commandLine(p),
      cwd: probe.cwd(p.pid),
      startedAt: new Date(p.startedAt).toISOString(),
      origin,
      originText: ORIGIN_TEXT[origin],
      memory: p.rss,
      cpu: p.cpu,
    });
  }
  return out;
}
