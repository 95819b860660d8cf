// The keys of an open menu (role="menu"), as the WAI-ARIA menu pattern has them: the arrows move
// through the items (round at the ends), Home and End go to the first and last, Escape closes it
// and gives focus back to what opened it, Tab closes it and lets focus move on.

/** The menu's items, in order. */
export function menuItems(menu: HTMLElement | null | undefined): HTMLElement[] {
  return menu ? Array.from(menu.querySelectorAll<HTMLElement>('[role="menuitem"]')) : [];
}

/** Handles a keydown inside the menu; `close(refocus)` closes it. */
export function onMenuKey(
  event: KeyboardEvent,
  menu: HTMLElement | null | undefined,
  close: (refocus: boolean) => void,
): void {
  const all = menuItems(menu);
  const i = all.indexOf(document.activeElement as HTMLElement);
  let next: HTMLElement | undefined;
  if (event.key === 'ArrowDown') next = all[(i + 1) % all.length];
  else if (event.key === 'ArrowUp') next = all[(i - 1 + all.length) % all.length];
  else if (event.key === 'Home') next = all[0];
  else if (event.key === 'End') next = all.at(-1);
  else if (event.key === 'Escape') {
    event.preventDefault();
    event.stopPropagation();
    close(true);
  } else if (event.key === 'Tab') close(false);
  if (next) {
    // The menu's own keys: the page behind it does not move too.
    event.preventDefault();
    event.stopPropagation();
    next.focus();
  }
}
