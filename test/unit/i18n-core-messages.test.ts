import { afterEach, describe, expect, it } from 'vitest';
import { setLanguage } from '../../i18n/index.js';
import { argvIssues, unitNameIssue } from '../../main/core/systemd/unit-file.js';
import { migrateSettings } from '../../main/core/settings/settings-schema.js';
import { pollIntervalSchema } from '../../contract/settings-schemas.js';
import { runTransaction } from '../../main/core/systemd/transaction.js';
import { AppFailure, appError } from '../../main/core/errors.js';
import { couldNot } from '../../main/core/store/file-store.js';
import { jobNotices } from '../../main/core/cron/cron-service.js';
import { CrontabDocument } from '../../main/core/cron/crontab-document.js';
import { launchDetached, parseSignal } from '../../main/core/processes/control.js';
import { checkRule } from '../../main/core/processes/watch-rules.js';
import { requireVerified } from '../../main/core/systemd/unit-checks.js';
import type { ProcessScanner } from '../../main/core/processes/proc-scanner.js';

const HANGUL = /[\uac00-\ud7a3]/;

/** The message of what `fn` throws (or rejects with). */
async function thrown(fn: () => unknown): Promise<string> {
  try {
    await fn();
  } catch (err) {
    return err instanceof AppFailure ? err.error.message : (err as Error).message;
  }
  throw new Error('it did not throw');
}

/** A change of two steps whose second fails: the first is undone. */
function failingChange(): Promise<string> {
  return thrown(() =>
    runTransaction('Creating web.service', [
      {
        name: 'write web.service',
        run: () => Promise.resolve(),
        undo: () => Promise.resolve(),
      },
      {
        name: 'start web.service',
        run: () => Promise.reject(new AppFailure(appError('internal', 'it broke.'))),
      },
    ]),
  );
}

describe('core validation messages follow the language (issue 13)', () => {
  afterEach(() => {
    setLanguage('en');
  });

  it('says the unit-file problems in English and in Korean', () => {
    expect(unitNameIssue('', 'service')).toBe('Enter a name.');
    expect(argvIssues(['a\nb'])[0]?.message).toBe(
      'The program contains a line break, which a unit file cannot hold on one line.',
    );
    setLanguage('ko');
    expect(unitNameIssue('', 'service')).toBe('이름을 입력하세요.');
    expect(argvIssues(['a\nb'])[0]?.message).toBe(
      '프로그램에 줄바꿈이 들어 있어 유닛 파일의 한 줄에 담을 수 없습니다.',
    );
  });

  it('says what was wrong in the settings in the language of the moment (zod messages too)', () => {
    const garbage = { theme: 'neon', pinned: [1, 2], pollIntervalMs: -5 };
    expect(migrateSettings(garbage, 0).report.issues).toEqual([
      'pinned: 2 values that are not entry ids were dropped.',
      'theme: "neon" could not be used (The theme is one of system, light or dark.); using "system".',
      'pollIntervalMs: -5 could not be used (The poll interval must be at least 1 second.); using 2000.',
    ]);
    setLanguage('ko');
    const ko = migrateSettings(garbage, 0).report.issues;
    expect(ko).toEqual([
      'pinned: 항목 ID가 아닌 값 2개를 버렸습니다.',
      'theme: "neon"은(는) 쓸 수 없어(테마는 system, light, dark 중 하나입니다.) "system"을(를) 씁니다.',
      'pollIntervalMs: -5은(는) 쓸 수 없어(확인 간격은 1초 이상이어야 합니다.) 2000을(를) 씁니다.',
    ]);
    // The shared schema (the settings:update channel) is read at check time, not at import.
    expect(pollIntervalSchema.safeParse(0.5).error?.issues[0]?.message).toBe(
      '확인 간격은 밀리초 단위의 정수입니다.',
    );
  });

  it('says a failed change and what was undone, in both languages', async () => {
    expect(await failingChange()).toBe(
      'Creating web.service failed at "start web.service": it broke; the step before it was undone.',
    );
    setLanguage('ko');
    expect(await failingChange()).toBe(
      'Creating web.service 중 "start web.service" 단계에서 실패했습니다: it broke. 그 앞의 1단계는 되돌렸습니다.',
    );
  });

  it('says store and crontab problems in both languages', () => {
    expect(couldNot('read', '/x/settings.json', 'EWHAT')).toBe(
      'Could not read /x/settings.json: EWHAT',
    );
    expect(jobNotices({ reboot: true, argv: ['foo'], command: 'foo' })[0]?.message).toMatch(
      /^"foo" is not an absolute path/,
    );
    const doc = CrontabDocument.parse('@reboot /bin/true\n');
    expect(() => doc.remove('nope')).toThrow('There is no crontab line with the key nope.');
    setLanguage('ko');
    expect(couldNot('read', '/x/settings.json', 'EWHAT')).toBe(
      '/x/settings.json을(를) 읽을 수 없습니다: EWHAT',
    );
    const notices = jobNotices({ reboot: true, argv: ['foo'], command: 'foo' });
    for (const n of notices) expect(n.message).toMatch(HANGUL);
    expect(() => doc.remove('nope')).toThrow('키가 nope인 crontab 줄이 없습니다.');
  });

  it('says process control, watch rule and unit check problems in both languages', async () => {
    const base = { name: 'web', pattern: 'x', full: false, exact: false, log: null };
    // The command is checked before the scanner is ever asked.
    const scanner = {} as ProcessScanner;
    const said = async () => [
      await thrown(() => parseSignal('NOPE')),
      checkRule({ ...base, start: [''], cwd: null }),
      checkRule({ ...base, start: null, cwd: 'rel' }),
      await thrown(() => launchDetached(scanner, { argv: [] })),
      await thrown(() => requireVerified({ ok: false, problems: ['bad line'] }, 'edit')),
    ];
    expect(await said()).toEqual([
      '"NOPE" is not a signal name or number.',
      'The start command is empty.',
      'The working directory must be absolute.',
      'Give a command to run.',
      'systemd refused the edit: bad line',
    ]);
    setLanguage('ko');
    expect(await said()).toEqual([
      '"NOPE"은(는) 시그널 이름이나 번호가 아닙니다.',
      '시작 명령이 비어 있습니다.',
      '작업 디렉터리는 절대 경로여야 합니다.',
      '실행할 명령을 입력하세요.',
      'systemd가 수정 내용을 거부했습니다: bad line',
    ]);
  });
});
