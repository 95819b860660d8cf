// tmux and screen sessions through the built CLI and the session service, each tool on a private
// server (TMUX_TMPDIR and SCREENDIR in a temp dir), so the user's own sessions are never seen.
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionInfo } from '../../main/core/model/processes.js';
import { SessionService } from '../../main/core/sessions/sessions.js';
import { createSessionSource } from '../../main/core/sessions/session-source.js';
import { ProcessScanner } from '../../main/core/processes/proc-scanner.js';
import { waitFor } from '../helpers/units.js';
import { runCli, runFile } from '../helpers/cli.js';

describe('tmux and screen sessions', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let service: SessionService;
  const cli = (...args: string[]) => runCli(env, ...args);
  const listed = async () => JSON.parse((await cli('sessions', '--json')).stdout) as SessionInfo[];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'dd-sessions-'));
    const screenDir = join(dir, 'screen');
    mkdirSync(screenDir, { mode: 0o700 });
    env = {
      PATH: process.env.PATH,
      HOME: dir,
      XDG_CONFIG_HOME: join(dir, 'config'),
      TMUX_TMPDIR: dir,
      SCREENDIR: screenDir,
      LANG: 'C.UTF-8',
      TERM: 'xterm',
    };
    const scanner = new ProcessScanner();
    service = new SessionService({ env, scan: () => scanner.scan() });
  });

  afterAll(async () => {
    await runFile('tmux', ['kill-server'], env, 30_000);
    for (const s of await service.list().catch(() => []))
      await service.kill(s.kind, s.name).catch(() => null);
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts with none on the private servers', async () => {
    expect(await listed()).toEqual([]);
  });

  it('lists tmux and screen sessions started outside the app, with what runs in them', async () => {
    expect(
      (
        await runFile(
          'tmux',
          ['new-session', '-d', '-s', 'dd-web', '--', 'sleep', '51001'],
          env,
          30_000,
        )
      ).code,
    ).toBe(0);
    expect((await runFile('screen', ['-dmS', 'dd-sync', 'sleep', '51002'], env, 30_000)).code).toBe(
      0,
    );
    const sessions = await waitFor(async () => {
      const l = await listed();
      return l.length === 2 ? l : null;
    }, 'two sessions');
    const tmux = sessions.find((s) => s.id === 'session:tmux:dd-web')!;
    expect(tmux).toMatchObject({ kind: 'tmux', name: 'dd-web', windows: 1, attached: false });
    expect(tmux.commands).toEqual(['sleep 51001']);
    expect(Math.abs(Date.parse(tmux.createdAt!) - Date.now())).toBeLessThan(60_000);
    const screen = sessions.find((s) => s.id === 'session:screen:dd-sync')!;
    expect(screen).toMatchObject({ kind: 'screen', windows: 1, attached: false });
    expect(screen.commands).toEqual(['sleep 51002']);
  });

  it('a session killed outside the app disappears from the list and the entry source', async () => {
    const source = createSessionSource(service, { intervalMs: 200 });
    await source.start();
    try {
      expect(
        source
          .entries()
          .map((e) => e.id)
          .sort(),
      ).toEqual(['session:screen:dd-sync', 'session:tmux:dd-web']);
      expect((await runFile('tmux', ['kill-session', '-t', '=dd-web'], env, 30_000)).code).toBe(0);
      await waitFor(
        () => !source.entries().some((e) => e.id === 'session:tmux:dd-web'),
        'the entry to go',
      );
      expect((await listed()).map((s) => s.id)).toEqual(['session:screen:dd-sync']);
      // and one killed from the app, by its entry
      const r = await source.act('session:screen:dd-sync', 'stop');
      expect(r.ok).toBe(true);
      expect(await listed()).toEqual([]);
    } finally {
      await source.stop();
    }
  });

  it('runs a command in a new detached session, gives the attach command, kills it by id', async () => {
    const s = await service.create('tmux', 'dd-new', ['sleep', '51003'], dir);
    expect(s).toMatchObject({
      id: 'session:tmux:dd-new',
      attached: false,
      commands: ['sleep 51003'],
    });
    expect(service.attachCommand('tmux', 'dd-new').argv).toEqual([
      'tmux',
      'attach-session',
      '-t',
      '=dd-new',
    ]);
    const sc = await service.create('screen', 'dd-new2', ['sleep', '51004'], dir);
    expect(sc.commands).toEqual(['sleep 51004']);
    await expect(service.create('tmux', 'dd-new', ['true'], null)).rejects.toThrow(
      /already exists/,
    );
    expect((await cli('kill', 'session:tmux:dd-new')).code).toBe(0);
    expect((await cli('kill', 'session:screen:dd-new2')).code).toBe(0);
    const gone = await cli('kill', 'session:tmux:dd-new');
    expect(gone.code).toBe(1);
    expect(gone.stderr.trim()).toBe('daemon-deck: There is no tmux session named "dd-new".');
    expect(await listed()).toEqual([]);
  });
});
