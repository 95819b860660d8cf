// Live resources per unit (main PID, every process in the unit's cgroup, CPU%, RSS, tasks,
// restarts, uptime) from ONE /proc scan for all units, instead of a D-Bus call per unit.
//
// Relies on:
// - /proc/PID/cgroup naming the unit as the deepest `.service`/`.scope` path component
//   (PLATFORM-NOTES; the processes area's ProcessScanner parses it and caches it per process
//   identity). A template instance is `NAME@INSTANCE.service`.
// - CPU% is a delta between two scans (ps's %cpu is a lifetime average): the first sample of a
//   process has none, so a unit's cpu is null until every one of its processes was seen twice.
// - Tasks are threads: the entries of /proc/PID/task, read only for the unit's own processes.
// - MainPID, NRestarts and the state-change time come from the unit service's records, which
//   systemd keeps current through PropertiesChanged signals: no per-unit call here either.
import { readdirSync } from 'node:fs';
import type { ProcessResources, UnitResources } from '../model/authoring.js';
import {
  ProcessScanner,
  commandLine,
  type ProcessInfo,
  type ProcessTable,
} from '../processes/proc-scanner.js';
import type { UnitRecord } from './unit-model.js';

export interface UnitUsage {
  processes: ProcessInfo[];
  /** Sum of the processes' live CPU, null while any of them has no previous sample. */
  cpu: number | null;
  memory: number;
}

/** Group a process table by unit. Pure. */
export function usageByUnit(table: ProcessTable): Map<string, UnitUsage> {
  const out = new Map<string, UnitUsage>();
  for (const p of table.processes) {
    if (p.unit === null) continue;
    let u = out.get(p.unit);
    if (u === undefined) {
      u = { processes: [], cpu: 0, memory: 0 };
      out.set(p.unit, u);
    }
    u.processes.push(p);
    u.memory += p.rss;
    u.cpu = u.cpu === null || p.cpu === null ? null : u.cpu + p.cpu;
  }
  return out;
}

function threadCount(procRoot: string, pid: number): number {
  try {
    return readdirSync(`${procRoot}/${pid}/task`).length;
  } catch {
    return 0; // the process ended while we looked
  }
}

export interface ResourceSamplerOptions {
  scanner?: ProcessScanner;
  procRoot?: string;
  now?: () => number;
}

/** Samples resources for any number of units from one scan per call. */
export class ResourceSampler {
  readonly #scanner: ProcessScanner;
  readonly #procRoot: string;
  readonly #now: () => number;

  constructor(opts: ResourceSamplerOptions = {}) {
    this.#procRoot = opts.procRoot ?? '/proc';
    this.#scanner =
      opts.scanner ??
      new ProcessScanner({ procRoot: this.#procRoot, includeSelf: true, cgroups: true });
    this.#now = opts.now ?? Date.now;
  }

  /** One /proc scan; the resources of each unit in `records` (by name). */
  sample(records: readonly UnitRecord[]): Map<string, UnitResources> {
    const table = this.#scanner.scan();
    const usage = usageByUnit(table);
    const sampledAt = new Date(this.#now()).toISOString();
    const out = new Map<string, UnitResources>();
    for (const r of records) {
      const u = usage.get(r.name);
      const processes: ProcessResources[] = (u?.processes ?? [])
        .map((p) => ({ pid: p.pid, command: commandLine(p), cpu: p.cpu, memory: p.rss }))
        .sort((a, b) => a.pid - b.pid);
      const active = r.activeState === 'active' || r.activeState === 'reloading';
      out.set(r.name, {
        unit: r.name,
        mainPid: r.mainPid > 0 ? r.mainPid : null,
        processes,
        cpu: u === undefined ? (active ? 0 : null) : u.cpu,
        memory: u?.memory ?? 0,
        tasks: processes.reduce((n, p) => n + threadCount(this.#procRoot, p.pid), 0),
        nRestarts: r.nRestarts,
        uptimeSec:
          active && r.stateChangeUsec > 0
            ? Math.max(0, Math.round((this.#now() - r.stateChangeUsec / 1000) / 1000))
            : null,
        sampledAt,
      });
    }
    return out;
  }
}
