// `daemon-deck events --json` against a real systemd --user: crash and change lines, clean exit.
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../harness/sandbox.js';
import { DAEMON_DECK_BIN } from '../helpers/cli.js';
import { sleeperUnit, waitFor } from '../helpers/units.js';

describe('daemon-deck events', () => {
  let sb: Sandbox;

  beforeAll(async () => {
    sb = await startSandbox({ label: 'events' });
    await sb.writeUnit(
      'dd-ev.service',
      [
        '[Unit]',
        'Description=exits 1',
        '',
        '[Service]',
        'ExecStart=/bin/sh -c "sleep 0.3; exit 1"',
        '',
      ].join('\n'),
    );
    await sb.writeUnit('dd-ev-sleep.service', sleeperUnit('sleeps', false));
    await sb.daemonReload();
  }, 60_000);
  afterAll(async () => {
    await sb?.stop();
  });

  it('streams JSON lines: ready, the change, the crash; ends with status 0 on SIGINT', async () => {
    const child = spawn(process.execPath, [DAEMON_DECK_BIN, 'events', '--json'], {
      env: sb.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const lines = () =>
      out
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
    /** A line says the entry is in that state. */
    const inState = (id: string, state: string) =>
      lines().some(
        (l) => l.id === id && (l.entry as { state?: string } | undefined)?.state === state,
      );
    try {
      await waitFor(() => lines().some((l) => l.type === 'ready'), `ready (${err})`, 20_000);
      const start = await sb.systemctl('start', '--no-block', 'dd-ev.service');
      expect(start.code).toBe(0);
      const crash = await waitFor(
        () => lines().find((l) => l.type === 'crash' && l.id === 'systemd:dd-ev.service'),
        'a crash line',
        10_000,
      );
      expect(crash).toMatchObject({ reason: 'failed', name: 'dd-ev.service' });
      expect(
        lines().some(
          (l) =>
            l.type === 'changed' &&
            l.id === 'systemd:dd-ev.service' &&
            (l.entry as { state: string }).state === 'running',
        ),
      ).toBe(true);
      // A stop the user makes is a change, never a crash.
      await sb.systemctl('start', 'dd-ev-sleep.service');
      await waitFor(() => inState('systemd:dd-ev-sleep.service', 'running'), 'the sleeper running');
      await sb.systemctl('stop', 'dd-ev-sleep.service');
      await waitFor(() => inState('systemd:dd-ev-sleep.service', 'stopped'), 'the sleeper stopped');
      await new Promise((r) => setTimeout(r, 500));
      expect(lines().filter((l) => l.type === 'crash')).toHaveLength(1);
    } finally {
      child.kill('SIGINT');
    }
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    expect(code).toBe(0);
  }, 40_000);
});
