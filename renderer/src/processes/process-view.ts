// Pure view logic for processes, strays, stops, signals and Adopt: the user's words for what
// the core reports. No DOM, no API: unit-tested in test/unit/renderer-process-view.test.ts.
import type {
  AdoptPhase,
  ProcessQuery,
  StopPhase,
  StopStep,
  StrayOrigin,
  WatchRule,
} from '../../../contract/index.js';

/** What a stray and a process row have in common, for the process card. */
export interface ProcessLike {
  pid: number;
  starttime: number;
  command: string;
  cpu: number | null;
  memory: number;
  startedAt: string;
}

/** 1536 -> "1.5 KB", 12_345_678 -> "11.8 MB" (binary units, as ps and top count). */
export function formatMemory(bytes: number | null): string {
  if (bytes === null || !Number.isFinite(bytes) || bytes < 0) return '—';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let i = 0;
  while (value >= 1024 && i < units.length - 1) {
    value /= 1024;
    i++;
  }
  const digits = i === 0 || value >= 100 ? 0 : 1;
  return `${value.toFixed(digits)} ${units[i]}`;
}

/** Percent of one core; "—" before the second sample. */
export function formatCpu(cpu: number | null): string {
  if (cpu === null || !Number.isFinite(cpu)) return '—';
  return `${cpu >= 10 ? cpu.toFixed(0) : cpu.toFixed(1)} %`;
}

/** "3.2 s" under a minute, else whole seconds. */
function seconds(ms: number): string {
  const s = ms / 1000;
  return s < 10 ? `${s.toFixed(1)} s` : `${Math.round(s)} s`;
}

function pidList(pids: readonly number[]): string {
  if (pids.length === 0) return '';
  const shown = pids.slice(0, 5).join(', ');
  return pids.length > 5 ? `${shown} and ${pids.length - 5} more` : shown;
}

export const STOP_PHASE_TITLES: Record<StopPhase, string> = {
  'term-sent': 'Asked to exit',
  waiting: 'Waiting for it to exit',
  'kill-sent': 'Forced to stop',
  exited: 'Stopped',
  gone: 'Already gone',
};

/** One step of a stop as a sentence: what was sent, to whom, and when. */
export function stopStepText(step: StopStep): string {
  const who = pidList(step.remaining);
  switch (step.phase) {
    case 'term-sent':
      return `Sent TERM to ${who || 'the process'}, asking it to exit.`;
    case 'waiting':
      return `Still running after ${seconds(step.atMs)}: ${who}.`;
    case 'kill-sent':
      return `It ignored TERM: sent KILL to ${who} after ${seconds(step.atMs)}.`;
    case 'exited':
      return `Exited after ${seconds(step.atMs)}.`;
    case 'gone':
      return 'It had already exited.';
  }
}

/** Steps as the list shows them: a run of "still waiting" steps is one line that updates. */
export function collapseSteps(steps: readonly StopStep[]): StopStep[] {
  const out: StopStep[] = [];
  for (const step of steps) {
    if (step.phase === 'waiting' && out.at(-1)?.phase === 'waiting') out[out.length - 1] = step;
    else out.push(step);
  }
  return out;
}

/** The one-line outcome of a finished stop. */
export function stopSummary(steps: readonly StopStep[]): string {
  const last = steps.at(-1);
  if (last === undefined) return '';
  if (last.phase === 'gone') return 'It had already exited.';
  const killed = steps.some((s) => s.phase === 'kill-sent');
  return killed
    ? `Stopped with KILL after ${seconds(last.atMs)}: it did not exit on TERM.`
    : `Stopped after ${seconds(last.atMs)}: it exited on TERM.`;
}

export interface SignalChoice {
  name: string;
  /** What the signal usually does, in words. */
  meaning: string;
}

