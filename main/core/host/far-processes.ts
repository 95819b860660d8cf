// Another host's process table (issue 17): every /proc read of one poll in one round trip.
// SshHost.readProcesses() runs one fixed far command (SCRIPTS.proc in ssh-host.ts) that prints,
// with `grep -H`, every /proc/PID/stat, cmdline and cgroup line prefixed by its path, then the
// owner of each /proc/PID (`stat -c '%u %n'`, the effective uid, as the local scanner reads it)
// and the pid of the far shell that read them (its own processes are left out of the table).
// This file turns that output into the same ProcessInfo rows as this machine's scanner gives,
// and FarProcessScanner hands them to a ProcessService: scan() is the table the last refresh()
// fetched, so the service's read-only uses (ps, watch rules, strays) work on the far host.
//
// Times come from the far side's own clock (its /proc/uptime), never ours: a process's age is
// uptime - starttime/HZ there, whatever the two clocks say.
import {
  ProcessScanner,
  cgroupPath,
  parseStat,
  splitCmdline,
  ttyName,
  unitOfCgroup,
  type PartialScan,
  type ProcessInfo,
  type ProcessTable,
} from '../processes/proc-scanner.js';

const PF_KTHREAD = 0x00200000;
const NL = 0x0a;
const COLON = 0x3a;

export interface FarProcRead {
  /** The far side's uptime in seconds when it read /proc. */
  uptimeS: number;
  /** The far shell that read them (left out with its children). */
  self: number;
  processes: ProcessInfo[];
}

/** The raw files of one pid, as the far command printed them. */
interface RawProc {
  stat?: Buffer;
  cmdline?: Buffer;
  cgroup?: Buffer;
  uid?: number;
}

/** `grep -H` lines of one file joined back: a line break inside a file repeats its path. */
function append(prev: Buffer | undefined, piece: Buffer): Buffer {
  return prev === undefined ? piece : Buffer.concat([prev, Buffer.from([NL]), piece]);
}

/**
 * Parse the far command's output. `now` is this machine's clock when the answer came (for
 * startedAt); `prev` the last read's rows by pid, for live CPU.
 */
export function parseFarProc(
  out: Buffer,
  now: number,
  prev: { uptimeS: number; byPid: ReadonlyMap<number, ProcessInfo> } | null = null,
  hz = 100,
  pageSize = 4096,
): FarProcRead {
  const raw = new Map<number, RawProc>();
  const get = (pid: number) => {
    let r = raw.get(pid);
    if (r === undefined) raw.set(pid, (r = {}));
    return r;
  };
  let uptimeS = 0;
  let self = -1;
  let inUids = false;
  let start = 0;
  while (start < out.length) {
    let end = out.indexOf(NL, start);
    if (end < 0) end = out.length;
    const line = out.subarray(start, end);
    start = end + 1;
    if (line.length === 0) continue;
    if (line[0] === 0x40 /* @ */) {
      const text = line.toString('latin1');
      if (text === '@uid') inUids = true;
      else if (text.startsWith('@self ')) self = Number(text.slice(6));
      continue;
    }
    if (inUids) {
      const m = /^(\d+) (\d+)$/.exec(line.toString('latin1'));
      if (m !== null) get(Number(m[2])).uid = Number(m[1]);
      continue;
    }
    const colon = line.indexOf(COLON);
    if (colon < 0) continue;
    const path = line.toString('latin1', 0, colon);
    const body = line.subarray(colon + 1);
    if (path === 'uptime') {
      uptimeS = Number(body.toString('latin1').split(' ')[0]);
      continue;
    }
    const slash = path.indexOf('/');
    if (slash < 0) continue;
    const pid = Number(path.slice(0, slash));
    const file = path.slice(slash + 1);
    if (!Number.isInteger(pid)) continue;
    const r = get(pid);
    if (file === 'stat') r.stat = append(r.stat, body);
    else if (file === 'cmdline') r.cmdline = append(r.cmdline, body);
    else if (file === 'cgroup') r.cgroup = append(r.cgroup, body);
  }

  const processes: ProcessInfo[] = [];
  for (const [pid, r] of raw) {
    if (r.stat === undefined || pid === self) continue;
    const st = parseStat(r.stat, r.stat.length);
    if (st === null || st.ppid === self) continue;
    const cpuTicks = st.utime + st.stime;
    const elapsedS = Math.max(0, uptimeS - st.starttime / hz);
    const before = prev?.byPid.get(pid);
    const dt = prev !== null ? uptimeS - prev.uptimeS : 0;
    const cpu =
      before !== undefined && before.starttime === st.starttime && dt > 0
        ? Math.round(Math.max(0, ((cpuTicks - before.cpuTicks) / hz / dt) * 100) * 10) / 10
        : null;
    const cgroup = r.cgroup !== undefined ? cgroupPath(r.cgroup.toString('utf8')) : null;
    processes.push({
      pid,
      starttime: st.starttime,
      ppid: st.ppid,
      uid: r.uid ?? -1,
      comm: st.comm,
      argv: r.cmdline !== undefined ? splitCmdline(r.cmdline) : [],
      state: st.state,
      ttyNr: st.ttyNr,
      tty: ttyName(st.ttyNr),
      session: st.session,
      pgid: st.pgid,
      rss: st.rssPages * pageSize,
      cpuTicks,
      cpu,
      startedAt: Math.round(now - elapsedS * 1000),
      elapsedMs: Math.round(elapsedS * 1000),
      cgroup,
      unit: unitOfCgroup(cgroup),
      kernelThread: (st.flags & PF_KTHREAD) !== 0,
    });
  }
  processes.sort((a, b) => a.pid - b.pid);
  return { uptimeS, self, processes };
}

/** What FarProcessScanner needs of the host: the one-round-trip read. */
export interface ProcReader {
  readProcesses(): Promise<Buffer>;
}

/**
 * A scanner for another host: refresh() reads its /proc in one round trip, scan() hands out
 * that table. What needs this machine's /proc (cwd, environ, a process's exact uids, whether it
 * is alive) answers "not known" (null / false): signals and launches are no part of it.
 */
export class FarProcessScanner extends ProcessScanner {
  #reader: ProcReader;
  #table: ProcessTable = { at: 0, processes: [], byPid: new Map() };
  #uptimeS = 0;

  constructor(reader: ProcReader) {
    super({ holdFiles: false });
    this.#reader = reader;
  }

  /** Reads the far /proc (one round trip) and makes it the table scan() returns. */
  async refresh(): Promise<ProcessTable> {
    const out = await this.#reader.readProcesses();
    const at = Date.now();
    const prev =
      this.#table.processes.length > 0
        ? { uptimeS: this.#uptimeS, byPid: this.#table.byPid }
        : null;
    const read = parseFarProc(out, at, prev);
    this.#uptimeS = read.uptimeS;
    this.#table = {
      at,
      processes: read.processes,
      byPid: new Map(read.processes.map((p) => [p.pid, p])),
    };
    return this.#table;
  }

  override scan(_partial?: PartialScan): ProcessTable {
    return this.#table;
  }
  override quietScan(_partial: PartialScan): ProcessTable {
    return this.#table;
  }
  override cwd(): string | null {
    return null;
  }
  override environ(): Record<string, string> | null {
    return null;
  }
  override statusUids(pid: number): [number, number, number, number] | null {
    const uid = this.#table.byPid.get(pid)?.uid;
    return uid === undefined ? null : [uid, uid, uid, uid];
  }
  override alive(pid: number, starttime: number): boolean {
    return this.#table.byPid.get(pid)?.starttime === starttime;
  }
}
