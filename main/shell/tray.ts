// The Electron Tray: an icon, a tooltip and the context menu built from the pure menu model.
//
// Linux quirks (Electron 45 tray docs; PLATFORM-NOTES "Desktop integration"):
// - The tray is a StatusNotifierItem. Changing a MenuItem does nothing until setContextMenu is
//   called again, so every change rebuilds and re-sets the whole menu.
// - Re-setting the menu while it is open closes it on some hosts, and snapshots change often
//   (CPU, memory): the menu is re-set only when the model actually changed.
// - `click` is the SNI Activate call: left click on most hosts, double click or nothing on
//   GNOME's AppIndicator extension (which opens the menu on left click). Everything the tray
//   does is therefore also in the menu.
// - PNG icons only; a `name@2x.png` next to `name.png` is picked for HiDPI by nativeImage.
import { Menu, Tray, nativeImage } from 'electron';
import { join } from 'node:path';
import type { Settings, Snapshot } from '../core/model/domain.js';
import {
  buildTrayMenu,
  trayIconFile,
  type TrayCommand,
  type TrayModel,
} from '../core/tray/menu-model.js';
import { toMenuTemplate } from './tray-template.js';

export interface TrayDeps {
  /** Directory holding tray-{normal,warning}-{light,dark}[@2x].png. */
  iconDir: string;
  snapshot(): Snapshot;
  settings(): Settings;
  systemDark(): boolean;
  /** A panel colour that does not follow the system (panelThemeFor), or null. */
  panelTheme: 'light' | 'dark' | null;
  run(command: TrayCommand): void;
  /** Left click / activate, where the host sends it. */
  activate(): void;
  /** Unseen crashes of far hosts (issue 17), by host. */
  farCrashes?(): Array<{ host: string; count: number }>;
}

export interface TrayController {
  /** Rebuild from the current snapshot and settings; cheap when nothing visible changed. */
  refresh(): void;
  destroy(): void;
}

export function createTray(deps: TrayDeps): TrayController {
  let shown: { key: string; icon: string } | null = null;
  const model = (): TrayModel =>
    buildTrayMenu(deps.snapshot(), deps.settings(), {
      systemDark: deps.systemDark(),
      panelTheme: deps.panelTheme,
      now: Date.now(),
      ...(deps.farCrashes ? { farCrashes: deps.farCrashes() } : {}),
    });
  const iconPath = (m: TrayModel) => join(deps.iconDir, trayIconFile(m.icon));

  const first = model();
  const tray = new Tray(nativeImage.createFromPath(iconPath(first)));
  tray.on('click', () => deps.activate());

  function apply(m: TrayModel): void {
    const key = JSON.stringify([m.items, m.tooltip]);
    const icon = iconPath(m);
    if (shown?.icon !== icon) tray.setImage(nativeImage.createFromPath(icon));
    if (shown?.key !== key) {
      tray.setToolTip(m.tooltip);
      tray.setContextMenu(
        Menu.buildFromTemplate(toMenuTemplate(m.items, (command) => deps.run(command))),
      );
    }
    shown = { key, icon };
  }

  apply(first);
  return {
    refresh: () => {
      if (!tray.isDestroyed()) apply(model());
    },
    destroy: () => {
      if (!tray.isDestroyed()) tray.destroy();
    },
  };
}
