import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { startSandbox, sandboxPids } from '../harness/sandbox.js';
import { sandboxSuite } from '../harness/sandbox-suite.js';

describe('the test sandbox', () => {
  const suite = sandboxSuite('self');

  it('runs a private systemd --user on a private bus', async () => {
    expect(suite.sb.runtimeDir.startsWith(suite.sb.root)).toBe(true);
    expect(suite.sb.env.HOME).toBe(suite.sb.home);
    expect(suite.sb.env.DBUS_SESSION_BUS_ADDRESS).toBe(`unix:path=${suite.sb.runtimeDir}/bus`);
    const r = await suite.sb.systemctl('show', '--property=Version', '--value');
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+/);
    const env = await suite.sb.systemctl('show-environment');
    expect(env.stdout).toContain(`XDG_RUNTIME_DIR=${suite.sb.runtimeDir}`);
  });

  it('tears everything down', async () => {
    const other = await startSandbox({ label: 'teardown' });
    expect(sandboxPids(other.runtimeDir).length).toBeGreaterThan(0);
    await other.stop();
    expect(sandboxPids(other.runtimeDir)).toEqual([]);
    expect(existsSync(other.root)).toBe(false);
  });
});
