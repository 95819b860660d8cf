// The timer of a source that polls (/proc, tmux/screen): started and stopped with the source,
// and its interval changeable while it runs (Settings' poll interval applies at once).
//
// Every poll timer ticks on one shared clock, at the multiples of its interval (2 s ticks at
// every even second, 10 s ticks on the same instants as every fifth of them), so timers whose
// intervals divide one another wake the process once, not once each. Measured on this 2-core VM
// (issue 16): a wakeup of an idle Node process costs 0.2-0.8 ms of CPU whatever it then does,
// more than most polls' own work, so the number of wakeups is what an idle core's CPU is made of.
import type { EntrySource } from './source.js';

/** A source that polls: its interval can change while it runs. */
export interface PollingSource extends EntrySource {
  readonly intervalMs: number;
  setIntervalMs(ms: number): void;
}

export interface PollTimer {
  readonly intervalMs: number;
  start(): void;
  stop(): void;
  setIntervalMs(ms: number): void;
}

interface Scheduled {
  intervalMs: number;
  due: number;
  tick(): void;
}

/** Timers due this close to the one that woke the clock run with it. */
const SLACK_MS = 50;

const scheduled = new Set<Scheduled>();
let handle: NodeJS.Timeout | null = null;
let armedFor = Infinity;

/** The next multiple of `intervalMs` after `now` (wall clock, so that fake timers drive it too). */
function nextDue(intervalMs: number, now: number): number {
  return (Math.floor(now / intervalMs) + 1) * intervalMs;
}

function arm(): void {
  let first = Infinity;
  for (const s of scheduled) if (s.due < first) first = s.due;
  if (first === armedFor && handle !== null) return;
  if (handle !== null) clearTimeout(handle);
  handle = null;
  armedFor = first;
  if (first === Infinity) return;
  handle = setTimeout(fire, Math.max(0, first - Date.now()));
  handle.unref();
}

function fire(): void {
  handle = null;
  armedFor = Infinity;
  const now = Date.now();
  const due: Scheduled[] = [];
  for (const s of scheduled) {
    if (s.due <= now + SLACK_MS) due.push(s);
    // The wall clock went back: no timer waits longer than its interval.
    else if (s.due > now + s.intervalMs) s.due = nextDue(s.intervalMs, now);
  }
  for (const s of due) s.due = nextDue(s.intervalMs, now + SLACK_MS);
  arm();
  for (const s of due) if (scheduled.has(s)) s.tick();
}

export function createPollTimer(tick: () => void, initialMs: number): PollTimer {
  const me: Scheduled = { intervalMs: initialMs, due: 0, tick };
  const running = () => scheduled.has(me);
  return {
    get intervalMs() {
      return me.intervalMs;
    },
    start() {
      if (running()) return;
      me.due = nextDue(me.intervalMs, Date.now());
      scheduled.add(me);
      arm();
    },
    stop() {
      if (!scheduled.delete(me)) return;
      arm();
    },
    setIntervalMs(ms) {
      if (ms === me.intervalMs) return;
      me.intervalMs = ms;
      if (!running()) return;
      me.due = nextDue(ms, Date.now());
      arm();
    },
  };
}
