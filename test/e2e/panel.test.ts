// The tray panel in real Chromium against the real core and a private systemd --user.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failingUnit, sleeperUnit, waitFor } from '../helpers/units.js';
import type { RecordedPage } from './browser.js';
import { ARTIFACTS, type E2e, press, screenshots, startE2e } from './e2e-setup.js';

describe('tray panel', () => {
  let e2e: E2e;
  let recorded: RecordedPage;
  let page: Page;

  beforeAll(async () => {
    e2e = await startE2e({
      label: 'panel',
      units: {
        'dd-web.service': sleeperUnit('Local web server'),
        'dd-worker.service': sleeperUnit('Queue worker'),
        'dd-crash.service': failingUnit(3),
      },
      async prepare(sb) {
        await sb.systemctl('start', 'dd-web.service');
        // A oneshot that exits 3 leaves the unit failed.
        await sb.systemctl('start', 'dd-crash.service');
      },
    });
    recorded = await e2e.open('panel.html');
    page = recorded.page;
    // A marker that a reload would wipe: the list must follow systemd without one.
    await page.evaluate('window.__notReloaded = true');
  });

  afterAll(async () => {
    await e2e?.stop();
  });

  const row = (name: string) => page.getByRole('switch', { name, exact: true });
  const notReloaded = () => page.evaluate('window.__notReloaded === true');

  it('lists the units in groups, failed first, with their state on each switch', async () => {
    await expect.poll(() => row('dd-web.service').getAttribute('aria-checked')).toBe('true');
    expect(await row('dd-worker.service').getAttribute('aria-checked')).toBe('false');
    expect(await row('dd-crash.service').getAttribute('aria-checked')).toBe('false');

    const headings = await page.getByRole('heading', { level: 2 }).allTextContents();
    expect(headings[0]).toBe('Failed');
    expect(headings).toContain('Services');
    expect(headings).toContain('Sockets'); // the sandbox's own dbus.socket
    const failed = page.getByRole('region', { name: 'Failed' });
    await expect.poll(() => failed.getByRole('switch').count()).toBe(1);
    expect(await failed.getByText('Exits with an error').isVisible()).toBe(true);
    expect(await page.getByText('Local web server').isVisible()).toBe(true);
    expect(await page.getByRole('status').filter({ hasText: 'units' }).textContent()).toMatch(
      /\d+ units · \d+ running · 1 failed/,
    );
    expect(await recorded.problems()).toEqual([]);
  });

  it('saves screenshots in light and dark', async () => {
    await screenshots(page, 'panel');
  });

  it('follows Settings.theme over the system preference, live', async () => {
    const background = () => page.evaluate('getComputedStyle(document.body).backgroundColor');
    await page.emulateMedia({ colorScheme: 'light' });
    const light = await background();
    e2e.settings.update({ theme: 'dark' });
    await expect.poll(background).not.toBe(light);
    const dark = await background();
    await page.emulateMedia({ colorScheme: 'dark' });
    e2e.settings.update({ theme: 'light' });
    await expect.poll(background).toBe(light);
    e2e.settings.update({ theme: 'system' });
    await expect.poll(background).toBe(dark);
    await page.emulateMedia({ colorScheme: 'light' });
    expect(await notReloaded()).toBe(true);
  });

  it('starts a unit from its switch, showing progress until systemd is done', async () => {
    const worker = row('dd-worker.service');
    await press(worker);
    await waitFor(
      async () => (await e2e.is('is-active', 'dd-worker.service')) === 'active',
      'dd-worker active',
    );
    await expect.poll(() => worker.getAttribute('aria-checked')).toBe('true');
    await expect.poll(() => worker.getAttribute('aria-busy')).toBe('false');
  });

  it('follows a stop made outside the app without a reload', async () => {
    await e2e.sb.systemctl('stop', 'dd-web.service');
    await expect.poll(() => row('dd-web.service').getAttribute('aria-checked')).toBe('false');
    expect(await notReloaded()).toBe(true);
  });

  it('shows a readable error when a start fails', async () => {
    await press(row('dd-crash.service'));
    const alert = page.getByRole('alert').filter({ hasText: 'dd-crash.service' });
    await alert.waitFor({ timeout: 15_000 });
    expect(await alert.textContent()).toMatch(/dd-crash\.service failed to start.*status 3/);
    expect(await e2e.is('is-active', 'dd-crash.service')).toBe('failed');
    await page.screenshot({ path: join(ARTIFACTS, 'panel-error.png') });
  });

  it('filters as you type, moves with arrows, toggles with Space and opens details with Enter', async () => {
    await page.locator('body').click({ position: { x: 5, y: 540 } });
    await page.keyboard.type('worker');
    expect(await page.getByRole('searchbox', { name: 'Search services' }).inputValue()).toBe(
      'worker',
    );
    await expect.poll(() => page.getByRole('switch').count()).toBe(1);

    await page.keyboard.press('ArrowDown');
    const worker = row('dd-worker.service');
    expect(await page.evaluate('document.activeElement?.getAttribute("aria-label")')).toBe(
      'dd-worker.service',
    );
    await waitFor(async () => (await worker.getAttribute('aria-disabled')) === 'false', 'ready');
    await page.keyboard.press('Space');
    await waitFor(
      async () => (await e2e.is('is-active', 'dd-worker.service')) !== 'active',
      'dd-worker stopped',
    ).catch(async (err: unknown) => {
      const html = await worker.evaluate('(el) => el.outerHTML');
      const calls = JSON.stringify(e2e.server.calls.slice(-3));
      throw new Error(`${String(err)}; the switch: ${String(html)}; last calls: ${calls}`);
    });
    await expect.poll(() => worker.getAttribute('aria-checked')).toBe('false');

    await page.keyboard.press('Enter');
    await waitFor(
      () => e2e.detailRequests.includes('systemd:dd-worker.service'),
      'open-detail request',
    );
    const detail = await waitFor(() => e2e.detailPages.at(-1), 'detail page');
    await detail.page.getByRole('heading', { name: 'dd-worker.service' }).waitFor();
    expect(await detail.problems()).toEqual([]);
  });

  it('says so when nothing matches, and shows everything again when cleared', async () => {
    const search = page.getByRole('searchbox', { name: 'Search services' });
    await search.fill('no-such-thing-here');
    expect(await page.getByText('No matches').isVisible()).toBe(true);
    expect(await page.getByRole('switch').count()).toBe(0);
    await search.press('Escape');
    await expect.poll(() => page.getByRole('switch').count()).toBeGreaterThan(2);
  });

  it('shows a banner while systemd is away and recovers when it returns', async () => {
    // systemctl reaches the manager over its private socket, so it can take the bus away
    // and bring it back.
    await e2e.sb.systemctl('stop', 'dbus.socket', 'dbus.service');
    const banner = page
      .getByRole('alert')
      .or(page.getByRole('status'))
      .filter({ hasText: /systemd/i });
    await banner.first().waitFor({ timeout: 20_000 });
    expect(await banner.first().textContent()).toMatch(/not available|connecting/i);
    await page.screenshot({ path: join(ARTIFACTS, 'panel-unavailable.png') });

    await e2e.sb.systemctl('start', 'dbus.socket');
    await banner.first().waitFor({ state: 'detached', timeout: 30_000 });
    await expect.poll(() => row('dd-worker.service').count(), { timeout: 10_000 }).toBe(1);
    expect(await notReloaded()).toBe(true);
    expect(await recorded.problems()).toEqual([]);
  });
});
