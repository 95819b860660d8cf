// The detail window in real Chromium against the real core and a private systemd --user: a
// service, a failed one, a crash loop systemd gave up on, a timer, a socket and the state with
// systemd gone, each screenshot light and dark, in English and Korean, and checked by axe-core.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { failingUnit, sleeperUnit, waitFor } from '../helpers/units.js';
import { shoot } from './a11y.js';
import type { RecordedPage } from './browser.js';
import { field, press, e2eSuite } from './e2e-setup.js';

/** A service that fails to read its config: Restart= until systemd gives up (3 starts). */
function loopUnit(log: string): string {
  return [
    '[Unit]',
    'Description=Crashes on a bad config',
    'StartLimitIntervalSec=60',
    'StartLimitBurst=3',
    '',
    '[Service]',
    `ExecStart=/bin/sh -c 'echo "reading loop.conf"; echo "error: port 8080 is already in use" >&2; sleep 0.3; exit 2'`,
    'Restart=on-failure',
    'RestartSec=300ms',
    `StandardOutput=append:${log}`,
    `StandardError=append:${log}`,
    '',
  ].join('\n');
}

const timerUnit = [
  '[Unit]',
  'Description=Tidy the cache',
  '',
  '[Timer]',
  'OnActiveSec=1s',
  'OnUnitActiveSec=30min',
  '',
].join('\n');

