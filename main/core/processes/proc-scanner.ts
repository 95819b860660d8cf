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
//   (pid, starttime, comm, arg_start): pids are reused, and an exec changes comm or, when the new
//   program has the same name (`exec sh ...` in sh), arg_start (field 48 of stat, where argv sits).
// - /proc/PID/cgroup: the unified line `0::PATH` (cgroup v2) or, on hybrid v1 hosts like this
//   container, `N:name=systemd:PATH`. The unit is the deepest `.service`/`.scope` component.
// - Processes vanish at any moment: every per-process read catches ENOENT/ESRCH (and EACCES for
//   other users' cwd) and the process is skipped, never the scan.
// Performance (PLATFORM-NOTES): a reused buffer, numbers parsed from bytes without building
// strings or arrays, cmdline and cgroup read once per process identity. Between scans the scanner
// keeps each process's /proc/PID/stat open and re-reads it with pread at offset 0 (seq_file
// regenerates the line): one syscall per known process instead of open/read/close, which makes a
// warm scan cheaper than a C loop that opens every file. An open stat file pins its process, so a
// read failing with ESRCH means exactly "that process ended" (a reused pid never reads as the old
// one). The files held are bounded per Node process (a quarter of RLIMIT_NOFILE's soft limit, at
// most 4096); beyond that a process is opened and closed each scan as before. close() releases
// them, and so does garbage collection of a forgotten scanner.
import {
  closeSync,
  existsSync,
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

/**
 * One scan's view. Its ProcessInfo objects belong to the scanner: a later scan of the same
 * scanner updates the object of a process it reads again (same identity) in place, so use a
 * table when you get it, and copy what you keep.
 */
export interface ProcessTable {
  /** Milliseconds since the epoch of the scan. */
  at: number;
  /**
   * True for a partial scan: known processes outside its hot set and rotation are as last read
   * (at most `rotation` scans ago); new, vanished and hot processes are current.
   */
  partial?: boolean;
  /**
   * True for a quiet pass that did not list /proc (ProcessScanner.quietScan): a process that
   * ended may still be in it until its turn in the rotation.
   */
  quiet?: boolean;
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
  /** Keep each process's stat file open between scans (default true; see the header). */
  holdFiles?: boolean;
  now?: () => number;
}

interface Cached {
  starttime: number;
  comm: string;
  /** comm's raw bytes as latin1 (one char per byte), to recognise it without decoding. */
  commRaw: string;
  /** arg_start when the command line was read (see StatScratch): a new value means an exec. */
  argStart: number;
  /** The open /proc/PID/stat of this process, or -1. */
  fd: number;
  /** The scan that last saw it. */
  seen: number;
  uid: number;
  argv: string[];
  cgroup: string | null;
  unit: string | null;
  /** False while the cgroup was not read yet (a partial scan leaves it to the next full one). */
  cgroupRead: boolean;
  cpuTicks: number;
  at: number;
  /** What the last read of this process produced (a partial scan hands it out again). */
  info: ProcessInfo | null;
}

/** A cheaper scan for polling (see ProcessScanner.scan). */
export interface PartialScan {
  /** Processes read afresh in any case (e.g. those a watch rule matched last time). */
  hot: ReadonlySet<number>;
  /** Every other known process is read once every `rotation` scans (by pid). */
  rotation: number;
  /**
   * Processes started less than this many ms ago are read at every scan too: a wrapper that
   * execs its program (`sh -c 'exec server'`, a launcher script) keeps its pid, and does so
   * soon after it starts.
   */
  youngMs?: number;
  /**
   * Read the cgroup (the unit) of every process whose cgroup is not known yet, as a full scan
   * does (strays need it); a known process keeps the one read with its identity.
   */
  cgroups?: boolean;
}

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

/** Mutable parse result, reused across processes by the scanner: comm by position, state as a byte. */
interface StatScratch extends Omit<StatFields, 'comm' | 'state'> {
  commStart: number;
  commEnd: number;
  state: number;
  /**
   * Field 48, arg_start: where argv sits in the process's memory. Every exec places it anew (the
   * stack is randomised), so it tells an exec that kept the name (`sh` running `exec sh x`, or
   * `setsid sh x` forked from a shell) from the same program. 0 where the kernel hides it (another
   * user's process) or the line is shorter (Linux < 3.5).
   */
  argStart: number;
  /** Field 38, exit_signal: -1 for a thread that is not its group's leader (its tid is no process). */
  exitSignal: number;
}

function newScratch(): StatScratch {
  return {
    commStart: 0,
    commEnd: 0,
    state: 0,
    ppid: 0,
    pgid: 0,
    session: 0,
    ttyNr: 0,
    flags: 0,
    utime: 0,
    stime: 0,
    starttime: 0,
    rssPages: 0,
    argStart: 0,
    exitSignal: 0,
  };
}

/**
 * Parse a stat line held in `buf[0..len)` into `out`, allocating nothing; false when malformed.
 * Fields after the last ')' are space separated; field 3 (state) is the first of them.
 */
function parseStatInto(buf: Uint8Array, len: number, out: StatScratch): boolean {
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
  if (open < 0 || close < 0 || close + 2 >= len) return false;
  out.commStart = open + 1;
  out.commEnd = close;
  out.state = buf[close + 2]!;
  // Walk the numeric fields 4..48 (1-based as in proc(5)).
  out.argStart = 0;
  out.exitSignal = 0;
  let field = 3;
  let i = close + 3;
  while (i < len && field < 48) {
    if (buf[i] !== 0x20) {
      i++;
      continue;
    }
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
    if (neg) v = -v;
    switch (field) {
      case 4:
        out.ppid = v;
        break;
      case 5:
        out.pgid = v;
        break;
      case 6:
        out.session = v;
        break;
      case 7:
        out.ttyNr = v;
        break;
      case 9:
        out.flags = v;
        break;
      case 14:
        out.utime = v;
        break;
      case 15:
        out.stime = v;
        break;
      case 22:
        out.starttime = v;
        break;
      case 24:
        out.rssPages = v;
        break;
      case 38:
        out.exitSignal = v;
        break;
      case 48:
        out.argStart = v;
        break;
      default:
        break;
    }
  }
  return field >= 24;
}

/**
 * Parse a stat line held in `buf[0..len)`. Returns null when the line is malformed.
 * Fields after the last ')' are space separated; field 3 (state) is the first of them.
 */
export function parseStat(buf: Uint8Array, len: number): StatFields | null {
  const st = newScratch();
  if (!parseStatInto(buf, len, st)) return null;
  return {
    comm: Buffer.from(buf.buffer, buf.byteOffset, len).toString('utf8', st.commStart, st.commEnd),
    state: String.fromCharCode(st.state),
    ppid: st.ppid,
    pgid: st.pgid,
    session: st.session,
    ttyNr: st.ttyNr,
    flags: st.flags,
    utime: st.utime,
    stime: st.stime,
    starttime: st.starttime,
    rssPages: st.rssPages,
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

/** Stat files held open by all scanners of this Node process, and the most they may hold. */
const heldFiles = { count: 0, max: -1 };

function heldFilesMax(): number {
  if (heldFiles.max < 0) {
    let soft = 1024;
    try {
      const m = /^Max open files\s+(\d+|unlimited)/m.exec(
        readFileSync('/proc/self/limits', 'latin1'),
      );
      if (m) soft = m[1] === 'unlimited' ? 1 << 20 : Number(m[1]);
    } catch {
      soft = 1024; // no /proc/self/limits: assume the usual default
    }
    heldFiles.max = Math.min(4096, Math.floor(soft / 4));
  }
  return heldFiles.max;
}

function releaseFd(fds: Set<number>, fd: number): void {
  if (!fds.delete(fd)) return;
  heldFiles.count--;
  try {
    closeSync(fd);
  } catch {
    // already closed: nothing held any more
  }
}

/** Closes the stat files of a scanner that was garbage collected without close(). */
const forgotten = new FinalizationRegistry<Set<number>>((fds) => {
  for (const fd of [...fds]) releaseFd(fds, fd);
});

/**
 * How long a process stays among the recent ones (ProcessScanner.recent), or a pass's youngMs
 * if longer: twice the process service's YOUNG_MS, and short, as a crowd started together stays
 * in the set (and is walked at each pass) that long.
 */
const RECENT_MS = 10_000;

const NO_PIDS: readonly number[] = [];

const PF_KTHREAD_FLAG = 0x00200000;
const STATE_ZOMBIE = 0x5a; // 'Z'

export class ProcessScanner {
  private readonly procRoot: string;
  private readonly hz: number;
  private readonly pageSize: number;
  private readonly exclude: Set<number>;
  private readonly includeSelf: boolean;
  private readonly cgroups: boolean;
  private readonly selfPid: number;
  private readonly now: () => number;
  private readonly holdFiles: boolean;
  private readonly statBuf = Buffer.alloc(4096);
  private readonly scratch = newScratch();
  private cmdBuf = Buffer.alloc(16384);
  private cache = new Map<number, Cached>();
  /**
   * The cache's pids by rotation slice (pid % rotation), rebuilt after the cache's membership
   * changed (null until then) or for another rotation, and the pids whose identity was cached
   * lately (pruned once they are no longer young): a quiet pass takes its slice and the young
   * processes from these instead of walking every cached process. Walking even a plain array of
   * every pid at each pass ran enough bytecode to get the pass compiled anew by the JIT while the
   * core idled, on a CPU thread of its own (issue 16); a machine where nothing starts or ends
   * now looks only at its slice.
   */
  private slices: { rotation: number; pids: Map<number, number[]> } | null = null;
  private readonly recent = new Set<number>();
  /** The stat files this scanner holds open (shared with the finalizer). */
  private readonly fds = new Set<number>();
  private generation = 0;
  private bootTimeMs: number | null = null;
  /** The last pid handed out when /proc was last looked at (quietScan), or null. */
  private seq: number | null = null;
  private loadavgFd = -1;
  /** The last table handed out (quietScan builds on it). */
  private table: ProcessTable | null = null;
  /** The app's own processes as the last scan found them (left out of tables). */
  private own = new Set<number>();
  private self: ProcessInfo | null = null;

  constructor(opts: ScannerOptions = {}) {
    this.procRoot = opts.procRoot ?? '/proc';
    this.hz = opts.hz ?? 100;
    this.pageSize = opts.pageSize ?? 4096;
    this.exclude = new Set(opts.excludePids ?? []);
    this.includeSelf = opts.includeSelf ?? false;
    this.cgroups = opts.cgroups ?? true;
    this.selfPid = opts.selfPid ?? process.pid;
    this.now = opts.now ?? Date.now;
    this.holdFiles = opts.holdFiles ?? true;
    forgotten.register(this, this.fds, this);
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

  /** Read one whole file under /proc into the command-line buffer, growing it; returns the length. */
  private readCmd(path: string): number {
    const fd = openSync(path, 'r');
    try {
      let len = 0;
      for (;;) {
        if (len === this.cmdBuf.length) {
          const bigger = Buffer.alloc(this.cmdBuf.length * 2);
          this.cmdBuf.copy(bigger);
          this.cmdBuf = bigger;
        }
        const n = readSync(fd, this.cmdBuf, len, this.cmdBuf.length - len, null);
        if (n === 0) return len;
        len += n;
      }
    } finally {
      closeSync(fd);
    }
  }

  private readCmdline(pid: number): string[] {
    const len = this.readCmd(`${this.procRoot}/${pid}/cmdline`);
    return splitCmdline(this.cmdBuf.subarray(0, len));
  }

  private readCgroup(pid: number): string | null {
    if (!this.cgroups) return null;
    return cgroupPath(readFileSync(`${this.procRoot}/${pid}/cgroup`, 'utf8'));
  }

  private release(c: Cached): void {
    if (c.fd < 0) return;
    releaseFd(this.fds, c.fd);
    c.fd = -1;
  }

  /** Keep `fd` open for the next scans if the budget allows; otherwise close it. */
  private keepOrClose(c: Cached, fd: number): void {
    if (c.fd < 0 && this.holdFiles && heldFiles.count < heldFilesMax()) {
      c.fd = fd;
      this.fds.add(fd);
      heldFiles.count++;
      return;
    }
    closeSync(fd);
  }

  /** How many stat files this scanner holds open between scans. */
  get heldFiles(): number {
    return this.fds.size;
  }

  /** Release every file this scanner holds open; the next scan starts cold. */
  close(): void {
    for (const c of this.cache.values()) this.release(c);
    for (const fd of [...this.fds]) releaseFd(this.fds, fd);
    this.cache = new Map();
    this.slices = null;
    this.recent.clear();
    this.table = null;
    this.seq = null;
    if (this.loadavgFd >= 0) closeSync(this.loadavgFd);
    this.loadavgFd = -1;
  }

  /**
   * One pass over /proc. Never throws for a process that vanishes during the scan.
   *
   * With `partial`, a poll's cheaper pass: the directory listing finds every new and vanished
   * process as before, hot processes are read afresh, and each other known process only every
   * `rotation` scans, its last reading handed out in between (then its open stat file, or its
   * start time where none is held, tells whether it is still the same process). So a process that changes its name by exec, or a pid reused while the listing still
   * shows it, is seen within `rotation` scans instead of one.
   */
  scan(partial?: PartialScan): ProcessTable {
    const at = this.now();
    const bootMs = this.bootTime();
    const gen = ++this.generation;
    const processes: ProcessInfo[] = [];
    const byPid = new Map<number, ProcessInfo>();
    // Read before the listing: a process started while /proc is listed is after it.
    this.seq = this.lastPid();
    const names = readdirSync(this.procRoot);
    for (let k = 0; k < names.length; k++) {
      const name = names[k]!;
      const c0 = name.charCodeAt(0);
      if (c0 < 0x30 || c0 > 0x39) continue;
      const pid = Number(name);
      if (this.exclude.size > 0 && this.exclude.has(pid)) continue;
      const prev = this.cache.get(pid);
      if (
        partial !== undefined &&
        prev !== undefined &&
        prev.info !== null &&
        !partial.hot.has(pid) &&
        pid % partial.rotation !== gen % partial.rotation &&
        (partial.cgroups !== true || prev.cgroupRead) &&
        !(at - prev.info.startedAt < (partial.youngMs ?? 0))
      ) {
        prev.seen = gen;
        processes.push(prev.info);
        byPid.set(pid, prev.info);
        continue;
      }
      const info = this.readOne(
        pid,
        prev,
        gen,
        at,
        bootMs,
        partial !== undefined && partial.cgroups !== true,
      );
      if (info === null) continue;
      processes.push(info);
      byPid.set(pid, info);
    }
    // Files of processes that ended (or were renamed away) are let go.
    for (const [pid, c] of this.cache) {
      if (c.seen === gen) continue;
      this.release(c);
      this.cache.delete(pid);
      this.slices = null;
    }
    this.pruneRecent(at - RECENT_MS);
    if (!this.includeSelf) this.dropSelf(processes, byPid);
    const table: ProcessTable =
      partial !== undefined ? { at, partial: true, processes, byPid } : { at, processes, byPid };
    this.table = table;
    return table;
  }

  /**
   * The quiet poll's pass (no window shows processes): like a partial scan, but without listing
   * /proc when looking at the pids the kernel handed out since the last pass is cheaper. The
   * last pid handed out is the 5th field of /proc/loadavg; the new processes are among the pids
   * after it (a thread's id is skipped by its exit_signal). Hot processes are read afresh, a
   * `rotation` slice of the rest too (that is when a process that ended is dropped, or an exec
   * that kept the pid is seen), and the others are handed out as last read.
   * Costs measured on this 2-core VM with 1,250 processes (issue 16): listing /proc 0.5-0.7 ms
   * (~0.5 us a process), the loadavg read 4 us, a pid with nothing behind it 3 us (access),
   * a thread 10-15 us (open, read, close), a held stat file 4 us. So the pids are looked at one by
   * one while there are fewer than about 1/12 as many as known processes, else /proc is listed.
   */
  quietScan(partial: PartialScan): ProcessTable {
    const seq = this.lastPid();
    const from = this.seq;
    const last = this.table;
    if (
      seq === null ||
      from === null ||
      last === null ||
      seq < from ||
      (seq - from) * 12 > Math.max(64, this.cache.size)
    )
      return this.scan(partial);
    this.seq = seq;
    const at = this.now();
    const bootMs = this.bootTime();
    const gen = ++this.generation;
    const added: ProcessInfo[] = [];
    const gone: number[] = [];
    const look = (pid: number, prev: Cached | undefined) => {
      if (this.own.has(pid)) return;
      const info = this.readOne(pid, prev, gen, at, bootMs, true);
      if (info === null) {
        if (prev !== undefined || this.cache.has(pid)) gone.push(pid);
      } else if (info !== last.byPid.get(pid)) {
        if (last.byPid.has(pid)) gone.push(pid);
        added.push(info);
      }
    };
    for (let pid = from + 1; pid <= seq; pid++) {
      if (this.exclude.has(pid) || this.own.has(pid)) continue;
      const prev = this.cache.get(pid);
      if (!existsSync(`${this.procRoot}/${pid}/stat`)) {
        if (prev !== undefined) gone.push(pid);
        continue;
      }
      look(pid, prev);
    }
    for (const pid of partial.hot) {
      const prev = this.cache.get(pid);
      if (prev !== undefined && prev.seen !== gen) look(pid, prev);
    }
    const young = at - (partial.youngMs ?? 0);
    this.pruneRecent(at - Math.max(RECENT_MS, partial.youngMs ?? 0));
    for (const pid of this.recent) {
      const c = this.cache.get(pid);
      if (c !== undefined && c.seen !== gen && c.info !== null && c.info.startedAt > young)
        look(pid, c);
    }
    const pids = this.slice(partial.rotation, gen % partial.rotation);
    for (let i = 0; i < pids.length; i++) {
      const pid = pids[i]!;
      const c = this.cache.get(pid);
      if (c !== undefined && c.seen !== gen) look(pid, c);
    }
    for (const pid of gone) {
      const c = this.cache.get(pid);
      if (c !== undefined && c.seen !== gen) {
        this.release(c);
        this.cache.delete(pid);
        this.slices = null;
      }
    }
    if (added.length === 0 && gone.length === 0) {
      const same: ProcessTable = { ...last, at, partial: true, quiet: true };
      this.table = same;
      return same;
    }
    // A new Map and array: a table handed out before stays as it was.
    const byPid = new Map(last.byPid);
    for (const pid of gone) byPid.delete(pid);
    for (const info of added) {
      if (!this.includeSelf && this.isOwnHelper(info)) {
        this.own.add(info.pid);
        continue;
      }
      byPid.set(info.pid, info);
    }
    const table: ProcessTable = {
      at,
      partial: true,
      quiet: true,
      processes: [...byPid.values()],
      byPid,
    };
    this.table = table;
    return table;
  }

  /** The cached pids whose turn it is (pid % rotation === turn), as slices kept between passes. */
  private slice(rotation: number, turn: number): readonly number[] {
    let slices = this.slices;
    if (slices === null || slices.rotation !== rotation) {
      const pids = new Map<number, number[]>();
      for (const pid of this.cache.keys()) {
        const slice = pids.get(pid % rotation);
        if (slice === undefined) pids.set(pid % rotation, [pid]);
        else slice.push(pid);
      }
      slices = this.slices = { rotation, pids };
    }
    return slices.pids.get(turn) ?? NO_PIDS;
  }

  /** Forget recent processes that ended or started before `before` (every pass: bounded). */
  private pruneRecent(before: number): void {
    for (const pid of this.recent) {
      const info = this.cache.get(pid)?.info;
      if (info === undefined || info === null || info.startedAt <= before) this.recent.delete(pid);
    }
  }

  /** The last pid the kernel handed out (/proc/loadavg), or null when it cannot be read. */
  private lastPid(): number | null {
    try {
      if (this.loadavgFd < 0) this.loadavgFd = openSync(`${this.procRoot}/loadavg`, 'r');
      const len = readSync(this.loadavgFd, this.statBuf, 0, 256, 0);
      let i = len - 1;
      while (i >= 0 && (this.statBuf[i]! < 0x30 || this.statBuf[i]! > 0x39)) i--;
      let v = 0;
      let mul = 1;
      for (; i >= 0 && this.statBuf[i]! >= 0x30 && this.statBuf[i]! <= 0x39; i--) {
        v += (this.statBuf[i]! - 0x30) * mul;
        mul *= 10;
      }
      return mul > 1 ? v : null;
    } catch {
      return null; // no loadavg (a fixture tree): every pass lists /proc
    }
  }

  /** A new child of one of the app's own processes that is one of Electron's helpers. */
  private isOwnHelper(p: ProcessInfo): boolean {
    const self = this.self;
    return (
      self !== null &&
      this.own.has(p.ppid) &&
      p.session === self.session &&
      p.argv[0] === self.argv[0] &&
      p.argv.some((a) => a.startsWith('--type='))
    );
  }

  /**
   * Read one process (its stat, and its command line and owner when its identity is new), with
   * what the cache knows of it; null when it is gone or is not a process (a thread's id).
   * `partial`: a poll's read, which leaves the cgroup to the next full scan.
   */
  private readOne(
    pid: number,
    prevIn: Cached | undefined,
    gen: number,
    at: number,
    bootMs: number,
    partial: boolean,
  ): ProcessInfo | null {
    let prev = prevIn;
    const buf = this.statBuf;
    const st = this.scratch;
    let len = -1;
    if (prev !== undefined && prev.fd >= 0) {
      try {
        len = readSync(prev.fd, buf, 0, buf.length, 0);
      } catch (err) {
        if (!isGone(err)) throw err;
        // That process ended; the pid now names another one (or none).
        this.release(prev);
        prev = undefined;
      }
    }
    let fd = -1;
    if (len < 0) {
      try {
        fd = openSync(`${this.procRoot}/${pid}/stat`, 'r');
      } catch (err) {
        if (isGone(err)) return null;
        throw err;
      }
      try {
        len = readSync(fd, buf, 0, buf.length, null);
      } catch (err) {
        closeSync(fd);
        if (isGone(err)) return null;
        throw err;
      }
    }
    if (!parseStatInto(buf, len, st) || st.exitSignal === -1) {
      if (fd >= 0) closeSync(fd);
      return null;
    }
    const cpuTicks = st.utime + st.stime;
    const kernelThread = (st.flags & PF_KTHREAD_FLAG) !== 0;
    const commLen = st.commEnd - st.commStart;
    let same =
      prev !== undefined && prev.starttime === st.starttime && prev.argStart === st.argStart;
    if (same && prev!.commRaw.length === commLen) {
      const raw = prev!.commRaw;
      for (let i = 0; i < commLen; i++) {
        if (buf[st.commStart + i] !== raw.charCodeAt(i)) {
          same = false; // an exec changed the name
          break;
        }
      }
    } else same = false;
    // An empty argv is final only for kernel threads (PF_KTHREAD) and zombies; a process read in
    // the middle of an exec shows none for a moment, so its command line is read again.
    let cached: Cached;
    if (same && (prev!.argv.length > 0 || kernelThread || st.state === STATE_ZOMBIE)) {
      cached = prev!;
    } else {
      const commRaw = buf.toString('latin1', st.commStart, st.commEnd);
      try {
        const uid = statSync(`${this.procRoot}/${pid}`).uid;
        const argv = this.readCmdline(pid);
        // A poll matches command lines only: the cgroup waits for a full scan.
        const cgroup = !partial ? this.readCgroup(pid) : null;
        cached = {
          starttime: st.starttime,
          comm: buf.toString('utf8', st.commStart, st.commEnd),
          commRaw,
          argStart: st.argStart,
          fd: -1,
          seen: 0,
          uid,
          argv,
          cgroup,
          unit: unitOfCgroup(cgroup),
          cgroupRead: !partial,
          cpuTicks,
          at: -1,
          info: null,
        };
      } catch (err) {
        if (fd >= 0) closeSync(fd);
        if (isGone(err)) return null;
        throw err;
      }
      if (prev !== undefined && prev.fd >= 0) {
        // The same process (its stat file is still open), renamed by an exec: keep the file.
        cached.fd = prev.fd;
        prev.fd = -1;
      }
    }
    if (!partial && !cached.cgroupRead) {
      try {
        cached.cgroup = this.readCgroup(pid);
        cached.unit = unitOfCgroup(cached.cgroup);
        cached.cgroupRead = true;
      } catch (err) {
        if (fd >= 0) closeSync(fd);
        if (isGone(err)) return null;
        throw err;
      }
    }
    if (fd >= 0) this.keepOrClose(cached, fd);
    const cpu =
      cached.at >= 0 && at > cached.at
        ? Math.max(0, ((cpuTicks - cached.cpuTicks) / this.hz / ((at - cached.at) / 1000)) * 100)
        : null;
    cached.cpuTicks = cpuTicks;
    cached.at = at;
    cached.seen = gen;
    if (cached !== prev) {
      if (prev === undefined) this.slices = null;
      this.cache.set(pid, cached);
      this.recent.add(pid);
    }
    const startedAt = bootMs + (st.starttime * 1000) / this.hz;
    const state = String.fromCharCode(st.state);
    const tty = st.ttyNr === 0 ? null : ttyName(st.ttyNr);
    const rss = st.rssPages * this.pageSize;
    const cpuPct = cpu === null ? null : Math.round(cpu * 10) / 10;
    const elapsedMs = Math.max(0, Math.round(at - startedAt));
    let info = cached.info;
    if (info !== null) {
      // The same process read again: its object is brought up to date rather than replaced,
      // so a poll over thousands of processes leaves little for the collector to promote.
      info.ppid = st.ppid;
      info.uid = cached.uid;
      info.comm = cached.comm;
      info.argv = cached.argv;
      info.state = state;
      info.ttyNr = st.ttyNr;
      info.tty = tty;
      info.session = st.session;
      info.pgid = st.pgid;
      info.rss = rss;
      info.cpuTicks = cpuTicks;
      info.cpu = cpuPct;
      info.elapsedMs = elapsedMs;
      info.cgroup = cached.cgroup;
      info.unit = cached.unit;
      info.kernelThread = kernelThread;
    } else {
      info = {
        pid,
        starttime: st.starttime,
        ppid: st.ppid,
        uid: cached.uid,
        comm: cached.comm,
        argv: cached.argv,
        state,
        ttyNr: st.ttyNr,
        tty,
        session: st.session,
        pgid: st.pgid,
        rss,
        cpuTicks,
        cpu: cpuPct,
        startedAt: Math.round(startedAt),
        elapsedMs,
        cgroup: cached.cgroup,
        unit: cached.unit,
        kernelThread,
      };
      cached.info = info;
    }
    return info;
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
    this.own = own;
    this.self = self;
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
