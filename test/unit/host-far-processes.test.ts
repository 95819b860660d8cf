// The far host's /proc in one round trip (issue 17): the output of the far command (SCRIPTS.proc
// in ssh-host.ts) parsed into the scanner's rows. The same command is run here, on this
// machine's /proc, and its rows checked against the local scanner's; then odd cases by hand.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { FarProcessScanner, parseFarProc } from '../../main/core/host/far-processes.js';
import { ProcessScanner } from '../../main/core/processes/proc-scanner.js';

/** The far command's script, run here (it is a constant of ssh-host.ts: read from there). */
async function farScript(): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  const src = await readFile(new URL('../../main/core/host/ssh-host.ts', import.meta.url), 'utf8');
  const m = /proc:\s*\n\s*('[^']*'(?:\s*\+\s*'[^']*')*)/.exec(src);
  if (m === null) throw new Error('SCRIPTS.proc not found');
  return [...m[1]!.matchAll(/'([^']*)'/g)].map((x) => x[1]).join('');
}

describe('the far /proc read', () => {
  it('gives the rows the local scanner gives for the same processes', async () => {
    const out = execFileSync('sh', ['-c', await farScript()], { maxBuffer: 1 << 26 });
    const read = parseFarProc(out, Date.now());
    const scanner = new ProcessScanner({ includeSelf: true });
    const local = scanner.scan();
    scanner.close();
    expect(read.self).toBeGreaterThan(0);
    expect(read.processes.length).toBeGreaterThan(3);
    // This test's own process, read both ways: same identity, owner, command line, cgroup.
    const mine = read.processes.find((p) => p.pid === process.pid);
    const here = local.byPid.get(process.pid);
    expect(mine).toBeDefined();
    expect(mine).toMatchObject({
      starttime: here!.starttime,
      ppid: here!.ppid,
      uid: here!.uid,
      comm: here!.comm,
      argv: here!.argv,
      cgroup: here!.cgroup,
      unit: here!.unit,
      kernelThread: false,
    });
    expect(Math.abs(mine!.startedAt - here!.startedAt)).toBeLessThan(2000);
    // The reading shell and its commands are left out.
    expect(read.processes.some((p) => p.pid === read.self || p.ppid === read.self)).toBe(false);
  });

  it('keeps a command line with line breaks and NULs, and a comm with spaces and parentheses', () => {
    const stat = (pid: number, comm: string, ppid: number) =>
      `${pid}/stat:${pid} (${comm}) S ${ppid} ${pid} ${pid} 0 -1 4194560 0 0 0 0 7 3 0 0 20 0 1 0 5000 1000 25 ` +
      '0 0 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n';
    const out = Buffer.concat([
      Buffer.from('@self 99\nuptime:150.00 10.0\n'),
      Buffer.from(stat(10, 'a) b (c', 1)),
      Buffer.from('10/cmdline:sh\0-c\0echo one\n'),
      Buffer.from('10/cmdline:two\0\n'),
      Buffer.from('10/cgroup:0::/user.slice/app.slice/x.service\n'),
      Buffer.from(stat(99, 'sh', 1)),
      Buffer.from(stat(100, 'grep', 99)),
      Buffer.from('@uid\n1001 10\n0 99\n'),
    ]);
    const read = parseFarProc(out, 1_000_000);
    expect(read.processes).toHaveLength(1);
    const [p] = read.processes;
    expect(p).toMatchObject({
      pid: 10,
      comm: 'a) b (c',
      argv: ['sh', '-c', 'echo one\ntwo'],
      uid: 1001,
      cgroup: '/user.slice/app.slice/x.service',
      unit: 'x.service',
      cpuTicks: 10,
      // Up 150 s, started at 5000 ticks (50 s): running 100 s by the far side's clock.
      elapsedMs: 100_000,
      startedAt: 900_000,
      cpu: null,
    });
    // A second read 10 s later (far clock) with 50 ticks more: 5 % of a core.
    const later = Buffer.from(
      out.toString('latin1').replace('uptime:150.00', 'uptime:160.00').replace(' 7 3 ', ' 47 13 '),
      'latin1',
    );
    const again = parseFarProc(later, 1_010_000, {
      uptimeS: read.uptimeS,
      byPid: new Map([[10, p!]]),
    });
    expect(again.processes[0]!.cpu).toBe(5);
  });

  it('hands the table of the last refresh to a process service, one read each', async () => {
    let reads = 0;
    const out = Buffer.from(
      '@self 2\nuptime:9.0 1\n1/stat:1 (init) S 0 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 1 1 1\n1/cmdline:/sbin/init\0\n@uid\n0 1\n',
    );
    const scanner = new FarProcessScanner({
      readProcesses: () => {
        reads++;
        return Promise.resolve(out);
      },
    });
    expect(scanner.scan().processes).toEqual([]);
    await scanner.refresh();
    expect(reads).toBe(1);
    expect(scanner.scan().processes.map((p) => p.argv)).toEqual([['/sbin/init']]);
    expect(scanner.scan()).toBe(scanner.scan());
    expect(reads).toBe(1);
    expect(scanner.alive(1, 1)).toBe(true);
    expect(scanner.alive(1, 2)).toBe(false);
    expect(scanner.cwd()).toBeNull();
  });
});
