// Cleaning up what a test started outside a sandbox's cgroup (strays, adopted commands).

/** SIGKILL each process that is still there; one already gone is passed over. */
export function killAll(pids: Iterable<number>): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}
