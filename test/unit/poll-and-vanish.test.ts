import { afterEach, describe, expect, it, vi } from 'vitest';
import { createPollTimer } from '../../main/core/monitor/poll-timer.js';
import { markVanished } from '../../main/core/processes/process-source.js';
import type { Entry } from '../../main/core/model/domain.js';
import { serviceEntry } from '../helpers/entries.js';

function entry(state: Entry['state'], pids: number[] = []): Entry {
  return serviceEntry('bot', {
    id: 'process:bot',
    kind: 'process',
    state,
    subState: state === 'running' ? '1 process' : 'not running',
    pids,
    actions: state === 'running' ? ['stop'] : [],
  });
}

/** A started 1 s poll timer at the fake time `now`; `ticks` counts its ticks so far. */
function startTicking(now: number) {
  vi.useFakeTimers();
  vi.setSystemTime(now);
  let count = 0;
  const t = createPollTimer(() => count++, 1000);
  t.start();
  return { t, ticks: () => count };
}

describe('createPollTimer', () => {
  afterEach(() => vi.useRealTimers());

  it('ticks at the multiples of its interval and re-times while running', () => {
    const { t, ticks } = startTicking(0);
    vi.advanceTimersByTime(3000);
    expect(ticks()).toBe(3);
    t.setIntervalMs(5000);
    expect(t.intervalMs).toBe(5000);
    // The next multiple of 5 s.
    vi.advanceTimersByTime(1999);
    expect(ticks()).toBe(3);
    vi.advanceTimersByTime(1);
    expect(ticks()).toBe(4);
    vi.advanceTimersByTime(5000);
    expect(ticks()).toBe(5);
    t.stop();
    vi.advanceTimersByTime(20_000);
    expect(ticks()).toBe(5);
    // A change while stopped applies at the next start.
    t.setIntervalMs(100);
    t.start();
    vi.advanceTimersByTime(1000);
    expect(ticks()).toBe(15);
    t.stop();
  });

  it('timers whose intervals divide one another wake the process once', () => {
    vi.useFakeTimers();
    vi.setSystemTime(1_234);
    const order: string[] = [];
    const a = createPollTimer(() => order.push(`a${Date.now()}`), 2000);
    const b = createPollTimer(() => order.push(`b${Date.now()}`), 10_000);
    a.start();
    vi.advanceTimersByTime(500);
    b.start();
    vi.advanceTimersByTime(10_000);
    expect(order).toEqual(['a2000', 'a4000', 'a6000', 'a8000', 'a10000', 'b10000']);
    // One timeout armed at a time, whatever the number of timers.
    expect(vi.getTimerCount()).toBe(1);
    a.stop();
    b.stop();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a clock set back does not stall the timers', () => {
    const { t, ticks } = startTicking(100_000);
    vi.advanceTimersByTime(1000);
    expect(ticks()).toBe(1);
    vi.setSystemTime(0);
    vi.advanceTimersByTime(2000);
    expect(ticks()).toBeGreaterThanOrEqual(1);
    vi.advanceTimersByTime(1000);
    expect(ticks()).toBeGreaterThanOrEqual(2);
    t.stop();
  });
});

describe('markVanished', () => {
  it('a watched process that goes away by itself is failed until it runs again', () => {
    const lost = new Set<string>();
    const stopping = new Map<string, number>();
    const running = entry('running', [5]);
    const prev = new Map([[running.id, running]]);
    const [gone] = markVanished(prev, [entry('stopped')], lost, stopping, 0);
    expect(gone).toMatchObject({ state: 'failed', subState: 'vanished' });
    // Still failed on the next scan, not running before either.
    const [still] = markVanished(
      new Map([[gone!.id, gone!]]),
      [entry('stopped')],
      lost,
      stopping,
      1,
    );
    expect(still?.state).toBe('failed');
    const [back] = markVanished(new Map(), [entry('running', [6])], lost, stopping, 2);
    expect(back?.state).toBe('running');
    expect(lost.size).toBe(0);
  });

  it('one the app stopped is just stopped; the note lasts 30 s', () => {
    const lost = new Set<string>();
    const stopping = new Map([['process:bot', 0]]);
    const running = entry('running', [5]);
    /** The running entry found stopped at `now` (ms after the app stopped it). */
    const stoppedAt = (now: number) =>
      markVanished(new Map([[running.id, running]]), [entry('stopped')], lost, stopping, now)[0];
    expect(stoppedAt(1000)?.state).toBe('stopped');
    stopping.set('process:bot', 0);
    expect(stoppedAt(31_000)?.state).toBe('failed');
  });

  it('a removed rule forgets its loss', () => {
    const lost = new Set(['process:gone']);
    markVanished(new Map(), [entry('stopped')], lost, new Map(), 0);
    expect(lost.size).toBe(0);
  });
});
