// findProgram: "is this program there", as a spawn would look, for every caller and any host.
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppFailure, appError } from '../../main/core/errors.js';
import { DEFAULT_PATH, findProgram, programCandidates } from '../../main/core/host/find-program.js';
import type { Host } from '../../main/core/host/host.js';
import { createLocalHost } from '../../main/core/host/local-host.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dd-find-'));
  for (const d of ['a', 'b', 'c']) await mkdir(join(dir, d));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const tool = (path: string, mode = 0o755) => writeFile(path, '#!/bin/sh\n', { mode });
const local = (PATH?: string) => createLocalHost(PATH === undefined ? {} : { PATH });

describe('programCandidates', () => {
  it('lists where a spawn looks, in order', () => {
    expect(programCandidates('')).toEqual([]);
    expect(programCandidates('/x/y', '/a')).toEqual(['/x/y']);
    expect(programCandidates('bin/y', '/a')).toEqual(['bin/y']);
    expect(programCandidates('y', '/a:/b/')).toEqual(['/a/y', '/b/y']);
    // An empty entry (leading, trailing, doubled) is the working folder; a relative one stays so.
    expect(programCandidates('y', ':/a::rel:')).toEqual(['y', '/a/y', 'y', 'rel/y', 'y']);
    expect(programCandidates('y', '')).toEqual(['y']);
    expect(programCandidates('y')).toEqual(DEFAULT_PATH.split(':').map((d) => `${d}/y`));
  });
});

describe('findProgram on this machine', () => {
  it('takes the first runnable one on PATH, passing over what cannot run', async () => {
    const path = ['a', 'b', 'c'].map((d) => join(dir, d)).join(':');
    expect(await findProgram(local(path), 'tool')).toBeNull();
    await tool(join(dir, 'c', 'tool'));
    expect(await findProgram(local(path), 'tool')).toBe(join(dir, 'c', 'tool'));
    // Earlier on PATH: a folder and a file without the x bit are passed over, as exec does.
    await mkdir(join(dir, 'a', 'tool'));
    await tool(join(dir, 'b', 'tool'), 0o644);
    expect(await findProgram(local(path), 'tool')).toBe(join(dir, 'c', 'tool'));
    await chmod(join(dir, 'b', 'tool'), 0o755);
    expect(await findProgram(local(path), 'tool')).toBe(join(dir, 'b', 'tool'));
    // The path given wins over the host's.
    expect(await findProgram(local(path), 'tool', { path: join(dir, 'c') })).toBe(
      join(dir, 'c', 'tool'),
    );
  });

  it('a link counts for what it points at: a program yes, a folder or nothing no', async () => {
    await tool(join(dir, 'c', 'real'));
    await symlink(join(dir, 'c', 'real'), join(dir, 'b', 'tool'));
    await symlink(join(dir, 'c'), join(dir, 'a', 'tool'));
    await symlink(join(dir, 'gone'), join(dir, 'a', 'dangling'));
    const path = `${join(dir, 'a')}:${join(dir, 'b')}`;
    expect(await findProgram(local(path), 'tool')).toBe(join(dir, 'b', 'tool'));
    expect(await findProgram(local(path), 'dangling')).toBeNull();
    expect(await findProgram(local(), join(dir, 'a', 'tool'))).toBeNull();
  });

  it('a name with a slash is that file, never searched', async () => {
    await tool(join(dir, 'a', 'tool'));
    const h = local(join(dir, 'a'));
    expect(await findProgram(h, join(dir, 'a', 'tool'))).toBe(join(dir, 'a', 'tool'));
    expect(await findProgram(h, join(dir, 'b', 'tool'))).toBeNull();
    expect(await findProgram(h, join(dir, 'a'))).toBeNull(); // a folder
    // Relative: from the folder the program would start in.
    expect(await findProgram(h, 'a/tool', { cwd: dir })).toBe(join(dir, 'a/tool'));
    expect(await findProgram(h, 'a/tool', { cwd: join(dir, 'b') })).toBeNull();
    expect(await findProgram(h, './tool', { cwd: join(dir, 'a') })).toBe(join(dir, 'a/tool'));
  });

  it('an empty or relative PATH entry is looked in from the working folder', async () => {
    await tool(join(dir, 'a', 'tool'));
    expect(await findProgram(local(`${join(dir, 'b')}:`), 'tool', { cwd: join(dir, 'a') })).toBe(
      join(dir, 'a', 'tool'),
    );
    expect(await findProgram(local(`::${join(dir, 'b')}`), 'tool', { cwd: dir })).toBeNull();
    expect(await findProgram(local('a'), 'tool', { cwd: dir })).toBe(join(dir, 'a', 'tool'));
    // Without a cwd, the host's own working folder (this process's), as its run would.
    expect(await findProgram(local(''), 'tool')).toBeNull();
  });

  it('no PATH is the default one; an empty name or a PATH entry that is a file is no program', async () => {
    const sh = await findProgram(local(), 'sh');
    expect(DEFAULT_PATH.split(':').map((d) => join(d, 'sh'))).toContain(sh);
    expect(await findProgram(local('/usr/bin:/bin'), '')).toBeNull();
    await tool(join(dir, 'file'));
    await tool(join(dir, 'b', 'tool'));
    // `file/tool` is ENOTDIR: passed over, not an error.
    expect(await findProgram(local(`${join(dir, 'file')}:${join(dir, 'b')}`), 'tool')).toBe(
      join(dir, 'b', 'tool'),
    );
  });
});

describe('findProgram on a far host', () => {
  /** A host that knows only its files, counting what it is asked (each ask is a round trip). */
  function farHost(files: Record<string, 'file' | 'dir' | 'noexec'>, down = false) {
    const asked: string[] = [];
    const unreachable = () => new AppFailure(appError('host-unreachable', 'far: unreachable'));
    const host: Pick<Host, 'env' | 'stat' | 'canExecute'> = {
      env: { PATH: '/usr/local/bin:/usr/bin', HOME: '/home/u' },
      stat(path) {
        asked.push(`stat ${path}`);
        if (down) return Promise.reject(unreachable());
        const f = files[path];
        return Promise.resolve(
          f === undefined
            ? null
            : { kind: f === 'dir' ? 'dir' : 'file', mode: 0, size: 0, mtimeMs: 0 },
        );
      },
      canExecute(path) {
        asked.push(`x ${path}`);
        return Promise.resolve(files[path] === 'file');
      },
    };
    return { host, asked };
  }

  it('asks the host, all candidates at once, and only runnable-looking ones for x', async () => {
    const { host, asked } = farHost({ '/usr/local/bin/tmux': 'dir', '/usr/bin/tmux': 'file' });
    expect(await findProgram(host, 'tmux')).toBe('/usr/bin/tmux');
    expect(asked).toEqual(['stat /usr/local/bin/tmux', 'stat /usr/bin/tmux', 'x /usr/bin/tmux']);
    const noexec = farHost({ '/usr/bin/tmux': 'noexec' });
    expect(await findProgram(noexec.host, 'tmux')).toBeNull();
    // Relative, from the folder given (far: its HOME).
    const rel = farHost({ '/home/u/bin/x': 'file' });
    expect(await findProgram(rel.host, 'bin/x', { cwd: '/home/u' })).toBe('/home/u/bin/x');
  });

  it('a host that cannot be reached says so, never "not there"', async () => {
    const { host } = farHost({}, true);
    await expect(findProgram(host, 'tmux')).rejects.toMatchObject({
      error: { code: 'host-unreachable' },
    });
  });
});