/** The signals offered in "Send signal", the common ones first; any other can be typed. */
export const SIGNALS: readonly SignalChoice[] = [
  { name: 'TERM', meaning: 'Ask it to exit (what Stop sends first)' },
  { name: 'HUP', meaning: 'Hang up: many daemons reload their settings' },
  { name: 'INT', meaning: 'Interrupt, like Ctrl+C' },
  { name: 'QUIT', meaning: 'Quit and dump core, like Ctrl+\\' },
  { name: 'KILL', meaning: 'End it at once; it cannot clean up' },
  { name: 'USR1', meaning: 'User signal 1: its meaning is up to the program' },
  { name: 'USR2', meaning: 'User signal 2: its meaning is up to the program' },
  { name: 'STOP', meaning: 'Pause it (cannot be ignored)' },
  { name: 'CONT', meaning: 'Let a paused process go on' },
  { name: 'WINCH', meaning: 'Window size changed' },
  { name: 'ALRM', meaning: 'Alarm clock' },
  { name: 'TSTP', meaning: 'Pause from the terminal, like Ctrl+Z' },
  { name: 'TTIN', meaning: 'Background read from the terminal' },
  { name: 'TTOU', meaning: 'Background write to the terminal' },
  { name: 'PIPE', meaning: 'Broken pipe' },
  { name: 'ABRT', meaning: 'Abort and dump core' },
  { name: 'TRAP', meaning: 'Trace or breakpoint trap' },
  { name: 'BUS', meaning: 'Bus error' },
  { name: 'FPE', meaning: 'Arithmetic error' },
  { name: 'ILL', meaning: 'Illegal instruction' },
  { name: 'SEGV', meaning: 'Invalid memory reference' },
  { name: 'SYS', meaning: 'Bad system call' },
  { name: 'URG', meaning: 'Urgent data on a socket' },
  { name: 'XCPU', meaning: 'CPU time limit exceeded' },
  { name: 'XFSZ', meaning: 'File size limit exceeded' },
  { name: 'VTALRM', meaning: 'Virtual alarm clock' },
  { name: 'PROF', meaning: 'Profiling timer expired' },
  { name: 'IO', meaning: 'I/O is possible' },
  { name: 'PWR', meaning: 'Power failure' },
];

/** How many of SIGNALS are the everyday ones (shown first, the rest under "Other"). */
export const COMMON_SIGNALS = 11;

/** Signals that end or freeze a process without a chance to refuse: ask first. */
export function signalNeedsConfirm(signal: string): boolean {
  const s = signal.trim().toUpperCase().replace(/^SIG/, '');
  return s === 'KILL' || s === '9' || s === 'STOP' || s === '19';
}

/** "usr1" / "SIGUSR1" / "10" -> "USR1" / "USR1" / "10": how a signal is named in the UI. */
export function signalLabel(signal: string): string {
  const s = signal.trim().toUpperCase();
  return s.startsWith('SIG') ? s.slice(3) : s;
}

const ORIGIN_WORDS: Record<StrayOrigin, string> = {
  nohup: 'Started with nohup: it ignores the hang-up its terminal sent when it closed.',
  'background-job': 'A background job (cmd &) that its shell left running.',
  setsid: 'Started with setsid: it runs in a session of its own, away from any terminal.',
  daemon: 'Daemonised itself (fork, setsid, fork): the classic way a daemon detaches.',
  orphan: 'Left running after the program that started it exited.',
};

/** How a stray was most likely started, as a sentence. */
export function originSentence(origin: StrayOrigin): string {
  return ORIGIN_WORDS[origin];
}

const INTERPRETERS = /^(?:python[\d.]*|node|nodejs|bun|deno|ruby|perl|php|sh|bash|dash|zsh|java)$/;

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/**
 * A unit or rule name for a command: the program's base name, or for an interpreter the script
 * it runs (`python3 -m http.server` -> `http-server`, `node /srv/app/index.js` -> `index`).
 * Letters, digits and `-_.@` only; never empty.
 */
export function suggestName(argv: readonly string[]): string {
  const program = baseName(argv[0] ?? '');
  let name = program;
  // Inline code (`sh -c '...'`, `node -e '...'`) has no script to name it after.
  if (INTERPRETERS.test(program) && !argv.includes('-c') && !argv.includes('-e')) {
    const rest = argv.slice(1);
    const m = rest.indexOf('-m');
    const module = m >= 0 ? rest[m + 1] : undefined;
    const script = rest.find((a) => !a.startsWith('-'));
    if (module !== undefined && module !== '') name = module;
    else if (script !== undefined && script !== '') name = baseName(script).replace(/\.[^.]+$/, '');
  }
  const clean = name
    .replace(/[^A-Za-z0-9_.@-]+/g, '-')
    .replace(/\./g, '-')
    .replace(/^[-_.@]+|[-_.@]+$/g, '')
    .slice(0, 48);
  return clean === '' ? 'command' : clean;
}

export interface AdoptStepView {
  key: 'write' | 'stop' | 'start';
  label: string;
  state: 'pending' | 'running' | 'done' | 'failed';
}

const PHASE_ORDER: readonly AdoptPhase[] = ['write', 'stop', 'start'];

/**
 * The Adopt checklist from the last phase reported: earlier steps done, the current one running;
 * on failure the current one failed (a rollback follows a failure after the stop).
 */
