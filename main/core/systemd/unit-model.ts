// Pure systemd unit logic: names, object paths, ids, and the mapping of systemd's states to the
// words the user reads (as Cockpit's service facade does). No I/O here.
import { t } from '../../../i18n/index.js';
import {
  SIGNAL_NAMES,
  type Entry,
  type EntryAction,
  type EntryKind,
  type EntryState,
  type FailureReason,
  type SocketDetail,
  type TimerDetail,
  type TimerSchedule,
} from '../model/domain.js';
import { plumbingOf, unitOrigin } from '../model/plumbing.js';

export const UNIT_SUFFIXES = ['service', 'socket', 'timer'] as const;
export type UnitSuffix = (typeof UNIT_SUFFIXES)[number];
export const UNIT_PATTERNS = UNIT_SUFFIXES.map((s) => `*.${s}`);

const KIND_BY_SUFFIX: Record<UnitSuffix, EntryKind> = {
  service: 'service',
  socket: 'socket',
  timer: 'timer',
};

export function unitSuffix(name: string): UnitSuffix | null {
  const dot = name.lastIndexOf('.');
  const suffix = name.slice(dot + 1);
  return (UNIT_SUFFIXES as readonly string[]).includes(suffix) ? (suffix as UnitSuffix) : null;
}

export function unitKind(name: string): EntryKind {
  const s = unitSuffix(name);
  return s === null ? 'service' : KIND_BY_SUFFIX[s];
}

/**
 * Parse an entry id or a bare unit name into a unit name, or explain why it is not one.
 * Accepts `systemd:NAME.service`, `NAME.service`, and `NAME` (taken as NAME.service, as systemctl does).
 * Unit-name rules from systemd.unit(5): at most 255 bytes, [A-Za-z0-9:_.\-@\\] only.
 */
export function parseUnitRef(
  ref: string,
): { ok: true; unit: string } | { ok: false; message: string } {
  let name = ref.startsWith('systemd:') ? ref.slice('systemd:'.length) : ref;
  if (name.length === 0) return { ok: false, message: t('errors:unitRef.empty') };
  if (/[\n\r\t\0]/.test(name)) {
    return {
      ok: false,
      message: t('errors:unitRef.control'),
    };
  }
  if (name.includes('/')) {
    return { ok: false, message: t('errors:unitRef.slash', { name }) };
  }
  if (/^[a-z]+:/.test(name)) {
    return { ok: false, message: t('errors:unitRef.notSystemd', { ref }) };
  }
  if (!/\.[a-z]+$/.test(name)) name = `${name}.service`;
  if (Buffer.byteLength(name) > 255) return { ok: false, message: t('errors:unitRef.long') };
  if (!/^[A-Za-z0-9:_.\\@-]+$/.test(name)) {
    return {
      ok: false,
      message: t('errors:unitRef.chars', { name }),
    };
  }
  if (unitSuffix(name) === null) {
    return { ok: false, message: t('errors:unitRef.kind', { name }) };
  }
  return { ok: true, unit: name };
}

export function unitId(unit: string): string {
  return `systemd:${unit}`;
}

/** systemd's bus_label_escape: the object path of a unit. */
export function unitObjectPath(unit: string): string {
  let out = '';
  for (const byte of Buffer.from(unit, 'utf8')) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9]/.test(c)) out += c;
    else out += `_${byte.toString(16).padStart(2, '0')}`;
  }
  return `/org/freedesktop/systemd1/unit/${out}`;
}

export function mapActiveState(activeState: string): EntryState {
  switch (activeState) {
    case 'active':
    case 'reloading':
    case 'refreshing':
      return 'running';
    case 'activating':
      return 'starting';
    case 'deactivating':
      return 'stopping';
    case 'failed':
      return 'failed';
    case 'inactive':
      return 'stopped';
    default:
      return 'unknown';
  }
}

const ENABLED_STATES = new Set(['enabled', 'enabled-runtime', 'linked', 'linked-runtime', 'alias']);
const DISABLEABLE_STATES = new Set(['enabled', 'enabled-runtime', 'linked', 'linked-runtime']);

export function isTemplate(unit: string): boolean {
  return /@\.[a-z]+$/.test(unit);
}

