// The processes of each unit, read from the manager's control-group tree (cgroupfs) instead of
// asking systemd for every unit's MainPID: one readdir per slice and one small read per unit,
// where a D-Bus Get per unit costs the manager, the bus daemon and us ~80 us each and, on a first
// load, delays systemd's answer to the slow unit-file list.
//
// Relies on (systemd.unit(5), systemd.slice(5), cgroups(7)):
// - every unit with processes has its own cgroup below the manager's ControlGroup
//   (org.freedesktop.systemd1.Manager.ControlGroup, e.g. /user.slice/user-1000.slice/user@1000.service),
//   inside its slice: `app.slice/foo.service`, nested slices `a.slice/a-b.slice/x.service`;
// - systemd tracks processes in the unified (v2) hierarchy where one is mounted (pure v2 and
//   hybrid hosts) and in the named v1 hierarchy `name=systemd` otherwise; hybrid hosts mirror the
//   tree in both. Mount points come from /proc/self/mountinfo (paths escaped as octal \040);
// - cgroup.procs lists the cgroup's processes one per line. A unit with Delegate= may hold
//   sub-cgroups: their processes are the unit's too. On v2 a cgroup with processes has no
//   populated children (no internal processes), and cgroup.events says whether any are populated;
// - cgroups vanish at any moment (a unit stopping): a missing file means no processes, and a
//   file held open reads ENODEV once its cgroup is removed (rmdir is not blocked by it). A
//   unit's cgroup.procs stays open between reads (re-read with pread at offset 0), up to
//   MAX_HELD of them: one syscall per unit for the periodic refresh.
import { closeSync, openSync, readdirSync, readSync, readFileSync, statSync } from 'node:fs';

export interface CgroupMount {
  /** Where the hierarchy is mounted, e.g. /sys/fs/cgroup/unified. */
  mountPoint: string;
  /** The path inside the hierarchy that is mounted there ('/' unless bind-mounted or namespaced). */
  root: string;
  unified: boolean;
}

function unescapeMountPath(p: string): string {
  return p.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

/** The hierarchies systemd can track processes in, from /proc/self/mountinfo; v2 first. Pure. */
export function trackingMounts(mountinfo: string): CgroupMount[] {
  const unified: CgroupMount[] = [];
  const named: CgroupMount[] = [];
  for (const line of mountinfo.split('\n')) {
    const dash = line.indexOf(' - ');
    if (dash < 0) continue;
    const pre = line.slice(0, dash).split(' ');
    const [fstype, , superOptions = ''] = line.slice(dash + 3).split(' ');
    const root = pre[3];
    const mountPoint = pre[4];
    if (root === undefined || mountPoint === undefined) continue;
    const m = { mountPoint: unescapeMountPath(mountPoint), root: unescapeMountPath(root) };
    if (fstype === 'cgroup2') unified.push({ ...m, unified: true });
    else if (fstype === 'cgroup' && superOptions.split(',').includes('name=systemd'))
      named.push({ ...m, unified: false });
  }
  return [...unified, ...named];
}

/** The directory of a cgroup path in a mounted hierarchy, or null when it is not under the mount. Pure. */
export function cgroupDirectory(mount: CgroupMount, path: string): string | null {
  if (!path.startsWith('/')) return null;
  const root = mount.root === '/' ? '' : mount.root.replace(/\/$/, '');
  if (root !== '' && path !== root && !path.startsWith(root + '/')) return null;
  const rest = path.slice(root.length);
  return mount.mountPoint.replace(/\/$/, '') + (rest === '/' ? '' : rest);
}

const UNIT_DIR = /\.(service|socket|scope|mount|swap)$/;
const MAX_HELD = 1024;

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // already closed: nothing held any more
  }
}

function isMissing(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR' || code === 'ESRCH' || code === 'EACCES';
}

/** The manager's cgroup tree: where each unit's cgroup is, and which processes it holds. */
export class UnitCgroups {
  readonly base: string;
  readonly #unified: boolean;
  #dirs = new Map<string, string>();
  /** Open cgroup.procs files of unit cgroups, by directory. */
  #held = new Map<string, number>();
  #buf = Buffer.alloc(4096);

  constructor(base: string, unified: boolean) {
    this.base = base;
    this.#unified = unified;
  }

  /**
   * The cgroup tree of a manager whose ControlGroup is `controlGroup`, or null where there is none
   * to read (no cgroupfs, another namespace, an empty ControlGroup).
   */
  static open(controlGroup: string, mountinfoPath = '/proc/self/mountinfo'): UnitCgroups | null {
    if (controlGroup === '' || !controlGroup.startsWith('/')) return null;
    let mountinfo: string;
    try {
      mountinfo = readFileSync(mountinfoPath, 'utf8');
    } catch {
      return null;
    }
    for (const mount of trackingMounts(mountinfo)) {
      const dir = cgroupDirectory(mount, controlGroup);
      if (dir === null) continue;
      try {
        if (statSync(`${dir}/cgroup.procs`).isFile()) return new UnitCgroups(dir, mount.unified);
      } catch {
        continue;
      }
    }
    return null;
  }

