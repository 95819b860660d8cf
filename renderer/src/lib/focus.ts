// Where keyboard focus goes when what holds it goes away (a closed error line, a dismissed
// banner): to the nearest control before it in the page's order, else the nearest after it, so
// a keyboard user keeps their place instead of starting again from the top of the page.

const TABBABLE =
  'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

function visible(el: HTMLElement): boolean {
  return el.getClientRects().length > 0;
}

/** Focuses the control nearest `gone` (outside it), before it first. False when there is none. */
export function focusBeside(gone: Element): boolean {
  const all = Array.from(document.querySelectorAll<HTMLElement>(TABBABLE)).filter(
    (el) => !gone.contains(el) && visible(el),
  );
  const before = all.filter(
    (el) => (gone.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_PRECEDING) !== 0,
  );
  const target = before.at(-1) ?? all.find((el) => !before.includes(el));
  target?.focus();
  return target !== undefined;
}
