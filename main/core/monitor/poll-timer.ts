// The timer of a source that polls (/proc, tmux/screen): started and stopped with the source,
// and its interval changeable while it runs (Settings' poll interval applies at once).
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

export function createPollTimer(tick: () => void, initialMs: number): PollTimer {
  let intervalMs = initialMs;
  let timer: NodeJS.Timeout | null = null;
  const arm = () => {
    timer = setInterval(tick, intervalMs);
    timer.unref();
  };
  return {
    get intervalMs() {
      return intervalMs;
    },
    start() {
      if (timer === null) arm();
    },
    stop() {
      if (timer !== null) clearInterval(timer);
      timer = null;
    },
    setIntervalMs(ms) {
      if (ms === intervalMs) return;
      intervalMs = ms;
      if (timer === null) return;
      clearInterval(timer);
      arm();
    },
  };
}
