// Timers: the user's .timer units with their next and last run, and a readable preview of a
// calendar expression.
//
// Relies on (systemd 252):
// - org.freedesktop.systemd1.Timer properties NextElapseUSecRealtime, LastTriggerUSec (realtime
//   usec, 0 when none; the bus layer turns USEC_INFINITY into null) and Unit (what it starts).
//   A handful of Get calls per timer; there are few timers.
// - `systemd-analyze calendar --iterations=N EXPR` prints "Next elapse:" and "Iter. #k:" lines;
//   run with TZ=UTC and LC_ALL=C so the times parse as "Day YYYY-MM-DD HH:MM:SS UTC". It exits
//   non-zero with "Failed to parse calendar specification" for a bad expression.
import type { TimerInfo } from '../model/authoring.js';
import type { Bus } from './bus.js';
import type { Host } from '../host/host.js';
import { unitObjectPath, type UnitRecord } from './unit-model.js';

const SYSTEMD = 'org.freedesktop.systemd1';

/** The times in `systemd-analyze calendar` output (TZ=UTC), as ISO strings. Pure. */
export function parseCalendarOutput(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const m = /(?:Next elapse|Iter\. #\d+):\s+\w+ (\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) UTC/.exec(
      line,
    );
    if (m !== null) out.push(new Date(`${m[1]}T${m[2]}Z`).toISOString());
  }
  return out;
}

/** A realtime usec property as an ISO time; null for 0 (none) or what is not a number. */
export function usecIso(v: unknown): string | null {
  const n = typeof v === 'bigint' ? Number(v) : v;
  return typeof n === 'number' && n > 0 && Number.isFinite(n)
    ? new Date(Math.floor(n / 1000)).toISOString()
    : null;
}

/** One property of a timer (org.freedesktop.systemd1.Timer), or null when it is not loaded. */
export async function timerProperty(bus: Bus, unit: string, prop: string): Promise<unknown> {
  try {
    const [v] = await bus.call({
      destination: SYSTEMD,
      path: unitObjectPath(unit),
      interface: 'org.freedesktop.DBus.Properties',
      member: 'Get',
      signature: 'ss',
      body: ['org.freedesktop.systemd1.Timer', prop],
    });
    return v;
  } catch {
    return null; // not loaded: no next/last run to show
  }
}

export class TimerService {
  constructor(
    private readonly bus: Bus,
    private readonly run: Host['run'],
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  #get(unit: string, prop: string): Promise<unknown> {
    return timerProperty(this.bus, unit, prop);
  }

  /** Every timer the unit service knows, with its next and last run. */
  async list(records: readonly UnitRecord[]): Promise<TimerInfo[]> {
    const timers = records.filter((r) => r.name.endsWith('.timer'));
    return Promise.all(
      timers.map(async (r) => {
        const [next, last, unit] = await Promise.all([
          this.#get(r.name, 'NextElapseUSecRealtime'),
          this.#get(r.name, 'LastTriggerUSec'),
          this.#get(r.name, 'Unit'),
        ]);
        return {
          unit: r.name,
          activates:
            typeof unit === 'string' && unit !== '' ? unit : r.name.replace(/\.timer$/, '.service'),
          description: r.description,
          active: r.activeState === 'active',
          enabled: r.unitFileState === 'enabled',
          nextRun: usecIso(next),
          lastRun: usecIso(last),
        };
      }),
    );
  }

  /** The next `count` times a calendar expression elapses, or systemd's complaint. */
  async preview(
    expr: string,
    count: number,
  ): Promise<{ ok: true; times: string[] } | { ok: false; message: string }> {
    const r = await this.run(['systemd-analyze', 'calendar', `--iterations=${count}`, '--', expr], {
      env: { ...this.env, TZ: 'UTC', LC_ALL: 'C', SYSTEMD_COLORS: '0' },
      timeoutMs: 10_000,
    });
    if (r.code !== 0)
      return {
        ok: false,
        message: `"${expr}" is not a calendar time systemd understands (such as daily, Mon *-*-* 09:00 or *:0/15).`,
      };
    const times = parseCalendarOutput(r.stdout);
    if (times.length === 0) return { ok: false, message: `"${expr}" never elapses.` };
    return { ok: true, times };
  }
}
