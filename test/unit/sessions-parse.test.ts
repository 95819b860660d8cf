import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  checkSessionName,
  parseScreenList,
  parseTmuxSessions,
  screenDefaultDir,
  screenDirOf,
  shellWord,
  SessionService,
  tmuxDefaultSocket,
  tmuxSocketOf,
} from '../../main/core/sessions/sessions.js';
import type { RunResult } from '../../main/core/host/host.js';
import { createLocalHost } from '../../main/core/host/local-host.js';
import { parseSessionId, sessionEntry } from '../../main/core/sessions/session-source.js';

/** A tool's answer that exits 1 (no session, no server). */
const answer = (stdout: string, stderr: string): RunResult => ({
  code: 1,
  signal: null,
  stdout,
  stderr,
  stdoutBytes: Buffer.from(stdout),
  spawnError: null,
  timedOut: false,
});

describe('session tool output', () => {
  it('parses tmux list-sessions', () => {
    expect(parseTmuxSessions('web\t2\t1\t1795591870\nx y\t1\t0\t0\n')).toEqual([
      {
        id: 'session:tmux:web',
        kind: 'tmux',
        name: 'web',
        windows: 2,
        attached: true,
        createdAt: new Date(1795591870000).toISOString(),
      },
      {
        id: 'session:tmux:x y',
        kind: 'tmux',
        name: 'x y',
        windows: 1,
        attached: false,
        createdAt: null,
      },
    ]);
  });
  it('parses screen -ls', () => {
    const out =
      'There are screens on:\n\t20675.probe\t(11/25/26 07:31:09)\t(Detached)\n\t11.a.b\t(Attached)\n2 Sockets in /tmp/x.\n';
    const s = parseScreenList(out);
    expect(s.map((x) => [x.pid, x.name, x.attached])).toEqual([
      [20675, 'probe', false],
      [11, 'a.b', true],
    ]);
    expect(new Date(s[0]!.createdAt!).getFullYear()).toBe(2026);
    expect(s[1]!.createdAt).toBeNull();
    expect(parseScreenList('No Sockets found in /tmp/x.\n')).toEqual([]);
  });
  it('reads where each tool looked when it found nothing', () => {
    expect(tmuxSocketOf('no server running on /tmp/tmux-1000/default\n')).toBe(
      '/tmp/tmux-1000/default',
    );
    expect(tmuxSocketOf('error connecting to /tmp/a b/x (No such file or directory)\n')).toBe(
      '/tmp/a b/x',
    );
    expect(tmuxSocketOf('sessions should be nested with care')).toBeNull();
    expect(screenDirOf('No Sockets found in /run/screen/S-me.\n')).toBe('/run/screen/S-me');
    expect(screenDirOf('There is a screen on:\n\t1.x\t(Detached)\n1 Socket in /tmp/s.\n')).toBe(
      '/tmp/s',
    );
    expect(screenDirOf('')).toBeNull();
  });

  it('polls without running either tool while no server socket or session file exists', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dd-sessions-'));
    try {
      const socket = join(dir, 'tmux', 'default');
      const screens = join(dir, 'screens');
      const runs: string[] = [];
      let scans = 0;
      // Another host: where its servers would be is not known until the tools answer.
      const host = {
        ...createLocalHost({}),
        name: 'elsewhere',
        run: ([file]: readonly string[]): Promise<RunResult> => {
          runs.push(file!);
          return Promise.resolve(
            file === 'tmux'
              ? answer('', `error connecting to ${socket} (No such file)\n`)
              : answer(`No Sockets found in ${screens}.\n`, ''),
          );
        },
      };
      const service = new SessionService({
        host,
        scan: () => {
          scans++;
          return { at: 0, processes: [], byPid: new Map() };
        },
      });
      expect(await service.list()).toEqual([]);
      expect(runs.sort()).toEqual(['screen', 'tmux']);
      runs.length = 0;
      expect(await service.list()).toEqual([]);
      expect(runs).toEqual([]); // nothing to ask: no socket, no session file
      mkdirSync(join(dir, 'tmux'));
      writeFileSync(socket, '');
      mkdirSync(screens);
      writeFileSync(join(screens, '42.work'), '');
      await service.list();
      expect(runs.sort()).toEqual(['screen', 'tmux']); // they exist now: ask again
      expect(scans).toBe(0); // and nothing to describe, so no process scan
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('asks tmux again when its server exits as the listing connects', async () => {
    const stderrs = ['server exited unexpectedly\n', 'no server running on /tmp/dd-none/x\n'];
    const host = {
      ...createLocalHost({}),
      name: 'elsewhere',
      run: ([file]: readonly string[]): Promise<RunResult> => {
        const stderr = file === 'tmux' ? stderrs.shift() : undefined;
        if (stderr === undefined && file === 'tmux') throw new Error('tmux asked a third time');
        return Promise.resolve(
          answer(file === 'screen' ? 'No Sockets found in /tmp/dd-none/s.\n' : '', stderr ?? ''),
        );
      },
    };
    expect(await new SessionService({ host }).list()).toEqual([]);
    expect(stderrs).toEqual([]); // asked twice
  });

  it('knows where the default servers are before running either tool', async () => {
    const exists =
      (...paths: string[]) =>
      (p: string) =>
        Promise.resolve(paths.includes(p));
    // Checked against tmux 3.3a here: $TMUX's path inside a session, else $TMUX_TMPDIR when it
    // exists, else /tmp.
    expect(await tmuxDefaultSocket({ TMUX: '/s/x,12,0' }, 7, exists())).toBe('/s/x');
    expect(await tmuxDefaultSocket({ TMUX_TMPDIR: '/t' }, 7, exists('/t'))).toBe(
      '/t/tmux-7/default',
    );
    expect(await tmuxDefaultSocket({ TMUX_TMPDIR: '/t' }, 7, exists())).toBe('/tmp/tmux-7/default');
    expect(await tmuxDefaultSocket({ TMUX_TMPDIR: '', TMUX: '' }, 0, exists())).toBe(
      '/tmp/tmux-0/default',
    );
    const login = () => 'me';
    expect(await screenDefaultDir({ SCREENDIR: '/s' }, login, exists())).toBe('/s');
    expect(await screenDefaultDir({}, login, exists('/run/screen'))).toBe('/run/screen/S-me');
    expect(await screenDefaultDir({}, login, exists())).toBeNull(); // another build: ask screen
  });

  it('on this machine runs neither tool while no server can exist, unless one is not installed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dd-sessions-'));
    try {
      const bin = join(dir, 'bin');
      mkdirSync(bin);
      for (const tool of ['tmux', 'screen']) writeFileSync(join(bin, tool), '', { mode: 0o755 });
      const runs: string[] = [];
      const service = (env: NodeJS.ProcessEnv) =>
        new SessionService({
          host: {
            ...createLocalHost(env),
            run: ([file]: readonly string[]): Promise<RunResult> => {
              runs.push(file!);
              return Promise.resolve({
                code: 127,
                signal: null,
                stdout: '',
                stderr: '',
                stdoutBytes: Buffer.alloc(0),
                spawnError: 'ENOENT',
                timedOut: false,
              });
            },
          },
        });
      const env = { TMUX_TMPDIR: dir, SCREENDIR: join(dir, 'screens'), PATH: bin };
      expect(await service(env).list()).toEqual([]);
      expect(runs).toEqual([]);
      mkdirSync(join(dir, `tmux-${process.getuid!()}`));
      writeFileSync(join(dir, `tmux-${process.getuid!()}`, 'default'), '');
      await expect(service(env).list()).rejects.toThrow(/tmux/); // a socket: tmux is asked
      expect(runs).toEqual(['tmux']);
      runs.length = 0;
      // Neither installed: each is run, and its spawn says so.
      const bare = service({ ...env, PATH: join(dir, 'none') });
      await expect(bare.listTmux(() => null)).rejects.toThrow();
      await expect(bare.listScreen(() => null)).rejects.toThrow();
      expect(runs).toEqual(['tmux', 'screen']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('checks names and quotes the attach line', () => {
    expect(checkSessionName('dev-1')).toBeNull();
    expect(checkSessionName('a.b')).toMatch(/letters/);
    expect(checkSessionName('')).toMatch(/1 to 64/);
    expect(shellWord("it's")).toBe(`'it'\\''s'`);
    expect(
      new SessionService({ tmuxSocket: '/tmp/my sock' }).attachCommand('tmux', 'web').text,
    ).toBe("tmux -S '/tmp/my sock' attach-session -t =web");
    expect(new SessionService().attachCommand('screen', 'w').argv).toEqual(['screen', '-r', 'w']);
  });
  it('maps sessions to entries and ids back', () => {
    const e = sessionEntry({
      id: 'session:screen:w',
      kind: 'screen',
      name: 'w',
      windows: 1,
      attached: false,
      createdAt: null,
      commands: ['top'],
      pids: [3, 4],
    });
    expect(e).toMatchObject({
      kind: 'session',
      state: 'running',
      subState: 'detached',
      pids: [3, 4],
      actions: ['stop'],
    });
    expect(parseSessionId('session:tmux:a:b')).toEqual({ kind: 'tmux', name: 'a:b' });
    expect(parseSessionId('process:x')).toBeNull();
  });
});
