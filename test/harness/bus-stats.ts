// Match rules as the bus daemon itself counts them, for the failure drills' "leaks no D-Bus match
// rules" check.
//
// Relies on dbus-daemon's org.freedesktop.DBus.Debug.Stats interface: Debian builds dbus-daemon
// with --enable-stats (checked on 1.14.10), and the daemon answers these privileged methods for
// callers with its own uid (the sandbox's session bus runs as the user who runs the tests, so no
// extra bus configuration is needed). GetAllMatchRules returns a{sas}: every connection's unique
// name and its rules; GetConnectionUnixProcessID says which connections are this process's.
// busctl runs each query as its own short-lived connection, which holds no match rules.
import type { Sandbox } from './sandbox.js';

export interface MatchRuleCount {
  /** Rules held by connections of `pid`, by unique name. */
  byConnection: Record<string, string[]>;
  /** The number of rules held by connections of `pid`. */
  count: number;
  /** Rules on the whole bus, as GetStats counts them. */
  busTotal: number;
}

async function busJson(sb: Sandbox, ...args: string[]): Promise<unknown> {
  const r = await sb.run('busctl', ['--user', '--json=short', 'call', ...args], {
    timeoutMs: 10_000,
  });
  if (r.code !== 0) throw new Error(`busctl ${args.join(' ')} failed: ${r.stderr.trim()}`);
  return (JSON.parse(r.stdout) as { data: unknown[] }).data[0];
}

const DBUS = ['org.freedesktop.DBus', '/org/freedesktop/DBus'];

/** The match rules the bus holds for connections owned by `pid` (default: this test process). */
export async function matchRules(sb: Sandbox, pid = process.pid): Promise<MatchRuleCount> {
  const all = (await busJson(
    sb,
    ...DBUS,
    'org.freedesktop.DBus.Debug.Stats',
    'GetAllMatchRules',
  )) as Record<string, string[]>;
  const byConnection: Record<string, string[]> = {};
  for (const [name, rules] of Object.entries(all)) {
    let owner: unknown;
    try {
      owner = await busJson(
        sb,
        ...DBUS,
        'org.freedesktop.DBus',
        'GetConnectionUnixProcessID',
        's',
        name,
      );
    } catch {
      // The connection left between the two calls: not one of ours any more.
      continue;
    }
    if (owner === pid) byConnection[name] = rules;
  }
  const stats = (await busJson(sb, ...DBUS, 'org.freedesktop.DBus.Debug.Stats', 'GetStats')) as {
    MatchRules?: { data?: unknown };
  };
  const total = stats.MatchRules?.data;
  return {
    byConnection,
    count: Object.values(byConnection).reduce((n, r) => n + r.length, 0),
    busTotal: typeof total === 'number' ? total : -1,
  };
}
