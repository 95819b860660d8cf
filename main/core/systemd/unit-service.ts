// The unit service: the user's systemd units (services, sockets, timers), live, and the actions
// on them.
//
// Notes about the systemd D-Bus API (systemd 252; see PLATFORM-NOTES and Cockpit's
// pkg/lib/service.js, which relies on the same facts):
// - ListUnitsByPatterns returns loaded units only; unit files come from ListUnitFilesByPatterns,
//   which is slow (systemd computes enablement), so it is cached and refreshed only on
//   UnitFilesChanged and Reloading(false).
// - Subscribe() once per connection (AlreadySubscribed is fine), again whenever
//   org.freedesktop.systemd1 changes owner (daemon-reexec, restart).
// - Start/Stop/Restart/Reload return a job path; success is JobRemoved for that path with result
//   "done". Our match rules are in place (awaited) before any job is queued, and JobRemoved results
//   are remembered briefly in case the signal overtakes the method reply.
// - EnableUnitFiles/DisableUnitFiles do not reload: Reload() follows them.
// - PropertiesChanged on a unit path carries ActiveState/SubState/StateChangeTimestamp values; a
//   property only named in `invalidated` is fetched again.
// - A reload or re-exec announces UnitRemoved for every unit between Reloading(true) and
//   Reloading(false) while it rebuilds them (running ones included): those are not believed, the
//   resync after Reloading(false) says what is really there. Without this every daemon-reload
//   (each enable, disable and unit edit ends with one) showed running units stopped for a moment.
// - Looking a unit up (`systemctl --user status x`, LoadUnit) loads it for a moment (UnitNew);
//   an inactive unit nothing refers to, or one that does not exist, is collected again right
//   after (UnitRemoved). Reading properties by unit path loads it again, so answering each
//   UnitNew with such a read ping-ponged with systemd forever (both at high CPU). After UnitNew
//   the unit is first looked for with ListUnitsByPatterns (exact name: systemd matches with
//   FNM_NOESCAPE, and names hold no glob characters), which never loads anything.
// - Per-unit GetAll is expensive (3.5 ms per unit here); the list needs only a few properties, so
//   they are fetched with pipelined Get calls, and full property sets only for the detail view.
//   Even a Get costs the manager, the bus daemon and us ~80 us, and on a loaded machine hundreds
//   of them slowed a first load by a third: a unit's processes are read from its cgroup instead
//   of asking for MainPID (unit-cgroups.ts; MainPID still arrives by signal and in the detail).
// - The manager answers one request at a time, in order, and ListUnitFilesByPatterns keeps it
//   busy for most of a load (it computes enablement for every file). So a load writes Subscribe,
//   the loaded units and the file list together (one write, no round trip between them): the
//   manager starts on the files as early as it can, and the unit list's reply, the cgroup reads
//   and the Gets built from it are handled here meanwhile. The Gets queue behind the files; their
//   replies are a few milliseconds' work at the end. (Asking for the files only after the Gets,
//   as before, delayed the slow call by a round trip and the Gets' construction: `list` waits
//   for little else.)
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { t } from '../../../i18n/index.js';
import type {
  ActionOutcome,
  EntryAction,
  Result,
  SourceStatus,
  UnitDetail,
} from '../model/domain.js';
import { AppFailure, appError, fail, ok, toAppError } from '../errors.js';
import type { Bus, BusSignal } from './bus.js';
import { UnitCgroups } from './unit-cgroups.js';
import { isStrings, type MemoRead, type UnitFilesMemo } from './unit-files-memo.js';
import {
  UNIT_PATTERNS,
  exitSummary,
  newUnitRecord,
  parseUnitRef,
  socketDetail,
  timerDetail,
  unitEntry,
  unitSuffix,
  usecToIso,
  type UnitRecord,
} from './unit-model.js';

const SYSTEMD = 'org.freedesktop.systemd1';
const MANAGER_PATH = '/org/freedesktop/systemd1';
const MANAGER_IFACE = 'org.freedesktop.systemd1.Manager';
const UNIT_IFACE = 'org.freedesktop.systemd1.Unit';
const SERVICE_IFACE = 'org.freedesktop.systemd1.Service';
const TIMER_IFACE = 'org.freedesktop.systemd1.Timer';
const SOCKET_IFACE = 'org.freedesktop.systemd1.Socket';
const PROPS_IFACE = 'org.freedesktop.DBus.Properties';

export const MATCH_RULES = [
  `type='signal',sender='${SYSTEMD}',interface='${MANAGER_IFACE}'`,
  `type='signal',sender='${SYSTEMD}',interface='${PROPS_IFACE}',member='PropertiesChanged'`,
  `type='signal',sender='org.freedesktop.DBus',interface='org.freedesktop.DBus',member='NameOwnerChanged',arg0='${SYSTEMD}'`,
];

const JOB_METHODS = {
  start: 'StartUnit',
  stop: 'StopUnit',
  restart: 'RestartUnit',
  reload: 'ReloadUnit',
} as const;

/**
 * How often the processes of running units are re-read besides their own signals: a unit's
 * workers come and go without a state change. ~20 us per running unit.
 */
const PIDS_REFRESH_MS = 10_000;

export interface UnitServiceOptions {
  /** How long an action may wait for its job to finish. */
  jobTimeoutMs?: number;
  /** How often running units' processes are re-read (default PIDS_REFRESH_MS). */
  pidsRefreshMs?: number;
  /**
   * The unit-file list remembered with the look of its folders (unit-files-memo.ts): a full load
   * asks systemd for it only when they changed. For commands that read once (the CLI's `list`).
   */
  unitFilesMemo?: UnitFilesMemo;
}

