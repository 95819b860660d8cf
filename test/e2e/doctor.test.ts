// "Will it start?" in real Chromium against the real core (issue 15, "Done when" 3): the Start
// automatically page leads with the findings grouped by entry and their fixes, a fix button makes
// its finding go, light and dark screenshots; the panel's footer counts the errors; the detail
// window shows the card for its entry.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { press, screenshots, e2eSuite } from './e2e-setup.js';

const unit = (exec: string) =>
  `[Service]\nExecStart=${exec}\n\n[Install]\nWantedBy=default.target\n`;

describe('Will it start?', () => {
  const fx = e2eSuite({
    label: 'doctor',
    units: {
      'dd-broken.service': unit('/nonexistent/dd-broken-prog --serve'),
      'dd-edited.service': unit('/bin/sleep 1000'),
    },
    async prepare(sb) {
      expect((await sb.systemctl('enable', 'dd-broken.service', 'dd-edited.service')).code).toBe(0);
      await sb.daemonReload();
      // Changed on disk after systemd read it: the fix is a reload, a button.
      await sb.writeUnit('dd-edited.service', unit('/bin/sleep 2000'));
      const autostart = join(sb.configHome, 'autostart');
      await mkdir(autostart, { recursive: true });
      await writeFile(
        join(autostart, 'dd-off.desktop'),
        '[Desktop Entry]\nType=Application\nName=DD off\nExec=/bin/true off\nHidden=true\n',
      );
    },
    open: 'startup.html',
    viewport: { width: 700, height: 1000 },
  });

  const card = () => fx.page.getByRole('region', { name: 'Will it start?' });
  const findingsOf = (entry: string) =>
    card()
      .getByRole('list', { name: `Findings for ${entry}` })
      .getByRole('listitem');

  it('the Start automatically page leads with the findings, grouped by entry, with their fixes', async () => {
    await card().waitFor();
    // The card comes before the wizard.
    const headings = await fx.page.getByRole('heading', { level: 2 }).allTextContents();
    expect(headings[0]).toBe('Will it start?');
    await expect
      .poll(() => findingsOf('dd-broken.service').count(), { timeout: 20_000 })
      .toBeGreaterThan(0);
    const broken = findingsOf('dd-broken.service').filter({
      hasText: '/nonexistent/dd-broken-prog',
    });
    expect(await broken.count()).toBe(1);
    expect(await broken.textContent()).toMatch(/Error/);
    // A step where the app cannot do it.
    expect(await broken.textContent()).toMatch(/Install the program or change ExecStart=/);
    // Buttons where it can.
    const reload = findingsOf('dd-edited.service').getByRole('button', { name: 'Reload systemd' });
    expect(await reload.count()).toBe(1);
    const turnOn = findingsOf('DD off').getByRole('button', { name: 'Turn on' });
    expect(await turnOn.count()).toBe(1);
    expect(await card().getByRole('status').first().textContent()).toMatch(
      /1 errors?, 1 warnings?/,
    );
    await screenshots(fx.page, 'doctor-startup', true);
  });

  it('a fix button fixes it, and the finding goes', async () => {
    await press(findingsOf('dd-edited.service').getByRole('button', { name: 'Reload systemd' }));
    const changed = () => findingsOf('dd-edited.service').filter({ hasText: 'changed on disk' });
    await expect.poll(() => changed().count(), { timeout: 20_000 }).toBe(0);
    await press(findingsOf('DD off').getByRole('button', { name: 'Turn on' }));
    await expect
      .poll(() => findingsOf('DD off').filter({ hasText: 'turned off' }).count(), {
        timeout: 20_000,
      })
      .toBe(0);
    expect(await findingsOf('dd-broken.service').count()).toBeGreaterThan(0);
    expect(await fx.recorded.problems()).toEqual([]);
    await screenshots(fx.page, 'doctor-fixed', true);
  });

  it('the panel footer counts the errors and opens the check', async () => {
    const panel = await fx.e2e.open('panel.html');
    const button = panel.page.getByRole('button', { name: /Will it start\? 1 error/ });
    await button.waitFor({ timeout: 20_000 });
    await button.click();
    await expect.poll(() => fx.e2e.pageRequests.includes('startup')).toBe(true);
    expect(await panel.problems()).toEqual([]);
  });

  it('the detail window shows the card for its entry, with a rehearsal', async () => {
    const detail = await fx.e2e.open(
      `detail.html?id=${encodeURIComponent('systemd:dd-broken.service')}`,
    );
    const own = detail.page.getByRole('region', { name: 'Will it start?' });
    await own.waitFor({ timeout: 20_000 });
    await expect
      .poll(() => own.getByText('/nonexistent/dd-broken-prog', { exact: false }).count(), {
        timeout: 20_000,
      })
      .toBeGreaterThan(0);
    await press(own.getByRole('button', { name: 'Try it now' }));
    await expect
      .poll(() => own.getByRole('status').last().textContent(), { timeout: 20_000 })
      .toMatch(/could not be started|exited with an error/);
    await screenshots(detail.page, 'doctor-detail', true);
    expect(await detail.problems()).toEqual([]);
  });
});
