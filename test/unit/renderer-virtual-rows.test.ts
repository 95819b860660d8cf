import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allRows,
  rowOffset,
  rowWindow,
  scrollToShow,
} from '../../renderer/src/panel/virtual-rows.js';

const fixed = (h: number) => () => h;

describe('rowWindow', () => {
  it('renders the rows in view plus the overscan, the rest as padding', () => {
    // 1,000 rows of 50 px starting at 100; the view shows 500..1060.
    const w = rowWindow(1000, fixed(50), 100, 500, 560, 100);
    expect(w).toEqual({ start: 6, end: 22, padTop: 300, padBottom: 978 * 50 });
  });

  it('a list wholly above or below the view renders nothing and keeps its height', () => {
    expect(rowWindow(10, fixed(40), 0, 5000, 500, 0)).toEqual({
      start: 10,
      end: 10,
      padTop: 400,
      padBottom: 0,
    });
    expect(rowWindow(10, fixed(40), 9000, 0, 500, 0)).toEqual({
      start: 0,
      end: 0,
      padTop: 0,
      padBottom: 400,
    });
  });

  it('keeps every row at its place whatever the heights and the scroll position', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 200 }), { maxLength: 300 }),
        fc.integer({ min: 0, max: 500 }),
        fc.integer({ min: 0, max: 40_000 }),
        fc.integer({ min: 1, max: 2000 }),
        fc.integer({ min: 0, max: 800 }),
        (heights, listTop, viewTop, viewHeight, overscan) => {
          const total = heights.reduce((a, b) => a + b, 0);
          const w = rowWindow(
            heights.length,
            (i) => heights[i]!,
            listTop,
            viewTop,
            viewHeight,
            overscan,
          );
          const inside = heights.slice(w.start, w.end).reduce((a, b) => a + b, 0);
          // Padding + rendered rows is the whole list: the scrollbar stays true.
          expect(w.padTop + inside + w.padBottom).toBe(total);
          expect(w.padTop).toBe(heights.slice(0, w.start).reduce((a, b) => a + b, 0));
          // Every row that meets the widened view is rendered; none outside it is.
          let y = listTop;
          heights.forEach((h, i) => {
            const meets = y + h > viewTop - overscan && y < viewTop + viewHeight + overscan;
            expect(i >= w.start && i < w.end, `row ${i}`).toBe(meets);
            y += h;
          });
        },
      ),
    );
  });

  it('allRows is the whole list', () => {
    expect(allRows(7)).toEqual({ start: 0, end: 7, padTop: 0, padBottom: 0 });
  });
});

describe('moving the keyboard focus', () => {
  it('finds a row by its index', () => {
    expect(rowOffset(3, (i) => 10 + i)).toEqual({ top: 10 + 11 + 12, height: 13 });
  });

  it('scrolls as little as needed to show a row', () => {
    expect(scrollToShow(1000, 500, 1200, 50)).toBe(1000);
    expect(scrollToShow(1000, 500, 900, 50)).toBe(892);
    expect(scrollToShow(1000, 500, 1480, 50)).toBe(1538 - 500);
    expect(scrollToShow(0, 500, 4, 50)).toBe(0);
  });
});
