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

const SHELL = /(^|\/)(sh|dash|bash)$/;

/** Whether two argvs are the same words. */
function sameArgv(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Who runs what, indexed once for many lookups against one process list (a crontab of ten
 * thousand lines asked for each line's processes: a pass over every process per line before).
 * Indexed by program (argv[0]) only, the whole argv compared for the few that run it: building
 * a key of every process's whole command line cost more than the lookups (`daemon-deck list`
 * asks for a handful of autostart entries against a thousand processes).
 */
export class RunningIndex {
  /** Positions in the list, by argv[0]. */
  readonly #byProgram = new Map<string, number[]>();
  /** Positions of `sh -c SHELL` processes, by SHELL. */
  readonly #byShell = new Map<string, number[]>();
  readonly #procs: readonly ProcInfo[];

  constructor(procs: readonly ProcInfo[]) {
    this.#procs = procs;
    procs.forEach((p, i) => {
      if (p.argv.length === 0) return;
      const program = p.argv[0]!;
      const at = this.#byProgram.get(program);
      if (at) at.push(i);
      else this.#byProgram.set(program, [i]);
      if (p.argv.length === 3 && p.argv[1] === '-c' && SHELL.test(program)) {
        const s = this.#byShell.get(p.argv[2]!);
        if (s) s.push(i);
        else this.#byShell.set(p.argv[2]!, [i]);
      }
    });
  }

  /**
   * PIDs running `argv` (exactly), or `/bin/sh -c SHELL` for a shell command line (how cron runs
   * a job: dash execs a lone command, so the argv match usually is the one that hits); in list
   * order.
   */
  pids(argv: readonly string[] | null, shell: string | null): number[] {
    const a =
      argv && argv.length > 0
        ? (this.#byProgram.get(argv[0]!) ?? []).filter((i) => sameArgv(this.#procs[i]!.argv, argv))
        : [];
    const s = shell !== null ? (this.#byShell.get(shell) ?? []) : [];
    const at =
      s.length === 0 ? a : a.length === 0 ? s : [...new Set([...a, ...s])].sort((x, y) => x - y);
    return at.map((i) => this.#procs[i]!.pid);
  }
}

/** One lookup (see RunningIndex for many). */
export function pidsRunning(
  procs: readonly ProcInfo[],
  argv: readonly string[] | null,
  shell: string | null,
): number[] {
  return new RunningIndex(procs).pids(argv, shell);
}
