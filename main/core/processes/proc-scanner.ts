// The process scanner: one pass over /proc builds a table of every process with what the app
// shows and matches on.
//
// Relies on (proc(5), Linux >= 4.x):
// - /proc/PID/stat: one line; comm is wrapped in parentheses and may itself hold spaces and
//   parentheses, so fields are parsed after the LAST ')'. Times are in clock ticks (USER_HZ),
//   which is 100 on every Linux ABI Node runs on; sysconf(_SC_CLK_TCK) is not reachable from
//   Node, so HZ is a constructor option. RSS is in pages (4096 here, also an option).
// - The owner of /proc/PID is the process's effective uid (what `pgrep -u` matches), read with
//   one stat per process identity and cached with its cmdline. Quirks: a non-dumpable process
//   (setuid programs, prctl(PR_SET_DUMPABLE, 0)) shows as root there, and a uid change without
//   an exec is not seen until the identity changes; `statusUids()` reads the exact Uid line for
//   callers that must be exact (the process service does, for `-u`).
// - /proc/PID/cmdline: argv joined by NULs (a process may rewrite it, e.g. `setproctitle`;
//   then it is one string with spaces). Empty for kernel threads and zombies. It is cached by
//   (pid, starttime, comm): pids are reused, and an exec changes comm.
// - /proc/PID/cgroup: the unified line `0::PATH` (cgroup v2) or, on hybrid v1 hosts like this
//   container, `N:name=systemd:PATH`. The unit is the deepest `.service`/`.scope` component.
// - Processes vanish at any moment: every per-process read catches ENOENT/ESRCH (and EACCES for
//   other users' cwd) and the process is skipped, never the scan.
// Performance (PLATFORM-NOTES): a reused buffer with openSync/readSync, numbers parsed from
// bytes without building strings, cmdline and cgroup read once per process identity.
import {
  closeSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  readSync,
  statSync,
} from 'node:fs';

/** One process as the scan saw it. Identity is (pid, starttime). */
export interface ProcessInfo {
  pid: number;
  /** Start time in clock ticks after boot (field 22 of stat): with pid, the identity. */
  starttime: number;
  ppid: number;
  /** Effective uid (owner of /proc/PID; see the header for non-dumpable processes). */
  uid: number;
  /** The kernel's process name, at most 15 characters. */
  comm: string;
  /** argv; empty for kernel threads and zombies. */
  argv: string[];
  /** One-letter state: R, S, D, Z, T, t, I, X... */
  state: string;
  /** Controlling terminal as the kernel's tty_nr (0: none). */
  ttyNr: number;
  /** `pts/3`, `tty1`, or null without a controlling terminal. */
  tty: string | null;
  session: number;
  pgid: number;
  /** Resident memory in bytes. */
  rss: number;
  /** utime + stime in clock ticks. */
  cpuTicks: number;
  /** Live CPU in percent of one core since the previous scan; null on a process's first scan. */
  cpu: number | null;
  /** Milliseconds since the epoch when the process started. */
  startedAt: number;
  /** Milliseconds it has been running. */
  elapsedMs: number;
  /** The cgroup path, e.g. `/user.slice/user-1000.slice/user@1000.service/app.slice/x.service`. */
  cgroup: string | null;
  /** The deepest `.service` or `.scope` in the cgroup path, or null. */
  unit: string | null;
  kernelThread: boolean;
}

export interface ProcessTable {
  /** Milliseconds since the epoch of the scan. */
  at: number;
  processes: ProcessInfo[];
  byPid: Map<number, ProcessInfo>;
}

export interface ScannerOptions {
  /** Where proc is mounted (tests may point at a fixture tree). */
  procRoot?: string;
  /** Clock ticks per second (USER_HZ). */
  hz?: number;
  pageSize?: number;
  /** PIDs to leave out besides the app's own. */
  excludePids?: Iterable<number>;
  /** Keep the app's own process and its helpers in the table (default false). */
  includeSelf?: boolean;
  /** Read /proc/PID/cgroup (default true). */
  cgroups?: boolean;
  /** The app's own pid (default process.pid). */
  selfPid?: number;
  now?: () => number;
}

interface Cached {
  starttime: number;
  comm: string;
  uid: number;
  argv: string[];
  cgroup: string | null;
  unit: string | null;
  cpuTicks: number;
  at: number;
}

const PF_KTHREAD = 0x00200000;

