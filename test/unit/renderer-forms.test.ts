// The forms' shared checks, the Strays page's grouping and ignore list, and the Start
// automatically view helpers, in both languages.
import { afterEach, describe, expect, it } from 'vitest';
import { setLanguage } from '../../i18n/index.js';
import {
  required,
  takenUnits,
  unitClash,
  watchClash,
} from '../../renderer/src/components/form-rules.js';
import { groupStrays, unignored, withIgnored } from '../../renderer/src/strays/stray-groups.js';
import { fileSlug, mechanismLabel, undoLabel } from '../../renderer/src/startup/startup-view.js';
import { parsePollSeconds, muteUntilText } from '../../renderer/src/settings/settings-view.js';

afterEach(() => setLanguage('en'));

describe('form checks', () => {
  it('says an empty required field needs something, in the current language', () => {
    expect(required('  ', 'name')).toBe('Enter a name.');
    expect(required('x', 'name')).toBeNull();
    setLanguage('ko');
    expect(required('', 'command')).toBe('실행할 명령을 입력하세요.');
  });

  it('finds a unit name that is taken, from the snapshot ids', () => {
    const taken = takenUnits(['systemd:web.service', 'cron:1d2abe63', 'systemd:web.socket']);
    expect(taken).toEqual(['web.service', 'web.socket']);
    expect(unitClash(['web.service'], taken)).toBe(
      'web.service already exists: pick another name.',
    );
    expect(unitClash(['api.service'], taken)).toBeNull();
    expect(watchClash(' bot ', ['bot'])).toMatch(/“bot” already exists/);
    expect(watchClash('', ['bot'])).toBeNull();
  });
});

describe('strays', () => {
  const s = (pid: number, command: string, startedAt: string) => ({ pid, command, startedAt });

  it('groups identical strays, oldest first, groups by their oldest', () => {
    const groups = groupStrays([
      s(3, 'sleep 100', '2026-01-01T00:00:03Z'),
      s(1, 'python3 bot.py', '2026-01-01T00:00:02Z'),
      s(2, 'sleep 100', '2026-01-01T00:00:01Z'),
    ]);
    expect(groups.map((g) => [g.command, g.strays.map((x) => x.pid)])).toEqual([
      ['sleep 100', [2, 3]],
      ['python3 bot.py', [1]],
    ]);
  });

  it('keeps the same command on two machines in two groups, each naming its host', () => {
    const groups = groupStrays([
      s(3, 'sleep 100', '2026-01-01T00:00:03Z'),
      { ...s(3, 'sleep 100', '2026-01-01T00:00:01Z'), host: 'nas' },
      { ...s(4, 'sleep 100', '2026-01-01T00:00:04Z'), host: 'nas' },
    ]);
    expect(groups.map((g) => [g.host, g.command, g.strays.map((x) => x.pid)])).toEqual([
      ['nas', 'sleep 100', [3, 4]],
      [undefined, 'sleep 100', [3]],
    ]);
    expect(new Set(groups.map((g) => g.key)).size).toBe(2);
  });

  it('leaves ignored ones out and keeps the ignore list free of repeats', () => {
    const all = [s(1, 'a', 'x'), s(2, 'b', 'x'), s(3, 'a', 'x')];
    expect(unignored(all, ['a']).map((x) => x.pid)).toEqual([2]);
    expect(withIgnored(['a'], 'a', true)).toEqual(['a']);
    expect(withIgnored(['a', 'b'], 'a', false)).toEqual(['b']);
  });
});

describe('start automatically view', () => {
  it('makes the file name the core makes', () => {
    expect(fileSlug('My Notes')).toBe('my-notes');
    expect(fileSlug('...')).toBe('command');
  });

  it('names the ways and the undo of a move in words', () => {
    expect(mechanismLabel('cron')).toBe('Crontab @reboot');
    expect(undoLabel('systemd', true)).toBe('Undo: put it back as it was');
    setLanguage('ko');
    expect(mechanismLabel('systemd')).toBe('사용자 서비스');
  });
});

describe('settings view in Korean', () => {
  it('says what is wrong and until when, in the language', () => {
    setLanguage('ko');
    expect(parsePollSeconds('0')).toEqual({
      ok: false,
      message: '1에서 60 사이의 정수(초)를 입력하세요.',
    });
    expect(muteUntilText(null, 0)).toBe('다시 켤 때까지');
  });
});

describe('the ignoredStrays setting', () => {
  it('keeps a list of command lines once each, and replaces garbage with none', async () => {
    const { normaliseSettings } = await import('../../main/core/settings/settings-schema.js');
    expect(
      normaliseSettings({ ignoredStrays: ['a b', 'a b', 'c'] }, 0).settings.ignoredStrays,
    ).toEqual(['a b', 'c']);
    const bad = normaliseSettings({ ignoredStrays: 'a' }, 0);
    expect(bad.settings.ignoredStrays).toEqual([]);
    expect(bad.issues[0]).toMatch(/^ignoredStrays:/);
  });
});
