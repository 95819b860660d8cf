// The tray panel in real Chromium against the real core and a private systemd --user: groups,
// switches and their progress, a failed row that says why and opens in place, the row menu (its
// … button, right-click, the Menu key, Shift+F10), Undo, stale and loading states, the keyboard.
import { describe, expect, it } from 'vitest';
import { sleeperUnit, waitFor } from '../helpers/units.js';
import { shoot } from './a11y.js';
import { press, e2eSuite } from './e2e-setup.js';

describe('tray panel', () => {
  const fx = e2eSuite({
    label: 'panel',
    units: {
      'dd-web.service': sleeperUnit('Local web server'),
      'dd-worker.service': sleeperUnit('Queue worker'),
      // Takes 4 s to stop: its row's stop is still in flight for that long.
      'dd-slowstop.service': [
        '[Unit]',
        'Description=Stops slowly',
        '[Service]',
        'ExecStart=/bin/sleep 41807',
        'ExecStop=/bin/sleep 4',
        '',
      ].join('\n'),
      // A oneshot that says why and exits 3: the unit is left failed.
      'dd-crash.service': [
        '[Unit]',
        'Description=Exits with an error',
        '[Service]',
        'Type=oneshot',
        'ExecStart=/bin/sh -c "echo cannot open /srv/data: no such file >&2; exit 3"',
        '',
      ].join('\n'),
      // Crashes at once, restarted until systemd gives up.
      'dd-flappy.service': [
        '[Unit]',
        'Description=Restarts until systemd gives up',
        'StartLimitIntervalSec=60',
        'StartLimitBurst=3',
        '[Service]',
        'ExecStart=/bin/sh -c "sleep 0.2; exit 1"',
        'Restart=always',
        'RestartSec=100ms',
        '',
      ].join('\n'),
    },
    async prepare(sb) {
      await sb.systemctl('start', 'dd-web.service', 'dd-flappy.service', 'dd-slowstop.service');
      await sb.systemctl('start', 'dd-crash.service');
      await waitFor(
        async () =>
          (await sb.systemctl('is-failed', 'dd-flappy.service')).stdout.trim() === 'failed',
        'dd-flappy to be given up on',
        20_000,
      );
    },
    open: 'panel.html',
    // A marker that a reload would wipe: the list must follow systemd without one.
    ready: ({ page }) => page.evaluate('window.__notReloaded = true'),
    timeout: 180_000,
  });

  const row = (name: string) => fx.page.getByRole('switch', { name, exact: true });
  const li = (name: string) => fx.page.locator(`li[data-entry-id="systemd:${name}"]`);
  const notReloaded = () => fx.page.evaluate('window.__notReloaded === true');
  const searchbox = () => fx.page.getByRole('searchbox', { name: 'Search names and descriptions' });
  it('lists the units in groups, failed first, with their state on each switch', async () => {
    await expect
      .poll(() => row('dd-web.service').getAttribute('aria-checked'), { timeout: 15_000 })
      .toBe('true');
    expect(await row('dd-worker.service').getAttribute('aria-checked')).toBe('false');
    expect(await row('dd-crash.service').getAttribute('aria-checked')).toBe('false');

    const headings = await fx.page.getByRole('heading', { level: 2 }).allTextContents();
    expect(headings[0]).toBe('Failed');
    expect(headings).toContain('Services');
    // The sandbox's own dbus.socket and friends are folded into System, closed.
    expect(headings.at(-1)?.trim()).toMatch(/^System/);
    expect(await fx.page.locator('#group-system').getAttribute('aria-expanded')).toBe('false');
    expect(await row('dbus.socket').count()).toBe(0);
    const failed = fx.page.getByRole('region', { name: 'Failed' });
    await expect.poll(() => failed.getByRole('switch').count()).toBe(2);
    expect(await fx.page.getByText('Local web server').isVisible()).toBe(true);
    expect(await fx.page.getByRole('status').filter({ hasText: 'units' }).textContent()).toMatch(
      /\d+ units · \d+ running · 2 failed/,
    );
    expect((await fx.recorded.problems()).join('\n')).toBe('');
  });

  it('says in a failed row’s second line why it failed: an exit status, giving up', async () => {
    await expect
      .poll(() => li('dd-crash.service').locator('.subtitle').textContent())
      .toMatch(/Exited with status 3 · \d+ seconds? ago|Exited with status 3 · now/);
    await expect
      .poll(() => li('dd-flappy.service').locator('.subtitle').textContent())
      .toMatch(/Gave up after \d+ restarts?/);
  });

  it('saves screenshots in light and dark, with no serious accessibility violation', async () => {
    await shoot(fx.page, 'panel');
  });

  it('opens a failed row in place: its last lines, Restart, Logs, Edit; Escape closes it', async () => {
    const main = li('dd-crash.service').locator('button.main');
    await main.click();
    expect(await main.getAttribute('aria-expanded')).toBe('true');
    const why = fx.page.getByRole('region', { name: 'Why dd-crash.service failed' });
    await why.waitFor();
    // The journal of the sandbox's manager has its line; where a journal is not readable the
    // region says why there are no lines instead.
    await expect
      .poll(() => why.textContent(), { timeout: 10_000 })
      .toMatch(/cannot open \/srv\/data|journal|logged nothing/i);
    expect(await why.getByRole('button', { name: 'Restart' }).count()).toBe(1);
    await shoot(fx.page, 'panel-failed-open');
    await why.getByRole('button', { name: 'Logs' }).click();
    await waitFor(
      () => fx.e2e.detailRequests.includes('systemd:dd-crash.service#logs'),
      'the Logs tab asked for',
    );
    await why.getByRole('button', { name: 'Edit' }).click();
    await waitFor(
      () => fx.e2e.detailRequests.includes('systemd:dd-crash.service#definition'),
      'the Definition tab asked for',
    );
    await why.getByRole('button', { name: 'Logs' }).focus();
    await fx.page.keyboard.press('Escape');
    await why.waitFor({ state: 'detached' });
    // Focus goes back to the row.
    expect(await fx.page.evaluate('document.activeElement?.getAttribute("aria-label")')).toBe(
      'dd-crash.service',
    );
  });

  it('has a menu on every row: the … button, right-click, the Menu key and Shift+F10', async () => {
    await fx.page.keyboard.press('Escape');
    const menu = fx.page.getByRole('menu', { name: 'Actions for dd-web.service' });
    const items = async () =>
      (await menu.getByRole('menuitem').allTextContents()).map((x) => x.trim());
    // dd-web runs: Restart, not Start.
    await li('dd-web.service')
      .getByRole('button', { name: 'More actions for dd-web.service' })
      .click();
    await menu.waitFor();
    expect(await items()).toEqual([
      'Restart',
      'Logs',
      'Details',
      'Pin to tray',
      'Mute alerts for an hour',
    ]);
    await shoot(fx.page, 'panel-row-menu');
    await fx.page.keyboard.press('Escape');
    await menu.waitFor({ state: 'detached' });
    expect(await fx.page.evaluate('document.activeElement?.getAttribute("aria-label")')).toBe(
      'More actions for dd-web.service',
    );

    await li('dd-web.service').locator('button.main').click({ button: 'right' });
    await menu.waitFor();
    await menu.getByRole('menuitem', { name: 'Pin to tray' }).click();
    await waitFor(
      () => fx.e2e.settings.get().pinned.includes('systemd:dd-web.service'),
      'pinned',
    ).catch((err: unknown) => {
      throw new Error(
        `${String(err)}; last calls: ${JSON.stringify(fx.e2e.server.calls.slice(-4))}`,
      );
    });
    await fx.page.getByText('1 in tray menu').waitFor();

    await row('dd-web.service').focus();
    await fx.page.keyboard.press('Shift+F10');
    await menu.waitFor();
    // State-aware: pinned now, so it offers to unpin.
    expect(await items()).toContain('Unpin from tray');
    await fx.page.keyboard.press('ArrowDown');
    await fx.page.keyboard.press('Escape');
    await menu.waitFor({ state: 'detached' });

    await row('dd-web.service').focus();
    await fx.page.keyboard.press('ContextMenu');
    await menu.waitFor();
    await menu.getByRole('menuitem', { name: 'Mute alerts for an hour' }).click();
    await li('dd-web.service').getByText('Muted', { exact: true }).waitFor();
    await row('dd-web.service').focus();
    await fx.page.keyboard.press('ContextMenu');
    expect(await items()).toContain('Unmute alerts');
    await fx.page.keyboard.press('Escape');
    expect((await fx.recorded.problems()).join('\n')).toBe('');
  });

  it('offers Undo for a few seconds after a switch, and Undo takes it back', async () => {
    await press(row('dd-web.service'));
    await waitFor(
      async () => (await fx.e2e.is('is-active', 'dd-web.service')) !== 'active',
      'dd-web stopped',
    );
    const footer = fx.page.locator('footer');
    const offer = footer.getByRole('status').filter({ hasText: 'Stopped dd-web.service.' });
    await offer.waitFor();
    // While the pointer or focus is on the offer it stays (a timeout people can stop).
    await offer.hover();
    await shoot(fx.page, 'panel-undo');
    await offer.getByRole('button', { name: 'Undo' }).click();
    await waitFor(
      async () => (await fx.e2e.is('is-active', 'dd-web.service')) === 'active',
      'dd-web started again by Undo',
    );
    await footer.getByText('Undone.').waitFor();
    // The offer goes away by itself.
    await footer.getByText('Undone.').waitFor({ state: 'detached', timeout: 10_000 });
  }, 180_000);

  it('reaches every control with Tab, each visibly focused', async () => {
    await searchbox().focus();
    const seen: string[] = [];
    for (let i = 0; i < 10; i++) {
      await fx.page.keyboard.press('Tab');
      const focused = await fx.page.evaluate<{
        name: string;
        outline: string;
        shadow: string;
      }>(`(() => {
        const el = document.activeElement;
        const style = getComputedStyle(el);
        return {
          name: el.getAttribute('aria-label') ?? el.textContent.trim(),
          outline: style.outlineStyle,
          shadow: style.boxShadow,
        };
      })()`);
      seen.push(focused.name);
      expect(focused.outline !== 'none' || focused.shadow !== 'none', focused.name).toBe(true);
    }
    expect(seen.slice(0, 4)).toEqual(['All', 'Failed', 'Running', 'Mine']);
    // The current row's switch and its … button.
    expect(seen.some((n) => n.startsWith('More actions for '))).toBe(true);
  });

  it('follows Settings.theme over the system preference, live', async () => {
    const background = () => fx.page.evaluate('getComputedStyle(document.body).backgroundColor');
    await fx.page.emulateMedia({ colorScheme: 'light' });
    const light = await background();
    fx.e2e.settings.update({ theme: 'dark' });
    await expect.poll(background).not.toBe(light);
    const dark = await background();
    await fx.page.emulateMedia({ colorScheme: 'dark' });
    fx.e2e.settings.update({ theme: 'light' });
    await expect.poll(background).toBe(light);
    fx.e2e.settings.update({ theme: 'system' });
    await expect.poll(background).toBe(dark);
    await fx.page.emulateMedia({ colorScheme: 'light' });
    expect(await notReloaded()).toBe(true);
  });

  it('starts a unit from its switch, showing progress until systemd is done', async () => {
    const worker = row('dd-worker.service');
    await press(worker);
    await waitFor(
      async () => (await fx.e2e.is('is-active', 'dd-worker.service')) === 'active',
      'dd-worker active',
    );
    await expect.poll(() => worker.getAttribute('aria-checked')).toBe('true');
    await expect.poll(() => worker.getAttribute('aria-busy')).toBe('false');
  });

  it('follows a stop made outside the app without a reload', async () => {
    await fx.e2e.sb.systemctl('stop', 'dd-web.service');
    await expect.poll(() => row('dd-web.service').getAttribute('aria-checked')).toBe('false');
    expect(await notReloaded()).toBe(true);
  });

  it('shows a readable error when a start fails', async () => {
    await press(row('dd-crash.service'));
    const alert = fx.page.getByRole('alert').filter({ hasText: 'dd-crash.service' });
    await alert.waitFor({ timeout: 15_000 });
    expect(await alert.textContent()).toMatch(/dd-crash\.service failed to start.*status 3/);
    expect(await fx.e2e.is('is-active', 'dd-crash.service')).toBe('failed');
    await shoot(fx.page, 'panel-error');
  });

  it('filters as you type, moves with arrows, toggles with Space and opens details with Enter', async () => {
    await fx.page.locator('body').click({ position: { x: 5, y: 540 } });
    await fx.page.keyboard.type('worker');
    expect(await searchbox().inputValue()).toBe('worker');
    await expect.poll(() => fx.page.getByRole('switch').count()).toBe(1);

    await fx.page.keyboard.press('ArrowDown');
    const worker = row('dd-worker.service');
    expect(await fx.page.evaluate('document.activeElement?.getAttribute("aria-label")')).toBe(
      'dd-worker.service',
    );
    await waitFor(async () => (await worker.getAttribute('aria-disabled')) === 'false', 'ready');
    await fx.page.keyboard.press('Space');
    await waitFor(
      async () => (await fx.e2e.is('is-active', 'dd-worker.service')) !== 'active',
      'dd-worker stopped',
    ).catch(async (err: unknown) => {
      const html = await worker.evaluate('(el) => el.outerHTML');
      const calls = JSON.stringify(fx.e2e.server.calls.slice(-3));
      throw new Error(`${String(err)}; the switch: ${String(html)}; last calls: ${calls}`);
    });
    await expect.poll(() => worker.getAttribute('aria-checked')).toBe('false');

    // Earlier tests opened detail pages too: wait for the one this Enter opens.
    const before = fx.e2e.detailPages.length;
    await fx.page.keyboard.press('Enter');
    await waitFor(
      () => fx.e2e.detailRequests.includes('systemd:dd-worker.service'),
      'open-detail request',
    );
    const detail = await waitFor(() => fx.e2e.detailPages[before], 'detail page', 20_000);
    await detail.page.getByRole('heading', { name: 'dd-worker.service' }).waitFor();
    expect(await detail.problems()).toEqual([]);
  });

  it('opens the details with Enter while the row’s stop is still running', async () => {
    await searchbox().fill('slowstop');
    await expect.poll(() => fx.page.getByRole('switch').count()).toBe(1);
    await searchbox().press('ArrowDown');
    const slow = row('dd-slowstop.service');
    await waitFor(async () => (await slow.getAttribute('aria-disabled')) === 'false', 'ready');
    await fx.page.keyboard.press('Space');
    await waitFor(
      async () => (await fx.e2e.is('is-active', 'dd-slowstop.service')) === 'deactivating',
      'dd-slowstop stopping',
    );
    const before = fx.e2e.detailPages.length;
    await fx.page.keyboard.press('Enter');
    // Asked for before the stop ends (ExecStop takes 4 s): the open did not wait for the stop.
    await waitFor(
      () => fx.e2e.detailRequests.includes('systemd:dd-slowstop.service'),
      'open-detail request while the stop runs',
      3_000,
    );
    const detail = await waitFor(() => fx.e2e.detailPages[before], 'detail page', 20_000);
    await detail.page.getByRole('heading', { name: 'dd-slowstop.service' }).waitFor();
    await waitFor(
      async () => (await fx.e2e.is('is-active', 'dd-slowstop.service')) === 'inactive',
      'dd-slowstop stopped',
      15_000,
    );
    await expect.poll(() => slow.getAttribute('aria-checked')).toBe('false');
    expect(await detail.problems()).toEqual([]);
  });

  it('says so when nothing matches, and shows everything again when cleared', async () => {
    const search = searchbox();
    await search.fill('no-such-thing-here');
    expect(await fx.page.getByText('No matches').isVisible()).toBe(true);
    expect(await fx.page.getByRole('switch').count()).toBe(0);
    await search.press('Escape');
    await expect.poll(() => fx.page.getByRole('switch').count()).toBeGreaterThan(2);
  });

  it('shows a banner while systemd is away and recovers when it returns', async () => {
    // systemctl reaches the manager over its private socket, so it can take the bus away
    // and bring it back.
    await fx.e2e.sb.systemctl('stop', 'dbus.socket', 'dbus.service');
    const banner = fx.page
      .getByRole('alert')
      .or(fx.page.getByRole('status'))
      .filter({ hasText: /systemd/i });
    await banner.first().waitFor({ timeout: 20_000 });
    expect(await banner.first().textContent()).toMatch(/not available|connecting/i);
    // Its entries say their state is unknown, and their switches are off limits, saying why.
    const worker = row('dd-worker.service');
    await expect.poll(() => worker.getAttribute('aria-disabled'), { timeout: 10_000 }).toBe('true');
    expect(await li('dd-worker.service').textContent()).toContain(
      'State unknown: systemd is not reachable',
    );
    await shoot(fx.page, 'panel-unavailable');

    await fx.e2e.sb.systemctl('start', 'dbus.socket');
    await banner.first().waitFor({ state: 'detached', timeout: 30_000 });
    await expect.poll(() => row('dd-worker.service').count(), { timeout: 10_000 }).toBe(1);
    expect(await notReloaded()).toBe(true);
    expect((await fx.recorded.problems()).join('\n')).toBe('');
  });

  it('shows placeholders while the list loads', async () => {
    const late = await fx.e2e.browser.newPage();
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    // The snapshot comes by snapshot:get and as the event stream's first event: hold both.
    const snapshotGet = (url: URL) =>
      decodeURIComponent(url.pathname) === '/ipc/snapshot:get' || url.pathname === '/events';
    await late.page.route(snapshotGet, async (route) => {
      await held;
      await route.continue();
    });
    await late.page.goto(`${fx.e2e.server.url}/panel.html`);
    const placeholder = late.page.locator('.placeholder[aria-busy="true"]');
    await placeholder.waitFor();
    expect(await late.page.getByRole('status').filter({ hasText: 'Loading…' }).count()).toBe(1);
    await shoot(late.page, 'panel-loading');
    release();
    await late.page.getByRole('switch', { name: 'dd-worker.service', exact: true }).waitFor();
    expect(await placeholder.count()).toBe(0);
    await late.page.close();
  });
});
