// Which rows of a long list to put in the DOM: those in view plus a margin, with the heights of
// the rest kept as padding so the scrollbar and every row's position stay true. Pure.
//
// The panel keeps every row in the DOM up to VIRTUAL_FROM rows (small lists stay plain, every row
// findable by the browser and by tests); beyond that Svelte would re-render and the browser lay
// out a thousand rows on every snapshot, far over a frame's 16 ms (test/bench/panel.bench.test.ts).

export const VIRTUAL_FROM = 150;
/** Rows rendered beyond each edge of the view, in pixels. */
export const OVERSCAN_PX = 600;

export interface RowWindow {
  /** First row rendered. */
  start: number;
  /** One past the last row rendered. */
  end: number;
  /** Height of the rows before `start` and after `end`. */
  padTop: number;
  padBottom: number;
}

export function allRows(count: number): RowWindow {
  return { start: 0, end: count, padTop: 0, padBottom: 0 };
}

/**
 * The rows of one list, whose first row starts at `listTop` (in the scroller's content
 * coordinates), that meet the view [viewTop, viewTop + viewHeight] widened by `overscan`.
 */
export function rowWindow(
  count: number,
  heightOf: (index: number) => number,
  listTop: number,
  viewTop: number,
  viewHeight: number,
  overscan = OVERSCAN_PX,
): RowWindow {
  const from = viewTop - overscan;
  const to = viewTop + viewHeight + overscan;
  let y = listTop;
  let start = -1;
  let end = count;
  let padTop = 0;
  let padBottom = 0;
  for (let i = 0; i < count; i++) {
    const h = heightOf(i);
    if (end === count && y >= to) end = i;
    if (end === count && start < 0 && y + h > from) {
      start = i;
      padTop = y - listTop;
    }
    if (end !== count) padBottom += h;
    y += h;
  }
  if (start < 0) {
    // No row meets the view: the list is wholly above it (all padding on top) or below it.
    start = end;
    padTop = y - listTop - padBottom;
  }
  return { start, end, padTop, padBottom };
}

/** Where a row is within its list: its top offset from the list's top, and its height. */
export function rowOffset(
  index: number,
  heightOf: (index: number) => number,
): {
  top: number;
  height: number;
} {
  let top = 0;
  for (let i = 0; i < index; i++) top += heightOf(i);
  return { top, height: heightOf(index) };
}

/** The scrollTop that brings [top, top + height] into a view of `viewHeight`, moving least. */
export function scrollToShow(
  scrollTop: number,
  viewHeight: number,
  top: number,
  height: number,
  margin = 8,
): number {
  if (top - margin < scrollTop) return Math.max(0, top - margin);
  if (top + height + margin > scrollTop + viewHeight) return top + height + margin - viewHeight;
  return scrollTop;
}
