import { spawnSync } from 'node:child_process';
import { it, expect } from 'vitest';
import { startSandbox } from '../../harness/sandbox.js';
import { DAEMON_DECK_BIN } from '../../helpers/cli.js';
import { sleeperUnit } from '../../helpers/units.js';
it('prof', async () => {
  const sb = await startSandbox({ label: 'prof' });
  try {
    for (let i = 0; i < 60; i++) await sb.writeUnit(`cli-${i}.service`, sleeperUnit('x'));
    await sb.daemonReload();
    await sb.systemctl('start', ...Array.from({ length: 30 }, (_, i) => `cli-${i}.service`));
    for (const args of [['status', 'cli-0.service'], ['list']]) {
      spawnSync(process.execPath, [DAEMON_DECK_BIN, ...args], { env: sb.env });
      for (let k = 0; k < 3; k++) {
        const r = spawnSync(process.execPath, ['--cpu-prof', `--cpu-prof-dir=/tmp/clifast-p-${args[0]}`, '--cpu-prof-interval', '200', DAEMON_DECK_BIN, ...args], { env: sb.env, encoding: 'utf8' });
        expect(r.status).toBe(0);
      }
    }
  } finally { await sb.stop(); }
}, 200000);