export function unitActions(
  unit: string,
  state: EntryState,
  loadState: string,
  unitFileState: string | null,
  canReload = false,
): EntryAction[] {
  if (isTemplate(unit) || loadState === 'masked' || unitFileState === 'masked') return [];
  const actions: EntryAction[] = [];
  if (loadState !== 'not-found' && loadState !== 'bad-setting' && loadState !== 'error') {
    if (state === 'running' && canReload) actions.push('stop', 'restart', 'reload');
    else if (state === 'running' || state === 'starting') actions.push('stop', 'restart');
    else if (state === 'stopping') actions.push('stop');
    else actions.push('start');
  }
  if (unitFileState === 'disabled') actions.push('enable');
  else if (unitFileState !== null && DISABLEABLE_STATES.has(unitFileState)) actions.push('disable');
  return actions;
}

/** Realtime microseconds since the epoch (0 = never) to ISO 8601. */
export function usecToIso(usec: unknown): string | null {
  if (typeof usec !== 'number' || !Number.isFinite(usec) || usec <= 0) return null;
  return new Date(Math.floor(usec / 1000)).toISOString();
}

/** The live view of one unit, as merged from ListUnits, ListUnitFiles and signals. */
export interface UnitRecord {
  name: string;
  description: string;
  loadState: string;
  activeState: string;
  subState: string;
  unitFileState: string | null;
  fragmentPath: string | null;
  /** Realtime usec of the last state change, 0 when unknown. */
  stateChangeUsec: number;
  mainPid: number;
  /**
   * Every process in the unit's cgroup (read from cgroupfs at load, on the unit's signals and every
   * few seconds), or null where cgroups cannot be read: then the entry shows the main PID alone.
   */
  pids: number[] | null;
  nRestarts: number;
  /** systemd's CanReload; known only once fetched (the detail view does). */
  canReload: boolean;
  /** How a failed service ended (fetched when it enters 'failed'; see unit-service.ts). */
  failure?: UnitFailure;
  /** A socket's Listen addresses, when fetched. */
  listen?: string[];
  /** A timer's schedule, when fetched (realtime usec, 0 = none). */
  timer?: { nextUsec: number; lastUsec: number; unit: string };
}

/** systemd's own words for a service's last failure: Result, ExecMain*, the exit time. */
export interface UnitFailure {
  /** StateChangeTimestamp of the failure these facts belong to. */
  stateChangeUsec: number;
  result: string;
  /** ExecMainCode (1 exited, 2 killed, 3 dumped core; 0 no process) and ExecMainStatus. */
  code: number;
  status: number;
  /** ExecMainExitTimestamp, realtime usec (0 unknown). */
  exitUsec: number;
}

export function newUnitRecord(name: string): UnitRecord {
  return {
    name,
    description: '',
    loadState: 'not-loaded',
    activeState: 'inactive',
    subState: 'dead',
    unitFileState: null,
    fragmentPath: null,
    stateChangeUsec: 0,
    mainPid: 0,
    pids: null,
    nRestarts: 0,
    canReload: false,
  };
}

/** The unit's processes, its main process first when known. */
function entryPids(u: UnitRecord): number[] {
  if (u.pids === null) return u.mainPid > 0 ? [u.mainPid] : [];
  if (u.mainPid <= 0 || u.pids[0] === u.mainPid || !u.pids.includes(u.mainPid)) return u.pids;
  return [u.mainPid, ...u.pids.filter((p) => p !== u.mainPid)];
}

/** The facts of a failure in the entry's terms: how it ended, the restarts before, when. */
export function failureReason(
  f: UnitFailure | undefined,
  nRestarts: number,
  stateChangeUsec: number,
): FailureReason {
  let exit: FailureReason['exit'] = null;
  if (f !== undefined && f.code === 1) exit = { kind: 'exited', status: f.status };
  else if (f !== undefined && (f.code === 2 || f.code === 3))
    exit = {
      kind: f.code === 2 ? 'killed' : 'dumped',
      signal: signalName(f.status),
      number: f.status,
    };
  return {
    result: f?.result ?? 'unknown',
    exit,
    restarts: nRestarts,
    at: usecToIso(f !== undefined && f.exitUsec > 0 ? f.exitUsec : stateChangeUsec),
  };
}

function timerSchedule(t: NonNullable<UnitRecord['timer']>): TimerSchedule {
  return { next: usecToIso(t.nextUsec), last: usecToIso(t.lastUsec), unit: t.unit || null };
}

