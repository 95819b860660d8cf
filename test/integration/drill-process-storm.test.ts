// Drill (issue 7): ten thousand short-lived processes while the app scans. A small C program
// forks 10,000 children as fast as it can (at most 64 alive): most exit at once or after a few
// milliseconds, some setsid first (strays for a moment), a few exec /bin/true or sh (a new name
// and command line mid-scan), and each stays a zombie until reaped. Meanwhile the process source polls every 50 ms, the test scans,
// selects as pgrep does and lists strays in a loop, and the CLI runs `ps` and `strays`. No scan
// throws, every table is sane, a long-lived marker process is in every one, nothing is left over.
import { spawn, type ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../main/core/app.js';
import type { ProcessTable } from '../../main/core/processes/proc-scanner.js';
import { MATCH_RULES } from '../../main/core/systemd/unit-service.js';
import { matchRules } from '../harness/bus-stats.js';
import {
  sandboxCore,
  watchProcessFaults,
  watchRule,
  type ProcessFaults,
} from '../harness/drill.js';
import { startSandbox, type Sandbox } from '../harness/sandbox.js';
import { runCli, type Run } from '../helpers/cli.js';

const TOTAL = 10_000;
const SPAWNER = String.raw`
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
int main(int argc, char **argv) {
  int total = atoi(argv[1]), live = 0, made = 0;
  for (int i = 0; i < total; i++) {
    pid_t p = fork();
    if (p == 0) {
      struct timespec ts = {0, (long)(i % 40) * 100000L};
      /* A few exec (a new comm and command line mid-scan); most just live a moment. */
      if (i % 50 == 0) { execl("/bin/true", "true", (char *)0); _exit(127); }
      if (i % 50 == 1) { execl("/bin/sh", "sh", "-c", ":", (char *)0); _exit(127); }
      switch (i % 4) {
        case 0: _exit(0);
        case 1: nanosleep(&ts, 0); _exit(0);
        case 2: setsid(); nanosleep(&ts, 0); _exit(0);
        default: _exit(0);
      }
    }
    if (p > 0) { live++; made++; }
    /* Reaped only when 64 are out: the rest sit as zombies for a while. */
    while (live >= 64) if (waitpid(-1, 0, 0) > 0) live--;
  }
  while (wait(0) > 0) {}
  printf("%d\n", made);
  return 0;
}
`;

/** Everything a scan must hold whatever the processes do meanwhile. */
function checkTable(t: ProcessTable, markerPid: number): void {
  expect(t.byPid.size).toBe(t.processes.length);
  for (const p of t.processes) {
    if (!(
      Number.isInteger(p.pid) &&
      p.pid > 0 &&
      p.ppid >= 0 &&
      p.starttime >= 0 &&
      p.rss >= 0 &&
      p.elapsedMs >= 0 &&
      /^[A-Za-z]$/.test(p.state) &&
      typeof p.comm === 'string' &&
      Array.isArray(p.argv) &&
      p.argv.every((a) => typeof a === 'string') &&
      (p.cpu === null || (Number.isFinite(p.cpu) && p.cpu >= 0))
    ))
      expect.fail(`an insane row in a scan: ${JSON.stringify(p)}`);
  }
  expect(t.byPid.get(markerPid)?.argv).toEqual(['sleep', '99999.5']);
  expect(t.byPid.has(process.pid)).toBe(false);
}

describe('drill: ten thousand short-lived processes during scans', () => {
  let sb: Sandbox;
  let core: Core;
  let faults: ProcessFaults;
  let spawner: string;
  let marker: ChildProcess;

  beforeAll(async () => {
    faults = watchProcessFaults();
    sb = await startSandbox({ label: 'drill-storm' });
    await writeFile(join(sb.root, 'spawner.c'), SPAWNER);
    spawner = join(sb.root, 'spawner');
    execFileSync('cc', ['-O1', '-o', spawner, join(sb.root, 'spawner.c')]);
    // A stray that lives through it all: its own session, no terminal.
    marker = spawn('sleep', ['99999.5'], { detached: true, stdio: 'ignore', env: sb.env });
    marker.unref();
    core = sandboxCore(sb, { pollMs: { processes: 50, sessions: 60_000, startup: 60_000 } });
    core.processes.rules.add(watchRule('storm', '^(true|sh|spawner)$'));
    await core.monitor.start();
  });
  afterAll(async () => {
    marker?.kill('SIGKILL');
    await core?.monitor.stop();
    await sb?.stop();
    faults?.stop();
  });

  it('scans, pgrep selection and strays stay sane and never throw', async () => {
    const markerPid = marker.pid!;
    const storm = spawn(spawner, [String(TOTAL)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    storm.stdout.on('data', (d: Buffer) => (out += d.toString()));
    let running = true;
    const ended = new Promise<number | null>((resolve) =>
      storm.on('exit', (code) => {
        running = false;
        resolve(code);
      }),
    );
    const stormPid = storm.pid!;
    // The CLI's ps and strays, side by side with everything else.
    const cli: Array<Promise<Run>> = [
      runCli(sb.env, 'ps', '-f', '99999\\.5', '--json'),
      runCli(sb.env, 'strays', '--json'),
    ];

    let scans = 0;
    const children = new Set<number>();
    const snapshotsBefore = core.monitor.snapshot().version;
    while (running) {
      const t = core.processes.scan();
      scans++;
      checkTable(t, markerPid);
      for (const p of t.processes) if (p.ppid === stormPid) children.add(p.pid);
      const trues = core.processes.list({
        pattern: 'true',
        full: false,
        exact: true,
        users: [],
        parents: [stormPid],
        pick: 'all',
      });
      for (const r of trues) expect(r.pid).toBeGreaterThan(0);
      const strays = core.processes.strays();
      expect(strays.map((s) => s.pid)).toContain(markerPid);
      expect(core.monitor.snapshot().sources.processes).toEqual({ status: 'ok' });
      // Let the poll and the children run between our own scans.
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(await ended).toBe(0);
    expect(out.trim()).toBe(String(TOTAL));
    // The scans ran during the storm and saw it.
    expect(scans).toBeGreaterThanOrEqual(3);
    expect(children.size).toBeGreaterThan(20);
    // The process source published while the storm ran.
    expect(core.monitor.snapshot().version).toBeGreaterThan(snapshotsBefore);

    const [ps, strays] = await Promise.all(cli);
    expect(ps!.code, ps!.stderr).toBe(0);
    expect((JSON.parse(ps!.stdout) as Array<{ pid: number }>).map((r) => r.pid)).toContain(
      markerPid,
    );
    expect(strays!.code, strays!.stderr).toBe(0);
    expect((JSON.parse(strays!.stdout) as Array<{ pid: number }>).map((s) => s.pid)).toContain(
      markerPid,
    );

    // Afterwards: nothing of the storm is left, the marker is still there.
    const after = core.processes.scan();
    checkTable(after, markerPid);
    expect(after.processes.filter((p) => p.ppid === stormPid)).toEqual([]);
    const storm2 = core.processes.entries(after).find((e) => e.id === 'process:storm');
    expect(storm2).toBeDefined();
    expect((await matchRules(sb)).count).toBe(MATCH_RULES.length);
    expect(faults.seen).toEqual([]);
    // 10,000 forks take a few seconds on two idle cores; far longer when they are shared.
  }, 120_000);
});