  /** Find every unit's cgroup: one readdir per slice. Returns unit name -> directory. */
  locate(): ReadonlyMap<string, string> {
    const dirs = new Map<string, string>();
    const walk = (dir: string, depth: number) => {
      let names: string[];
      try {
        names = readdirSync(dir);
      } catch (err) {
        if (isMissing(err)) return;
        throw err;
      }
      for (const name of names) {
        if (name.endsWith('.slice')) {
          if (depth < 32) walk(`${dir}/${name}`, depth + 1);
        } else if (UNIT_DIR.test(name)) dirs.set(name, `${dir}/${name}`);
      }
    };
    walk(this.base, 0);
    this.#dirs = dirs;
    return dirs;
  }

  /**
   * The unit's processes, ascending; [] when it has no cgroup. A unit not found by the last walk
   * makes it walk again, unless `relocate` is false (a periodic pass over many units: an active
   * socket or timer has no cgroup, and a new one arrives with a signal that relocates).
   */
  pidsOf(unit: string, relocate = true): number[] {
    let dir = this.#dirs.get(unit);
    if (dir === undefined) {
      if (!relocate) return [];
      dir = this.locate().get(unit);
      if (dir === undefined) return [];
    }
    const out: number[] = [];
    this.#collect(dir, out, 0);
    return out.sort((a, b) => a - b);
  }

  /** The processes of the cgroup this tree was opened at and below it, ascending. */
  pidsHere(): number[] {
    const out: number[] = [];
    this.#collect(this.base, out, 1);
    return out.sort((a, b) => a - b);
  }

  /** Close every file held open. */
  close(): void {
    for (const fd of this.#held.values()) closeQuietly(fd);
    this.#held.clear();
  }

  /** Read a whole file into the buffer from offset 0; its length, or -1 when it is gone. */
  #readAll(fd: number): number {
    let len = 0;
    for (;;) {
      if (len === this.#buf.length) {
        const bigger = Buffer.alloc(this.#buf.length * 2);
        this.#buf.copy(bigger);
        this.#buf = bigger;
      }
      const n = readSync(fd, this.#buf, len, this.#buf.length - len, len);
      if (n === 0) return len;
      len += n;
    }
  }

  /** Read `dir/name`, keeping a unit's cgroup.procs open when `hold`; -1 when gone. */
  #read(dir: string, name: string, hold = false): number {
    const heldFd = hold ? this.#held.get(dir) : undefined;
    if (heldFd !== undefined) {
      try {
        return this.#readAll(heldFd);
      } catch (err) {
        this.#held.delete(dir);
        closeQuietly(heldFd);
        if (isMissing(err) || (err as { code?: unknown }).code === 'ENODEV') return -1;
        throw err;
      }
    }
    let fd: number;
    try {
      fd = openSync(`${dir}/${name}`, 'r');
    } catch (err) {
      if (isMissing(err)) return -1;
      throw err;
    }
    let keep = false;
    try {
      const len = this.#readAll(fd);
      keep = hold && this.#held.size < MAX_HELD;
      if (keep) this.#held.set(dir, fd);
      return len;
    } catch (err) {
      if (isMissing(err) || (err as { code?: unknown }).code === 'ENODEV') return -1;
      throw err;
    } finally {
      if (!keep) closeSync(fd);
    }
  }

  #collect(dir: string, out: number[], depth: number): void {
    const len = this.#read(dir, 'cgroup.procs', depth === 0);
    if (len < 0) return; // gone
    const before = out.length;
    let v = -1;
    for (let i = 0; i < len; i++) {
      const c = this.#buf[i]!;
      if (c >= 0x30 && c <= 0x39) v = (v < 0 ? 0 : v * 10) + (c - 0x30);
      else if (v >= 0) {
        out.push(v);
        v = -1;
      }
    }
    if (v >= 0) out.push(v);
    if (depth >= 32) return;
    if (this.#unified) {
      // No internal processes on v2: a cgroup with processes has no populated children, and an
      // empty one says in cgroup.events whether any of its children is populated.
      if (out.length > before) return;
      const ev = this.#read(dir, 'cgroup.events');
      if (ev < 0 || !this.#buf.subarray(0, ev).toString('latin1').includes('populated 1')) return;
    }
    // cgroupfs (kernfs) counts a directory's links as 2 + its subdirectories: a unit's cgroup
    // with none (nearly all of them) needs no listing. On a v1 hierarchy the periodic pass
    // otherwise listed every unit's folder every 10 s, most of its cost with 150 units (issue 16).
    let entries;
    try {
      if (statSync(dir).nlink === 2) return;
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      if (isMissing(err)) return;
      throw err;
    }
    for (const e of entries) if (e.isDirectory()) this.#collect(`${dir}/${e.name}`, out, depth + 1);
  }
}
