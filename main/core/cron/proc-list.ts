// Which processes run a given command line, for the startup area. The process table comes from
// one ProcessScanner kept for this Node process (command lines are read once per process
// identity, stat files stay open between scans): reading every cmdline and comm afresh cost
// ~50 ms per listing with a thousand processes, twice every 30 s. Kernel threads (no argv) are
// skipped; processes that vanish mid-scan just drop out.
import { ProcessScanner } from '../processes/proc-scanner.js';

export interface ProcInfo {
  pid: number;
  comm: string;
  argv: string[];
}

export type ProcessLister = () => ProcInfo[];

let scanner: ProcessScanner | null = null;

export const listProcesses: ProcessLister = () => {
  scanner ??= new ProcessScanner({ includeSelf: true, cgroups: false });
  const out: ProcInfo[] = [];
  for (const p of scanner.scan().processes) {
    // A zombie no longer runs anything (its cmdline reads empty, as for kernel threads).
    if (p.argv.length > 0 && p.state !== 'Z') out.push({ pid: p.pid, comm: p.comm, argv: p.argv });
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
