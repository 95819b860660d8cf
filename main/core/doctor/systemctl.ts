// `systemctl --user` as the doctor runs it: through the Host (argv only), in the C locale,
// without a pager or colours, so its output reads the same on every machine.
import type { Host, RunResult } from '../host/host.js';

export function userSystemctl(host: Host, args: string[], timeoutMs = 30_000): Promise<RunResult> {
  return host.run(['systemctl', '--user', ...args], {
    env: { ...host.env, LC_ALL: 'C', SYSTEMD_PAGER: '', SYSTEMD_COLORS: '0' },
    timeoutMs,
  });
}

/** `list-units` lines as `NAME LOAD ACTIVE SUB DESCRIPTION`, for all units or the ones named. */
export function listUnits(host: Host, names: string[] = []): Promise<RunResult> {
  const args = ['list-units', '--all', '--plain', '--no-legend', '--full'];
  return userSystemctl(host, names.length > 0 ? [...args, '--', ...names] : args);
}