/** Parsed fields of one /proc/PID/stat line. Pure: exported for tests. */
export interface StatFields {
  comm: string;
  state: string;
  ppid: number;
  pgid: number;
  session: number;
  ttyNr: number;
  flags: number;
  utime: number;
  stime: number;
  starttime: number;
  rssPages: number;
}

/**
 * Parse a stat line held in `buf[0..len)`. Returns null when the line is malformed.
 * Fields after the last ')' are space separated; field 3 (state) is the first of them.
 */
export function parseStat(buf: Uint8Array, len: number): StatFields | null {
  let open = -1;
  for (let i = 0; i < len; i++) {
    if (buf[i] === 0x28) {
      open = i;
      break;
    }
  }
  let close = -1;
  for (let i = len - 1; i > open; i--) {
    if (buf[i] === 0x29) {
      close = i;
      break;
    }
  }
  if (open < 0 || close < 0 || close + 2 >= len) return null;
  const comm = Buffer.from(buf.buffer, buf.byteOffset + open + 1, close - open - 1).toString(
    'utf8',
  );
  const state = String.fromCharCode(buf[close + 2] ?? 0x3f);
  // Walk the numeric fields 4..24 (1-based as in proc(5)).
  const out = new Array<number>(25).fill(0);
  let field = 3;
  let i = close + 3;
  while (i < len && field < 24) {
    // skip the separator
    if (buf[i] === 0x20) {
      field++;
      i++;
      let neg = false;
      if (buf[i] === 0x2d) {
        neg = true;
        i++;
      }
      let v = 0;
      while (i < len) {
        const c = buf[i]!;
        if (c < 0x30 || c > 0x39) break;
        v = v * 10 + (c - 0x30);
        i++;
      }
      out[field] = neg ? -v : v;
    } else {
      i++;
    }
  }
  if (field < 24) return null;
  return {
    comm,
    state,
    ppid: out[4]!,
    pgid: out[5]!,
    session: out[6]!,
    ttyNr: out[7]!,
    flags: out[9]!,
    utime: out[14]!,
    stime: out[15]!,
    starttime: out[22]!,
    rssPages: out[24]!,
  };
}

/** `pts/3`, `tty1`, `ttyS0`, or null; a best-effort name for a kernel tty_nr. */
export function ttyName(ttyNr: number): string | null {
  if (ttyNr === 0) return null;
  const major = (ttyNr >> 8) & 0xfff;
  const minor = (ttyNr & 0xff) | ((ttyNr >> 12) & 0xfff00);
  if (major >= 136 && major <= 143) return `pts/${minor + (major - 136) * 256}`;
  if (major === 4) return minor < 64 ? `tty${minor}` : `ttyS${minor - 64}`;
  if (major === 5 && minor === 0) return 'tty';
  if (major === 5 && minor === 1) return 'console';
  return `${major}:${minor}`;
}

/** The cgroup path from /proc/PID/cgroup text: the v2 line, else systemd's v1 named hierarchy. */
export function cgroupPath(text: string): string | null {
  let v1: string | null = null;
  for (const line of text.split('\n')) {
    if (line.startsWith('0::')) return line.slice(3);
    const m = /^\d+:name=systemd:(.*)$/.exec(line);
    if (m) v1 = m[1]!;
  }
  return v1;
}

/** The deepest `.service` or `.scope` component of a cgroup path. */
export function unitOfCgroup(path: string | null): string | null {
  if (path === null) return null;
  const parts = path.split('/');
  for (let i = parts.length - 1; i >= 0; i--) {
    const p = parts[i]!;
    if (p.endsWith('.service') || p.endsWith('.scope')) return p;
  }
  return null;
}

/** argv from the raw bytes of /proc/PID/cmdline (NUL separated, usually NUL terminated). */
export function splitCmdline(raw: Buffer): string[] {
  if (raw.length === 0) return [];
  let end = raw.length;
  if (raw[end - 1] === 0) end--;
  return raw.toString('utf8', 0, end).split('\0');
}

function isGone(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'ENOENT' || code === 'ESRCH' || code === 'EACCES' || code === 'EPERM';
}

export class ProcessScanner {
  private readonly procRoot: string;
  private readonly hz: number;
  private readonly pageSize: number;
  private readonly exclude: Set<number>;
  private readonly includeSelf: boolean;
  private readonly cgroups: boolean;
  private readonly selfPid: number;
  private readonly now: () => number;
  private readonly statBuf = Buffer.alloc(4096);
  private cmdBuf = Buffer.alloc(16384);
  private cache = new Map<number, Cached>();
  private bootTimeMs: number | null = null;

