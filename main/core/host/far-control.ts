// Stopping, reading and starting processes of another host (issue 17): the ProcessControl a
// ProcessService uses there, so Adopt (and a stop) run the same code as here with the host as a
// parameter. There is no pidfd across SSH: a process is named by its pid and its start time
// (/proc/PID/stat's 22nd field), and each look and each signal is one round trip whose fixed
// script (below; its inputs are quoted positional arguments, sent through the host's one
// quoting function, ssh-host.ts) reads the start time and signals only when it still matches
// what was seen: a pid that another process has now is never signalled, and the stop says so.
import { t } from '../../../i18n/index.js';
import { AppFailure, appError } from '../errors.js';
import { constants as osConstants } from 'node:os';
import {
  parseSignal,
  type StopSignals,
  type StopTarget,
  type TargetState,
} from '../processes/control.js';
import {
  ProcessService,
  type ProcessControl,
  type ProcessLook,
} from '../processes/process-service.js';
import { splitCmdline, type ProcessTable } from '../processes/proc-scanner.js';
import { protectedProcess } from '../processes/protected-processes.js';
import type { WatchRuleStore } from '../processes/watch-rules.js';
import { findStrays } from '../processes/strays.js';
import type { Stray } from '../model/processes.js';
import type { ProcessServiceOptions } from '../processes/process-service.js';
import type { Host, RunResult } from './host.js';
import { FarProcessScanner } from './far-processes.js';
import { isSshHost } from './hosts.js';
import type { SshHost } from './ssh-host.js';
import { hostWindow } from '../systemd/logs.js';

/** What the look script exits with when the process is not there. */
const GONE = 44;

/**
 * The fixed scripts (`sh -c SCRIPT sh ARGS...`): constants, no input spliced in. Both read the
 * start time as the 20th field after the command name's closing ") " (the name may hold spaces
 * and parentheses; the last ") " ends it).
 */
const SCRIPTS = {
  /** $1 = pid: its start time, cwd and exe (each NUL-ended, a link's newline kept), environ. */
  look:
    'set -f; p=/proc/$1; s=$(cat "$p/stat" 2>/dev/null) || exit 44; s=${s##*") "}; set -- $s; ' +
    'printf "%s\\0" "${20}"; readlink -- "$p/cwd" 2>/dev/null; printf "\\0"; ' +
    'readlink -- "$p/exe" 2>/dev/null; printf "\\0"; cat -- "$p/environ" 2>/dev/null; exit 0',
  /**
   * $1 = a signal name, or - to only look; then PID:STARTTIME pairs. One line per pair: alive
   * (and signalled), gone (a zombie counts), reused (another process has the pid: not
   * signalled) or denied (the signal was refused).
   */
  signal:
    'set -f; sig=$1; shift; for x in "$@"; do pid=${x%:*}; want=${x#*:}; ' +
    's=$(cat "/proc/$pid/stat" 2>/dev/null) || { echo "$pid gone"; continue; }; ' +
    's=${s##*") "}; set -- $s; ' +
    'if [ "${20}" != "$want" ]; then echo "$pid reused"; continue; fi; ' +
    'case $1 in Z|X) echo "$pid gone"; continue;; esac; ' +
    'if [ "$sig" = - ] || kill -s "$sig" "$pid" 2>/dev/null; then echo "$pid alive"; ' +
    'elif [ -d "/proc/$pid" ]; then echo "$pid denied"; else echo "$pid gone"; fi; done',
} as const;

/** How often a far stop looks again (each look is a round trip). */
const FAR_POLL_MS = 200;

function failed(host: Host, r: RunResult): AppFailure {
  if (isSshHost(host) && host.state === 'unreachable' && host.lastError !== null)
    return new AppFailure(host.lastError);
  return new AppFailure(appError('internal', r.stderr.trim() || `exit ${r.code}`));
}

/** A link's target as readlink printed it (its one newline dropped), or null when unread. */
function linkText(raw: Buffer): string | null {
  const text = raw.toString('utf8').replace(/\n$/, '');
  return text === '' ? null : text;
}

/**
 * One round trip: each target's state, and `sig` (a signal name; - to only look) sent to those
 * still running as the process that was seen.
 */
async function signalScript(
  host: Host,
  sig: string,
  targets: readonly StopTarget[],
): Promise<TargetState[]> {
  if (targets.length === 0) return [];
  const pairs = targets.map((x) => `${Math.trunc(x.pid)}:${Math.trunc(x.starttime)}`);
  const r = await host.run(['sh', '-c', SCRIPTS.signal, 'sh', sig, ...pairs]);
  if (r.code !== 0) throw failed(host, r);
  const said = new Map<number, string>();
  for (const line of r.stdout.split('\n')) {
    const [pid, state] = line.split(' ');
    if (pid !== undefined && state !== undefined) said.set(Number(pid), state);
  }
  return targets.map((x) => {
    const state = said.get(x.pid);
    if (state === 'denied')
      throw new AppFailure(appError('access-denied', t('errors:control.notYours', { pid: x.pid })));
    if (state === 'alive' || state === 'gone' || state === 'reused') return state;
    throw failed(host, { ...r, stderr: r.stderr || `no answer for process ${x.pid}` });
  });
}

