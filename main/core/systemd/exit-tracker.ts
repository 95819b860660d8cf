// The last exit of each service's main process, caught as it happens.
//
// Crash alerts and the History tab say how a service ended ("exited with status 2"). Asking
// systemd after the crash is seen is too late for a unit with Restart=: by then it may have
// started again and its ExecMainCode/ExecMainStatus describe the new process (the e2e History
// test lost most exit statuses of a fast crash loop under load). systemd announces the exit
// itself: a PropertiesChanged on org.freedesktop.systemd1.Service that names ExecMainStatus among
// the invalidated properties (systemd 252 sends them invalidated, without values). On that
// signal this asks for the values at once, in one pipelined turn, and keeps them per unit.
//
// Relies on the monitor's broad PropertiesChanged match rule (unit-service.ts MATCH_RULES) and
// Subscribe(); adds no match rule of its own.
import type { Bus, BusSignal } from './bus.js';

const SYSTEMD = 'org.freedesktop.systemd1';
const SERVICE_IFACE = 'org.freedesktop.systemd1.Service';
const PROPS_IFACE = 'org.freedesktop.DBus.Properties';
const UNIT_PATH_PREFIX = '/org/freedesktop/systemd1/unit/';

export interface ServiceExit {
  /** ExecMainCode: 1 exited, 2 killed, 3 dumped core. */
  code: number;
  status: number;
  /** When the main process ended (ms since the epoch), from ExecMainExitTimestamp. */
  at: number;
}

/** A unit name from its object path: systemd escapes every byte but [A-Za-z0-9] as _XX. */
export function unitFromPath(path: string): string | null {
  if (!path.startsWith(UNIT_PATH_PREFIX)) return null;
  const label = path.slice(UNIT_PATH_PREFIX.length);
  if (label === '' || label.includes('/')) return null;
  const bytes: number[] = [];
  for (let i = 0; i < label.length; i++) {
    const c = label[i]!;
    if (c === '_') {
      const hex = label.slice(i + 1, i + 3);
      if (!/^[0-9a-f]{2}$/.test(hex)) return null;
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(c.charCodeAt(0));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

function invalidatesExit(signal: BusSignal): boolean {
  if (signal.interface !== PROPS_IFACE || signal.member !== 'PropertiesChanged') return false;
  const [iface, changed, invalidated] = signal.body as [unknown, unknown, unknown];
  if (iface !== SERVICE_IFACE) return false;
  if (Array.isArray(invalidated) && invalidated.includes('ExecMainStatus')) return true;
  return typeof changed === 'object' && changed !== null && 'ExecMainStatus' in changed;
}

export class ExitTracker {
  readonly #bus: Bus;
  readonly #exits = new Map<string, ServiceExit>();
  #off: (() => void) | null = null;

  constructor(bus: Bus) {
    this.#bus = bus;
  }

  start(): void {
    this.#off ??= this.#bus.onSignal((signal) => {
      if (!invalidatesExit(signal)) return;
      const unit = unitFromPath(signal.path);
      if (unit !== null) void this.#fetch(signal.path, unit);
    });
  }

  stop(): void {
    this.#off?.();
    this.#off = null;
  }

  /** The last exit seen for `unit` (e.g. `web.service`), if any. */
  lastExit(unit: string): ServiceExit | null {
    return this.#exits.get(unit) ?? null;
  }

  async #fetch(path: string, unit: string): Promise<void> {
    const get = (property: string) =>
      this.#bus.call({
        destination: SYSTEMD,
        path,
        interface: PROPS_IFACE,
        member: 'Get',
        signature: 'ss',
        body: [SERVICE_IFACE, property],
      });
    let replies: unknown[][];
    try {
      replies = await Promise.all([
        get('ExecMainCode'),
        get('ExecMainStatus'),
        get('ExecMainExitTimestamp'),
      ]);
    } catch {
      // The unit went away or the bus did: the crash is still reported, without its status.
      return;
    }
    const [code, status, exitUsec] = replies.map((r) => r[0]);
    if (typeof code !== 'number' || typeof status !== 'number' || code === 0) return;
    const at = typeof exitUsec === 'number' && exitUsec > 0 ? Math.floor(exitUsec / 1000) : 0;
    const previous = this.#exits.get(unit);
    if (previous !== undefined && previous.at > at) return;
    this.#exits.set(unit, { code, status, at });
  }
}
