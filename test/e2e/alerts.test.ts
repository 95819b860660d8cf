// Crash alerts in the UI, in real Chromium against the real core (alerts watching, as in the
// app) and a private systemd --user: the panel's states, the Settings page and the History tab
// after real crashes.
import { describe, expect, it } from 'vitest';
import { sleeperUnit, waitFor } from '../helpers/units.js';
import { press, screenshots, e2eSuite } from './e2e-setup.js';

const CRASHY = 'systemd:dd-crashy.service';

function serviceUnit(description: string, lines: string[], unitLines: string[] = []): string {
  return ['[Unit]', `Description=${description}`, ...unitLines, '', '[Service]', ...lines, ''].join(
    '\n',
  );
}

describe('crash alerts in the panel, Settings and History', () => {
  const fx = e2eSuite({
    label: 'alerts',
    units: {
      'dd-web.service': sleeperUnit('Local web server'),
      'dd-crashy.service': serviceUnit('Crashes a moment after it starts', [
        'ExecStart=/bin/sh -c "sleep 0.3; exit 1"',
      ]),
      'dd-loop.service': serviceUnit(
        'Crashes over and over',
        ['ExecStart=/bin/sh -c "sleep 0.2; exit 2"', 'Restart=always', 'RestartSec=300ms'],
        ['StartLimitIntervalSec=0'],
      ),
    },
    async prepare(sb) {
      await sb.systemctl('start', 'dd-web.service');
    },
    open: 'panel.html',
  });

  const failedGroup = () => fx.page.getByRole('region', { name: 'Failed' });

  it('panel states: all fine, a failed unit, alerts paused, a muted entry (light and dark)', async () => {
    await expect
      .poll(
        () => fx.page.getByRole('switch', { name: 'dd-web.service' }).getAttribute('aria-checked'),
        { timeout: 15_000 },
      )
      .toBe('true');
    expect(await failedGroup().count()).toBe(0);
    await screenshots(fx.page, 'panel-alerts-all-fine');

    // A real crash: the unit exits 1 a moment after it starts.
    await fx.e2e.sb.systemctl('start', 'dd-crashy.service');
    await failedGroup().waitFor({ timeout: 15_000 });
    expect(await failedGroup().getByRole('switch', { name: 'dd-crashy.service' }).count()).toBe(1);
    await waitFor(
      () => fx.e2e.notifications.find((n) => n.summary === 'dd-crashy.service crashed'),
      'the crash notification',
    );
    await screenshots(fx.page, 'panel-alerts-failed');

    fx.e2e.core.alerts.alerts.setPaused(true);
    const paused = fx.page.getByRole('status').filter({ hasText: 'Crash alerts are paused.' });
    await paused.waitFor();
    await screenshots(fx.page, 'panel-alerts-paused');
    // Resume from the banner.
    await paused.getByRole('button', { name: 'Resume' }).click();
    await paused.waitFor({ state: 'detached' });
    expect(fx.e2e.core.alerts.alerts.state().paused).toBe(false);

    fx.e2e.core.alerts.alerts.mute(CRASHY, 60 * 60_000);
    await failedGroup().getByText('Muted', { exact: true }).waitFor();
    await screenshots(fx.page, 'panel-alerts-muted');
    expect(await fx.recorded.problems()).toEqual([]);
  });

  it('Settings opens from the panel footer and changes theme, poll interval, pause and mutes', async () => {
    fx.e2e.settings.update({ pinned: ['systemd:dd-web.service'] });
    await fx.page.getByRole('button', { name: 'Settings', exact: true }).click();
    await waitFor(() => fx.e2e.pageRequests.includes('settings'), 'the Settings page request');
    const settingsPage = await waitFor(() => fx.e2e.detailPages.at(-1), 'the Settings page');
    const s = settingsPage.page;
    // The size the app opens its pages at (window-options.ts).
    await s.setViewportSize({ width: 720, height: 560 });
    await s.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();

    // Theme, with the keyboard: from System, the arrow key picks Light, then Dark.
    const background = () => s.evaluate('getComputedStyle(document.body).backgroundColor');
    await s.emulateMedia({ colorScheme: 'light' });
    const light = await background();
    await s.getByRole('radio', { name: 'System' }).focus();
    await s.keyboard.press('ArrowRight');
    await s.keyboard.press('ArrowRight');
    await expect.poll(() => fx.e2e.settings.get().theme).toBe('dark');
    expect(await s.getByRole('radio', { name: 'Dark' }).isChecked()).toBe(true);
    await expect.poll(background).not.toBe(light);

    // Poll interval: a bad value is named in words and changes nothing; a good one re-times
    // the process and session sources at once.
    const poll = s.getByRole('textbox', { name: 'Look for processes every' });
    await poll.fill('0');
    await poll.press('Enter');
    expect(
      await s
        .getByRole('alert')
        .filter({ hasText: 'Enter a whole number of seconds' })
        .textContent(),
    ).toBe('Enter a whole number of seconds from 1 to 60.');
    expect(await poll.getAttribute('aria-invalid')).toBe('true');
    expect(fx.e2e.core.pollIntervals()).toEqual({ processes: 2000, sessions: 4000 });
    await poll.fill('5');
    await poll.press('Enter');
    await expect
      .poll(() => fx.e2e.core.pollIntervals())
      .toEqual({ processes: 5000, sessions: 10000 });
    expect(fx.e2e.settings.get().pollIntervalMs).toBe(5000);
    expect(await poll.getAttribute('aria-invalid')).toBe('false');

    // Pause alerts from its switch: the panel says so too.
    const pause = s.getByRole('switch', { name: 'Pause alerts' });
    await press(pause);
    await expect.poll(() => fx.e2e.core.alerts.alerts.state().paused).toBe(true);
    await expect.poll(() => pause.getAttribute('aria-checked')).toBe('true');
    await fx.page.getByText('Crash alerts are paused.').waitFor();
    await press(pause);
    await expect.poll(() => fx.e2e.core.alerts.alerts.state().paused).toBe(false);

    // The mute set above is listed with its end; Unmute ends it, Undo brings it back.
    const mutes = s.getByRole('list', { name: 'Muted' });
    expect(await mutes.getByText('dd-crashy.service').count()).toBe(1);
    // "Until 23:05" today, "Until Dec 7, 2026, 12:03 AM" when the hour ends past midnight.
    expect(await mutes.getByText(/^Until /).textContent()).toMatch(/^Until .*\d{1,2}:\d{2}/);
    fx.e2e.settings.update({ theme: 'system' });
    await screenshots(s, 'settings', true);

    await s.getByRole('button', { name: 'Unmute dd-crashy.service' }).click();
    await expect.poll(() => fx.e2e.core.alerts.alerts.state().mutes).toEqual({});
    await s.getByText('Nothing is muted.', { exact: false }).waitFor();
    await fx.page.getByText('Muted', { exact: true }).waitFor({ state: 'detached' });
    await s.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => Object.keys(fx.e2e.core.alerts.alerts.state().mutes)).toEqual([CRASHY]);

    // Unpin.
    await s.getByRole('button', { name: 'Unpin dd-web.service' }).click();
    await expect.poll(() => fx.e2e.settings.get().pinned).toEqual([]);
    await s.getByText('Nothing is pinned.', { exact: false }).waitFor();
    expect(await settingsPage.problems()).toEqual([]);
  });

  it('the History tab shows a real crash with its exit status, and highlights flapping', async () => {
    const detail = await fx.e2e.open(`detail.html?id=${encodeURIComponent(CRASHY)}&tab=history`);
    const d = detail.page;
    expect(await d.getByRole('tab', { name: 'History' }).getAttribute('aria-selected')).toBe(
      'true',
    );
    const timeline = d.getByRole('list', { name: /^Crashes, / }).first();
    await timeline.waitFor();
    expect(await timeline.getByRole('listitem').first().textContent()).toMatch(
      /Crashed\s*Exited with status 1\./,
    );
    expect(await d.getByText('Flapping:').count()).toBe(0);

    // A unit that crashes over and over: each crash appears without a reload; five in ten
    // minutes is flapping.
    const loop = await fx.e2e.open(
      `detail.html?id=${encodeURIComponent('systemd:dd-loop.service')}&tab=history`,
    );
    const l = loop.page;
    await l.setViewportSize({ width: 720, height: 560 });
    await l.getByText('No crashes recorded').waitFor();
    await fx.e2e.sb.systemctl('start', 'dd-loop.service');
    await l.getByText('Flapping:').waitFor({ timeout: 20_000 });
    await fx.e2e.sb.systemctl('stop', 'dd-loop.service');
    const rows = l
      .getByRole('list', { name: /^Crashes, / })
      .first()
      .getByRole('listitem');
    expect(await rows.count()).toBeGreaterThanOrEqual(5);
    // (The crash seen as the unit is stopped may find its exit status already gone.)
    const texts = await rows.allTextContents();
    expect(texts.filter((t) => /Exited with status 2\./.test(t)).length).toBeGreaterThanOrEqual(4);
    expect(texts.some((t) => /Restart [1-9]/.test(t))).toBe(true);
    await screenshots(l, 'detail-history');
    expect(await detail.problems()).toEqual([]);
    expect(await loop.problems()).toEqual([]);
  });

  it('Show logs opens the detail window on its Logs tab', async () => {
    const shown = await fx.e2e.open(`detail.html?id=${encodeURIComponent(CRASHY)}&tab=logs`);
    expect(await shown.page.getByRole('tab', { name: 'Logs' }).getAttribute('aria-selected')).toBe(
      'true',
    );
    expect(await shown.page.getByRole('tabpanel').getAttribute('id')).toBe('panel-logs');
  });
});