/** The signals of a stop on another host: a look, or a signal, per round trip. */
export function farSignals(host: Host, refuse: (pid: number) => string | null): StopSignals {
  const run = (sig: string, targets: readonly StopTarget[]) => signalScript(host, sig, targets);
  return {
    assertMay(pid) {
      const why = refuse(pid);
      if (why !== null) throw new AppFailure(appError('access-denied', why));
    },
    check: (targets) => run('-', targets),
    async send(signal, targets) {
      await run(signal, targets);
    },
    pollMs: FAR_POLL_MS,
  };
}

/** Why a pid of another host's table may never be signalled or adopted, or null. */
function farRefusal(table: () => ProcessTable): (pid: number) => string | null {
  return (pid) =>
    protectedProcess(pid, {
      self: 0,
      table: (p) => {
        const row = table().byPid.get(p);
        return row === undefined ? null : { ppid: row.ppid, kernelThread: row.kernelThread };
      },
    })?.message ?? null;
}

/**
 * Sends `signal` (a name or number, as `kill -s` takes it here) to another host's process `pid`
 * as its table has it: its start time checked there in the same round trip, so a pid that
 * another process has now is never signalled and the error says so.
 */
export async function signalFar(
  host: Host,
  table: ProcessTable,
  pid: number,
  signal: string,
): Promise<void> {
  const n = parseSignal(signal);
  const name =
    n === 0
      ? '-'
      : Object.entries(osConstants.signals as Record<string, number>)
          .find(([, v]) => v === n)?.[0]
          .replace(/^SIG/, '');
  if (name === undefined)
    throw new AppFailure(appError('invalid-input', t('errors:control.badSignal', { signal })));
  const row = table.byPid.get(pid);
  const why = farRefusal(() => table)(pid);
  if (why !== null) throw new AppFailure(appError('access-denied', why));
  if (row === undefined)
    throw new AppFailure(appError('conflict', t('errors:processes.notRunning', { pid })));
  const [state] = await signalScript(host, name, [{ pid, starttime: row.starttime }]);
  if (state === 'reused')
    throw new AppFailure(
      appError('conflict', t('errors:control.reusedNotSignalled', { pids: pid })),
    );
  if (state === 'gone')
    throw new AppFailure(appError('conflict', t('errors:control.exited', { pid })));
}

/** The ProcessControl of another host; `table` is its latest process table. */
export function farControl(host: Host, table: () => ProcessTable): ProcessControl {
  const refuse = farRefusal(table);
  return {
    refuse,
    async look(pid, starttime): Promise<ProcessLook> {
      const r = await host.run(['sh', '-c', SCRIPTS.look, 'sh', String(Math.trunc(pid))]);
      if (r.code !== 0 && r.code !== GONE) throw failed(host, r);
      const out = r.stdoutBytes;
      const cut: number[] = [];
      for (let at = out.indexOf(0); at >= 0 && cut.length < 3; at = out.indexOf(0, at + 1))
        cut.push(at);
      if (
        r.code === GONE ||
        cut.length < 3 ||
        out.toString('latin1', 0, cut[0]) !== String(starttime)
      )
        throw new AppFailure(appError('conflict', t('errors:control.exitedReused', { pid })));
      const environ: Record<string, string> = {};
      for (const kv of splitCmdline(out.subarray(cut[2]! + 1))) {
        const eq = kv.indexOf('=');
        if (eq > 0) environ[kv.slice(0, eq)] = kv.slice(eq + 1);
      }
      const exe = linkText(out.subarray(cut[1]! + 1, cut[2]));
      return {
        cwd: linkText(out.subarray(cut[0]! + 1, cut[1])),
        environ,
        exe: exe !== null && exe.startsWith('/') && !exe.endsWith(' (deleted)') ? exe : null,
      };
    },
    signals: farSignals(host, refuse),
    async launch(argv, opts) {
      const pid = await host.spawnDetached(argv, { cwd: opts.cwd ?? host.env.HOME ?? '/' });
      return { pid };
    },
  };
}

/**
 * A process service on another host: its table read now (one round trip, FarProcessScanner),
 * its processes stopped and started there (farControl), Adopt's unit written through that
 * host's authoring and acted on through its manager when `adopt` gives them (and its Undo
 * records kept where `adopt.undoStore` says).
 */
export async function openFarProcessService(
  host: SshHost,
  rules: WatchRuleStore | Promise<WatchRuleStore>,
  adopt: Pick<ProcessServiceOptions, 'authoring' | 'unitAct' | 'undoStore'> = {},
): Promise<ProcessService> {
  const scanner = new FarProcessScanner(host);
  const [store] = await Promise.all([rules, scanner.refresh()]);
  return new ProcessService({
    scanner,
    rules: store,
    env: host.env,
    uid: host.uid,
    control: farControl(host, () => scanner.scan()),
    // The rules' log files are that host's.
    files: hostWindow(host, host.env),
    // The far host's processes are not this machine's to watch for their exit.
    exitWatch: () => ({ watch: () => undefined, live: false, close: () => undefined }),
    ...adopt,
  });
}

/**
 * The strays of another host from its service's one table read: its owner's processes that no
 * terminal holds and no service manages, less those its watch rules match, each naming the host.
 * What needs that /proc beyond the table (working folder, nohup) is not known there (null).
 */
export function farStrays(s: ProcessService, host: string): Stray[] {
  const table = s.scan();
  const watched = new Set(s.ruleMatches(table).flatMap(([, m]) => m.map((p) => p.pid)));
  return findStrays(table, s.uid, { cwd: () => null, ignoresHup: () => null })
    .filter((x) => !watched.has(x.pid))
    .map((x) => ({ ...x, host }));
}
