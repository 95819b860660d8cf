// Timers in real Chromium against the real core (issue 14): a timer made in words, with
// systemd's normalised form and next five runs shown as it is picked; run now; its history on
// the page and in the detail window's History. Screenshots light and dark in test/artifacts/.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/units.js';
import { shoot } from './a11y.js';
import { closeTestPages, type E2e, startE2e } from './e2e-setup.js';

describe('timers', () => {
  let e2e: E2e;

  beforeAll(async () => {
    e2e = await startE2e({ label: 'timers', units: {} });
  });

  afterEach((ctx) => closeTestPages(e2e, ctx));

  afterAll(async () => {
    await e2e?.stop();
  });

  it('makes a timer in words, runs it now and reads its history, light and dark', async () => {
    const recorded = await e2e.open('timers.html');
    const { page } = recorded;
    await page.getByRole('heading', { name: 'Timers', level: 1 }).waitFor();
    await page.getByText('No timer jobs yet').waitFor();

    await page.locator('#t-name').fill('dd-e2e');
    await page.locator('#t-command').fill(`sh -c 'echo e2e says hi; echo and bye'`);
    // "The first Monday of the month at 10:00", picked in words.
    await page.locator('#t-kind').selectOption('nth-weekday');
    await page.locator('#t-nth').selectOption('1');
    await page.locator('#t-weekday').selectOption('Mon');
    await page.locator('#t-at').fill('10:00');
    const preview = page.getByTestId('schedule-preview');
    const showsNormalized = (form: string) =>
      waitFor(
        async () =>
          (await preview
            .getByTestId('normalized')
            .textContent()
            .catch(() => null)) === form,
        `systemd's normalised form ${form}`,
        15_000,
      );
    await showsNormalized('Mon *-*-01..07 10:00:00');
    expect(await preview.getByTestId('expression').textContent()).toBe('Mon *-*-01..07 10:00:00');
    const next: string[] = [];
    for (const time of await preview.getByTestId('next-runs').locator('time').all())
      next.push((await time.getAttribute('datetime')) ?? '');
    expect(next).toHaveLength(5);
    // Each run is a Monday within the first seven days of its month, in local time.
    for (const at of next) {
      const d = new Date(at);
      expect(d.getDay()).toBe(1);
      expect(d.getDate()).toBeLessThanOrEqual(7);
      expect([d.getHours(), d.getMinutes()]).toEqual([10, 0]);
    }
    await shoot(page, 'timers-form', { fullPage: true });

    // An expression systemd refuses is refused with its reason, as typed.
    await page.locator('#t-mode').selectOption('calendar');
    await page.locator('#t-expr').fill('Mon..Fri 25:00');
    await preview
      .getByText("Failed to parse calendar specification 'Mon..Fri 25:00': Invalid argument")
      .waitFor({ timeout: 15_000 });
    await page.locator('#t-mode').selectOption('words');
    await showsNormalized('Mon *-*-01..07 10:00:00');

    await page.getByRole('button', { name: 'Create timer' }).click();
    await page.getByText('Created dd-e2e').waitFor({ timeout: 30_000 });
    const job = page.locator('[data-testid="timer-job"][data-name="dd-e2e"]');
    await job.waitFor();
    const listed = (await e2e.sb.systemctl('list-timers', '--all', '--no-pager')).stdout;
    expect(listed).toContain('dd-e2e.timer');
    const cal = (await e2e.sb.systemctl('show', 'dd-e2e.timer', '-p', 'TimersCalendar')).stdout;
    expect(cal).toContain('OnCalendar=Mon *-*-01..07 10:00:00');

    await job.getByRole('button', { name: 'Run now' }).click();
    const run = job.getByTestId('run').first();
    await run.waitFor({ timeout: 20_000 });
    await waitFor(
      async () =>
        (await run
          .locator('pre')
          .textContent()
          .catch(() => null)) === 'e2e says hi\nand bye',
      'the run output',
      20_000,
    );
    expect(await run.innerText()).toContain('Succeeded');
    expect(await run.innerText()).toContain('exit status 0');
    // The row first shows systemd's last run; the recorder's own record of the run replaces it
    // on the next poll once the recorder has seen the run end.
    await run.getByText('recorded by Daemon Deck as it ran').waitFor({ timeout: 20_000 });
    await shoot(page, 'timers-history', { fullPage: true });
    expect(await recorded.problems()).toEqual([]);

    // The detail window's History lists the job's runs too.
    const detail = await e2e.open(`detail.html?id=${encodeURIComponent('systemd:dd-e2e.timer')}`);
    await detail.page.getByRole('tab', { name: 'History' }).click();
    const inDetail = detail.page.getByTestId('run-history').getByTestId('run').first();
    await inDetail.waitFor({ timeout: 20_000 });
    expect(await inDetail.innerText()).toContain('e2e says hi');
    await shoot(detail.page, 'timers-detail-history', { fullPage: true });
    expect(await detail.problems()).toEqual([]);

    expect(await recorded.problems()).toEqual([]);
    // The page in Korean (its words from the timers catalog), light and dark.
    e2e.settings.update({ language: 'ko' });
    const ko = await e2e.open('timers.html');
    await ko.page.getByRole('heading', { name: '타이머', level: 1 }).waitFor();
    const koJob = ko.page.locator('[data-testid="timer-job"][data-name="dd-e2e"]');
    await koJob.getByRole('button', { name: '기록' }).click();
    await koJob.getByTestId('run').first().waitFor({ timeout: 20_000 });
    await shoot(ko.page, 'timers', { fullPage: true });
    // (The setting stays Korean: this file's core ends with this test.)
    expect(await ko.problems()).toEqual([]);
  });
});
