// The icon files the app and electron-builder expect, in one place: scripts/make-icons.js draws
// exactly these, electron-builder.yml points at their folders, and main/shell/tray.ts loads the
// tray ones by name (main/core/tray/menu-model.ts, trayIconFile).

/** App icon sizes; electron-builder's Linux targets read build/icons/NxN.png. */
export const APP_ICON_SIZES = [16, 24, 32, 48, 64, 128, 256, 512];

/** Tray icons are 22 px (the SNI/AppIndicator default) with a 44 px `@2x` for HiDPI panels. */
export const TRAY_SIZE = 22;
export const TRAY_STATUSES = ['normal', 'warning'];
/** The panel the icon sits on: 'dark' is a light glyph for a dark panel. */
export const TRAY_THEMES = ['light', 'dark'];

export function trayFileName(status, theme, scale) {
  return `tray-${status}-${theme}${scale === 2 ? '@2x' : ''}.png`;
}
