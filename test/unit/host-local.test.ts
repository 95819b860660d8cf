// LocalHost, the one runner and the files through it: what every area sees of this machine.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AppFailure } from '../../main/core/errors.js';
import { createLocalHost } from '../../main/core/host/local-host.js';

/** The programs the runner forked (node:child_process's spawn, watched). */
const spawned: string[] = [];
vi.mock('node:child_process', async (original) => {
  const real = await original<typeof import('node:child_process')>();
  return {
    ...real,
    spawn: (file: string, ...rest: unknown[]) => {
      spawned.push(file);
      return (real.spawn as (...a: unknown[]) => unknown)(file, ...rest);
    },
  };
});

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dd-host-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const host = () =>
  createLocalHost({ PATH: '/usr/bin:/bin', HOME: dir, XDG_STATE_HOME: join(dir, 'state') });

describe('LocalHost', () => {
  it('runs argv without a shell; a program that cannot start is code 127 with its errno', async () => {
    const h = host();
    const echo = await h.run(['/bin/echo', '$HOME', '*']);
    expect(echo).toMatchObject({ code: 0, stdout: '$HOME *\n', spawnError: null });
    const cat = await h.run(['/bin/cat'], { input: 'in' });
    expect(cat.stdout).toBe('in');
    const missing = await h.run([join(dir, 'no-such-program')]);
    expect(missing).toMatchObject({ code: 127, spawnError: 'ENOENT' });
    expect(missing.stderr).toMatch(/not found/);
    const status = await h.run(['/bin/sh', '-c', 'exit 3']);
    expect(status.code).toBe(3);
    expect(await h.canExecute('/bin/sh')).toBe(true);
    await writeFile(join(dir, 'plain'), 'x', { mode: 0o644 });
    expect(await h.canExecute(join(dir, 'plain'))).toBe(false); // no x bit: not even root
    expect(await h.canExecute(join(dir, 'no-such-program'))).toBe(false);
  });

  it('knows a program that is not there without starting a process, in the same words', async () => {
    spawned.length = 0;
    const h = createLocalHost({ PATH: `${join(dir, 'bin')}:${join(dir, 'none')}`, HOME: dir });
    const byName = await h.run(['no-such-program', '-l']);
    const byPath = await h.run([join(dir, 'no-such-program')]);
    expect(spawned).toEqual([]); // neither forked
    // What the spawn says of one it tries (a relative path is always left to it), word for word.
    const tried = await h.run(['./no-such-program']);
    expect(spawned).toEqual(['./no-such-program']);
    const saying = (file: string) => ({ ...tried, stderr: `${file}: not found` });
    expect(tried.stderr).toBe('./no-such-program: not found');
    expect(byName).toEqual(saying('no-such-program'));
    expect(byPath).toEqual(saying(join(dir, 'no-such-program')));
    // One that exists is run, whatever it is (here one that cannot be executed: EACCES).
    await mkdir(join(dir, 'bin'));
    await writeFile(join(dir, 'bin', 'no-such-program'), 'x', { mode: 0o644 });
    expect((await h.run(['no-such-program'])).spawnError).toBe('EACCES');
    // An empty or relative PATH entry (from the child's working folder) is left to the spawn too.
    await createLocalHost({ PATH: ':/usr/bin' }).run(['no-such-program']);
    await createLocalHost({ PATH: 'bin:/usr/bin' }).run(['no-such-program']);
    expect(spawned).toEqual([
      './no-such-program',
      'no-such-program',
      'no-such-program',
      'no-such-program',
    ]);
    // No PATH: the spawn's default one (/usr/bin:/bin) is looked in, still without a fork.
    expect(await createLocalHost({}).run(['no-such-program'])).toEqual(saying('no-such-program'));
    expect(spawned).toHaveLength(4);
  });

  it('a missing file is said in words that name it, never as the session bus', async () => {
    const h = host();
    const path = join(dir, 'autostart', 'notes.desktop');
    const err = await h.readFile(path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppFailure);
    expect((err as AppFailure).error.message).toBe(
      `${path} does not exist, so Daemon Deck could not read it.`,
    );
    expect(await h.readOrNull(path)).toBeNull();
    expect(await h.stat(path)).toBeNull();
    expect(await h.readdir(join(dir, 'autostart'))).toEqual([]);
    await h.remove(path); // gone already: fine
    await writeFile(join(dir, 'f'), 'x');
    expect(await h.stat(join(dir, 'f'))).toMatchObject({ kind: 'file', size: 1 });
  });

  it('starts a detached program and says when one cannot start', async () => {
    const h = host();
    const marker = join(dir, 'ran');
    const pid = await h.spawnDetached(['/bin/sh', '-c', `cat > ${marker}`], { input: 'hello' });
    expect(pid).toBeGreaterThan(1);
    for (let i = 0; i < 100; i++) {
      const got = await h.readOrNull(marker);
      if (got?.toString() === 'hello') break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect((await h.readOrNull(marker))?.toString()).toBe('hello');
    const err = await h.spawnDetached([join(dir, 'nope')]).catch((e: unknown) => e);
    expect((err as AppFailure).error.message).toMatch(/The program .*nope was not found/);
  });
});
