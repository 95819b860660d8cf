// Which processes run a given command line, for the startup area. The process table comes from
// one ProcessScanner kept for this Node process (command lines are read once per process
// identity, stat files stay open between scans): reading every cmdline and comm afresh cost
// ~50 ms per listing with a thousand processes, twice every 30 s. Kernel threads (no argv) are
// skipped; processes that vanish mid-scan just drop out.
import { readFileSync } from 'node:fs';
import { ProcessScanner, splitCmdline, type ProcessTable } from '../processes/proc-scanner.js';

export interface ProcInfo {
  pid: number;
  comm: string;
  argv: string[];
}

export type ProcessLister = () => ProcInfo[];

let self: ProcInfo | null = null;

/** This process, read once (its command line is fixed at start). */
function selfInfo(): ProcInfo {
  self ??= {
    pid: process.pid,
    comm: readFileSync('/proc/self/comm', 'utf8').trim(),
    argv: splitCmdline(readFileSync('/proc/self/cmdline')),
  };
  return self;
}

/**
 * The processes of a scan that run a command line (no kernel threads, no zombies), and this
 * process itself, which the app's own tables leave out (is the app running? it is).
 */
export function commandProcesses(table: ProcessTable): ProcInfo[] {
  const out: ProcInfo[] = [];
  for (const p of table.processes) {
    // A zombie no longer runs anything (its cmdline reads empty, as for kernel threads).
    if (p.argv.length > 0 && p.state !== 'Z') out.push({ pid: p.pid, comm: p.comm, argv: p.argv });
  }
  if (!table.byPid.has(process.pid)) out.push(selfInfo());
  return out;
}

let scanner: ProcessScanner | null = null;

/** The default lister, where no shared table is given (the app shares its processes poll's). */
export const listProcesses: ProcessLister = () => {
  scanner ??= new ProcessScanner({ includeSelf: true, cgroups: false });
  return commandProcesses(scanner.scan());
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
