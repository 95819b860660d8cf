import { describe, expect, it } from 'vitest';
import {
  checkSessionName,
  parseScreenList,
  parseTmuxSessions,
  shellWord,
  SessionService,
} from '../../main/core/sessions/sessions.js';
import { parseSessionId, sessionEntry } from '../../main/core/sessions/session-source.js';

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
