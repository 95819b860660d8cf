import { DEFAULT_SETTINGS } from '../../main/core/settings/settings.js';
import type { MenuItem, MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../main/core/model/domain.js';
import { buildTrayMenu, type TrayCommand } from '../../main/core/tray/menu-model.js';
import { escapeMenuLabel, toMenuTemplate } from '../../main/shell/tray-template.js';
import { trayEntry } from '../helpers/entries.js';

const snap: Snapshot = {
  version: 1,
  generatedAt: '2025-01-01T00:00:00.000Z',
  entries: [trayEntry('bad.service', 'failed'), trayEntry('R&D.service', 'running')],
  sources: { systemd: { status: 'connecting' } },
};

function click(item: MenuItemConstructorOptions | undefined): void {
  if (item?.click === undefined) throw new Error(`item ${String(item?.id)} has no click`);
  // Electron passes (menuItem, window, event); the template ignores all three.
  item.click({} as MenuItem, undefined, {});
}

describe('toMenuTemplate', () => {
  const model = buildTrayMenu(
    { ...snap, sources: { systemd: { status: 'ok' } } },
    { ...DEFAULT_SETTINGS, pinned: ['systemd:R&D.service', 'systemd:gone.service'] },
    { systemDark: false },
  );
  const ran: TrayCommand[] = [];
  const template = toMenuTemplate(model.items, (c) => ran.push(c));
  const byId = (id: string) => template.find((t) => t.id === id);

  it('keeps order and kinds: actions, separators, checkboxes', () => {
    expect(template.map((t) => [t.type ?? 'normal', t.label ?? ''])).toEqual([
      ['normal', 'Restart bad.service'],
      ['separator', ''],
      ['checkbox', 'R&&D.service — running'],
      ['checkbox', 'gone.service — not found'],
      ['separator', ''],
      ['checkbox', 'Pause alerts'],
      ['normal', 'Open Daemon Deck'],
      ['normal', 'Quit'],
    ]);
    expect(byId('toggle:systemd:R&D.service')).toMatchObject({ checked: true, enabled: true });
    expect(byId('toggle:systemd:gone.service')).toMatchObject({ checked: false, enabled: false });
    expect(byId('toggle:systemd:gone.service')?.click).toBeUndefined();
  });

  it('clicking an item runs its command', () => {
    click(byId('restart:systemd:bad.service'));
    click(byId('toggle:systemd:R&D.service'));
    click(byId('pause-alerts'));
    click(byId('open'));
    click(byId('quit'));
    expect(ran).toEqual([
      { type: 'act', entryId: 'systemd:bad.service', action: 'restart' },
      { type: 'act', entryId: 'systemd:R&D.service', action: 'stop' },
      { type: 'pause-alerts', paused: true },
      { type: 'open-panel' },
      { type: 'quit' },
    ]);
  });

  it('notes are disabled labels', () => {
    const t = toMenuTemplate(
      buildTrayMenu(snap, DEFAULT_SETTINGS, { systemDark: false }).items,
      () => {},
    );
    expect(t[0]).toEqual({ id: 'status', label: 'Connecting to systemd…', enabled: false });
  });
});

describe('escapeMenuLabel', () => {
  it('doubles ampersands and leaves the rest alone', () => {
    expect(escapeMenuLabel('a&b && c_d')).toBe('a&&b &&&& c_d');
    expect(escapeMenuLabel('plain')).toBe('plain');
  });
});