  constructor(opts: ScannerOptions = {}) {
    this.procRoot = opts.procRoot ?? '/proc';
    this.hz = opts.hz ?? 100;
    this.pageSize = opts.pageSize ?? 4096;
    this.exclude = new Set(opts.excludePids ?? []);
    this.includeSelf = opts.includeSelf ?? false;
    this.cgroups = opts.cgroups ?? true;
    this.selfPid = opts.selfPid ?? process.pid;
    this.now = opts.now ?? Date.now;
  }

  /** Boot time in ms since the epoch, from `btime` in /proc/stat (read once). */
  bootTime(): number {
    if (this.bootTimeMs === null) {
      const text = readFileSync(`${this.procRoot}/stat`, 'latin1');
      const m = /^btime (\d+)$/m.exec(text);
      this.bootTimeMs = m ? Number(m[1]) * 1000 : 0;
    }
    return this.bootTimeMs;
  }

  /** Read one whole file under /proc into the given buffer, growing it; returns the length. */
  private readInto(path: string, which: 'stat' | 'cmd'): number {
    const fd = openSync(path, 'r');
    try {
      let buf = which === 'stat' ? this.statBuf : this.cmdBuf;
      let len = 0;
      for (;;) {
        if (len === buf.length) {
          const bigger = Buffer.alloc(buf.length * 2);
          buf.copy(bigger);
          buf = bigger;
          if (which === 'cmd') this.cmdBuf = buf;
        }
        const n = readSync(fd, buf, len, buf.length - len, null);
        if (n === 0) break;
        len += n;
        if (which === 'stat') break; // one read returns the whole line
      }
      return len;
    } finally {
      closeSync(fd);
    }
  }

  private readCmdline(pid: number): string[] {
    const len = this.readInto(`${this.procRoot}/${pid}/cmdline`, 'cmd');
    return splitCmdline(this.cmdBuf.subarray(0, len));
  }

  private readCgroup(pid: number): string | null {
    if (!this.cgroups) return null;
    return cgroupPath(readFileSync(`${this.procRoot}/${pid}/cgroup`, 'utf8'));
  }

  /** One pass over /proc. Never throws for a process that vanishes during the scan. */
  scan(): ProcessTable {
    const at = this.now();
    const bootMs = this.bootTime();
    const processes: ProcessInfo[] = [];
    const byPid = new Map<number, ProcessInfo>();
    const nextCache = new Map<number, Cached>();
    const names = readdirSync(this.procRoot);
    for (const name of names) {
      const c0 = name.charCodeAt(0);
      if (c0 < 0x30 || c0 > 0x39) continue;
      const pid = Number(name);
      if (this.exclude.has(pid)) continue;
      let fd: number;
      try {
        fd = openSync(`${this.procRoot}/${name}/stat`, 'r');
      } catch (err) {
        if (isGone(err)) continue;
        throw err;
      }
      let len: number;
      try {
        len = readSync(fd, this.statBuf, 0, this.statBuf.length, null);
      } catch (err) {
        if (isGone(err)) continue;
        throw err;
      } finally {
        closeSync(fd);
      }
      const st = parseStat(this.statBuf, len);
      if (st === null) continue;
      const cpuTicks = st.utime + st.stime;
      const prev = this.cache.get(pid);
      let cached: Cached;
      // An empty argv is final only for kernel threads (PF_KTHREAD) and zombies; a process read in
      // the middle of an exec shows none for a moment, so its command line is read again.
      const argvSettled =
        prev !== undefined &&
        (prev.argv.length > 0 || (st.flags & PF_KTHREAD) !== 0 || st.state === 'Z');
      if (
        prev !== undefined &&
        prev.starttime === st.starttime &&
        prev.comm === st.comm &&
        argvSettled
      ) {
        cached = prev;
      } else {
        try {
          const uid = statSync(`${this.procRoot}/${name}`).uid;
          const argv = this.readCmdline(pid);
          const cgroup = this.readCgroup(pid);
          cached = {
            starttime: st.starttime,
            comm: st.comm,
            uid,
            argv,
            cgroup,
            unit: unitOfCgroup(cgroup),
            cpuTicks,
            at: -1,
          };
        } catch (err) {
          if (isGone(err)) continue;
          throw err;
        }
      }
      const cpu =
        cached.at >= 0 && at > cached.at
          ? Math.max(0, ((cpuTicks - cached.cpuTicks) / this.hz / ((at - cached.at) / 1000)) * 100)
          : null;
      const uid = cached.uid;
      cached.cpuTicks = cpuTicks;
      cached.at = at;
      nextCache.set(pid, cached);
      const startedAt = bootMs + (st.starttime * 1000) / this.hz;
      const info: ProcessInfo = {
        pid,
        starttime: st.starttime,
        ppid: st.ppid,
        uid,
        comm: st.comm,
        argv: cached.argv,
        state: st.state,
        ttyNr: st.ttyNr,
        tty: ttyName(st.ttyNr),
        session: st.session,
        pgid: st.pgid,
        rss: st.rssPages * this.pageSize,
        cpuTicks,
        cpu: cpu === null ? null : Math.round(cpu * 10) / 10,
        startedAt: Math.round(startedAt),
        elapsedMs: Math.max(0, Math.round(at - startedAt)),
        cgroup: cached.cgroup,
        unit: cached.unit,
        kernelThread: (st.flags & PF_KTHREAD) !== 0,
      };
      processes.push(info);
      byPid.set(pid, info);
    }
    this.cache = nextCache;
    if (!this.includeSelf) this.dropSelf(processes, byPid);
    return { at, processes, byPid };
  }