export function adoptSteps(
  unit: string,
  pid: number,
  enable: boolean,
  phase: AdoptPhase | null,
  outcome: 'running' | 'done' | 'failed',
): AdoptStepView[] {
  const labels: Record<AdoptStepView['key'], string> = {
    write: enable ? `Write ${unit} and enable it at login` : `Write ${unit}`,
    stop: `Stop process ${pid} (TERM, then KILL if it does not exit)`,
    start: `Start ${unit}`,
  };
  const reached =
    phase === 'rollback' ? PHASE_ORDER.length - 1 : PHASE_ORDER.indexOf(phase ?? 'write');
  return (['write', 'stop', 'start'] as const).map((key, i) => {
    let state: AdoptStepView['state'] = 'pending';
    if (outcome === 'done') state = 'done';
    else if (i < reached) state = 'done';
    else if (i === reached) state = outcome === 'failed' ? 'failed' : 'running';
    return { key, label: labels[key], state };
  });
}

/** The query a watch rule makes, as the process list asks for it. */
export function ruleQuery(rule: Pick<WatchRule, 'pattern' | 'full' | 'exact'>): ProcessQuery {
  return {
    pattern: rule.pattern,
    full: rule.full,
    exact: rule.exact,
    users: [],
    parents: [],
    pick: 'all',
  };
}

/**
 * Processes as a watch rule shows them: oldest first, without zombies (they have exited and only
 * wait for their parent to read their status; the core leaves them out of the rule's state too).
 */
export function liveOldestFirst<T extends { state: string; elapsedMs: number }>(rows: T[]): T[] {
  return rows
    .filter((p) => p.state !== 'Z' && p.state !== 'X')
    .sort((a, b) => b.elapsedMs - a.elapsedMs);
}

/** A long command cut to `max` characters at a word boundary when it can be, with an ellipsis. */
export function clipCommand(command: string, max = 160): { text: string; clipped: boolean } {
  if (command.length <= max) return { text: command, clipped: false };
  const cut = command.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return { text: `${space > max * 0.6 ? cut.slice(0, space) : cut}…`, clipped: true };
}

/** Strays whose command, directory or PID holds every word of `query` (case-insensitive). */
export function filterStrays<T extends { command: string; cwd: string | null; pid: number }>(
  strays: T[],
  query: string,
): T[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return strays;
  return strays.filter((s) => {
    const text = `${s.command} ${s.cwd ?? ''} ${s.pid}`.toLowerCase();
    return words.every((w) => text.includes(w));
  });
}

/** A warning about a pattern that cannot select what the user likely means, or null. */
export function patternWarning(rule: Pick<WatchRule, 'pattern' | 'full'>): string | null {
  if (rule.full) return null;
  // Count what the name can hold, ignoring regex syntax only roughly: anchors and escapes.
  const literal = rule.pattern.replace(/^\^|\$$/g, '').replace(/\\(.)/g, '$1');
  if (/^[A-Za-z0-9_.@+-]+$/.test(literal) && literal.length > 15)
    return 'A process name is at most 15 characters, so this matches nothing by name: tick “Match the whole command line”.';
  if (/\s/.test(rule.pattern))
    return 'Process names rarely hold spaces: to match arguments, tick “Match the whole command line”.';
  return null;
}

/** The pgrep command line that selects the same processes, for those who know it. */
export function pgrepLine(rule: Pick<WatchRule, 'pattern' | 'full' | 'exact'>): string {
  const flags = `${rule.full ? ' -f' : ''}${rule.exact ? ' -x' : ''}`;
  return `pgrep${flags} '${rule.pattern.replace(/'/g, `'\\''`)}'`;
}

/** "session:tmux:work" -> { kind: 'tmux', name: 'work' }; null for anything else. */
export function parseSessionId(id: string): { kind: 'tmux' | 'screen'; name: string } | null {
  const m = /^session:(tmux|screen):(.+)$/.exec(id);
  if (m === null) return null;
  return { kind: m[1] as 'tmux' | 'screen', name: m[2]! };
}

/** Which view the detail window shows for an entry id. */
export function detailKind(id: string): 'unit' | 'watch' | 'session' | 'process' {
  if (id.startsWith('process:')) return 'watch';
  if (id.startsWith('session:')) return 'session';
  if (/^pid:\d+$/.test(id)) return 'process';
  return 'unit';
}

/** What a process card's own buttons (or menu) can do; a .ts type, so lint's typed rules see it. */
export interface ProcessActions {
  stop: () => void;
  toggleSignals: () => void;
  stopping: boolean;
}