type Props = Record<string, unknown>;

/** [path, state] rows of ListUnitFilesByPatterns for the unit types we show. */
function fileRows(files: unknown): Array<[string, string]> {
  const rows: Array<[string, string]> = [];
  for (const row of (files ?? []) as unknown[][]) {
    const [path, state] = row as string[];
    if (path === undefined || unitSuffix(basename(path)) === null) continue;
    rows.push([path, state ?? 'unknown']);
  }
  return rows;
}

/**
 * Description= from a unit file's [Unit] section, or null (unreadable, masked, none, huge).
 * Synchronous on purpose: a first load reads a hundred small local files, ~20 us each, where the
 * promise version queued four thread-pool round trips per file and added 10-40 ms to the load.
 */
export function readUnitDescription(path: string): string | null {
  try {
    const st = statSync(path);
    if (!st.isFile() || st.size > 256 * 1024) return null;
    const text = readFileSync(path, 'utf8');
    let section = '';
    for (const line of text.split('\n')) {
      const t = line.trim();
      if (t.startsWith('[')) section = t;
      else if (section === '[Unit]' && t.startsWith('Description='))
        return t.slice('Description='.length).trim() || null;
    }
    return null;
  } catch {
    return null;
  }
}

function str(v: unknown, fallback = ''): string {
  return typeof v === 'string' ? v : fallback;
}
function num(v: unknown, fallback = 0): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
}

export class UnitService {
  readonly #bus: Bus;
  readonly #jobTimeoutMs: number;
  readonly #pidsRefreshMs: number;
  readonly #filesMemo: UnitFilesMemo | undefined;
  #units = new Map<string, UnitRecord>();
  #pathToUnit = new Map<string, string>();
  #fileStates = new Map<string, { path: string; state: string }>();
  #jobWaiters = new Map<string, (result: string) => void>();
  #finishedJobs = new Map<string, string>();
  #listeners = new Set<() => void>();
  #status: SourceStatus = { status: 'connecting' };
  #syncing: Promise<void> | null = null;
  #resyncAgain = false;
  #subscribeAgain = false;
  #retries = 0;
  #retryTimer: NodeJS.Timeout | null = null;
  /** Signals that arrive during a resync, replayed on top of its result (last value wins). */
  #buffered: BusSignal[] | null = null;
  #filesTimer: NodeJS.Timeout | null = null;
  /** Between the manager's Reloading(true) and Reloading(false). */
  #managerReloading = false;
  /** Units announced by UnitNew and not looked up yet (name -> object path). */
  #newUnits = new Map<string, string>();
  #unsubscribers: Array<() => void> = [];
  #started = false;
  /** The manager's cgroup tree; undefined until first looked up, null where it cannot be read. */
  #cgroups: UnitCgroups | null | undefined = undefined;
  #controlGroup = '';
  #pidsDirty = new Set<string>();
  #pidsTimer: NodeJS.Timeout | null = null;
  /** Whether a window shows units' processes: the periodic pass runs only then (setPidsShown). */
  #pidsShown = true;
  /** Resolves once a load has asked the manager for everything (see loadRequested). */
  #requestedDone: () => void = () => undefined;
  readonly #requested = new Promise<void>((resolve) => (this.#requestedDone = resolve));

  constructor(bus: Bus, opts: UnitServiceOptions = {}) {
    this.#bus = bus;
    this.#jobTimeoutMs = opts.jobTimeoutMs ?? 90_000;
    this.#pidsRefreshMs = opts.pidsRefreshMs ?? PIDS_REFRESH_MS;
    this.#filesMemo = opts.unitFilesMemo;
  }

  /** Resolves once the unit-file memo's last write is done (the CLI waits before it ends). */
  filesMemoWritten(): Promise<void> {
    return this.#filesMemo?.settled() ?? Promise.resolve();
  }

  get status(): SourceStatus {
    return this.#status;
  }

