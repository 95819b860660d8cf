// The detail window's words (renderer/src/detail/detail-view.ts, history-view.ts) and the core's
// per-kind detail builders (timerDetail, socketDetail) and history records of the final failure.
import { afterEach, describe, expect, it } from 'vitest';
import type { CrashRecord } from '../../main/core/model/alerts.js';
import type { UnitDetail } from '../../main/core/model/domain.js';
import { normaliseHistory } from '../../main/core/monitor/crash-history.js';
import { socketDetail, timerDetail } from '../../main/core/systemd/unit-model.js';
import { setLanguage } from '../../i18n/index.js';
import {
  exitWords,
  failureWords,
  listenWords,
  runWords,
  staleReason,
  uptimeWords,
} from '../../renderer/src/detail/detail-view.js';
import { historyDays, howItEnded, whatHappened } from '../../renderer/src/detail/history-view.js';

afterEach(() => setLanguage('en'));

function detail(patch: Partial<UnitDetail>): UnitDetail {
  return {
    entry: {} as UnitDetail['entry'],
    unit: 'web.service',
    loadState: 'loaded',
    activeState: 'failed',
    subState: 'failed',
    unitFileState: 'disabled',
    fragmentPath: null,
    dropInPaths: [],
    mainPid: null,
    result: 'exit-code',
    execMainCode: 1,
    execMainStatus: 2,
    exitSummary: 'exited with status 2',
    activeEnterTimestamp: null,
    inactiveEnterTimestamp: null,
    nRestarts: 0,
    ...patch,
  };
}

describe('why a unit stopped, in words', () => {
  it('says how the process ended: a status, a signal, a core dump, or systemd’s result', () => {
    expect(exitWords({ code: 1, status: 3, result: 'exit-code' })).toBe('Exited with status 3');
    expect(exitWords({ code: 2, status: 9, result: 'signal' })).toBe('Killed by SIGKILL');
    expect(exitWords({ code: 3, status: 11 })).toBe('Crashed with SIGSEGV (core dumped)');
    expect(exitWords({ code: 0, status: 0, result: 'timeout' })).toBe('Did not finish in time');
    expect(exitWords({ code: 0, status: 0, result: 'weird' })).toBe('Ended with result “weird”');
    expect(exitWords({ code: 1, status: 0, result: 'success' })).toBe(
      'Exited successfully (status 0)',
    );
    expect(exitWords({ code: 0, status: 0, result: 'success' })).toBeNull();
  });

  it('names the final failure of a crash loop with its count and its last exit', () => {
    expect(failureWords(detail({}))).toBe('Exited with status 2');
    expect(failureWords(detail({ result: 'start-limit-hit', nRestarts: 5 }))).toBe(
      'Gave up after 5 restarts: Exited with status 2',
    );
    expect(failureWords(detail({ result: 'start-limit-hit', nRestarts: 1, execMainCode: 0 }))).toBe(
      'Gave up after 1 restart',
    );
    expect(failureWords(detail({ result: null, execMainCode: null }))).toMatch(/does not say why/);
  });

  it('speaks Korean when the language is Korean', () => {
    setLanguage('ko');
    expect(exitWords({ code: 1, status: 3 })).toBe('상태 코드 3(으)로 종료됨');
    expect(failureWords(detail({ result: 'start-limit-hit', nRestarts: 5 }))).toBe(
      '5번 다시 시작한 뒤 포기함: 상태 코드 2(으)로 종료됨',
    );
  });

  it('tells a stale state and says nothing of uptime for a failed entry', () => {
    expect(staleReason({ status: 'ok' })).toBeNull();
    expect(
      staleReason({ status: 'unavailable', error: { code: 'bus-unavailable', message: 'gone' } }),
    ).toMatch(/systemd answers again/);
    const since = new Date(Date.UTC(2026, 0, 1, 12)).toISOString();
    const now = Date.parse(since) + 65_000;
    expect(uptimeWords({ state: 'failed', since } as never, now)).toBeNull();
    expect(uptimeWords({ state: 'running', since } as never, now)).toMatch(/^Running for 1 min/);
  });
});

