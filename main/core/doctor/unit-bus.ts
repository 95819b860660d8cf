// What "Will it start?" asks systemd about units, over the core's D-Bus connection (raw calls, no
// proxies, no child processes), fetching only the properties the rules read.
//
// Relies on (systemd 252; PLATFORM-NOTES, measured here with 150 units):
// - Manager.ListUnitsByNames(names) answers the load, active and sub state and the object path of
//   every unit named, loading the ones not loaded (as `systemctl show` does): one call, 2-10 ms;
//   a name that does not exist answers LoadState "not-found";
// - a pipelined Properties.Get costs ~70-150 us (GetAll on the Service interface ~3 ms: never);
// - Manager.UnitsLoadTimestamp changes on every daemon-reload and re-exec (the loaded definitions
//   are new then), and a unit's StateChangeTimestamp on each change of its state; together with
//   the state they say when a unit's loaded properties (Result, Exec*, WorkingDirectory,
//   Triggers...) can be taken from the last check. NeedDaemonReload (systemd compares its files
//   on disk with what it loaded) is asked on every check;
// - Manager.Environment is what `systemctl --user show-environment` prints (K=V strings);
// - the Exec* properties are a(sasbttttuii): path, argv, ignore_errors (the `-` prefix), ...;
//   WorkingDirectory is `!` + path for the `-` prefix and `~` for the home directory.
import type { Bus } from '../systemd/bus.js';
import { toAppError } from '../errors.js';

const SYSTEMD = 'org.freedesktop.systemd1';
const MANAGER_PATH = '/org/freedesktop/systemd1';
const MANAGER_IFACE = 'org.freedesktop.systemd1.Manager';
const UNIT_IFACE = 'org.freedesktop.systemd1.Unit';
const PROPS_IFACE = 'org.freedesktop.DBus.Properties';
const CALL_TIMEOUT_MS = 15_000;

export const EXEC_PROPS = ['ExecCondition', 'ExecStartPre', 'ExecStart', 'ExecStartPost'] as const;

/** The interface holding Result= and the Exec* commands of each unit kind (none for targets). */
const KIND_IFACE: Record<string, { iface: string; execs: readonly string[] }> = {
  service: { iface: 'org.freedesktop.systemd1.Service', execs: EXEC_PROPS },
  socket: { iface: 'org.freedesktop.systemd1.Socket', execs: ['ExecStartPre', 'ExecStartPost'] },
  timer: { iface: 'org.freedesktop.systemd1.Timer', execs: [] },
  path: { iface: 'org.freedesktop.systemd1.Path', execs: [] },
};

export interface UnitExec {
  from: string;
  path: string;
  ignore: boolean;
}

/** What the rules read of one unit, as systemd has it loaded. */
export interface UnitRecord {
  /** Properties as strings, named as `systemctl show` names them (NeedDaemonReload yes/no). */
  show: Record<string, string>;
  execs: UnitExec[];
  /** The unit's object path. */
  path: string;
}

interface Row {
  load: string;
  active: string;
  sub: string;
  job: number;
  path: string;
}

export class UnitBusReader {
  /** Loaded properties per unit, with the key (reload, state, state change) they were read at. */
  private readonly kept = new Map<string, { key: string; rec: UnitRecord }>();

  constructor(private readonly bus: () => Promise<Bus | null>) {}

  /** Forget every unit's properties kept from earlier checks. */
  forget(): void {
    this.kept.clear();
  }

  /** One method call to systemd on the bus (with a timeout: the bus layer never hangs). */
  private async ask(
    path: string,
    iface: string,
    member: string,
    signature: string,
    body: unknown[],
  ): Promise<unknown[]> {
    const bus = await this.bus();
    if (bus === null) throw new Error('no session bus');
    return bus.call(
      { destination: SYSTEMD, path, interface: iface, member, signature, body },
      CALL_TIMEOUT_MS,
    );
  }

  private call(member: string, signature: string, body: unknown[]): Promise<unknown[]> {
    return this.ask(MANAGER_PATH, MANAGER_IFACE, member, signature, body);
  }

  private async get(path: string, iface: string, prop: string): Promise<unknown> {
    return (await this.ask(path, PROPS_IFACE, 'Get', 'ss', [iface, prop]))[0];
  }

  /** A property that this systemd may not have (or a unit that went away) reads as undefined. */
  private async maybe(path: string, iface: string, prop: string): Promise<unknown> {
    try {
      return await this.get(path, iface, prop);
    } catch (err) {
      if (toAppError(err).code === 'bus-unavailable') throw err;
      return undefined;
    }
  }

  /** systemd's user environment (show-environment); null when it cannot be read. */
  async environment(): Promise<Record<string, string> | null> {
    try {
      return environmentOf(await this.get(MANAGER_PATH, MANAGER_IFACE, 'Environment'));
    } catch {
      return null;
    }
  }

  /** ListUnitsByNames; a name systemd refuses (not a valid unit name) is left out. */
  private async rows(names: string[]): Promise<Map<string, Row>> {
    const out = new Map<string, Row>();
    const add = (reply: unknown[]) => {
      for (const r of (reply[0] ?? []) as unknown[][]) {
        const [name, , load, active, sub, , path, job] = r as [
          string,
          string,
          string,
          string,
          string,
          string,
          string,
          number,
        ];
        out.set(name, { load, active, sub, job, path });
      }
    };
    try {
      add(await this.call('ListUnitsByNames', 'as', [names]));
    } catch (err) {
      if (toAppError(err).code === 'bus-unavailable' || names.length === 1) throw err;
      // One bad name fails the whole call: ask for each on its own.
      const each = await Promise.allSettled(
        names.map((n) => this.call('ListUnitsByNames', 'as', [[n]])),
      );
      for (const e of each) if (e.status === 'fulfilled') add(e.value);
    }
    return out;
  }

