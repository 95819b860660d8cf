// Turns the tray menu model into Electron menu template items. Pure (types only from electron)
// so the mapping is unit-tested; tray.ts hands the result to Menu.buildFromTemplate.
import type { MenuItemConstructorOptions } from 'electron';
import type { TrayCommand, TrayMenuItem } from '../core/tray/menu-model.js';

/**
 * Menu labels treat `&` as a mnemonic marker (Chromium converts Windows-style `&` to GTK's and
 * dbusmenu's `_`, escaping real underscores itself), so a literal `&` in a unit description or
 * a name must be doubled.
 */
export function escapeMenuLabel(label: string): string {
  return label.replaceAll('&', '&&');
}

export function toMenuTemplate(
  items: readonly TrayMenuItem[],
  run: (command: TrayCommand) => void,
): MenuItemConstructorOptions[] {
  return items.map((item): MenuItemConstructorOptions => {
    switch (item.kind) {
      case 'separator':
        return { id: item.id, type: 'separator' };
      case 'note':
        return { id: item.id, label: escapeMenuLabel(item.label), enabled: false };
      case 'toggle':
      case 'action': {
        const { command } = item;
        return {
          id: item.id,
          label: escapeMenuLabel(item.label),
          enabled: item.enabled && command !== null,
          ...(item.kind === 'toggle' ? { type: 'checkbox' as const, checked: item.checked } : {}),
          ...(command !== null ? { click: () => run(command) } : {}),
        };
      }
    }
  });
}
