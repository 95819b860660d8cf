// The detail window's words for what the core reports: states, exits, the failure of a failed
// unit, a timer's runs and a socket's addresses. Pure (words come from the catalogs, dates and
// durations from i18n/format.ts): unit-tested in test/unit/detail-view.test.ts.
import {
  SIGNAL_NAMES,
  type Entry,
  type EntryAction,
  type EntryState,
  type SourceStatus,
  type UnitDetail,
} from '../../../contract/index.js';
import { t } from '../../../i18n/index.js';
import { loginStateWords, type LoginAnswer } from '../lib/entry-view.js';
import { formatDateTime, formatDuration, formatRelative } from '../../../i18n/format.js';

const STATE_KEYS: Record<EntryState, string> = {
  running: 'detail:state.running',
  stopped: 'detail:state.stopped',
  failed: 'detail:state.failed',
  starting: 'detail:state.starting',
  stopping: 'detail:state.stopping',
  unknown: 'detail:state.unknown',
};

export function stateWord(state: EntryState): string {
  return t(STATE_KEYS[state]);
}

const PROGRESS_KEYS: Record<EntryAction, string> = {
  start: 'detail:progress.start',
  stop: 'detail:progress.stop',
  restart: 'detail:progress.restart',
  reload: 'detail:progress.reload',
  enable: 'detail:progress.enable',
  disable: 'detail:progress.disable',
};

/** "Starting…", "Stopping…": a button's label while its action runs. */
export function progressWord(action: EntryAction): string {
  return t(PROGRESS_KEYS[action]);
}

/** A local date and time, or null when there is none. */
export function when(iso: string | null | undefined): string | null {
  if (iso === null || iso === undefined) return null;
  const at = Date.parse(iso);
  return Number.isNaN(at) ? null : formatDateTime(at);
}

/** "Running for 3 min" beside the badge of a service; null when it says nothing useful. */
export function uptimeWords(entry: Entry, now: number): string | null {
  if (entry.since === null || entry.state === 'failed') return null;
  const since = Date.parse(entry.since);
  if (Number.isNaN(since)) return null;
  return t('detail:status.for', {
    state: stateWord(entry.state),
    duration: formatDuration(now - since),
  });
}

const DETAIL_LOGIN_KEYS: Record<LoginAnswer, string> = {
  yes: 'detail:login.yes',
  no: 'detail:login.no',
  static: 'detail:login.static',
  masked: 'detail:login.masked',
  linked: 'detail:login.linked',
  indirect: 'detail:login.indirect',
  generated: 'detail:login.generated',
  unknown: 'detail:login.unknown',
};

/** The user's words for systemd's UnitFileState. */
export function startAtLoginWords(unitFileState: string | null): string {
  return loginStateWords(unitFileState, DETAIL_LOGIN_KEYS);
}

export function signalName(n: number | null | undefined): string {
  if (n === null || n === undefined) return '?';
  return SIGNAL_NAMES[n] ?? String(n);
}

/** What systemd's Result says when the process's own exit does not. */
const RESULT_KEYS: Record<string, string> = {
  timeout: 'detail:exit.timeout',
  watchdog: 'detail:exit.watchdog',
  'start-limit-hit': 'detail:exit.startLimit',
  'oom-kill': 'detail:exit.oom',
  resources: 'detail:exit.resources',
  protocol: 'detail:exit.protocol',
  'core-dump': 'detail:exit.coreDumpResult',
  signal: 'detail:exit.signalResult',
  'exit-code': 'detail:exit.exitCodeResult',
};

export interface ExitFacts {
  /** ExecMainCode: 1 exited, 2 killed, 3 dumped core. */
  code?: number | null;
  status?: number | null;
  result?: string | null;
}

/** "Exited with status 3", "Killed by SIGKILL", or what systemd's Result says; null if nothing. */
export function exitWords(facts: ExitFacts): string | null {
  const { code, status, result } = facts;
  if (code === 1 && status !== 0) return t('detail:exit.status', { status: String(status) });
  if (code === 2) return t('detail:exit.killed', { signal: signalName(status) });
  if (code === 3) return t('detail:exit.dumped', { signal: signalName(status) });
  if (result !== null && result !== undefined && result !== 'success') {
    const key = RESULT_KEYS[result];
    return key === undefined ? t('detail:exit.result', { result }) : t(key);
  }
  if (code === 1) return t('detail:exit.success');
  return null;
}

/**
 * Why a failed unit is down, in one sentence: how its process ended and, when systemd stopped
 * restarting it, after how many restarts ("Gave up after 5 restarts: exited with status 2").
 * A unit that is failed after restarts is one systemd gave up on (else it would be in
 * auto-restart); systemd 252 keeps Result=exit-code then, newer ones say start-limit-hit.
 */
export function failureWords(detail: UnitDetail): string {
  const gaveUp = detail.result === 'start-limit-hit' || detail.nRestarts > 0;
  // The start limit is the Result; the process's own exit says more about why.
  const how = exitWords({
    code: detail.execMainCode,
    status: detail.execMainStatus,
    result: gaveUp ? null : detail.result,
  });
  if (gaveUp) {
    const restarts = detail.nRestarts;
    return how === null
      ? t('detail:failure.gaveUp', { count: restarts })
      : t('detail:failure.gaveUpHow', { count: restarts, how });
  }
  return how ?? t('detail:failure.unknown');
}

/** "40 seconds ago" (and the date and time, for a title). */
export function agoWords(iso: string | null | undefined, now: number): string | null {
  if (iso === null || iso === undefined) return null;
  const at = Date.parse(iso);
  return Number.isNaN(at) ? null : formatRelative(at, now);
}

/** "in 5 minutes (Dec 6, 2026, 14:05)", or the words for never. */
export function runWords(iso: string | null, now: number, never: 'next' | 'last'): string {
  if (iso === null) return never === 'next' ? t('detail:timer.noNext') : t('detail:timer.noLast');
  return t('detail:timer.at', {
    relative: formatRelative(Date.parse(iso), now),
    date: formatDateTime(Date.parse(iso)),
  });
}

/** A socket's listen address as people read it: "Stream · /run/user/1000/app.sock". */
export function listenWords(listen: { type: string; address: string }): string {
  const kinds: Record<string, string> = {
    Stream: 'detail:socket.stream',
    Datagram: 'detail:socket.datagram',
    SequentialPacket: 'detail:socket.seqpacket',
    FIFO: 'detail:socket.fifo',
    Netlink: 'detail:socket.netlink',
    Special: 'detail:socket.special',
    MessageQueue: 'detail:socket.mqueue',
  };
  const key = kinds[listen.type];
  return t('detail:socket.listen', {
    kind: key === undefined ? listen.type : t(key),
    address: listen.address,
  });
}

/** Whether what the window shows can be trusted: null when it can, else why it cannot. */
export function staleReason(source: SourceStatus): string | null {
  if (source.status === 'unavailable') return t('detail:stale.reason');
  return null;
}
