// Applies Settings.theme to the page. 'system' leaves the choice to prefers-color-scheme.
import type { Settings } from '../../../contract/index.js';

export function applyTheme(theme: Settings['theme']): void {
  const root = document.documentElement;
  if (theme === 'system') delete root.dataset.theme;
  else root.dataset.theme = theme;
}