describe('timers and sockets', () => {
  const clock = { realtimeMs: Date.UTC(2026, 11, 6, 14, 0, 0), monotonicUsec: 5_000_000_000 };

  it('reads a calendar timer’s next run and a monotonic one’s from the monotonic clock', () => {
    const calendar = timerDetail(
      'tidy.timer',
      {
        NextElapseUSecRealtime: Date.UTC(2026, 11, 7) * 1000,
        LastTriggerUSec: 0,
        Unit: 'a.service',
      },
      ['a.service'],
      clock,
    );
    expect(calendar).toEqual({
      nextRun: '2026-12-07T00:00:00.000Z',
      lastRun: null,
      unit: 'a.service',
    });
    // 30 minutes after the monotonic "now".
    const mono = timerDetail(
      'tick.timer',
      { NextElapseUSecRealtime: 0, NextElapseUSecMonotonic: 5_000_000_000 + 1_800_000_000 },
      [],
      clock,
    );
    expect(mono.nextRun).toBe('2026-12-06T14:30:00.000Z');
    expect(mono.unit).toBe('tick.service');
  });

  it('lists a socket’s listen addresses and names its service', () => {
    const s = socketDetail(
      {
        Listen: [
          ['Stream', '/run/user/1000/echo.sock'],
          ['Datagram', '127.0.0.1:9'],
        ],
        NAccepted: 4,
      },
      ['echo.service'],
    );
    expect(s).toEqual({
      listen: [
        { type: 'Stream', address: '/run/user/1000/echo.sock' },
        { type: 'Datagram', address: '127.0.0.1:9' },
      ],
      service: 'echo.service',
      accepted: 4,
      connections: 0,
    });
    expect(listenWords(s.listen[0]!)).toBe('Stream · /run/user/1000/echo.sock');
    expect(runWords(null, 0, 'next')).toBe('Not scheduled');
    expect(runWords(null, 0, 'last')).toBe('Never yet');
  });
});

describe('History records the final failure', () => {
  const NOW = Date.UTC(2026, 11, 6, 14, 0, 0);
  const rec = (patch: Partial<CrashRecord>): CrashRecord => ({
    at: new Date(NOW - 60_000).toISOString(),
    reason: 'auto-restart',
    exit: 'exited with status 2',
    restarts: 1,
    ...patch,
  });

  it('keeps gave-up records and their exit data through the store', () => {
    const kept = normaliseHistory(
      {
        'systemd:loop.service': [
          rec({ reason: 'gave-up', restarts: 5, code: 1, status: 2, result: 'start-limit-hit' }),
          rec({ reason: 'bogus' as never }),
          rec({ code: 'x' as never }),
        ],
      },
      50,
      200,
    );
    expect(kept['systemd:loop.service']).toHaveLength(1);
    expect(kept['systemd:loop.service']?.[0]).toMatchObject({ reason: 'gave-up', code: 1 });
  });

  it('says systemd gave up, how it ended, and marks the row as the final one', () => {
    const final = rec({
      reason: 'gave-up',
      restarts: 5,
      code: 1,
      status: 2,
      result: 'start-limit-hit',
    });
    expect(whatHappened(final)).toBe('systemd gave up after 5 restarts');
    expect(howItEnded(final)).toBe('Exited with status 2.');
    const [day] = historyDays([final, rec({ code: 2, status: 9 })], NOW);
    expect(day?.rows.map((r) => [r.what, r.how, r.restarts, r.final])).toEqual([
      ['systemd gave up after 5 restarts', 'Exited with status 2.', null, true],
      ['Crashed; systemd restarted it', 'Killed by SIGKILL.', 'Restart 1', false],
    ]);
    setLanguage('ko');
    expect(whatHappened(final)).toBe('5번 다시 시작한 뒤 systemd가 포기함');
  });
});