  /**
   * The state of `targets` and the records of `units` (by name). Rejects when the manager cannot
   * be asked at all.
   */
  async read(
    units: string[],
    targets: string[],
  ): Promise<{
    records: Map<string, UnitRecord>;
    targets: Map<string, { loadState: string; activeState: string }>;
  }> {
    const names = [...new Set([...units, ...targets])];
    const [rows, loadedAt] = await Promise.all([
      names.length > 0 ? this.rows(names) : new Map<string, Row>(),
      this.maybe(MANAGER_PATH, MANAGER_IFACE, 'UnitsLoadTimestamp'),
    ]);
    const targetStates = new Map<string, { loadState: string; activeState: string }>();
    for (const t of targets) {
      const r = rows.get(t);
      if (r) targetStates.set(t, { loadState: r.load, activeState: r.active });
    }
    const records = new Map<string, UnitRecord>();
    await Promise.all(
      units.map(async (unit) => {
        const row = rows.get(unit);
        if (row === undefined) return;
        // Asked every time: the files on disk may have changed since systemd loaded them.
        const [reload, changedAt] = await Promise.all([
          this.maybe(row.path, UNIT_IFACE, 'NeedDaemonReload'),
          this.maybe(row.path, UNIT_IFACE, 'StateChangeTimestamp'),
        ]);
        const key =
          typeof loadedAt !== 'number' || typeof changedAt !== 'number'
            ? null
            : `${loadedAt}|${row.load} ${row.active} ${row.sub} ${row.job}|${changedAt}`;
        const kept = this.kept.get(unit);
        const rec =
          key !== null && kept?.key === key ? kept.rec : await this.loaded(unit, row, key);
        rec.show.NeedDaemonReload = reload === true ? 'yes' : 'no';
        records.set(unit, rec);
      }),
    );
    return { records, targets: targetStates };
  }

  /** The properties of one unit that change only with a reload or a change of its state. */
  private async loaded(unit: string, row: Row, key: string | null): Promise<UnitRecord> {
    const kind = KIND_IFACE[unit.slice(unit.lastIndexOf('.') + 1)];
    const p = row.path;
    const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
    const list = (v: unknown) => (Array.isArray(v) ? (v as string[]).join(' ') : undefined);
    const [result, wd, triggers, calendar, fileState, ...execs] = await Promise.all([
      kind ? this.maybe(p, kind.iface, 'Result') : undefined,
      kind?.execs.length ? this.maybe(p, kind.iface, 'WorkingDirectory') : undefined,
      unit.endsWith('.timer') ? this.maybe(p, UNIT_IFACE, 'Triggers') : undefined,
      unit.endsWith('.timer') ? this.maybe(p, kind!.iface, 'TimersCalendar') : undefined,
      // Asked only when it is not plainly loaded: systemd works out enablement for it.
      row.load !== 'loaded' ? this.maybe(p, UNIT_IFACE, 'UnitFileState') : undefined,
      ...(kind?.execs ?? []).map((e) => this.maybe(p, kind!.iface, e)),
    ]);
    const show: Record<string, string> = {
      Id: unit,
      LoadState: row.load,
      ActiveState: row.active,
      SubState: row.sub,
    };
    const set = (k: string, v: string | undefined) => {
      if (v !== undefined) show[k] = v;
    };
    set('Result', text(result));
    set('WorkingDirectory', text(wd));
    set('Triggers', list(triggers));
    set('TimersCalendar', Array.isArray(calendar) && calendar.length > 0 ? 'yes' : undefined);
    if (Array.isArray(calendar)) show.TimersCalendar ??= '';
    set('UnitFileState', text(fileState));
    const rec: UnitRecord = {
      show,
      path: p,
      execs: (kind?.execs ?? []).flatMap((from, i) => execsOf(from, execs[i])),
    };
    if (key !== null) this.kept.set(unit, { key, rec });
    else this.kept.delete(unit);
    return rec;
  }

  /** After= of a unit (the GUI checks only): space-separated, as `systemctl show` prints it. */
  async after(rec: UnitRecord): Promise<void> {
    if (rec.show.After !== undefined) return;
    const v = await this.maybe(rec.path, UNIT_IFACE, 'After');
    if (Array.isArray(v)) rec.show.After = (v as string[]).join(' ');
  }
}

/** An Exec* property's value, a(sasbttttuii): each command's path and its `-` prefix. */
export function execsOf(from: string, value: unknown): UnitExec[] {
  if (!Array.isArray(value)) return [];
  return (value as unknown[][]).map((c) => ({
    from,
    path: typeof c[0] === 'string' ? c[0] : '',
    ignore: c[2] === true,
  }));
}

/** Manager.Environment (`K=V` strings) as a record; null when it is not a list. */
export function environmentOf(value: unknown): Record<string, string> | null {
  if (!Array.isArray(value)) return null;
  const out: Record<string, string> = {};
  for (const kv of value) {
    if (typeof kv !== 'string') continue;
    const eq = kv.indexOf('=');
    if (eq > 0) out[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  return out;
}
