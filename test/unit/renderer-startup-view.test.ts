import { describe, expect, it } from 'vitest';
import type { Entry } from '../../main/core/model/domain.js';
import {
  openTarget,
  switchAction,
  switchMeaning,
  switchOn,
} from '../../renderer/src/panel/row-view.js';
import {
  commandText,
  defaultName,
  shellWord,
  uniqueNotices,
} from '../../renderer/src/startup/startup-view.js';
import { serviceEntry } from '../helpers/entries.js';

function entry(patch: Partial<Entry>): Entry {
  return serviceEntry('web.service', { actions: ['start'], ...patch });
}

describe('panel rows', () => {
  it('a service switch is running: start when stopped, stop when running', () => {
    expect(switchOn(entry({}))).toBe(false);
    expect(switchAction(entry({}))).toBe('start');
    const running = entry({ state: 'running', actions: ['stop', 'restart'] });
    expect(switchOn(running)).toBe(true);
    expect(switchAction(running)).toBe('stop');
    expect(openTarget(running)).toBe('detail');
  });

  it('an @reboot line switch is "at boot", whatever runs now', () => {
    const cron = entry({
      id: 'cron:1a2b3c4d',
      kind: 'cron',
      state: 'running',
      actions: ['stop', 'disable'],
    });
    expect(switchOn(cron)).toBe(true);
    expect(switchAction(cron)).toBe('disable');
    const off = {
      ...cron,
      state: 'stopped' as const,
      actions: ['start' as const, 'enable' as const],
    };
    expect(switchOn(off)).toBe(false);
    expect(switchAction(off)).toBe('enable');
    expect(openTarget(cron)).toBe('startup');
    expect(switchMeaning(cron)).toBe('Starts at boot.');
    expect(switchMeaning(off)).toBe('Does not start at boot.');
    expect(switchMeaning(entry({}))).toBeNull();
  });

  it('an autostart file switch only asks for an action the entry lists', () => {
    const auto = entry({ id: 'autostart:a.desktop', kind: 'autostart', actions: ['disable'] });
    expect(switchOn(auto)).toBe(true);
    expect(switchAction(auto)).toBe('disable');
    const none = entry({ id: 'autostart:b.desktop', kind: 'autostart', actions: [] });
    expect(switchAction(none)).toBeNull();
    const session = entry({
      id: 'session:tmux:x',
      kind: 'session',
      state: 'running',
      actions: ['stop'],
    });
    expect(switchAction(session)).toBe('stop');
    const rule = entry({ id: 'process:r', kind: 'process', actions: [] });
    expect(switchAction(rule)).toBeNull();
  });
});

describe('startup wizard words', () => {
  it('shows a command so a shell reads back the same words', () => {
    expect(commandText(['/bin/sleep', '1000'])).toBe('/bin/sleep 1000');
    expect(shellWord('a b')).toBe("'a b'");
    expect(shellWord("it's")).toBe(`'it'\\''s'`);
    expect(shellWord('')).toBe("''");
  });

  it('names a unit after the entry, else after the program', () => {
    expect(defaultName(['/usr/bin/syncthing', 'serve'], null)).toBe('syncthing');
    expect(defaultName(['/x/y'], 'process:my-bot')).toBe('my-bot');
    expect(defaultName(['/x/y'], 'autostart:tray.desktop')).toBe('tray');
    expect(defaultName(['/x/y'], 'cron:1a2b3c4d')).toBe('y');
  });

  it('shows each notice once, warnings first', () => {
    const info = { code: 'no-display' as const, message: 'a', severity: 'info' as const };
    const warn = { code: 'cron-not-running' as const, message: 'b', severity: 'warning' as const };
    expect(uniqueNotices([info, warn], [warn])).toEqual([warn, info]);
  });
});
