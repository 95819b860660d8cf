import { describe, expect, it } from 'vitest';
import {
  isDaemonDeckCommand,
  protectedProcessReason,
} from '../../main/core/processes/protected-processes.js';

const proc = (pid: number, argv: string[], ppid = 100, kernelThread = false) => ({
  pid,
  ppid,
  argv,
  kernelThread,
});

describe('protected processes', () => {
  it('refuses PID 1, kernel threads, this process and Daemon Deck, each with its reason', () => {
    expect(protectedProcessReason(proc(1, ['/sbin/init']), 500)).toMatch(/init system/);
    expect(protectedProcessReason(proc(2, []), 500)).toMatch(/kernel thread/);
    expect(protectedProcessReason(proc(77, [], 2), 500)).toMatch(/kernel thread/);
    expect(protectedProcessReason(proc(78, [], 1, true), 500)).toMatch(/kernel thread/);
    expect(protectedProcessReason(proc(500, ['node', 'x']), 500)).toMatch(/itself/);
    expect(protectedProcessReason(proc(600, ['/opt/Daemon Deck/daemon-deck']), 500)).toMatch(
      /Daemon Deck itself/,
    );
  });
  it('allows an ordinary process of the user', () => {
    expect(protectedProcessReason(proc(4242, ['sleep', '100']), 500)).toBeNull();
    expect(protectedProcessReason(proc(4243, ['node', 'server.js']), 500)).toBeNull();
  });
  it("recognises Daemon Deck's command lines", () => {
    expect(isDaemonDeckCommand(['/usr/bin/node', '/src/dd/bin/daemon-deck.js', 'ps'])).toBe(true);
    expect(
      isDaemonDeckCommand([
        '/src/dd/node_modules/electron/dist/electron',
        '/src/dd/out/main/index.js',
      ]),
    ).toBe(true);
    expect(isDaemonDeckCommand(['daemon-deck', '--hidden'])).toBe(true);
    expect(isDaemonDeckCommand(['/usr/bin/node', 'daemon-deck-helper.js'])).toBe(false);
    expect(isDaemonDeckCommand([])).toBe(false);
  });
});
