// The Logs tab in real Chromium against the real core (issue 14): a unit writing to a file (the
// sandbox runs no journald), with sd-daemon <N> priorities. Search as you type, the priority
// filter, follow with Pause and with scrolling up, Export through the save dialog (answered
// through the transport), and the log file's size, warning and Rotate. Light and dark, with axe.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/units.js';
import { shoot } from './a11y.js';
import { type E2e, startE2e } from './e2e-setup.js';

// Every fifth line an error, the others info; 200 lines at once to scroll, then one per 0.2 s.
const LOGGER = `[Unit]
Description=Writes numbered lines
[Service]
ExecStart=/bin/sh -c 'i=0; while :; do i=$((i+1)); if [ $((i %% 5)) -eq 0 ]; then echo "<3>failure $i"; else echo "<6>tick $i"; fi; [ $i -gt 200 ] && sleep 0.2; done'
StandardOutput=append:%h/logger.log
`;

const UNITS = {
  'dd-logger.service': LOGGER,
  // A timer whose job fails, to read its last run's result in the panel.
  'dd-tick.timer': '[Timer]\nOnActiveSec=1s\nAccuracySec=1s\n',
  'dd-tick.service': '[Service]\nType=oneshot\nExecStart=/bin/false\n',
};

describe('logs', () => {
  let e2e: E2e;

  beforeAll(async () => {
    e2e = await startE2e({ label: 'logs', units: UNITS });
    expect((await e2e.sb.systemctl('start', 'dd-logger.service')).code).toBe(0);
    expect((await e2e.sb.systemctl('start', 'dd-tick.timer')).code).toBe(0);
  });

  afterAll(async () => {
    await e2e?.sb.systemctl('stop', 'dd-logger.service');
    await e2e?.stop();
  });

  it('searches, filters by priority, follows and pauses, exports and rotates, light and dark', async () => {
    const log = join(e2e.sb.env.HOME!, 'logger.log');
    // The rotation's warning shows past a small limit.
    e2e.settings.update({ logWarnBytes: 1024 });
    const { page } = await e2e.open(
      `detail.html?id=${encodeURIComponent('systemd:dd-logger.service')}&tab=logs`,
    );
    const view = page.getByRole('log');
    const messages = () => view.locator('.message').allInnerTexts();
    const newest = async () => {
      const all = (await messages()).map((m) => Number(/\d+$/.exec(m)?.[0] ?? NaN));
      return Math.max(...all.filter(Number.isFinite));
    };
    await waitFor(async () => (await newest()) > 205, 'followed lines past 205', 20_000);
    await page.getByText(`Log file ${log}`).waitFor();
    await page.getByText(/^Larger than 1 KiB: rotate it/).waitFor();

    // Search as you type: only matching lines, counted.
    await page.getByRole('searchbox').fill('failure');
    await waitFor(async () => {
      const m = await messages();
      return m.length > 10 && m.every((l) => l.startsWith('failure '));
    }, 'only the failures');
    await page.getByRole('searchbox').fill('');

    // The priority filter, applied by the core: errors and worse are the <3> lines, shown as errors.
    await page.getByRole('combobox', { name: 'Priority' }).selectOption('3');
    await waitFor(async () => {
      const m = await messages();
      return m.length > 10 && m.every((l) => /^failure \d+$/.test(l));
    }, 'only the <3> lines');
    expect(await view.locator('.line[data-level="error"]').count()).toBe(
      await view.locator('.line').count(),
    );
    await shoot(page, 'detail-logs-filtered');

    // Export: the lines the filter selects, to the path the save dialog gave.
    const saved = join(e2e.sb.root, 'exported.log');
    e2e.savePaths.push(saved);
    await page.getByRole('button', { name: 'Export…' }).click();
    await page.getByText(new RegExp(`^Saved \\d+ lines to ${saved}$`)).waitFor();
    const exported = (await readFile(saved, 'utf8')).split('\n').filter(Boolean);
    expect(exported.length).toBeGreaterThan(10);
    for (const l of exported) expect(l).toMatch(/^<err> failure \d+$/);
    // Cancel writes nothing and says nothing.
    await page.getByRole('button', { name: 'Export…' }).click();
    await page.getByRole('combobox', { name: 'Priority' }).selectOption('');
    await waitFor(async () => (await messages()).some((l) => l.startsWith('tick ')), 'all lines');

    // Pause: no new line shows while paused; Resume brings the ones written meanwhile.
    await page.getByRole('button', { name: 'Pause' }).click();
    await page.getByRole('button', { name: 'Resume' }).waitFor();
    const justPaused = await newest();
    await new Promise((r) => setTimeout(r, 300));
    const atPause = await newest();
    if (atPause !== justPaused)
      console.log(`a line came in right after Pause: ${justPaused} -> ${atPause}`);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await newest()).toBe(atPause);
    await page.getByRole('button', { name: 'Resume' }).click();
    await waitFor(async () => (await newest()) > atPause + 3, 'the lines written while paused');
    const all = (await messages()).map((m) => Number(/\d+$/.exec(m)?.[0]));
    // None lost or repeated across the pause.
    expect(all).toEqual(all.map((_, i) => all[0]! + i));

    // Scrolling up to read pauses; back at the end it follows again.
    await view.evaluate((el: { scrollTop: number }) => (el.scrollTop = 0));
    await page.getByText(/Paused while you read earlier lines/).waitFor();
    expect(await page.getByRole('button', { name: 'Resume' }).count()).toBe(1);
    await view.evaluate(
      (el: { scrollTop: number; scrollHeight: number }) => (el.scrollTop = el.scrollHeight),
    );
    await page.getByRole('button', { name: 'Pause' }).waitFor();
    await shoot(page, 'detail-logs');

    // Rotate: the old lines move beside the file, the unit keeps writing into a fresh one.
    const before = await newest();
    await page.getByRole('button', { name: 'Rotate' }).click();
    const done = await page.getByText(/^Rotated: the old lines are in /).innerText();
    const rotatedTo = /in (\S+)\. The command paused/.exec(done)?.[1] ?? '';
    expect(rotatedTo.startsWith(`${log}.`)).toBe(true);
    await waitFor(async () => (await newest()) > before + 2, 'lines after the rotation');
    const numbers = (text: string) =>
      text
        .split('\n')
        .filter(Boolean)
        .map((l) => Number(/\d+$/.exec(l)?.[0]));
    const old = numbers(await readFile(rotatedTo, 'utf8'));
    const fresh = numbers(await readFile(log, 'utf8'));
    // Every number once, in order, across the two files.
    const joined = [...old, ...fresh];
    expect(joined).toEqual(joined.map((_, i) => i + 1));
    await shoot(page, 'detail-logs-rotated');
  });

  it('opens the Timers page from the panel, whose timer row says how the last run went', async () => {
    const { page } = await e2e.open('panel.html');
    await waitFor(
      async () =>
        /^(Next run .*|No next run planned) · last .* ago, failed$/m.test(
          await page.locator('body').innerText(),
        ),
      "the timer's row with its last run's result",
      20_000,
    );
    await page.getByRole('button', { name: 'New…' }).click();
    await page
      .getByRole('menu', { name: 'New…' })
      .getByRole('menuitem', { name: 'Timers…' })
      .click();
    await waitFor(() => e2e.pageRequests.includes('timers'), 'the Timers page');
    await shoot(page, 'panel-timer-result');
  });
});
