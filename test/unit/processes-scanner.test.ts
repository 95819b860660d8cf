import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ProcessScanner,
  cgroupPath,
  commandLine,
  parseStat,
  splitCmdline,
  ttyName,
  unitOfCgroup,
} from '../../main/core/processes/proc-scanner.js';

const line = (s: string) => {
  const b = Buffer.from(s);
  return parseStat(b, b.length);
};

describe('parseStat', () => {
  it('reads the fields after the last parenthesis, whatever comm holds', () => {
    const tail =
      'S 10 11 12 34817 -1 4194560 9 0 0 0 150 50 0 0 20 0 1 0 98765 1000000 321 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0';
    for (const comm of ['sleep', 'a b', 'x) (y', ') ) (', '', 'a'.repeat(15)]) {
      const st = line(`4242 (${comm}) ${tail}\n`);
      expect(st).toEqual({
        comm,
        state: 'S',
        ppid: 10,
        pgid: 11,
        session: 12,
        ttyNr: 34817,
        flags: 4194560,
        utime: 150,
        stime: 50,
        starttime: 98765,
        rssPages: 321,
      });
    }
  });

  it('rejects truncated or malformed lines', () => {
    expect(line('')).toBeNull();
    expect(line('12 (x')).toBeNull();
    expect(line('12 (x) S 1 2 3')).toBeNull();
  });

  it('parses this process exactly as the kernel reports it', () => {
    const raw = readFileSync(`/proc/${process.pid}/stat`);
    const st = parseStat(raw, raw.length)!;
    const text = raw.toString();
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    expect(st.ppid).toBe(Number(f[1]));
    expect(st.session).toBe(Number(f[3]));
    expect(st.starttime).toBe(Number(f[19]));
    expect(st.comm).toBe(readFileSync(`/proc/${process.pid}/comm`, 'utf8').trim());
  });
});

describe('small parsers', () => {
  it('names ttys', () => {
    expect(ttyName(0)).toBeNull();
    expect(ttyName((136 << 8) | 3)).toBe('pts/3');
    expect(ttyName((137 << 8) | 1)).toBe('pts/257');
    expect(ttyName((4 << 8) | 1)).toBe('tty1');
    expect(ttyName((4 << 8) | 64)).toBe('ttyS0');
    expect(ttyName((136 << 8) | (1 << 20))).toBe('pts/256');
  });

  it('finds the cgroup path and unit on v2 and hybrid v1 hosts', () => {
    expect(
      cgroupPath('0::/user.slice/user-1000.slice/user@1000.service/app.slice/x.service\n'),
    ).toBe('/user.slice/user-1000.slice/user@1000.service/app.slice/x.service');
    expect(cgroupPath('9:name=systemd:/init.scope\n1:cpu:/\n')).toBe('/init.scope');
    expect(cgroupPath('1:cpu:/\n')).toBeNull();
    expect(unitOfCgroup('/user.slice/user-1000.slice/user@1000.service/app.slice/x.service')).toBe(
      'x.service',
    );
    expect(unitOfCgroup('/user.slice/user-0.slice/session-3.scope')).toBe('session-3.scope');
    expect(unitOfCgroup('/')).toBeNull();
    expect(unitOfCgroup(null)).toBeNull();
  });

  it('splits cmdline and shows a command line', () => {
    expect(splitCmdline(Buffer.from('sleep\x00100\x00'))).toEqual(['sleep', '100']);
    expect(splitCmdline(Buffer.from('a b c'))).toEqual(['a b c']);
    expect(splitCmdline(Buffer.from('x\x00\x00'))).toEqual(['x', '']);
    expect(splitCmdline(Buffer.alloc(0))).toEqual([]);
    expect(commandLine({ argv: [], comm: 'kworker/0:1' })).toBe('[kworker/0:1]');
    expect(commandLine({ argv: ['a', 'b'], comm: 'a' })).toBe('a b');
  });
});

