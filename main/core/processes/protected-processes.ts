// Processes Daemon Deck never signals, stops or adopts, and why, in words. One predicate shared
// by Adopt and by kill/stop, so the rules cannot drift apart.
//
// Relies on (Linux): PID 1 is the init system (or a container's first process): a signal it does
// not ignore ends the machine or the container. Kernel threads (children of kthreadd, PID 2, with
// no command line; ProcessScanner marks them `kernelThread`) cannot be stopped or run as a unit.
// Daemon Deck's own process is the one running this code (the app, or the CLI when it runs the
// core itself); the app's process is also recognised from another process (the CLI) by its
// command line: the `daemon-deck` executable, or Electron/Node running Daemon Deck's entry points.
import { basename } from 'node:path';
import type { ProcessInfo } from './proc-scanner.js';

export type ProtectedInfo = Pick<ProcessInfo, 'pid' | 'ppid' | 'argv'> & {
  kernelThread?: boolean;
};

/** Daemon Deck's own command lines: the packaged app, the CLI, the built app's main script. */
export function isDaemonDeckCommand(argv: readonly string[]): boolean {
  const [first, second] = argv;
  if (first === undefined) return false;
  if (basename(first) === 'daemon-deck') return true;
  return (
    second !== undefined &&
    (/(^|\/)bin\/daemon-deck\.js$/.test(second) || /(^|\/)out\/main\/index\.js$/.test(second))
  );
}

/**
 * Why `p` must not be signalled, stopped or adopted, or null when it may be. `self` is the
 * process running this code (default: process.pid).
 */
export function protectedProcessReason(
  p: ProtectedInfo,
  self: number = process.pid,
): string | null {
  if (p.pid === 1)
    return 'Process 1 is the init system: stopping it would shut down the whole system (or container), so Daemon Deck never touches it.';
  if (p.pid === 2 || p.ppid === 2 || p.kernelThread === true)
    return `Process ${p.pid} is a kernel thread: it is part of the kernel, not a program that can be stopped or run as a service.`;
  if (p.pid === self)
    return `Process ${p.pid} is this Daemon Deck process itself: it cannot stop or adopt itself.`;
  if (isDaemonDeckCommand(p.argv))
    return `Process ${p.pid} is Daemon Deck itself: quit it from its tray menu instead.`;
  return null;
}