const socketUnit = [
  '[Unit]',
  'Description=Echo socket',
  '',
  '[Socket]',
  'ListenStream=%t/dd-echo.sock',
  '',
].join('\n');

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
  const fx = e2eSuite({
    label: 'detail',
    units: {
      'dd-web.service': reloadableUnit,
      'dd-crash.service': failingUnit(3),
      'dd-idle.service': sleeperUnit('Idle sleeper'),
      'dd-tick.timer': timerUnit,
      'dd-tick.service': ['[Service]', 'Type=oneshot', 'ExecStart=/bin/true', ''].join('\n'),
      'dd-echo.socket': socketUnit,
      'dd-echo.service': sleeperUnit('Echo server', false),
    },
    async prepare(sb) {
      await sb.systemctl('start', 'dd-web.service');
      await sb.systemctl('start', 'dd-crash.service').catch(() => undefined);
      await sb.systemctl('start', 'dd-tick.timer', 'dd-echo.socket');
    },
    open: () => openDetail('systemd:dd-web.service'),
    viewport: { width: 720, height: 560 },
    timeout: 240_000,
  });

  /** The detail window of `id`, loaded; `height` sets its viewport (720 wide). */
  async function openDetail(id: string, height?: number): Promise<RecordedPage> {
    const opened = await fx.e2e.open(`detail.html?id=${encodeURIComponent(id)}`);
    if (height !== undefined) await opened.page.setViewportSize({ width: 720, height });
    await opened.page.getByRole('heading', { level: 1 }).waitFor();
    // Wait for the detail itself, not just the snapshot's entry.
    await waitFor(async () => (await field(opened.page, 'Loaded')) === 'loaded', 'the unit detail');
    return opened;
  }

  /** The window's last screenshot as `name`; it had no console error or failed request; closed. */
  async function shootAndClose(opened: RecordedPage, name: string): Promise<void> {
    await shoot(opened.page, name);
    expect(await opened.problems()).toEqual([]);
    await opened.page.close();
  }

  const button = (name: string) => fx.page.getByRole('button', { name, exact: true });
  const show = async (prop: string, unit = 'dd-web.service') =>
    (await fx.e2e.sb.systemctl('show', '-p', prop, '--value', unit)).stdout.trim();

  it('shows the unit: name, state, uptime and its fields', async () => {
    expect(await fx.page.getByRole('heading', { level: 1 }).textContent()).toBe('dd-web.service');
    expect(await fx.page.getByText('Local web server').first().isVisible()).toBe(true);
    expect(await fx.page.getByText(/^Running for \d+ sec$/).isVisible()).toBe(true);
    expect(await field(fx.page, 'systemd state')).toBe('active (running)');
    expect(await field(fx.page, 'Main PID')).toBe(await show('MainPID'));
    expect(await field(fx.page, 'Unit file')).toBe(join(fx.e2e.sb.unitDir, 'dd-web.service'));
    expect(await field(fx.page, 'Unit file state')).toBe('disabled');
    expect(await field(fx.page, 'Restarts')).toBe('0');
    expect(await field(fx.page, 'Since')).not.toBe('—');
    const login = fx.page.getByRole('switch', { name: 'Start at login' });
    expect(await login.getAttribute('aria-checked')).toBe('false');
    expect(await fx.page.getByText('No (disabled)').isVisible()).toBe(true);
    for (const name of ['Stop', 'Restart']) {
      expect(await button(name).isVisible()).toBe(true);
    }
    expect(await fx.recorded.problems()).toEqual([]);
  });

  it('saves screenshots in light and dark', async () => {
    await shoot(fx.page, 'detail', { fullPage: true });
  });

  it('restarts the unit: a new main process, the same window', async () => {
    const before = await show('MainPID');
    await press(button('Restart'));
    await waitFor(async () => {
      const pid = await show('MainPID');
      return pid !== before && pid !== '0';
    }, 'a new MainPID');
    const after = await show('MainPID');
    await expect.poll(() => field(fx.page, 'Main PID')).toBe(after);
    await expect.poll(() => field(fx.page, 'Restarts')).toBe('0');
  });

  it('offers Reload exactly when the core does, and reloads', async () => {
    const offered =
      fx.e2e.monitor
        .snapshot()
        .entries.find((e) => e.id === 'systemd:dd-web.service')
        ?.actions.includes('reload') ?? false;
    expect(await button('Reload').count()).toBe(offered ? 1 : 0);
    if (!offered) return;
    await press(button('Reload'));
    await expect.poll(() => button('Reload').getAttribute('aria-busy')).toBe('false');
    expect(await fx.page.getByRole('alert').count()).toBe(0);
    expect(await fx.e2e.is('is-active', 'dd-web.service')).toBe('active');
  });

  it('stops and starts, following systemd', async () => {
    await press(button('Stop'));
    await waitFor(
      async () => (await fx.e2e.is('is-active', 'dd-web.service')) === 'inactive',
      'stopped',
    );
    await expect.poll(() => field(fx.page, 'systemd state')).toBe('inactive (dead)');
    await expect.poll(() => field(fx.page, 'Main PID')).toBe('—');

    await press(button('Start'));
    await waitFor(
      async () => (await fx.e2e.is('is-active', 'dd-web.service')) === 'active',
      'active',
    );
    await expect.poll(() => field(fx.page, 'systemd state')).toBe('active (running)');
  });

  it('follows changes made outside the app', async () => {
    await fx.e2e.sb.systemctl('stop', 'dd-web.service');
    await expect.poll(() => field(fx.page, 'systemd state')).toBe('inactive (dead)');
    expect(await button('Start').isVisible()).toBe(true);
    await fx.e2e.sb.systemctl('start', 'dd-web.service');
    await expect.poll(() => field(fx.page, 'systemd state')).toBe('active (running)');
  });

  it('makes it start at login and back, in the user’s words', async () => {
    const login = fx.page.getByRole('switch', { name: 'Start at login' });
    await press(login);
    await waitFor(
      async () => (await fx.e2e.is('is-enabled', 'dd-web.service')) === 'enabled',
      'enabled',
    );
    await expect.poll(() => login.getAttribute('aria-checked')).toBe('true');
    await expect.poll(() => fx.page.getByText('Yes (enabled)').isVisible()).toBe(true);

    await press(login);
    await waitFor(
      async () => (await fx.e2e.is('is-enabled', 'dd-web.service')) === 'disabled',
      'disabled',
    );
    await expect.poll(() => login.getAttribute('aria-checked')).toBe('false');
  });

  it('pins the entry to the tray menu', async () => {
    const pin = fx.page.getByRole('switch', { name: 'Pin to tray' });
    await press(pin);
    await expect.poll(() => pin.getAttribute('aria-checked')).toBe('true');
    expect(fx.e2e.settings.get().pinned).toEqual(['systemd:dd-web.service']);
    await press(pin);
    await expect.poll(() => pin.getAttribute('aria-checked')).toBe('false');
    expect(fx.e2e.settings.get().pinned).toEqual([]);
  });

  it('explains a failed unit in words, once, and shows why a start fails', async () => {
    const failed = await openDetail('systemd:dd-crash.service');
    const p = failed.page;
    expect(await p.getByTestId('failure-reason').textContent()).toBe('Exited with status 3');
    // The badge says Failed; nothing else repeats it.
    expect(await p.getByText(/^Failed$/).count()).toBe(1);
    // The badge and systemd's own word; the "Will it start?" card (issue 15) has findings of its
    // own, which load in their time, so its words are not counted here.
    const saidOutsideCard = await p.evaluate<number>(
      "[...document.querySelectorAll('body *')].filter((e) => !e.closest('.doctor') && [...e.childNodes].some((n) => n.nodeType === 3 && /failed/i.test(n.textContent ?? ''))).length",
    );
    expect(saidOutsideCard).toBeLessThanOrEqual(2);
    expect(await p.getByText(/^Stopped .+ ago$/).isVisible()).toBe(true);
    const why = p.getByRole('region', { name: 'Why it stopped' });
    for (const name of ['Restart', 'Logs', 'Edit'])
      expect(await why.getByRole('button', { name, exact: true }).isVisible()).toBe(true);
    await press(p.getByRole('button', { name: 'Start', exact: true }));
    const alert = p.getByRole('alert').filter({ hasText: 'failed to start' });
    await alert.waitFor({ timeout: 15_000 }).catch(async (err: unknown) => {
      const alerts = await p.getByRole('alert').allTextContents();
      const calls = JSON.stringify(fx.e2e.server.calls.slice(-3));
      throw new Error(`${String(err)}; alerts: ${JSON.stringify(alerts)}; last calls: ${calls}`);
    });
    expect(await alert.textContent()).toMatch(/dd-crash\.service failed to start.*status 3/);
    // "See its logs" is a way there, by keyboard too.
    const openLogs = p.getByRole('button', { name: 'Open its logs' });
    await openLogs.focus();
    await p.keyboard.press('Enter');
    await expect
      .poll(() => p.getByRole('tab', { name: 'Logs' }).getAttribute('aria-selected'))
      .toBe('true');
    await p.getByRole('tab', { name: 'Overview' }).click();
    await p.setViewportSize({ width: 720, height: 640 });
    await shootAndClose(failed, 'detail-failed');
  });

  it('says why a crash loop ended, with its last lines, and History records the final failure', async () => {
    const log = join(fx.e2e.sb.root, 'dd-loop.log');
    await fx.e2e.sb.writeUnit('dd-loop.service', loopUnit(log));
    await fx.e2e.sb.daemonReload();
    await fx.e2e.sb.systemctl('start', 'dd-loop.service').catch(() => undefined);
    // is-active says failed for a moment after each crash too: systemd has given up when the
    // unit stays failed (systemd 252 keeps Result=exit-code then, not start-limit-hit).
    const failedNow = async () =>
      (
        await fx.e2e.sb.systemctl('show', '-p', 'ActiveState', '--value', 'dd-loop.service')
      ).stdout.trim() === 'failed';
    await waitFor(
      async () =>
        (await failedNow()) &&
        (await new Promise((r) => setTimeout(r, 1500))) === undefined &&
        (await failedNow()),
      'systemd to give up on the crash loop',
      30_000,
    ).catch(async (err: unknown) => {
      const status = await fx.e2e.sb.systemctl('status', 'dd-loop.service');
      throw new Error(`${String(err)}\n${status.stdout}${status.stderr}`);
    });
    const opened = await openDetail('systemd:dd-loop.service', 760);
    const p = opened.page;
    await expect
      .poll(() => p.getByTestId('failure-reason').textContent(), { timeout: 10_000 })
      .toMatch(/^Gave up after [1-9]\d* restarts?: exited with status 2$/i);
    await p.getByText('error: port 8080 is already in use').first().waitFor();
    await shoot(p, 'detail-gave-up');
    await p.getByRole('tab', { name: 'History' }).click();
    await p.getByText(/^systemd gave up after \d+ restarts?$/).waitFor({ timeout: 15_000 });
    expect(await p.getByText(/^Crashed; systemd restarted it$/).count()).toBeGreaterThan(0);
    expect(await p.getByText('Exited with status 2.').count()).toBeGreaterThan(0);
    await shootAndClose(opened, 'detail-history');
  });

  it('shows a timer by its runs and what it starts, not as a service', async () => {
    const opened = await openDetail('systemd:dd-tick.timer', 640);
    const p = opened.page;
    await expect.poll(() => field(p, 'Runs')).toBe('dd-tick.service');
    await expect
      .poll(() => field(p, 'Next run'), { timeout: 10_000 })
      .toMatch(/^in \d+ minutes? \(/);
    await expect.poll(() => field(p, 'Last run'), { timeout: 10_000 }).toMatch(/ago \(|now \(/);
    expect(await p.getByText(/^Next run in \d+ minutes$/).isVisible()).toBe(true);
    expect(await p.getByText('Main PID').count()).toBe(0);
    expect(await p.getByText(/Running for/).count()).toBe(0);
    // What it runs opens that unit's window.
    await p.getByRole('button', { name: 'dd-tick.service' }).click();
    await expect.poll(() => fx.e2e.detailRequests.at(-1)).toBe('systemd:dd-tick.service');
    await fx.e2e.detailPages.at(-1)?.page.close();
    await shootAndClose(opened, 'detail-timer');
  });

  it('shows a socket by its listen address and its service', async () => {
    const opened = await openDetail('systemd:dd-echo.socket', 640);
    const p = opened.page;
    await expect
      .poll(() => field(p, 'Listens on'))
      .toBe(`Stream · ${join(fx.e2e.sb.runtimeDir, 'dd-echo.sock')}`);
    expect(await field(p, 'Starts')).toBe('dd-echo.service');
    expect(await p.getByText('Listening', { exact: true }).isVisible()).toBe(true);
    expect(await p.getByText('Main PID').count()).toBe(0);
    await shootAndClose(opened, 'detail-socket');
  });

  it('keeps every control in reach of the keyboard, with a visible focus', async () => {
    await fx.page.bringToFront();
    await fx.page.locator('body').focus();
    const seen: string[] = [];
    for (let i = 0; i < 30; i++) {
      await fx.page.keyboard.press('Tab');
      const focus = await fx.page.evaluate<string | null>(`(() => {
        const el = document.activeElement;
        if (el === null || el === document.body) return null;
        const style = getComputedStyle(el);
        const visible = style.outlineStyle !== 'none' || style.boxShadow !== 'none';
        const by = (el.getAttribute('aria-labelledby') || '').split(' ').filter(Boolean);
        const labelled = by.map((id) => document.getElementById(id)?.textContent || '').join(' ');
        const name = el.getAttribute('aria-label') || labelled.trim() || (el.textContent || '').trim() || el.tagName;
        return name + '|' + visible;
      })()`);
      if (focus !== null) seen.push(focus);
    }
    const names = seen.map((s) => s.split('|')[0]);
    for (const name of ['Stop', 'Restart', 'Start at login', 'Pin to tray'])
      expect(
        names.some((n) => n?.includes(name)),
        `${name} in ${names.join(', ')}`,
      ).toBe(true);
    expect(seen.filter((s) => s.endsWith('|false'))).toEqual([]);
  });

  it('speaks Korean when the language is set to it', async () => {
    fx.e2e.settings.update({ language: 'ko' });
    try {
      // Each page opens in Korean; shoot names its files NAME-ko-light.png and NAME-ko-dark.png.
      for (const [id, name, height] of [
        ['systemd:dd-web.service', 'detail', 640],
        ['systemd:dd-crash.service', 'detail-failed', 640],
        ['systemd:dd-loop.service', 'detail-gave-up', 760],
        ['systemd:dd-tick.timer', 'detail-timer', 640],
        ['systemd:dd-echo.socket', 'detail-socket', 640],
      ] as const) {
        const opened = await fx.e2e.open(`detail.html?id=${encodeURIComponent(id)}`);
        const p = opened.page;
        await p.setViewportSize({ width: 720, height });
        await p.getByRole('tab', { name: '개요' }).waitFor();
        await waitFor(async () => (await field(p, '로드 상태')) === 'loaded', 'the unit detail');
        expect(await p.getByRole('heading', { name: '상태' }).isVisible()).toBe(true);
        if (name === 'detail-failed')
          expect(await p.getByTestId('failure-reason').textContent()).toBe(
            '상태 코드 3(으)로 종료됨',
          );
        if (name === 'detail-timer') expect(await field(p, '실행 대상')).toBe('dd-tick.service');
        if (name === 'detail-socket')
          expect(await field(p, '시작하는 서비스')).toBe('dd-echo.service');
        await shootAndClose(opened, name);
      }
    } finally {
      fx.e2e.settings.update({ language: 'en' });
    }
  });

  it('says so for a unit that does not exist', async () => {
    const missing = await fx.e2e.open(
      `detail.html?id=${encodeURIComponent('systemd:dd-nope.service')}`,
    );
    await missing.page
      .getByText('Not available', { exact: true })
      .waitFor()
      .catch(async (err: unknown) => {
        const text = await missing.page.locator('body').innerText();
        throw new Error(`${String(err)}; the page says: ${text}`);
      });
    expect(
      await missing.page
        .getByText(/dd-nope\.service/)
        .first()
        .isVisible(),
    ).toBe(true);
    await missing.page.close();
  });

  it('shows the state as unknown with systemd gone, actions disabled with the reason', async () => {
    await fx.page.setViewportSize({ width: 720, height: 560 });
    await fx.e2e.sb.systemctl('stop', 'dbus.socket', 'dbus.service');
    const banner = fx.page.getByRole('alert').filter({ hasText: 'systemd is not available' });
    await banner.waitFor({ timeout: 20_000 });
    // No green Running badge, no live meters, no live-looking buttons.
    expect(await fx.page.locator('.badge').first().getAttribute('data-state')).toBe('unknown');
    expect(await fx.page.getByText('State unknown', { exact: true }).isVisible()).toBe(true);
    expect(await fx.page.getByText(/^live$/i).count()).toBe(0);
    const toolbar = fx.page.getByRole('toolbar', { name: 'Actions' }).getByRole('button');
    expect(await toolbar.count()).toBeGreaterThan(0);
    for (const b of await toolbar.all()) expect(await b.getAttribute('aria-disabled')).toBe('true');
    expect(
      await fx.page.getByText('The actions come back when systemd answers again.').isVisible(),
    ).toBe(true);
    await shoot(fx.page, 'detail-stale');
    // The page reloads into the language (a11y.ts's useLanguage waits with a string function,
    // which this page's CSP refuses to evaluate: wait for the words instead).
    fx.e2e.settings.update({ language: 'ko' });
    await fx.page.getByText('상태 알 수 없음', { exact: true }).waitFor({ timeout: 20_000 });
    await shoot(fx.page, 'detail-stale');
    fx.e2e.settings.update({ language: 'en' });
    await fx.page.getByText('State unknown', { exact: true }).waitFor({ timeout: 20_000 });

    await fx.e2e.sb.systemctl('start', 'dbus.socket');
    await banner.waitFor({ state: 'detached', timeout: 30_000 });
    await fx.e2e.sb.systemctl('stop', 'dd-web.service');
    await expect
      .poll(() => field(fx.page, 'systemd state'), { timeout: 10_000 })
      .toBe('inactive (dead)');
    expect(await fx.recorded.problems()).toEqual([]);
  });
});