describe('ProcessScanner on the live /proc', () => {
  it('sees a child with its argv, parent, identity, and leaves itself out', async () => {
    const child = spawn('sleep', ['1234.5'], { stdio: 'ignore' });
    try {
      await new Promise((r) => setTimeout(r, 100));
      const scanner = new ProcessScanner();
      const t = scanner.scan();
      expect(t.byPid.has(process.pid)).toBe(false);
      const p = t.byPid.get(child.pid!)!;
      expect(p.argv).toEqual(['sleep', '1234.5']);
      expect(p.comm).toBe('sleep');
      expect(p.ppid).toBe(process.pid);
      expect(p.uid).toBe(process.getuid!());
      expect(p.cpu).toBeNull();
      expect(p.rss).toBeGreaterThan(0);
      expect(Math.abs(p.startedAt - Date.now())).toBeLessThan(5000);
      expect(scanner.cwd(child.pid!)).toBe(process.cwd());
      expect(scanner.alive(p.pid, p.starttime)).toBe(true);
      expect(scanner.alive(p.pid, p.starttime + 1)).toBe(false);
      const again = scanner.scan().byPid.get(child.pid!)!;
      expect(again.cpu).not.toBeNull();
      expect(again.argv).toBe(p.argv); // cached
      const withSelf = new ProcessScanner({ includeSelf: true }).scan();
      expect(withSelf.byPid.has(process.pid)).toBe(true);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('measures live CPU from deltas', async () => {
    const busy = spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' });
    try {
      const scanner = new ProcessScanner();
      await new Promise((r) => setTimeout(r, 200));
      scanner.scan();
      await new Promise((r) => setTimeout(r, 600));
      const p = scanner.scan().byPid.get(busy.pid!)!;
      expect(p.cpu).toBeGreaterThan(5); // a busy loop, on a shared 2-core machine
      expect(p.cpu).toBeLessThan(200);
    } finally {
      busy.kill('SIGKILL');
    }
  });

  it('keeps stat files open between scans, follows an exec and lets go of ended processes', async () => {
    // The exec waits 2 s: the first scan must see the shell even on a loaded machine.
    const child = spawn('sh', ['-c', 'sleep 2; exec sleep 1234.6'], { stdio: 'ignore' });
    const scanner = new ProcessScanner();
    try {
      await new Promise((r) => setTimeout(r, 100));
      const first = scanner.scan();
      expect(first.byPid.get(child.pid!)?.comm).toBe('sh');
      const held = scanner.heldFiles;
      expect(held).toBeGreaterThanOrEqual(first.processes.length);
      await new Promise((r) => setTimeout(r, 2600));
      const after = scanner.scan().byPid.get(child.pid!)!;
      // Same process (same file), renamed by exec: a new name and command line.
      expect(after.comm).toBe('sleep');
      expect(after.argv).toEqual(['sleep', '1234.6']);
      expect(after.starttime).toBe(first.byPid.get(child.pid!)?.starttime);
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      const gone = scanner.scan();
      expect(gone.byPid.has(child.pid!)).toBe(false);
      // Ended processes' files are closed: no more held than processes seen (plus ourselves).
      expect(scanner.heldFiles).toBeLessThanOrEqual(gone.processes.length + 1);
      scanner.close();
      expect(scanner.heldFiles).toBe(0);
      // A closed scanner starts cold and still works.
      expect(scanner.scan().processes.length).toBeGreaterThan(1);
      expect(new ProcessScanner({ holdFiles: false }).heldFiles).toBe(0);
      const cold = new ProcessScanner({ holdFiles: false });
      cold.scan();
      expect(cold.heldFiles).toBe(0);
    } finally {
      child.kill('SIGKILL');
      scanner.close();
    }
  });

  it('sees an exec that keeps the name (sh running exec sh): the new command line, not the old', async () => {
    // The shell becomes another shell: same pid, same starttime, same comm "sh".
    // A process group of its own: the inner sh forks its sleep, which the kill below must reach too.
    // The exec waits 2 s: the first scans must see the old command line even on a loaded machine.
    const child = spawn('sh', ['-c', 'sleep 2; exec sh -c "sleep 1234.7" dd-second-shell'], {
      stdio: 'ignore',
      detached: true,
    });
    // With stat files held between scans and without: both cache a command line per process.
    const scanners = [new ProcessScanner(), new ProcessScanner({ holdFiles: false })];
    try {
      await new Promise((r) => setTimeout(r, 100));
      const first = scanners.map((s) => s.scan().byPid.get(child.pid!));
      for (const p of first) expect(p?.argv.join(' ')).toContain('exec sh');
      await new Promise((r) => setTimeout(r, 2600));
      for (const [i, s] of scanners.entries()) {
        const after = s.scan().byPid.get(child.pid!)!;
        expect(after.comm).toBe('sh');
        expect(after.starttime).toBe(first[i]?.starttime);
        expect(after.argv).toEqual(['sh', '-c', 'sleep 1234.7', 'dd-second-shell']);
      }
    } finally {
      process.kill(-child.pid!, 'SIGKILL');
      for (const s of scanners) s.close();
    }
  });

  it('a partial scan reads hot processes each time, others in rotation, new and ended ones at once', async () => {
    const idle = spawn('sh', ['-c', 'sleep 0.5; exec sleep 1234.7'], { stdio: 'ignore' });
    const hot = spawn('sleep', ['1234.8'], { stdio: 'ignore' });
    let clock = Date.now();
    const scanner = new ProcessScanner({ now: () => clock });
    try {
      await new Promise((r) => setTimeout(r, 100));
      const full = scanner.scan();
      expect(full.partial).toBeUndefined();
      const poll = { hot: new Set([hot.pid!]), rotation: 5 };
      // A process read again gets a new elapsed time from the (fake) clock; one handed out as
      // last read keeps the old one. Over five polls: the hot one read five times, an idle once.
      let hotReads = 0;
      let idleReads = 0;
      let last = {
        hot: full.byPid.get(hot.pid!)!.elapsedMs,
        idle: full.byPid.get(idle.pid!)!.elapsedMs,
      };
      for (let i = 0; i < 5; i++) {
        clock += 1000;
        const t = scanner.scan(poll);
        expect(t.partial).toBe(true);
        const now = {
          hot: t.byPid.get(hot.pid!)!.elapsedMs,
          idle: t.byPid.get(idle.pid!)!.elapsedMs,
        };
        if (now.hot !== last.hot) hotReads++;
        if (now.idle !== last.idle) idleReads++;
        last = now;
      }
      expect(hotReads).toBe(5);
      expect(idleReads).toBe(1);
      // The same process keeps its object, brought up to date.
      expect(scanner.scan(poll).byPid.get(hot.pid!)).toBe(full.byPid.get(hot.pid!));
      // A new process is there at the next poll, whatever the rotation.
      const late = spawn('sleep', ['1234.9'], { stdio: 'ignore' });
      await new Promise((r) => setTimeout(r, 100));
      const fresh = scanner.scan(poll).byPid.get(late.pid!);
      expect(fresh?.argv).toEqual(['sleep', '1234.9']);
      // A poll matches command lines: the cgroup is read by the next full scan.
      expect(fresh?.cgroup).toBeNull();
      expect(scanner.scan().byPid.get(late.pid!)?.cgroup).toBe(
        cgroupPath(readFileSync(`/proc/${late.pid!}/cgroup`, 'utf8')),
      );
      late.kill('SIGKILL');
      await new Promise((r) => late.once('exit', r));
      expect(scanner.scan(poll).byPid.has(late.pid!)).toBe(false);
      // The idle one execs in place (same pid): seen within `rotation` polls.
      await new Promise((r) => setTimeout(r, 600));
      let seen = 0;
      for (let i = 1; i <= 5 && seen === 0; i++)
        if (scanner.scan(poll).byPid.get(idle.pid!)?.comm === 'sleep') seen = i;
      expect(seen).toBeGreaterThan(0);
      expect(scanner.scan().byPid.get(idle.pid!)?.argv).toEqual(['sleep', '1234.7']);
    } finally {
      idle.kill('SIGKILL');
      hot.kill('SIGKILL');
      scanner.close();
    }
  });

  it('skips processes that vanish mid-scan', () => {
    for (let i = 0; i < 20; i++) {
      const c = spawn('true', [], { stdio: 'ignore' });
      const scanner = new ProcessScanner();
      const t = scanner.scan();
      scanner.close();
      expect(t.processes.length).toBeGreaterThan(1);
      void c;
    }
  });
});
