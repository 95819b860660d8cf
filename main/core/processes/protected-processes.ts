// Which processes Daemon Deck never signals (kill, stop, restart) and never adopts, and why:
// PID 1 (the init process: signalling it as root ends the machine), kernel threads (the kernel
// ignores most signals to them, and they have no command to adopt), Daemon Deck itself (the app
// and its Electron helpers) and the very process asking (the CLI or the app).
//
// Relies on: /proc/PID/stat's flags field (the 9th) carrying PF_KTHREAD (0x00200000) for kernel
// threads, kthreadd (PID 2) included; Electron's single-instance lock, the `SingletonLock` link in
// the app's userData folder (the settings folder), whose target is `HOSTNAME-PID` of the running
// app (chromium/src/chrome/browser/process_singleton_posix.cc). The app's helper processes
// (renderer, GPU, utility) are its children.
import { readFileSync, readlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { AppFailure, appError } from '../errors.js';
import { settingsDir } from '../settings/settings.js';
import { t } from '../../../i18n/index.js';

const PF_KTHREAD = 0x00200000;

export type ProtectedReason = 'not-a-pid' | 'init' | 'kernel-thread' | 'self' | 'daemon-deck';

export interface Protection {
  reason: ProtectedReason;
  /** One sentence that says why, for the person who asked. */
  message: string;
}

export interface ProtectionContext {
  /** Finds the running app's pid (its settings folder); default process.env. */
  env?: NodeJS.ProcessEnv;
  /** This process (the CLI, or the app); default process.pid. */
  self?: number;
  /** /proc, for tests. */
  procRoot?: string;
  /**
   * Another host's process table instead of this machine's /proc (far-control.ts): the pid's
   * parent and whether it is a kernel thread, null when it is not there. No app pid is known
   * there: the running app is looked for on this machine only.
   */
  table?: (pid: number) => { ppid: number; kernelThread: boolean } | null;
}

/** The fields of /proc/PID/stat after the command name: [state, ppid, ..., flags at 6]. */
function statFields(procRoot: string, pid: number): string[] | null {
  try {
    const text = readFileSync(`${procRoot}/${pid}/stat`, 'latin1');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** The pid's parent and whether it is a kernel thread, from this machine's /proc. */
function readStat(procRoot: string, pid: number): { ppid: number; kernelThread: boolean } | null {
  const fields = statFields(procRoot, pid);
  if (fields === null) return null;
  const flags = Number(fields[6]);
  return {
    ppid: Number(fields[1]),
    kernelThread: Number.isFinite(flags) && (flags & PF_KTHREAD) !== 0,
  };
}

/** The running Daemon Deck app's main pid on this machine, from its single-instance lock. */
export function appPid(env: NodeJS.ProcessEnv = process.env): number | null {
  try {
    const target = readlinkSync(join(settingsDir(env), 'SingletonLock'));
    const dash = target.lastIndexOf('-');
    if (target.slice(0, dash) !== hostname()) return null;
    const pid = Number(target.slice(dash + 1));
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/**
 * Why this pid may not be signalled or adopted, or null when it may. A pid that does not exist is
 * not protected (the caller reports it as gone).
 */
export function protectedProcess(pid: number, ctx: ProtectionContext = {}): Protection | null {
  if (!Number.isSafeInteger(pid) || pid < 1)
    return { reason: 'not-a-pid', message: t('errors:protected.notAPid', { pid }) };
  if (pid === 1)
    return {
      reason: 'init',
      message: t('errors:protected.init'),
    };
  const self = ctx.self ?? process.pid;
  if (pid === self)
    return {
      reason: 'self',
      message: t('errors:protected.self', { pid }),
    };
  const stat = ctx.table !== undefined ? ctx.table(pid) : readStat(ctx.procRoot ?? '/proc', pid);
  if (stat === null) return null;
  if (pid === 2 || stat.kernelThread)
    return {
      reason: 'kernel-thread',
      message: t('errors:protected.kernelThread', { pid }),
    };
  const app = ctx.table !== undefined ? null : appPid(ctx.env ?? process.env);
  if (app !== null && (pid === app || stat.ppid === app))
    return {
      reason: 'daemon-deck',
      message: t('errors:protected.app', { pid }),
    };
  return null;
}

/** Throws an `access-denied` AppFailure saying why, when the pid is protected. */
export function assertMaySignal(pid: number, ctx: ProtectionContext = {}): void {
  const p = protectedProcess(pid, ctx);
  if (p !== null) throw new AppFailure(appError('access-denied', p.message));
}
