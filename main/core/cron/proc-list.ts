// A small /proc reader for the startup area: which processes run a given command line.
// Relies on /proc/PID/cmdline (NUL-separated argv) and /proc/PID/comm; processes vanish mid-scan
// (ENOENT/ESRCH), which just drops them. Kernel threads have an empty cmdline and are skipped.
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcInfo {
  pid: number;
  comm: string;
  argv: string[];
}

export type ProcessLister = () => ProcInfo[];

export const listProcesses: ProcessLister = () => {
  const out: ProcInfo[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const raw = readFileSync(`/proc/${name}/cmdline`, 'utf8');
      if (raw === '') continue;
      const argv = raw.replace(/\0$/, '').split('\0');
      const comm = readFileSync(`/proc/${name}/comm`, 'utf8').trim();
      out.push({ pid: Number(name), comm, argv });
    } catch {
      // Gone while we looked.
      continue;
    }
  }
  return out;
};

function same(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * PIDs running `argv` (exactly), or `/bin/sh -c SHELL` for a shell command line (how cron runs a
 * job: dash execs a lone command, so the argv match usually is the one that hits).
 */
export function pidsRunning(
  procs: readonly ProcInfo[],
  argv: readonly string[] | null,
  shell: string | null,
): number[] {
  const pids: number[] = [];
  for (const p of procs) {
    if (argv && argv.length > 0 && same(p.argv, argv)) pids.push(p.pid);
    else if (
      shell !== null &&
      p.argv.length === 3 &&
      /(^|\/)(sh|dash|bash)$/.test(p.argv[0]!) &&
      p.argv[1] === '-c' &&
      p.argv[2] === shell
    )
      pids.push(p.pid);
  }
  return pids;
}
