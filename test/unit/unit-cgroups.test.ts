import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  UnitCgroups,
  cgroupDirectory,
  trackingMounts,
} from '../../main/core/systemd/unit-cgroups.js';

const HYBRID = [
  '30 22 0:27 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755',
  '31 30 0:28 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu',
  '39 30 0:36 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,xattr,name=systemd',
  '40 30 0:37 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw',
].join('\n');

describe('trackingMounts', () => {
  it('finds the unified hierarchy first, then the named systemd one, and nothing else', () => {
    expect(trackingMounts(HYBRID)).toEqual([
      { mountPoint: '/sys/fs/cgroup/unified', root: '/', unified: true },
      { mountPoint: '/sys/fs/cgroup/systemd', root: '/', unified: false },
    ]);
  });

  it('reads pure v2 hosts, bind-mounted roots and escaped paths', () => {
    const v2 = '29 23 0:26 / /sys/fs/cgroup rw,nosuid shared:4 - cgroup2 cgroup2 rw,nsdelegate';
    expect(trackingMounts(v2)).toEqual([
      { mountPoint: '/sys/fs/cgroup', root: '/', unified: true },
    ]);
    const odd = '50 23 0:26 /user.slice /mnt/cg\\040x rw - cgroup2 cgroup2 rw';
    expect(trackingMounts(odd)).toEqual([
      { mountPoint: '/mnt/cg x', root: '/user.slice', unified: true },
    ]);
  });

  it('reads this machine', () => {
    const mounts = trackingMounts(readFileSync('/proc/self/mountinfo', 'utf8'));
    expect(mounts.every((m) => m.mountPoint.startsWith('/'))).toBe(true);
  });
});

describe('cgroupDirectory', () => {
  const at = (root: string) => ({ mountPoint: '/sys/fs/cgroup', root, unified: true });
  it('maps a cgroup path into the mount, or says it is not there', () => {
    expect(cgroupDirectory(at('/'), '/user.slice/user@1000.service')).toBe(
      '/sys/fs/cgroup/user.slice/user@1000.service',
    );
    expect(cgroupDirectory(at('/'), '/')).toBe('/sys/fs/cgroup');
    expect(cgroupDirectory(at('/user.slice'), '/user.slice/u@1.service')).toBe(
      '/sys/fs/cgroup/u@1.service',
    );
    expect(cgroupDirectory(at('/user.slice'), '/system.slice/x.service')).toBeNull();
    expect(cgroupDirectory(at('/user.slice'), '/user.slicex/x.service')).toBeNull();
    expect(cgroupDirectory(at('/'), 'relative')).toBeNull();
  });
});

describe('UnitCgroups over a cgroup-like tree', () => {
  let dir: string | null = null;
  afterEach(() => {
    if (dir !== null) rmSync(dir, { recursive: true, force: true });
    dir = null;
  });

  function tree(files: Record<string, string>): string {
    dir = mkdtempSync(join(tmpdir(), 'dd-cgroups-'));
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    return dir;
  }

  it('finds units in nested slices and reads their processes, delegated sub-cgroups included', () => {
    const base = tree({
      'cgroup.procs': '',
      'init.scope/cgroup.procs': '10\n',
      'app.slice/cgroup.procs': '',
      'app.slice/web.service/cgroup.procs': '300\n200\n',
      'app.slice/web.service/cgroup.events': 'populated 1\nfrozen 0\n',
      'app.slice/app-dev.slice/tool@x.service/cgroup.procs': '42\n',
      'app.slice/app-dev.slice/tool@x.service/cgroup.events': 'populated 1\n',
      'app.slice/idle.socket/cgroup.procs': '',
      'app.slice/idle.socket/cgroup.events': 'populated 0\n',
      'session.slice/deleg.service/cgroup.procs': '',
      'session.slice/deleg.service/cgroup.events': 'populated 1\n',
      'session.slice/deleg.service/payload/cgroup.procs': '7\n',
      'session.slice/deleg.service/payload/cgroup.events': 'populated 1\n',
      'session.slice/deleg.service/payload/inner/cgroup.procs': '8\n',
      'session.slice/deleg.service/payload/inner/cgroup.events': 'populated 1\n',
    });
    const cg = new UnitCgroups(base, true);
    expect([...cg.locate().keys()].sort()).toEqual([
      'deleg.service',
      'idle.socket',
      'init.scope',
      'tool@x.service',
      'web.service',
    ]);
    expect(cg.pidsOf('web.service')).toEqual([200, 300]);
    expect(cg.pidsOf('tool@x.service')).toEqual([42]);
    expect(cg.pidsOf('idle.socket')).toEqual([]);
    expect(cg.pidsOf('deleg.service')).toEqual([7]); // v2: a cgroup with processes is a leaf
    expect(cg.pidsOf('nothing.service')).toEqual([]);
  });

  it('on the named v1 hierarchy reads every sub-cgroup', () => {
    const base = tree({
      'cgroup.procs': '',
      'app.slice/deleg.service/cgroup.procs': '5\n',
      'app.slice/deleg.service/sub/cgroup.procs': '6\n',
    });
    expect(new UnitCgroups(base, false).pidsOf('deleg.service')).toEqual([5, 6]);
  });

  it('finds a unit that started after the last walk, and forgets one that is gone', () => {
    const base = tree({ 'cgroup.procs': '', 'app.slice/cgroup.procs': '' });
    const cg = new UnitCgroups(base, true);
    cg.locate();
    mkdirSync(join(base, 'app.slice', 'late.service'));
    writeFileSync(join(base, 'app.slice', 'late.service', 'cgroup.procs'), '99\n');
    expect(cg.pidsOf('late.service')).toEqual([99]);
    rmSync(join(base, 'app.slice', 'late.service'), { recursive: true });
    // (A held cgroup.procs reads ENODEV once its cgroup is removed: the integration test checks
    // that on cgroupfs; a regular file held open here would still read.)
    cg.close();
    expect(cg.pidsOf('late.service')).toEqual([]);
  });

  it('opens the tree of a manager from its ControlGroup, or gives null', () => {
    const base = tree({ 'sys/u.slice/cgroup.procs': '' });
    const info = join(base, 'mountinfo');
    writeFileSync(info, `40 30 0:37 / ${join(base, 'sys')} rw - cgroup2 cgroup2 rw\n`);
    expect(UnitCgroups.open('/u.slice', info)?.base).toBe(join(base, 'sys', 'u.slice'));
    expect(UnitCgroups.open('/missing.slice', info)).toBeNull();
    expect(UnitCgroups.open('', info)).toBeNull();
    expect(UnitCgroups.open('/u.slice', join(base, 'no-such-file'))).toBeNull();
  });
});