  /**
   * The app's own processes: itself, and Electron's helpers (descendants in its session running
   * the same program with a `--type=` switch: zygote, gpu-process, renderer, utility).
   */
  private dropSelf(processes: ProcessInfo[], byPid: Map<number, ProcessInfo>): void {
    const self = byPid.get(this.selfPid);
    if (self === undefined) return;
    const program = self.argv[0];
    const own = new Set<number>([self.pid]);
    let grew = true;
    while (grew) {
      grew = false;
      for (const p of processes) {
        if (own.has(p.pid) || !own.has(p.ppid)) continue;
        if (
          p.session === self.session &&
          p.argv[0] === program &&
          p.argv.some((a) => a.startsWith('--type='))
        ) {
          own.add(p.pid);
          grew = true;
        }
      }
    }
    for (const pid of own) byPid.delete(pid);
    let w = 0;
    for (const p of processes) if (!own.has(p.pid)) processes[w++] = p;
    processes.length = w;
  }

  /** The process's working directory, or null when it is gone or not readable. */
  cwd(pid: number): string | null {
    try {
      return readlinkSync(`${this.procRoot}/${pid}/cwd`);
    } catch (err) {
      if (isGone(err)) return null;
      throw err;
    }
  }

  /** The process's environment (only for processes the caller may read), or null. */
  environ(pid: number): Record<string, string> | null {
    try {
      const raw = readFileSync(`${this.procRoot}/${pid}/environ`);
      const env: Record<string, string> = {};
      for (const kv of splitCmdline(raw)) {
        const eq = kv.indexOf('=');
        if (eq > 0) env[kv.slice(0, eq)] = kv.slice(eq + 1);
      }
      return env;
    } catch (err) {
      if (isGone(err)) return null;
      throw err;
    }
  }

  /** Real, effective, saved and filesystem uids from /proc/PID/status, or null when gone. */
  statusUids(pid: number): [number, number, number, number] | null {
    try {
      const text = readFileSync(`${this.procRoot}/${pid}/status`, 'latin1');
      const m = /^Uid:\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)/m.exec(text);
      if (!m) return null;
      return [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])];
    } catch (err) {
      if (isGone(err)) return null;
      throw err;
    }
  }

  /** True while the process with this identity still exists (pid not reused). */
  alive(pid: number, starttime: number): boolean {
    let fd: number;
    try {
      fd = openSync(`${this.procRoot}/${pid}/stat`, 'r');
    } catch (err) {
      if (isGone(err)) return false;
      throw err;
    }
    try {
      const len = readSync(fd, this.statBuf, 0, this.statBuf.length, null);
      const st = parseStat(this.statBuf, len);
      return st !== null && st.starttime === starttime && st.state !== 'Z' && st.state !== 'X';
    } catch (err) {
      if (isGone(err)) return false;
      throw err;
    } finally {
      closeSync(fd);
    }
  }
}

/** The command line as one line for display: argv joined by spaces, or `[comm]` without one. */
export function commandLine(p: Pick<ProcessInfo, 'argv' | 'comm'>): string {
  return p.argv.length > 0 ? p.argv.join(' ') : `[${p.comm}]`;
}
