// The processes Daemon Deck never signals nor adopts: PID 1, kernel threads, itself (the app and
// its helpers) and the process asking. Signalling goes through control.ts, which must refuse.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AppFailure } from '../../main/core/errors.js';
import { localSignals, signalProcess, stopProcesses } from '../../main/core/processes/control.js';
import type { ProcessScanner } from '../../main/core/processes/proc-scanner.js';
import { appPid, protectedProcess } from '../../main/core/processes/protected-processes.js';

/** A fake /proc with one stat line per pid: `pid (comm) S ppid pgrp sid tty tpgid flags ...`. */
function fakeProc(stats: Record<number, { ppid: number; flags: number }>): string {
  const root = mkdtempSync(join(tmpdir(), 'dd-proc-'));
  for (const [pid, s] of Object.entries(stats)) {
    mkdirSync(join(root, pid));
    writeFileSync(
      join(root, pid, 'stat'),
      `${pid} (a (b) c) S ${s.ppid} ${pid} ${pid} 0 -1 ${s.flags} 0 0 0 0 0 0 0 0 20 0 1 0 100\n`,
    );
  }
  return root;
}

describe('protectedProcess', () => {
  const procRoot = fakeProc({
    2: { ppid: 0, flags: 0x00208040 },
    57: { ppid: 2, flags: 0x04208040 },
    500: { ppid: 1, flags: 0x00400100 },
    501: { ppid: 500, flags: 0x00400100 },
    900: { ppid: 1, flags: 0x00400100 },
  });
  const config = mkdtempSync(join(tmpdir(), 'dd-conf-'));
  const env = { HOME: '/nonexistent', DAEMON_DECK_CONFIG_DIR: config };
  symlinkSync(`${hostname()}-500`, join(config, 'SingletonLock'));
  const ctx = { env, procRoot, self: 4242 };
  afterAll(() => {
    for (const dir of [procRoot, config]) rmSync(dir, { recursive: true, force: true });
  });

  it('refuses PID 1, with a reason in words', () => {
    expect(protectedProcess(1, ctx)).toMatchObject({ reason: 'init' });
    expect(protectedProcess(1, ctx)!.message).toMatch(/init process/);
  });

  it('refuses kernel threads (PF_KTHREAD) and kthreadd', () => {
    expect(protectedProcess(2, ctx)?.reason).toBe('kernel-thread');
    expect(protectedProcess(57, ctx)?.reason).toBe('kernel-thread');
  });

  it('refuses the asking process and the running app with its helpers', () => {
    expect(protectedProcess(4242, ctx)?.reason).toBe('self');
    expect(protectedProcess(process.pid)?.reason).toBe('self');
    expect(appPid(env)).toBe(500);
    expect(protectedProcess(500, ctx)?.reason).toBe('daemon-deck');
    expect(protectedProcess(501, ctx)?.reason).toBe('daemon-deck');
  });

  it('allows an ordinary process, and a pid that does not exist', () => {
    expect(protectedProcess(900, ctx)).toBeNull();
    expect(protectedProcess(12345, ctx)).toBeNull();
  });

  it('refuses what is no pid at all (0 and negatives signal whole groups)', () => {
    for (const pid of [0, -1, 1.5]) expect(protectedProcess(pid, ctx)?.reason).toBe('not-a-pid');
  });
});

describe('signalling refuses protected processes', () => {
  const scanner = { alive: () => true } as unknown as ProcessScanner;

  it('signalProcess sends nothing to PID 1 or itself', () => {
    for (const pid of [1, process.pid]) {
      expect(() => signalProcess(scanner, pid, null, 'TERM')).toThrow(AppFailure);
    }
    // process.kill(process.pid, 0) would succeed: the refusal comes first, with the reason.
    expect(() => signalProcess(scanner, process.pid, null, '0')).toThrow(/the very process asking/);
  });

  it('stopProcesses sends neither TERM nor KILL to PID 1', async () => {
    await expect(stopProcesses(localSignals(scanner), [{ pid: 1, starttime: 1 }])).rejects.toThrow(
      /init process/,
    );
  });
});
