// Crash alerts in the core's language: the notification's words and its Restart button, and the
// exit sentence systemd's numbers become, follow the language setting (English by default).
import { afterEach, describe, expect, it } from 'vitest';
import { setLanguage } from '../../i18n/index.js';
import { crashNotification } from '../../main/core/notify/crash-message.js';
import { exitSummary } from '../../main/core/systemd/unit-model.js';

const crash = {
  id: 'systemd:web.service',
  name: 'web.service',
  kind: 'service' as const,
  at: '2026-01-01T00:00:00.000Z',
  reason: 'failed' as const,
  restarts: 0,
};

describe('crash alerts in Korean', () => {
  afterEach(() => setLanguage('en'));

  it('says the crash, the exit and the actions in Korean', () => {
    setLanguage('ko');
    const exit = exitSummary('exit-code', 1, 2);
    expect(exit).toBe('종료되었습니다 (상태 2)');
    const n = crashNotification(crash, { exit, logLines: ['a'] }, 3, 0);
    expect(n.summary).toBe('web.service 비정상 종료 (3회)');
    expect(n.body).toBe('종료되었습니다 (상태 2).\na');
    expect(n.actions).toEqual([
      ['restart', '다시 시작'],
      ['show-logs', '로그 보기'],
      ['mute-hour', '1시간 동안 알림 끄기'],
    ]);
    const restarting = crashNotification(
      { ...crash, reason: 'auto-restart' },
      { exit: null, logLines: [] },
      1,
      0,
    );
    expect(restarting.body).toBe('종료 상태를 알 수 없습니다. systemd가 다시 시작하는 중입니다.');
    expect(exitSummary('signal', 2, 9)).toBe('시그널 SIGKILL에 의해 종료되었습니다');
  });

  it('is English by default, with the action ids unchanged', () => {
    const n = crashNotification(crash, { exit: exitSummary(null, 2, 9), logLines: [] }, 1, 0);
    expect(n.summary).toBe('web.service crashed');
    expect(n.body).toBe('It was killed by signal SIGKILL.');
    expect(n.actions.map(([id]) => id)).toEqual(['restart', 'show-logs', 'mute-hour']);
  });
});