  units(): UnitRecord[] {
    return [...this.#units.values()];
  }

  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Register match rules and listeners. Call before the bus connects; sync happens on 'up'. */
  async attach(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    this.#unsubscribers.push(
      this.#bus.onSignal((s) => this.#onSignal(s)),
      this.#bus.onState((state) => {
        if (state === 'up') void this.#onUp();
        else if (state === 'down') {
          this.#managerReloading = false;
          this.#setStatus(this.#unavailable());
        }
      }),
    );
    for (const rule of MATCH_RULES) {
      try {
        await this.#bus.addMatch(rule);
      } catch (err) {
        // Added again on the next connect; the bus reports itself down meanwhile.
        this.#setStatus({ status: 'unavailable', error: toAppError(err) });
      }
    }
    if (this.#pidsShown) this.#startPidsTimer();
    if (this.#bus.state === 'up') await this.#onUp();
  }

  /**
   * Whether any window shows units' processes (Core.setShowing). While none does, the periodic
   * pass over every running unit's cgroup stops (an idle core wakes for nothing): processes of a
   * unit that changes state are still read at once (its signal), and when a window shows them
   * again every unit is read afresh before the pass resumes.
   */
  setPidsShown(shown: boolean): void {
    if (shown === this.#pidsShown) return;
    this.#pidsShown = shown;
    if (!shown) {
      if (this.#pidsTimer !== null) clearInterval(this.#pidsTimer);
      this.#pidsTimer = null;
      return;
    }
    if (!this.#started) return;
    this.#refreshAllPids();
    this.#startPidsTimer();
  }

  #refreshAllPids(): void {
    const active = [...this.#units.values()].filter((r) => r.activeState !== 'inactive');
    if (this.#refreshPids(active, false)) this.#emit();
  }

  #startPidsTimer(): void {
    if (this.#pidsTimer !== null) return;
    this.#pidsTimer = setInterval(() => this.#refreshAllPids(), this.#pidsRefreshMs);
    this.#pidsTimer.unref();
  }

  detach(): void {
    for (const u of this.#unsubscribers) u();
    this.#unsubscribers = [];
    this.#newUnits.clear();
    if (this.#pidsTimer !== null) clearInterval(this.#pidsTimer);
    this.#pidsTimer = null;
    this.#cgroups?.close();
    this.#cgroups = undefined;
    if (this.#filesTimer !== null) clearTimeout(this.#filesTimer);
    if (this.#retryTimer !== null) clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
    this.#started = false;
  }

  /**
   * Resolves once the first load has sent all its requests (the unit-file list last), or has
   * ended without: from then on this service mostly waits for the manager, so other work of this
   * process (the CLI's other sources) can run meanwhile instead of delaying the requests.
   */
  loadRequested(): Promise<void> {
    return this.#requested;
  }

  /** Wait until the current (re)sync, if any, has finished. */
  async settled(): Promise<void> {
    while (this.#syncing !== null) await this.#syncing;
  }

  #unavailable(): SourceStatus {
    return {
      status: 'unavailable',
      error: appError(
        'bus-unavailable',
        t('errors:bus.reconnects'),
        this.#bus.lastError ?? undefined,
      ),
    };
  }

  #setStatus(status: SourceStatus): void {
    this.#status = status;
    this.#emit();
  }

  #emit(): void {
    for (const l of this.#listeners) l();
  }

  #managerCall(
    member: string,
    signature?: string,
    body?: unknown[],
    timeoutMs?: number,
  ): Promise<unknown[]> {
    return this.#bus.call(
      {
        destination: SYSTEMD,
        path: MANAGER_PATH,
        interface: MANAGER_IFACE,
        member,
        ...(signature !== undefined ? { signature, body: body ?? [] } : {}),
      },
      timeoutMs,
    );
  }

  async #getProp(path: string, iface: string, prop: string): Promise<unknown> {
    const [value] = await this.#bus.call({
      destination: SYSTEMD,
      path,
      interface: PROPS_IFACE,
      member: 'Get',
      signature: 'ss',
      body: [iface, prop],
    });
    return value;
  }

  async #getAll(path: string, iface: string): Promise<Props> {
    const [value] = await this.#bus.call({
      destination: SYSTEMD,
      path,
      interface: PROPS_IFACE,
      member: 'GetAll',
      signature: 's',
      body: [iface],
    });
    return (value ?? {}) as Props;
  }

  /** On every (re)connect: Subscribe (AlreadySubscribed is fine), then a full resync. */
  #onUp(): Promise<void> {
    return this.#sync(true);
  }

  /** Full resync: loaded units, unit files and the few properties the list shows. */
  resync(): Promise<void> {
    return this.#sync(false);
  }

  #sync(subscribe: boolean): Promise<void> {
    if (this.#syncing !== null) {
      this.#resyncAgain = true;
      this.#subscribeAgain ||= subscribe;
      return this.#syncing;
    }
    this.#subscribeAgain = subscribe;
    this.#syncing = (async () => {
      try {
        do {
          this.#resyncAgain = false;
          // Subscribe goes out with the load's requests, not a round trip before them: the
          // manager answers a connection's calls in order, so it is subscribed before it lists.
          let subscribed: Promise<void> | null = null;
          if (this.#subscribeAgain) {
            this.#subscribeAgain = false;
            subscribed = this.#subscribe();
            subscribed.catch(() => undefined); // awaited below; this only keeps it handled
          }
          await Promise.all([subscribed, this.#doResync()]);
        } while (this.#resyncAgain);
        this.#retries = 0;
        this.#setStatus({ status: 'ok' });
      } catch (err) {
        const e = toAppError(err);
        // A slow or half-restarted manager: try again with backoff while the bus itself is up
        // (a lost bus triggers a full sync on reconnect anyway).
        if (this.#bus.state === 'up' && this.#started) this.#scheduleRetry();
        this.#setStatus({
          status: 'unavailable',
          error:
            e.code === 'bus-unavailable'
              ? appError(
                  'bus-unavailable',
                  t('errors:systemd.reconnects'),
                  e.detail ?? this.#bus.lastError ?? undefined,
                )
              : e,
        });
      } finally {
        this.#syncing = null;
        this.#requestedDone();
      }
    })();
    return this.#syncing;
  }

  #scheduleRetry(): void {
    if (this.#retryTimer !== null) return;
    const delay = Math.min(30_000, 500 * 2 ** this.#retries++);
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = null;
      void this.#sync(true);
    }, delay);
    this.#retryTimer.unref();
  }

  async #subscribe(): Promise<void> {
    try {
      await this.#managerCall('Subscribe');
    } catch (err) {
      if (!String((err as { type?: unknown }).type ?? err).includes('AlreadySubscribed')) throw err;
    }
  }

  async #doResync(): Promise<void> {
    this.#buffered = [];
    try {
      await this.#fetchAll();
    } finally {
      const replay = this.#buffered;
      this.#buffered = null;
      for (const s of replay) this.#onSignal(s);
    }
  }

  async #fetchAll(): Promise<void> {
    const listed = Promise.all([
      this.#managerCall('ListUnitsByPatterns', 'asas', [[], UNIT_PATTERNS]),
      this.#getProp(MANAGER_PATH, MANAGER_IFACE, 'ControlGroup').catch(() => ''),
    ]);
    listed.catch(() => undefined); // awaited below; this only keeps an early rejection handled
    // With a memo: the search path it was kept under is checked, and the list is asked for only
    // when the folders changed since (unit-files-memo.ts). The unit list and the search path go
    // first; the folders are looked at while the manager answers them.
    const memo = this.#filesMemo;
    const unitPathReply =
      memo === undefined ? null : this.#getProp(MANAGER_PATH, MANAGER_IFACE, 'UnitPath');
    unitPathReply?.catch(() => undefined); // awaited in #unitFiles
    let kept: MemoRead | null = null;
    if (memo !== undefined) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      kept = memo.read();
    }
    // The file list in the same write as the unit list, not after its reply and the Gets: it is
    // most of a load (the manager works out every file's state), and everything else waits on
    // it, so it starts first. The Gets queue behind it; their replies are cheap to handle.
    const filesReply = kept?.rows ? null : this.#listUnitFiles();
    filesReply?.catch(() => undefined); // awaited below; this only keeps an early rejection handled
    this.#requestedDone();
    const [[loaded], controlGroup] = await listed;
    const cgroups = this.#openCgroups(str(controlGroup));
    const units = new Map<string, UnitRecord>();
    const paths = new Map<string, string>();
    for (const row of (loaded ?? []) as unknown[][]) {
      const [name, description, loadState, activeState, subState, , path] = row as string[];
      if (name === undefined || unitSuffix(name) === null) continue;
      const r = newUnitRecord(name);
      r.description = description ?? '';
      r.loadState = loadState ?? 'loaded';
      r.activeState = activeState ?? 'inactive';
      r.subState = subState ?? '';
      units.set(name, r);
      if (path !== undefined) paths.set(path, name);
    }
    // The few live properties the list shows, pipelined (no per-unit GetAll) and written in one
    // batch by the bus layer, behind the file list (see the header).
    const gets: Array<Promise<void>> = [];
    for (const [path, name] of paths) {
      const r = units.get(name);
      if (r === undefined) continue;
      gets.push(
        this.#getProp(path, UNIT_IFACE, 'StateChangeTimestamp').then((v) => {
          r.stateChangeUsec = num(v);
        }),
      );
      if (name.endsWith('.service') && r.activeState !== 'inactive') {
        gets.push(
          this.#getProp(path, SERVICE_IFACE, 'NRestarts').then((v) => {
            r.nRestarts = num(v);
          }),
        );
        if (cgroups === null) gets.push(this.#fetchMainPid(path, r));
      }
      gets.push(...this.#kindFacts(path, r));
    }
    const fetched = Promise.allSettled(gets);
    if (cgroups !== null) {
      // Let the batched Gets go out first, then read the cgroups while systemd is busy.
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (!this.#readPids(cgroups, units.values())) {
        cgroups.close();
        this.#cgroups = null;
        const fallback: Array<Promise<void>> = [];
        for (const [path, name] of paths) {
          const r = units.get(name);
          if (r !== undefined && name.endsWith('.service') && r.activeState !== 'inactive')
            fallback.push(this.#fetchMainPid(path, r));
        }
        await Promise.allSettled(fallback);
      }
    }
    const [files, settled] = await Promise.all([
      memo === undefined || unitPathReply === null
        ? filesReply!.then(([rows]) => rows)
        : this.#unitFiles(memo, kept, unitPathReply, filesReply),
      fetched,
    ]);
    const failure = settled.find((s) => s.status === 'rejected');
    if (failure !== undefined && toAppError(failure.reason).code === 'bus-unavailable') {
      throw failure.reason;
    }
    this.#setFiles(files);
    for (const [name, file] of this.#fileStates) {
      let r = units.get(name);
      if (r === undefined) {
        // Not loaded: systemd has no description for it, its file has.
        r = newUnitRecord(name);
        r.description = readUnitDescription(file.path) ?? '';
        units.set(name, r);
      }
      r.unitFileState = file.state;
      r.fragmentPath = file.path;
    }
    this.#units = units;
    this.#pathToUnit = paths;
  }

  #listUnitFiles(): Promise<unknown[]> {
    return this.#managerCall('ListUnitFilesByPatterns', 'asas', [[], UNIT_PATTERNS], 30_000);
  }

  /**
   * The unit-file rows of a load with a memo: the kept ones when the manager's search path is the
   * one they were kept under and its folders look as they did; else systemd's answer (already
   * asked for unless rows were kept), remembered when the folders held still around it.
   */
  async #unitFiles(
    memo: UnitFilesMemo,
    kept: MemoRead | null,
    unitPathReply: Promise<unknown>,
    asked: Promise<unknown[]> | null,
  ): Promise<unknown> {
    const reply = await unitPathReply.catch(() => null);
    const unitPath = isStrings(reply) ? reply : null;
    const samePath =
      unitPath !== null &&
      kept !== null &&
      unitPath.length === kept.unitPath.length &&
      unitPath.every((d, i) => d === kept.unitPath[i]);
    if (samePath && kept.rows !== null) return kept.rows;
    if (asked === null) {
      // Rows were kept, under another search path: asked for now, fingerprinted around it.
      if (unitPath === null) return (await this.#listUnitFiles())[0];
      const before = memo.fingerprint(unitPath);
      const [rows] = await this.#listUnitFiles();
      memo.keep(unitPath, before, memo.fingerprint(unitPath), rows);
      return rows;
    }
    // Asked for with the unit list. Under the kept path, read() fingerprinted the folders before
    // it went; under another (or with nothing kept), only the path is remembered, for the next
    // load to fingerprint.
    const [rows] = await asked;
    if (unitPath !== null)
      memo.keep(
        unitPath,
        samePath ? kept.fingerprint : null,
        samePath ? memo.fingerprint(unitPath) : null,
        rows,
      );
    return rows;
  }

  /**
   * What the row of a loaded unit shows besides its state, per kind: why a failed service failed
   * (Result, ExecMain*), a socket's Listen, a timer's next and last run. A few pipelined Gets for
   * the few units that have them (failed services, sockets, timers).
   */
  #kindFacts(path: string, r: UnitRecord): Array<Promise<void>> {
    if (r.name.endsWith('.service') && r.activeState === 'failed') {
      const at = r.stateChangeUsec;
      if (r.failure?.stateChangeUsec === at && at !== 0) return [];
      const props = ['Result', 'ExecMainCode', 'ExecMainStatus', 'ExecMainExitTimestamp'];
      return [
        Promise.all(props.map((p) => this.#getProp(path, SERVICE_IFACE, p))).then(
          ([result, code, status, exitUsec]) => {
            r.failure = {
              stateChangeUsec: at,
              result: str(result, 'unknown'),
              code: num(code),
              status: num(status),
              exitUsec: num(exitUsec),
            };
          },
        ),
      ];
    }
    if (r.name.endsWith('.socket') && r.listen === undefined) {
      return [
        this.#getProp(path, SOCKET_IFACE, 'Listen').then((v) => {
          r.listen = Array.isArray(v)
            ? (v as unknown[][]).map((pair) => str(pair[1])).filter((a) => a !== '')
            : [];
        }),
      ];
    }
    if (r.name.endsWith('.timer')) {
      const props = ['NextElapseUSecRealtime', 'LastTriggerUSec', 'Unit'];
      return [
        Promise.all(props.map((p) => this.#getProp(path, TIMER_IFACE, p))).then(
          ([next, last, unit]) => {
            r.timer = { nextUsec: num(next), lastUsec: num(last), unit: str(unit) };
          },
        ),
      ];
    }
    return [];
  }

  /**
   * Whether the unit-file list would hold `unit`, for a detail asked without the list loaded
   * (the CLI's `status`): ListUnitFilesByPatterns for that one name. With the list, it answers.
   */
  async #hasFile(unit: string): Promise<boolean> {
    if (this.#started) return false;
    const [files] = await this.#managerCall('ListUnitFilesByPatterns', 'asas', [[], [unit]]);
    return fileRows(files).some(([path]) => basename(path) === unit);
  }

  /** After a unit's state moved: fetch the facts its row shows, then publish them. */
  #followUp(r: UnitRecord, path: string): void {
    const facts = this.#kindFacts(path, r);
    if (facts.length === 0) return;
    void Promise.allSettled(facts).then(() => this.#emit());
  }

  #fetchMainPid(path: string, r: UnitRecord): Promise<void> {
    return this.#getProp(path, SERVICE_IFACE, 'MainPID').then((v) => {
      r.mainPid = num(v);
    });
  }

  /** The manager's cgroup tree (kept while its ControlGroup stays the same), or null. */
  #openCgroups(controlGroup: string): UnitCgroups | null {
    if (controlGroup !== this.#controlGroup || this.#cgroups === undefined) {
      this.#cgroups?.close();
      this.#controlGroup = controlGroup;
      this.#cgroups = UnitCgroups.open(controlGroup);
    }
    return this.#cgroups;
  }

  /** Read the processes of every unit that may have some; false when cgroupfs failed us. */
  #readPids(cgroups: UnitCgroups, records: Iterable<UnitRecord>): boolean {
    try {
      cgroups.locate();
      for (const r of records)
        r.pids = r.activeState === 'inactive' ? [] : cgroups.pidsOf(r.name, false);
      return true;
    } catch {
      return false; // cgroupfs refused us (permissions, an odd mount): MainPID by Get instead
    }
  }

  /** Re-read the processes of units that just changed (coalesced to one pass per turn). */
  #schedulePids(name: string): void {
    if (this.#cgroups === null || this.#cgroups === undefined) return;
    const scheduled = this.#pidsDirty.size > 0;
    this.#pidsDirty.add(name);
    if (scheduled) return;
    setImmediate(() => {
      const names = [...this.#pidsDirty];
      this.#pidsDirty.clear();
      if (this.#refreshPids(names.map((n) => this.#units.get(n)))) this.#emit();
    });
  }

  /**
   * Re-read the processes of the given units; true when any changed. `relocate`: look for a unit
   * whose cgroup the last walk did not find (false for the periodic pass over all of them).
   */
  #refreshPids(records: Iterable<UnitRecord | undefined>, relocate = true): boolean {
    const cgroups = this.#cgroups;
    if (cgroups === null || cgroups === undefined) return false;
    let changed = false;
    try {
      for (const r of records) {
        if (r === undefined) continue;
        const pids = r.activeState === 'inactive' ? [] : cgroups.pidsOf(r.name, relocate);
        if (
          r.pids === null ||
          pids.length !== r.pids.length ||
          pids.some((p, i) => p !== r.pids![i])
        ) {
          r.pids = pids;
          changed = true;
        }
      }
    } catch {
      // cgroupfs stopped answering: show main PIDs (kept current by signals) from now on.
      cgroups.close();
      this.#cgroups = null;
      for (const r of this.#units.values()) r.pids = null;
      return true;
    }
    return changed;
  }

  #setFiles(files: unknown): void {
    this.#fileStates = new Map();
    for (const [path, state] of fileRows(files)) {
      this.#fileStates.set(basename(path), { path, state });
    }
  }

  async #refreshFiles(): Promise<void> {
    try {
      const [files] = await this.#managerCall(
        'ListUnitFilesByPatterns',
        'asas',
        [[], UNIT_PATTERNS],
        30_000,
      );
      this.#setFiles(files);
      for (const [name, file] of this.#fileStates) {
        let r = this.#units.get(name);
        if (r === undefined) {
          r = newUnitRecord(name);
          this.#units.set(name, r);
        }
        r.unitFileState = file.state;
        r.fragmentPath ??= file.path;
      }
      for (const [name, r] of this.#units) {
        if (this.#fileStates.has(name)) continue;
        if (r.loadState === 'not-loaded') this.#units.delete(name);
        else r.unitFileState = null;
      }
      this.#emit();
    } catch (err) {
      const e = toAppError(err);
      if (e.code === 'bus-unavailable') this.#setStatus({ status: 'unavailable', error: e });
    }
  }

  #scheduleFilesRefresh(): void {
    if (this.#filesTimer !== null) return;
    this.#filesTimer = setTimeout(() => {
      this.#filesTimer = null;
      void this.#refreshFiles();
    }, 50);
  }

  #onSignal(s: BusSignal): void {
    if (this.#buffered !== null && !(s.interface === MANAGER_IFACE && s.member === 'JobRemoved')) {
      this.#buffered.push(s);
      return;
    }
    if (s.interface === PROPS_IFACE && s.member === 'PropertiesChanged') {
      this.#onPropertiesChanged(s);
      return;
    }
    if (s.interface === 'org.freedesktop.DBus' && s.member === 'NameOwnerChanged') {
      const [name, , newOwner] = s.body as string[];
      if (name !== SYSTEMD) return;
      if (newOwner) void this.#onUp();
      else {
        this.#managerReloading = false;
        this.#setStatus({
          status: 'unavailable',
          error: appError('bus-unavailable', t('errors:systemd.left')),
        });
      }
      return;
    }
    if (s.interface !== MANAGER_IFACE) return;
    switch (s.member) {
      case 'JobRemoved': {
        const [, job, , result] = s.body as [number, string, string, string];
        const waiter = this.#jobWaiters.get(job);
        if (waiter !== undefined) {
          this.#jobWaiters.delete(job);
          waiter(result);
        } else {
          this.#finishedJobs.set(job, result);
          if (this.#finishedJobs.size > 256) {
            const oldest = this.#finishedJobs.keys().next().value;
            if (oldest !== undefined) this.#finishedJobs.delete(oldest);
          }
        }
        return;
      }
      case 'UnitNew': {
        const [name, path] = s.body as [string, string];
        if (unitSuffix(name) === null) return;
        this.#pathToUnit.set(path, name);
        this.#queueNew(name, path);
        return;
      }
      case 'UnitRemoved': {
        // Mid-reload every unit is "removed"; the resync after Reloading(false) decides.
        if (this.#managerReloading) return;
        const [name, path] = s.body as [string, string];
        this.#pathToUnit.delete(path);
        const r = this.#units.get(name);
        if (r === undefined) return;
        const file = this.#fileStates.get(name);
        if (file === undefined) this.#units.delete(name);
        else {
          const fresh = newUnitRecord(name);
          fresh.unitFileState = file.state;
          fresh.fragmentPath = file.path;
          fresh.description = r.description;
          fresh.stateChangeUsec = r.stateChangeUsec;
          fresh.nRestarts = r.nRestarts;
          this.#units.set(name, fresh);
        }
        this.#emit();
        return;
      }
      case 'UnitFilesChanged':
        this.#scheduleFilesRefresh();
        return;
      case 'Reloading': {
        const [starting] = s.body as [boolean];
        this.#managerReloading = starting;
        if (!starting) void this.resync();
        return;
      }
      default:
        return;
    }
  }

  #onPropertiesChanged(s: BusSignal): void {
    const name = this.#pathToUnit.get(s.path);
    if (name === undefined) return;
    const r = this.#units.get(name);
    if (r === undefined) return;
    const [iface, changed, invalidated] = s.body as [string, Props, string[]];
    if (iface === TIMER_IFACE) {
      // A timer announces its next and last run as they change.
      const t = r.timer ?? { nextUsec: 0, lastUsec: 0, unit: '' };
      const p = changed ?? {};
      if ('NextElapseUSecRealtime' in p) t.nextUsec = num(p.NextElapseUSecRealtime);
      if ('LastTriggerUSec' in p) t.lastUsec = num(p.LastTriggerUSec);
      r.timer = t;
    } else this.#applyProps(r, changed ?? {});
    this.#schedulePids(name);
    if (r.activeState === 'failed') this.#followUp(r, s.path);
    if (
      (invalidated ?? []).some(
        (p) => p === 'ActiveState' || p === 'SubState' || p === 'Description',
      )
    ) {
      void this.#refreshUnit(name, s.path);
    }
    this.#emit();
  }

  #applyProps(r: UnitRecord, p: Props): void {
    if ('Description' in p) r.description = str(p.Description, r.description);
    if ('LoadState' in p) r.loadState = str(p.LoadState, r.loadState);
    if ('ActiveState' in p) r.activeState = str(p.ActiveState, r.activeState);
    if ('SubState' in p) r.subState = str(p.SubState, r.subState);
    if ('StateChangeTimestamp' in p)
      r.stateChangeUsec = num(p.StateChangeTimestamp, r.stateChangeUsec);
    if ('FragmentPath' in p) r.fragmentPath = str(p.FragmentPath) || r.fragmentPath;
    if ('UnitFileState' in p && typeof p.UnitFileState === 'string' && p.UnitFileState !== '') {
      r.unitFileState = p.UnitFileState;
    }
    if ('MainPID' in p) r.mainPid = num(p.MainPID, r.mainPid);
    if ('NRestarts' in p) r.nRestarts = num(p.NRestarts, r.nRestarts);
    if (typeof p.CanReload === 'boolean') r.canReload = p.CanReload;
  }

  #queueNew(name: string, path: string): void {
    const scheduled = this.#newUnits.size > 0;
    this.#newUnits.set(name, path);
    if (!scheduled) setImmediate(() => void this.#lookUpNew());
  }

  /**
   * After UnitNew: the units announced in one turn are looked up with one ListUnitsByPatterns
   * (which never loads anything; a read by path would) and take their states from its rows.
   * systemd announces a unit's first change after loading as UnitNew alone, without
   * PropertiesChanged, so a unit that loads and fails at once (a oneshot) says so only here; and
   * after a daemon-reload every unit is announced again, in one burst, answered by one call.
   * Units new to us, and units whose state moved, are then read in full (GetAll: it is loaded).
   */
  async #lookUpNew(): Promise<void> {
    const batch = new Map(this.#newUnits);
    this.#newUnits.clear();
    if (batch.size === 0) return; // detached meanwhile
    let rows: string[][];
    try {
      const [found] = await this.#managerCall('ListUnitsByPatterns', 'asas', [
        [],
        [...batch.keys()],
      ]);
      rows = (found ?? []) as string[][];
    } catch {
      return; // Bus loss is reported by the bus; a resync follows it.
    }
    const byName = new Map(rows.map((row) => [row[0], row]));
    let changed = false;
    for (const [name, path] of batch) {
      const row = byName.get(name);
      // Collected already, or a name that does not exist: nothing to show, nothing to read.
      if (row === undefined || (row[2] === 'not-found' && !this.#fileStates.has(name))) continue;
      let r = this.#units.get(name);
      if (r === undefined) {
        r = newUnitRecord(name);
        this.#units.set(name, r);
      }
      const [, description, loadState, activeState, subState] = row;
      const fresh = r.loadState === 'not-loaded';
      const moved = r.activeState !== activeState || r.subState !== subState;
      if (description) r.description = description;
      if (loadState) r.loadState = loadState;
      if (activeState) r.activeState = activeState;
      if (subState !== undefined) r.subState = subState;
      if (fresh || moved) {
        changed = true;
        void this.#refreshUnit(name, path);
      }
      if (fresh && r.activeState !== 'failed') this.#followUp(r, path);
    }
    if (changed) this.#emit();
  }

  async #refreshUnit(name: string, path: string): Promise<void> {
    try {
      const props = await this.#getAll(path, UNIT_IFACE);
      const r = this.#units.get(name);
      if (r === undefined) return;
      this.#applyProps(r, props);
      this.#schedulePids(name);
      if (r.activeState === 'failed') this.#followUp(r, path);
      this.#emit();
    } catch (err) {
      // The unit may have been unloaded meanwhile; UnitRemoved tells us. Bus loss is reported by the bus.
      if (toAppError(err).code !== 'no-such-unit') this.#emit();
    }
  }

  /** Run an action on a unit and wait for its job (or the reload that follows enable/disable). */
  async act(ref: string, action: EntryAction): Promise<Result<ActionOutcome>> {
    const parsed = parseUnitRef(ref);
    if (!parsed.ok) return fail('invalid-input', parsed.message);
    const unit = parsed.unit;
    try {
      let result: string;
      if (action === 'enable' || action === 'disable') {
        result = await this.#setEnabled(unit, action === 'enable');
      } else {
        result = await this.#runJob(unit, action);
      }
      const record = this.#units.get(unit);
      return ok({
        id: `systemd:${unit}`,
        action,
        result,
        entry: record ? unitEntry(record) : null,
      });
    } catch (err) {
      return { ok: false, error: toAppError(err, unit) };
    }
  }

  async #runJob(unit: string, action: keyof typeof JOB_METHODS): Promise<string> {
    const [job] = (await this.#managerCall(JOB_METHODS[action], 'ss', [unit, 'replace'])) as [
      string,
    ];
    const result = await this.#waitForJob(job, unit, action);
    if (result === 'done') return result;
    throw new AppFailure(await this.#jobFailure(unit, action, result));
  }

  #waitForJob(job: string, unit: string, action: string): Promise<string> {
    const early = this.#finishedJobs.get(job);
    if (early !== undefined) {
      this.#finishedJobs.delete(job);
      return Promise.resolve(early);
    }
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#jobWaiters.delete(job);
        reject(
          new AppFailure(
            appError(
              'timeout',
              t('errors:job.stillRunning', {
                unit,
                action,
                seconds: Math.round(this.#jobTimeoutMs / 1000),
              }),
            ),
          ),
        );
      }, this.#jobTimeoutMs);
      const stopOnDown = this.#bus.onState((state) => {
        if (state !== 'down') return;
        clearTimeout(timer);
        stopOnDown();
        this.#jobWaiters.delete(job);
        reject(
          new AppFailure(appError('bus-unavailable', t('errors:job.lostBus', { unit, action }))),
        );
      });
      this.#jobWaiters.set(job, (result) => {
        clearTimeout(timer);
        stopOnDown();
        resolve(result);
      });
    });
  }

  async #jobFailure(unit: string, action: string, result: string) {
    let why = '';
    try {
      const d = await this.detail(unit);
      if (d.ok && d.value.exitSummary) why = t('errors:job.why', { exit: d.value.exitSummary });
    } catch {
      why = '';
    }
    const verb = t(
      action === 'stop'
        ? 'errors:job.verb.stop'
        : action === 'reload'
          ? 'errors:job.verb.reload'
          : 'errors:job.verb.start',
    );
    const keys: Record<string, string> = {
      failed: 'errors:job.failed',
      timeout: 'errors:job.timeout',
      canceled: 'errors:job.canceled',
      dependency: 'errors:job.dependency',
      skipped: 'errors:job.skipped',
      invalid: 'errors:job.invalid',
      unsupported: 'errors:job.unsupported',
    };
    const vars = { unit, verb, action, why, result };
    return appError('job-failed', t(keys[result] ?? 'errors:job.other', vars), result);
  }

  async #setEnabled(unit: string, enable: boolean): Promise<string> {
    if (enable) {
      const [carriesInstallInfo] = (await this.#managerCall('EnableUnitFiles', 'asbb', [
        [unit],
        false,
        false,
      ])) as [boolean];
      await this.#managerCall('Reload', undefined, undefined, 60_000);
      if (!carriesInstallInfo) {
        throw new AppFailure(appError('unsupported', t('errors:job.noInstall', { unit })));
      }
    } else {
      await this.#managerCall('DisableUnitFiles', 'asb', [[unit], false]);
      await this.#managerCall('Reload', undefined, undefined, 60_000);
    }
    await this.#refreshFiles();
    return 'ok';
  }

  /** Everything the detail window shows; loads the unit if systemd has not. */
  async detail(ref: string): Promise<Result<UnitDetail>> {
    const parsed = parseUnitRef(ref);
    if (!parsed.ok) return fail('invalid-input', parsed.message);
    const unit = parsed.unit;
    try {
      const [path] = (await this.#managerCall('LoadUnit', 's', [unit])) as [string];
      const u = await this.#getAll(path, UNIT_IFACE);
      const loadState = str(u.LoadState, 'unknown');
      if (
        loadState === 'not-found' &&
        !this.#fileStates.has(unit) &&
        !(await this.#hasFile(unit))
      ) {
        return fail('no-such-unit', t('errors:systemd.noSuchUnit', { what: unit }));
      }
      const s = unit.endsWith('.service') ? await this.#getAll(path, SERVICE_IFACE) : {};
      const sock = unit.endsWith('.socket') ? await this.#getAll(path, SOCKET_IFACE) : {};
      // Per kind: what a timer runs and when, what a socket listens on and starts.
      const kind = unit.endsWith('.timer')
        ? {
            timer: timerDetail(unit, await this.#getAll(path, TIMER_IFACE), u.Triggers, {
              realtimeMs: Date.now(),
              // libuv's hrtime is CLOCK_MONOTONIC on Linux, the clock systemd's monotonic timers use.
              monotonicUsec: Number(process.hrtime.bigint() / 1000n),
            }),
          }
        : unit.endsWith('.socket')
          ? { socket: socketDetail(sock, u.Triggers) }
          : {};
      const known = this.#units.get(unit);
      const record = known ?? newUnitRecord(unit);
      const merged: UnitRecord = { ...record };
      // Not loaded with the list (the CLI's `status` asks for one unit alone): its processes
      // from its own cgroup, as a load would have read them.
      const controlGroup = str(s.ControlGroup ?? sock.ControlGroup);
      if (known === undefined && controlGroup !== '')
        merged.pids = UnitCgroups.open(controlGroup)?.pidsHere() ?? null;
      this.#applyProps(merged, { ...u, ...s });
      if (typeof u.UnitFileState === 'string' && u.UnitFileState === '')
        merged.unitFileState = record.unitFileState;
      const result = s.Result !== undefined ? str(s.Result) : null;
      const code = s.ExecMainCode !== undefined ? num(s.ExecMainCode) : null;
      const status = s.ExecMainStatus !== undefined ? num(s.ExecMainStatus) : null;
      const mainPid = num(s.MainPID);
      // Fresh from systemd: the live record learns it too (a load reads processes, not MainPID).
      const live = this.#units.get(unit);
      if (live !== undefined && s.MainPID !== undefined) live.mainPid = mainPid;
      return ok({
        entry: unitEntry(merged),
        unit,
        loadState,
        activeState: merged.activeState,
        subState: merged.subState,
        unitFileState: merged.unitFileState,
        fragmentPath: str(u.FragmentPath) || null,
        dropInPaths: Array.isArray(u.DropInPaths) ? (u.DropInPaths as string[]) : [],
        mainPid: mainPid > 0 ? mainPid : null,
        result,
        execMainCode: code,
        execMainStatus: status,
        exitSummary: exitSummary(result, code, status),
        activeEnterTimestamp: usecToIso(u.ActiveEnterTimestamp),
        inactiveEnterTimestamp: usecToIso(u.InactiveEnterTimestamp),
        nRestarts: num(s.NRestarts),
        ...kind,
      });
    } catch (err) {
      return { ok: false, error: toAppError(err, unit) };
    }
  }
}