export function unitEntry(u: UnitRecord): Entry {
  const state = mapActiveState(u.activeState);
  const enabled = u.unitFileState !== null && ENABLED_STATES.has(u.unitFileState);
  const plumbing = plumbingOf(u.name);
  return {
    id: unitId(u.name),
    kind: unitKind(u.name),
    name: u.name,
    description: u.description || u.name,
    state,
    subState: u.subState,
    autostart: { enabled, via: enabled ? ['systemd'] : [], state: u.unitFileState },
    pids: state === 'stopped' || state === 'failed' ? [] : entryPids(u),
    cpu: null,
    memory: null,
    since: usecToIso(u.stateChangeUsec),
    restarts: u.nRestarts,
    actions: unitActions(u.name, state, u.loadState, u.unitFileState, u.canReload),
    origin: unitOrigin(u.name, u.fragmentPath),
    ...(plumbing !== null ? { plumbing } : {}),
    ...(state === 'failed'
      ? { failure: failureReason(u.failure, u.nRestarts, u.stateChangeUsec) }
      : {}),
    ...(u.listen !== undefined ? { listen: u.listen } : {}),
    ...(u.timer !== undefined ? { timer: timerSchedule(u.timer) } : {}),
  };
}

/** A readable sentence for a unit's last exit (ExecMainCode per CLD_* in waitid(2)). */
export function exitSummary(
  result: string | null,
  code: number | null,
  status: number | null,
): string | null {
  if (code === null || code === 0) {
    if (result !== null && result !== 'success') return t('notify:exit.result', { result });
    return null;
  }
  if (code === 1)
    return status === 0
      ? t('notify:exit.success')
      : t('notify:exit.status', { status: String(status) });
  if (code === 2) return t('notify:exit.killed', { signal: signalName(status) });
  if (code === 3) return t('notify:exit.dumped', { signal: signalName(status) });
  return t('notify:exit.other', { code: String(code), status: String(status) });
}

export function signalName(n: number | null): string {
  if (n === null) return 'unknown';
  return SIGNAL_NAMES[n] ?? String(n);
}

function firstUnit(list: unknown): string | null {
  return Array.isArray(list) && typeof list[0] === 'string' && list[0] !== '' ? list[0] : null;
}

/** Both clocks read at one moment, to place a CLOCK_MONOTONIC time on the wall clock. */
export interface ClockPair {
  realtimeMs: number;
  monotonicUsec: number;
}

/**
 * A timer's next and last run and the unit it starts, from its org.freedesktop.systemd1.Timer
 * properties and its Unit's Triggers. Pure. A calendar timer (OnCalendar=) has its next run in
 * NextElapseUSecRealtime; a monotonic one (OnActiveSec=, OnUnitActiveSec=, OnBootSec=...) only
 * in NextElapseUSecMonotonic (CLOCK_MONOTONIC usec), placed on the wall clock with `now`; with
 * both, the earlier wins, as systemd does. 0 means none.
 */
export function timerDetail(
  unit: string,
  timer: Record<string, unknown>,
  triggers: unknown,
  now: ClockPair,
): TimerDetail {
  const target = typeof timer.Unit === 'string' && timer.Unit !== '' ? timer.Unit : null;
  const realtime = usecToIso(timer.NextElapseUSecRealtime);
  const mono = timer.NextElapseUSecMonotonic;
  const monotonic =
    typeof mono === 'number' && Number.isFinite(mono) && mono > 0
      ? new Date(now.realtimeMs + (mono - now.monotonicUsec) / 1000).toISOString()
      : null;
  const nextRun =
    realtime !== null && monotonic !== null
      ? realtime < monotonic
        ? realtime
        : monotonic
      : (realtime ?? monotonic);
  return {
    nextRun,
    lastRun: usecToIso(timer.LastTriggerUSec),
    unit: target ?? firstUnit(triggers) ?? unit.replace(/\.timer$/, '.service'),
  };
}

/** A socket's listen addresses (Listen: a(ss)) and the service it starts (Triggers). Pure. */
export function socketDetail(socket: Record<string, unknown>, triggers: unknown): SocketDetail {
  const listen = Array.isArray(socket.Listen)
    ? (socket.Listen as unknown[]).flatMap((pair) =>
        Array.isArray(pair) && typeof pair[0] === 'string' && typeof pair[1] === 'string'
          ? [{ type: pair[0], address: pair[1] }]
          : [],
      )
    : [];
  const count = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
  return {
    listen,
    service: firstUnit(triggers),
    accepted: count(socket.NAccepted),
    connections: count(socket.NConnections),
  };
}
