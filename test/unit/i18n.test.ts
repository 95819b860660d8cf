// The language choice (gettext's order of LANGUAGE, LC_ALL, LC_MESSAGES, LANG) and the Intl
// formatting in both languages.
import { afterEach, describe, expect, it } from 'vitest';
import { resolveLanguage, setLanguage, t } from '../../i18n/index.js';
import { formatBytes, formatDuration, formatNumber, formatRelative } from '../../i18n/format.js';

afterEach(() => setLanguage('en'));

describe('resolveLanguage', () => {
  it.each([
    [{ LANG: 'ko_KR.UTF-8' }, 'ko'],
    [{ LANG: 'C' }, 'en'],
    [{ LANG: 'C.UTF-8', LANGUAGE: 'ko' }, 'en'],
    [{ LANG: 'en_US.UTF-8', LANGUAGE: 'fr:ko:en' }, 'ko'],
    [{ LANG: 'ko_KR.UTF-8', LC_MESSAGES: 'en_GB.UTF-8' }, 'en'],
    [{ LANG: 'en_US.UTF-8', LC_ALL: 'ko_KR.UTF-8' }, 'ko'],
    [{ LANG: 'de_DE.UTF-8' }, 'en'],
    [{}, 'en'],
  ] as const)('%o -> %s', (env, language) => {
    expect(resolveLanguage(env)).toBe(language);
  });

  it('a chosen language wins over the environment', () => {
    expect(resolveLanguage({ LANG: 'ko_KR.UTF-8' }, 'en')).toBe('en');
    expect(resolveLanguage({ LANG: 'C' }, 'ko')).toBe('ko');
  });
});

describe('formatting follows the language', () => {
  it('English', () => {
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(5 * 1024 * 1024)).toBe('5 MiB');
    expect(formatNumber(12345)).toBe('12,345');
    expect(formatDuration(3_725_000)).toMatch(/^1 hr,? 2 min$/);
    expect(formatRelative(Date.now() - 40_000)).toBe('40 seconds ago');
    expect(t('common:language.system')).toBe('System language');
  });

  it('Korean', () => {
    setLanguage('ko');
    expect(formatDuration(3_725_000)).toBe('1시간 2분');
    expect(formatRelative(Date.now() - 40_000)).toBe('40초 전');
    expect(t('common:language.system')).toBe('시스템 언어');
  });
});

describe('t() keeps a message without options for as long as the language holds', () => {
  it('gives each language its own words, back and forth', () => {
    expect(t('common:actions.close')).toBe('Close');
    expect(t('common:actions.close')).toBe('Close');
    setLanguage('ko');
    expect(t('common:actions.close')).not.toBe('Close');
    expect(t('common:actions.close')).toBe(t('common:actions.close', {}));
    setLanguage('en');
    expect(t('common:actions.close')).toBe('Close');
  });

  it('interpolates every call that has options', () => {
    expect(t('common:units.bytes', { value: '1', unit: 'KiB' })).toBe('1 KiB');
    expect(t('common:units.bytes', { value: '2', unit: 'MiB' })).toBe('2 MiB');
  });
});
