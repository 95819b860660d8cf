import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { startSandbox, sandboxPids, type Sandbox } from '../harness/sandbox.js';

describe('the test sandbox', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await startSandbox({ label: 'self' });
  });
  afterAll(async () => {
    await sb?.stop();
  });

  it('runs a private systemd --user on a private bus', async () => {
    expect(sb.runtimeDir.startsWith(sb.root)).toBe(true);
    expect(sb.env.HOME).toBe(sb.home);
    expect(sb.env.DBUS_SESSION_BUS_ADDRESS).toBe(`unix:path=${sb.runtimeDir}/bus`);
    const r = await sb.systemctl('show', '--property=Version', '--value');
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+/);
    const env = await sb.systemctl('show-environment');
    expect(env.stdout).toContain(`XDG_RUNTIME_DIR=${sb.runtimeDir}`);
  });

  it('tears everything down', async () => {
    const other = await startSandbox({ label: 'teardown' });
    expect(sandboxPids(other.runtimeDir).length).toBeGreaterThan(0);
    await other.stop();
    expect(sandboxPids(other.runtimeDir)).toEqual([]);
    expect(existsSync(other.root)).toBe(false);
  });
});
