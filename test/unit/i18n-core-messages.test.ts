import { afterEach, describe, expect, it } from 'vitest';
import { setLanguage } from '../../i18n/index.js';
import { argvIssues, unitNameIssue } from '../../main/core/systemd/unit-file.js';

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
});
