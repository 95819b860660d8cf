// Rotation of a log file a process is writing (main/core/logs/log-file.ts): a shell writes
// numbered lines as fast as it can through `>>` (O_APPEND) while the file is rotated again and
// again; every number must be in exactly one of the files, in order.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  findWriters,
  GrowthMeter,
  logFileInfo,
  rotateLogFile,
} from '../../main/core/logs/log-file.js';
import { AppFailure } from '../../main/core/errors.js';

let dir = '';
const children: ChildProcess[] = [];

afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  if (dir !== '') await rm(dir, { recursive: true, force: true });
});

function writer(log: string, redirect: '>>' | '>'): ChildProcess {
  // The file name goes in as $1: no shell text is built from it.
  const c = spawn(
    'sh',
    ['-c', `i=0; while :; do echo "$i"; i=$((i+1)); done ${redirect} "$1"`, 'sh', log],
    {
      stdio: 'ignore',
    },
  );
  children.push(c);
  return c;
}

async function until(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('timed out');
}

/** A fresh file in a fresh folder, and a shell writing numbers to it through `redirect`. */
async function writing(
  name: string,
  redirect: '>>' | '>',
): Promise<{ log: string; w: ChildProcess }> {
  dir = await mkdtemp(join(tmpdir(), 'dd-rotate-'));
  const log = join(dir, name);
  await writeFile(log, '');
  const w = writer(log, redirect);
  await until(() => Promise.resolve(findWriters(log).length > 0));
  return { log, w };
}

describe('rotateLogFile', () => {
  it('loses no line a fast O_APPEND writer writes across five rotations', async () => {
    const { log, w } = await writing('job.log', '>>');
    const rotated: string[] = [];
    let paused = 0;
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, 60));
      const out = await rotateLogFile(log, { now: new Date(Date.UTC(2026, 0, 1, 0, 0, i)) });
      expect(out.writers).toEqual([w.pid]);
      expect(out.bytes).toBeGreaterThan(0);
      paused = Math.max(paused, out.pausedMs);
      rotated.push(out.rotatedTo);
    }
    await new Promise((r) => setTimeout(r, 60));
    w.kill('SIGKILL');
    await new Promise((r) => w.once('exit', r));
    expect(rotated.map((p) => p.slice(log.length))).toEqual([
      '.20260101-000000',
      '.20260101-000001',
      '.20260101-000002',
      '.20260101-000003',
      '.20260101-000004',
    ]);
    let text = '';
    for (const p of [...rotated, log]) {
      const part = await readFile(p, 'utf8');
      // Every rotated file ends at a line's end: the writer was stopped between writes.
      if (p !== log) expect(part.endsWith('\n')).toBe(true);
      expect(part.includes('\0')).toBe(false);
      text += part;
    }
    const numbers = text
      .split('\n')
      .filter((l) => l !== '')
      .map(Number);
    expect(numbers.length).toBeGreaterThan(1000);
    // 0, 1, 2, ... n with no gap and no repeat.
    const gaps = numbers.filter((n, i) => n !== i);
    expect(gaps).toEqual([]);
    expect(paused).toBeLessThan(1000);
    console.log(
      `rotation: ${numbers.length} lines over 5 rotations, none lost; writer paused at most ${paused.toFixed(1)} ms`,
    );
  });

  it('refuses a writer without O_APPEND, which would leave a hole, and names it', async () => {
    const { log, w } = await writing('plain.log', '>');
    const err = await rotateLogFile(log).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppFailure);
    expect((err as AppFailure).error.message).toContain(String(w.pid));
    // Nothing was rotated, nothing left behind.
    expect((await readdir(dir)).sort()).toEqual(['plain.log']);
  });

  it('rotates a file nobody writes, and measures growth between samples', async () => {
    dir = await mkdtemp(join(tmpdir(), 'dd-rotate-'));
    const log = join(dir, 'idle.log');
    await writeFile(log, 'a\nb\n');
    let now = 0;
    const meter = new GrowthMeter(() => now);
    expect((await logFileInfo(log, 3, meter)).growthPerMin).toBeNull();
    await writeFile(log, 'a\nb\nc\nd\ne\n');
    now = 30_000;
    const info = await logFileInfo(log, 3, meter);
    expect(info).toEqual({ path: log, size: 10, growthPerMin: 12, limit: 3, overLimit: true });
    const out = await rotateLogFile(log);
    expect(out.writers).toEqual([]);
    expect(await readFile(out.rotatedTo, 'utf8')).toBe('a\nb\nc\nd\ne\n');
    expect(await readFile(log, 'utf8')).toBe('');
    // Truncated: growth starts again rather than going negative.
    now = 40_000;
    expect((await logFileInfo(log, 3, meter)).growthPerMin).toBeNull();
  });
});
