// The tray panel with a long list (300 user units): only the rows near the view are in the DOM,
// yet every unit is reachable by scrolling, by the keyboard and by search, and counted.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sleeperUnit, waitFor } from '../helpers/units.js';
import type { RecordedPage } from './browser.js';
import { shoot } from './a11y.js';
import { startE2e, type E2e } from './e2e-setup.js';

const UNITS = 300;
const name = (i: number) => `ds-${String(i).padStart(3, '0')}.service`;

describe('tray panel with 300 units', () => {
  let e2e: E2e;
  let recorded: RecordedPage;
  let page: Page;

  beforeAll(async () => {
    const units: Record<string, string> = {};
    for (let i = 0; i < UNITS; i++) units[name(i)] = sleeperUnit(`Scale unit ${i}`);
    e2e = await startE2e({
      label: 'panel-scale',
      units,
      async prepare(sb) {
        await sb.systemctl('start', name(0), name(150));
      },
    });
    recorded = await e2e.open('panel.html');
    page = recorded.page;
    await waitFor(async () => {
      const text = await page.locator('footer').getByRole('status').first().textContent();
      return Number(/^(\d+) units/.exec(text ?? '')?.[1] ?? 0) >= UNITS;
    }, 'the footer to count every unit');
  }, 120_000);

  afterAll(async () => {
    await e2e?.stop();
  });

  const row = (n: string) => page.getByRole('switch', { name: n, exact: true });

  const lastRowOfList = () =>
    page.evaluate<string>(
      "[...document.querySelectorAll('li[data-entry-id]')].at(-1)?.querySelector('[role=switch]')?.getAttribute('aria-label') ?? ''",
    );
  const focusedName = () =>
    page.evaluate<string>("document.activeElement?.getAttribute('aria-label') ?? ''");

  it('keeps only the rows near the view in the page, with their place in the group', async () => {
    await expect.poll(() => row(name(0)).getAttribute('aria-checked')).toBe('true');
    const inDom = await page.getByRole('switch').count();
    expect(inDom).toBeGreaterThan(5);
    expect(inDom).toBeLessThan(100);
    expect(await row(name(299)).count()).toBe(0);
    const first = page.locator(`li[data-entry-id="systemd:${name(0)}"]`);
    const second = page.locator(`li[data-entry-id="systemd:${name(1)}"]`);
    const at = Number(await first.getAttribute('aria-posinset'));
    expect(at).toBeGreaterThanOrEqual(1);
    expect(Number(await second.getAttribute('aria-posinset'))).toBe(at + 1);
    expect(Number(await first.getAttribute('aria-setsize'))).toBeGreaterThanOrEqual(UNITS);
    await shoot(page, 'panel-300');
  });

  it('shows every unit on the way down when scrolled through, with no gap', async () => {
    const seen = new Set<string>();
    const height = await page.evaluate<number>("document.querySelector('main').scrollHeight");
    for (let y = 0; y <= height; y += 300) {
      await page.evaluate(`document.querySelector('main').scrollTop = ${y}`);
      await page.evaluate('new Promise((r) => requestAnimationFrame(() => r(null)))');
      const names = await page.evaluate<string[]>(
        "[...document.querySelectorAll('[role=switch]')].map((s) => s.getAttribute('aria-label'))",
      );
      for (const n of names) seen.add(n);
    }
    for (let i = 0; i < UNITS; i++) expect(seen.has(name(i)), name(i)).toBe(true);
    // At the bottom, the list's last row is in view and the first is gone from the page.
    expect(await row(name(0)).count()).toBe(0);
    expect(await row(await lastRowOfList()).isVisible()).toBe(true);
    await page.evaluate("document.querySelector('main').scrollTop = 0");
    await expect.poll(() => row(name(0)).count()).toBe(1);
  });

  it('moves through every row with the keyboard: End, Home and the arrows', async () => {
    const firstName = await page.evaluate<string>(
      "document.querySelector('[role=switch]')?.getAttribute('aria-label') ?? ''",
    );
    await page.getByRole('searchbox', { name: 'Search names and descriptions' }).focus();
    await page.keyboard.press('ArrowDown');
    await expect.poll(focusedName).toBe(firstName);
    await page.keyboard.press('End');
    // The last row of the whole list, rendered only now, has the focus and is in view.
    await expect.poll(focusedName).not.toBe(firstName);
    const last = await focusedName();
    expect(await lastRowOfList()).toBe(last);
    expect(await row(last).isVisible()).toBe(true);
    expect(await row(firstName).count()).toBe(0);
    await page.keyboard.press('ArrowUp');
    await expect.poll(focusedName).not.toBe(last);
    await page.keyboard.press('Home');
    await expect.poll(focusedName).toBe(firstName);
    expect(await row(firstName).isVisible()).toBe(true);
    // Scrolled away from the last focused row, Tab from the filter chips (the last stop before
    // the list) still lands on a row that is in the page.
    await page.evaluate("document.querySelector('main').scrollTop = 1e9");
    await page.getByRole('button', { name: 'Mine', exact: true }).focus();
    await page.keyboard.press('Tab');
    const back = await focusedName();
    expect(back).not.toBe('');
    expect(await row(back).count()).toBe(1);
    await page.evaluate("document.querySelector('main').scrollTop = 0");
  });

  it('finds a unit far down the list by search, and toggles it', async () => {
    const search = page.getByRole('searchbox', { name: 'Search names and descriptions' });
    await search.fill('ds-27');
    await expect.poll(() => page.getByRole('switch').count()).toBe(10);
    await row(name(275)).click();
    await expect.poll(() => e2e.is('is-active', name(275))).toBe('active');
    await expect.poll(() => row(name(275)).getAttribute('aria-checked')).toBe('true');
    await search.fill('');
    expect(await recorded.problems()).toEqual([]);
  });
});
