// The detail window in real Chromium against the real core and a private systemd --user.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failingUnit, sleeperUnit, waitFor } from '../helpers/units.js';
import type { RecordedPage } from './browser.js';
import { type E2e, field, press, screenshots, startE2e } from './e2e-setup.js';

const reloadableUnit = [
  '[Unit]',
  'Description=Local web server',
  '',
  '[Service]',
  'ExecStart=/bin/sleep 100000',
  'ExecReload=/bin/true',
  '',
  '[Install]',
  'WantedBy=default.target',
  '',
].join('\n');

describe('detail window', () => {
  let e2e: E2e;
  let recorded: RecordedPage;
  let page: Page;

  beforeAll(async () => {
    e2e = await startE2e({
      label: 'detail',
      units: {
        'dd-web.service': reloadableUnit,
        'dd-crash.service': failingUnit(3),
        'dd-idle.service': sleeperUnit('Idle sleeper'),
      },
      async prepare(sb) {
        await sb.systemctl('start', 'dd-web.service');
        await sb.systemctl('start', 'dd-crash.service');
      },
    });
    recorded = await openDetail('systemd:dd-web.service');
    page = recorded.page;
    await page.setViewportSize({ width: 720, height: 560 });
  });

  afterAll(async () => {
    await e2e?.stop();
  });

  async function openDetail(id: string): Promise<RecordedPage> {
    const opened = await e2e.open(`detail.html?id=${encodeURIComponent(id)}`);
    await opened.page.getByRole('heading', { level: 1 }).waitFor();
    // Wait for the detail itself, not just the snapshot's entry.
    await waitFor(async () => (await field(opened.page, 'Loaded')) === 'loaded', 'the unit detail');
    return opened;
  }

  const button = (name: string) => page.getByRole('button', { name, exact: true });
  const show = async (prop: string, unit = 'dd-web.service') =>
    (await e2e.sb.systemctl('show', '-p', prop, '--value', unit)).stdout.trim();

  it('shows the unit: name, state, uptime and its fields', async () => {
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('dd-web.service');
    expect(await page.getByText('Local web server').first().isVisible()).toBe(true);
    expect(await page.getByText(/^Running for \d+ s$/).isVisible()).toBe(true);
    expect(await field(page, 'State')).toBe('Running (active)');
    expect(await field(page, 'Sub-state')).toBe('running');
    expect(await field(page, 'Main PID')).toBe(await show('MainPID'));
    expect(await field(page, 'Unit file')).toBe(join(e2e.sb.unitDir, 'dd-web.service'));
    expect(await field(page, 'Unit file state')).toBe('disabled');
    expect(await field(page, 'Restarts')).toBe('0');
    expect(await field(page, 'Since')).not.toBe('—');
    const login = page.getByRole('switch', { name: 'Start at login' });
    expect(await login.getAttribute('aria-checked')).toBe('false');
    expect(await page.getByText('No (disabled)').isVisible()).toBe(true);
    for (const name of ['Stop', 'Restart']) {
      expect(await button(name).isVisible()).toBe(true);
    }
    expect(await recorded.problems()).toEqual([]);
  });

  it('saves screenshots in light and dark', async () => {
    await screenshots(page, 'detail', true);
  });

  it('restarts the unit: a new main process, the same window', async () => {
    const before = await show('MainPID');
    await press(button('Restart'));
    await waitFor(async () => {
      const pid = await show('MainPID');
      return pid !== before && pid !== '0';
    }, 'a new MainPID');
    const after = await show('MainPID');
    await expect.poll(() => field(page, 'Main PID')).toBe(after);
    await expect.poll(() => field(page, 'Restarts')).toBe('0');
  });

  it('offers Reload exactly when the core does, and reloads', async () => {
    const offered =
      e2e.monitor
        .snapshot()
        .entries.find((e) => e.id === 'systemd:dd-web.service')
        ?.actions.includes('reload') ?? false;
    expect(await button('Reload').count()).toBe(offered ? 1 : 0);
    if (!offered) return;
    await press(button('Reload'));
    await expect.poll(() => button('Reload').getAttribute('aria-busy')).toBe('false');
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(await e2e.is('is-active', 'dd-web.service')).toBe('active');
  });

  it('stops and starts, following systemd', async () => {
    await press(button('Stop'));
    await waitFor(
      async () => (await e2e.is('is-active', 'dd-web.service')) === 'inactive',
      'stopped',
    );
    await expect.poll(() => field(page, 'State')).toBe('Stopped (inactive)');
    await expect.poll(() => field(page, 'Main PID')).toBe('—');

    await press(button('Start'));
    await waitFor(async () => (await e2e.is('is-active', 'dd-web.service')) === 'active', 'active');
    await expect.poll(() => field(page, 'State')).toBe('Running (active)');
  });

  it('follows changes made outside the app', async () => {
    await e2e.sb.systemctl('stop', 'dd-web.service');
    await expect.poll(() => field(page, 'State')).toBe('Stopped (inactive)');
    expect(await button('Start').isVisible()).toBe(true);
    await e2e.sb.systemctl('start', 'dd-web.service');
    await expect.poll(() => field(page, 'State')).toBe('Running (active)');
  });

  it('makes it start at login and back, in the user’s words', async () => {
    const login = page.getByRole('switch', { name: 'Start at login' });
    await press(login);
    await waitFor(
      async () => (await e2e.is('is-enabled', 'dd-web.service')) === 'enabled',
      'enabled',
    );
    await expect.poll(() => login.getAttribute('aria-checked')).toBe('true');
    await expect.poll(() => page.getByText('Yes (enabled)').isVisible()).toBe(true);

    await press(login);
    await waitFor(
      async () => (await e2e.is('is-enabled', 'dd-web.service')) === 'disabled',
      'disabled',
    );
    await expect.poll(() => login.getAttribute('aria-checked')).toBe('false');
  });

  it('pins the entry to the tray menu', async () => {
    const pin = page.getByRole('switch', { name: 'Pin to tray' });
    await press(pin);
    await expect.poll(() => pin.getAttribute('aria-checked')).toBe('true');
    expect(e2e.settings.get().pinned).toEqual(['systemd:dd-web.service']);
    await press(pin);
    await expect.poll(() => pin.getAttribute('aria-checked')).toBe('false');
    expect(e2e.settings.get().pinned).toEqual([]);
  });

  it('explains a failed unit and shows why a start fails', async () => {
    const failed = await openDetail('systemd:dd-crash.service');
    const p = failed.page;
    expect(await p.getByText('Failed', { exact: true }).first().isVisible()).toBe(true);
    expect(await field(p, 'Last exit')).toBe('Exited with status 3 (result: exit-code)');
    await press(p.getByRole('button', { name: 'Start', exact: true }));
    const alert = p.getByRole('alert').filter({ hasText: 'failed to start' });
    await alert.waitFor({ timeout: 15_000 }).catch(async (err: unknown) => {
      const alerts = await p.getByRole('alert').allTextContents();
      const calls = JSON.stringify(e2e.server.calls.slice(-3));
      throw new Error(`${String(err)}; alerts: ${JSON.stringify(alerts)}; last calls: ${calls}`);
    });
    expect(await alert.textContent()).toMatch(/dd-crash\.service failed to start.*status 3/);
    await p.setViewportSize({ width: 720, height: 560 });
    await screenshots(p, 'detail-failed');
    expect(await failed.problems()).toEqual([]);
  });

  it('says so for a unit that does not exist', async () => {
    const missing = await e2e.open(
      `detail.html?id=${encodeURIComponent('systemd:dd-nope.service')}`,
    );
    await missing.page.getByText('Not available', { exact: true }).waitFor();
    expect(
      await missing.page
        .getByText(/dd-nope\.service/)
        .first()
        .isVisible(),
    ).toBe(true);
  });

  it('warns when systemd goes away and catches up when it returns', async () => {
    await e2e.sb.systemctl('stop', 'dbus.socket', 'dbus.service');
    const banner = page.getByRole('alert').filter({ hasText: 'systemd is not available' });
    await banner.waitFor({ timeout: 20_000 });
    await e2e.sb.systemctl('start', 'dbus.socket');
    await banner.waitFor({ state: 'detached', timeout: 30_000 });
    await e2e.sb.systemctl('stop', 'dd-web.service');
    await expect.poll(() => field(page, 'State'), { timeout: 10_000 }).toBe('Stopped (inactive)');
    expect(await recorded.problems()).toEqual([]);
  });
});
