// The "Start automatically" wizard in real Chromium against the real core: a private
// systemd --user, a private crontab (never the invoking user's) and the sandbox's own
// XDG_CONFIG_HOME/autostart.
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/units.js';
import { closePage, type RecordedPage } from './browser.js';
import { type E2e, press, screenshots, startE2e } from './e2e-setup.js';

describe('start automatically wizard', () => {
  let e2e: E2e;
  let recorded: RecordedPage;
  let page: Page;
  let script: string;
  let configHome: string;
  let realCrontab: string;

  /** The invoking user's own crontab, read only, to prove the tests never wrote it. */
  function readRealCrontab(): Promise<string> {
    return new Promise((resolve) => {
      execFile('crontab', ['-l'], { env: { ...process.env, LC_ALL: 'C' } }, (err, stdout, stderr) =>
        resolve(`${err ? 'error' : 'ok'}\n${stdout}\n${stderr}`),
      );
    });
  }

  beforeAll(async () => {
    realCrontab = await readRealCrontab();
    e2e = await startE2e({
      label: 'startup',
      units: {},
      async prepare(sb) {
        script = join(sb.home, 'dd-ticker');
        await writeFile(script, '#!/bin/sh\nexec sleep 1000\n');
        await chmod(script, 0o755);
      },
    });
    configHome = e2e.sb.env.XDG_CONFIG_HOME ?? join(e2e.sb.home, '.config');
    recorded = await e2e.open('startup.html');
    page = recorded.page;
    await page.setViewportSize({ width: 700, height: 900 });
  });

  afterAll(async () => {
    await e2e?.stop();
  });

  const outcome = () => page.getByRole('status', { name: 'Outcome' });
  const setUp = () => page.getByRole('button', { name: 'Set up' });
  const startedBy = () => page.getByRole('list', { name: 'Started by' }).getByRole('listitem');

  const shoot = (step: string, p: Page = page) => screenshots(p, `startup-${step}`, true);

  async function crontab(): Promise<string> {
    return (await e2e.cron.exec(['crontab', '-l'])).stdout;
  }

  it('checks a typed command: nothing starts it yet, and the three ways with their trade-offs', async () => {
    await page.getByRole('textbox', { name: 'Command' }).fill(`${script} --every 5`);
    await page.getByRole('button', { name: 'Check', exact: true }).click();
    await page.getByRole('heading', { name: 'How does this start now?' }).waitFor();
    expect(await page.getByText('Nothing starts this at login or boot.').isVisible()).toBe(true);

    const radios = page.getByRole('radio');
    expect(await radios.count()).toBe(3);
    const systemd = page.getByRole('radio', { name: /systemd user service/ });
    expect(await systemd.isChecked()).toBe(true);
    expect(await page.getByText('Recommended', { exact: true }).count()).toBe(1);
    expect(await page.getByText('Restarts when it crashes').count()).toBe(3);
    expect(await page.getByText('Yes, starts at login').count()).toBe(1);
    expect(await page.getByRole('switch', { name: 'Keep running after logout' }).count()).toBe(1);
    expect(await page.getByRole('textbox', { name: 'Service name' }).inputValue()).toBe(
      'dd-ticker',
    );
    await shoot('1-check');
  });

  it('sets it up as a systemd user unit: written, enabled and started', async () => {
    // "Keep running after logout" stays as it is: linger is the real system's setting, and the
    // wizard only asks for it when the switch is turned on here.
    await press(setUp());
    await outcome().waitFor({ timeout: 30_000 });
    expect(await outcome().textContent()).toMatch(
      /user service dd-ticker\.service: enabled and started/,
    );
    expect(await e2e.is('is-enabled', 'dd-ticker.service')).toBe('enabled');
    const unit = await readFile(join(configHome, 'systemd/user/dd-ticker.service'), 'utf8');
    // The one unit writer (systemd/unit-file.ts) quotes every word, as Create and Adopt do.
    expect(unit).toContain(`ExecStart="${script}" "--every" "5"`);
    expect(unit).toContain('Restart=on-failure');
    await expect.poll(() => startedBy().count()).toBe(1);
    expect(await startedBy().first().textContent()).toMatch(/User service.*dd-ticker\.service/);
    await shoot('2-systemd');
  });

  const moveHere = () => page.getByRole('button', { name: 'Move it here' });
  const moveNote = () => page.getByRole('note', { name: /already start/ });
  /** No internal id ("cron:1d2abe63", "autostart:x.desktop") is shown as words to read. */
  async function noInternalIds(p: Page = page): Promise<void> {
    const text = await p.locator('main, body').first().innerText();
    expect(text).not.toMatch(/\b(cron:[0-9a-f]{8}|autostart:[\w.-]+\.desktop|systemd:[\w@.-]+)/);
  }

  it('a command a user service starts is moved to crontab @reboot, naming the old starter in words; Undo puts it back', async () => {
    await page.getByRole('radio', { name: /crontab @reboot line/ }).check();
    // Offered as a move, never as a second starter: the old one is named in words.
    expect(await moveNote().innerText()).toMatch(/the user service dd-ticker\.service/);
    expect(await setUp().count()).toBe(0);
    await noInternalIds();
    await shoot('3-move-offer');
    const log = join(e2e.sb.home, 'dd-ticker.log');
    await page.getByRole('textbox', { name: 'Log file (optional)' }).fill(log);
    await press(moveHere());
    await expect
      .poll(() => outcome().textContent(), { timeout: 20_000 })
      .toMatch(/Added an @reboot line/);
    expect(await outcome().textContent()).toMatch(
      /Turned off \(kept, not deleted\): the user service dd-ticker\.service/,
    );
    expect(await crontab()).toContain(`@reboot ${script} --every 5 >> ${log} 2>&1`);
    expect(await e2e.is('is-enabled', 'dd-ticker.service')).toBe('disabled');
    await expect
      .poll(() => startedBy().allInnerTexts())
      .toEqual([
        expect.stringMatching(
          new RegExp(`^Crontab @reboot\\s+the @reboot line “@reboot ${script} --every 5`),
        ),
      ]);
    expect(await page.getByText(/Started \d times: duplicate/).count()).toBe(0);
    await noInternalIds();
    await shoot('3-moved');

    await press(page.getByRole('button', { name: 'Undo: put it back as it was' }));
    await expect
      .poll(() => outcome().textContent(), { timeout: 20_000 })
      .toMatch(/Undone: it starts as it did before/);
    expect(await crontab()).not.toContain('@reboot');
    expect(await e2e.is('is-enabled', 'dd-ticker.service')).toBe('enabled');
    await expect
      .poll(() => startedBy().allInnerTexts())
      .toEqual([expect.stringMatching(/^User service\s+the user service dd-ticker\.service$/)]);

    // Moved for good this time: the crontab line starts it, the unit stays off.
    await press(moveHere());
    await expect
      .poll(() => outcome().textContent(), { timeout: 20_000 })
      .toMatch(/Added an @reboot line/);
    expect(await e2e.is('is-enabled', 'dd-ticker.service')).toBe('disabled');
  });

  it('moves it to an XDG autostart file, and Undo removes the file and turns the @reboot line on again', async () => {
    await page.getByRole('radio', { name: /Start at login \(autostart\)/ }).check();
    expect(await moveNote().innerText()).toMatch(/the @reboot line “@reboot /);
    await page.getByRole('textbox', { name: 'Name in the autostart list' }).fill('dd-ticker');
    await press(moveHere());
    await expect
      .poll(() => outcome().textContent(), { timeout: 20_000 })
      .toMatch(/Wrote the autostart file dd-ticker\.desktop/);
    const file = join(configHome, 'autostart/dd-ticker.desktop');
    const desktop = await readFile(file, 'utf8');
    expect(desktop).toMatch(new RegExp(`^Exec=${script} --every 5$`, 'm'));
    expect(await crontab()).toMatch(/^#daemon-deck:disabled# @reboot/m);
    await expect.poll(() => startedBy().count()).toBe(1);
    await shoot('4-autostart');

    await press(page.getByRole('button', { name: 'Undo: put it back as it was' }));
    await expect.poll(() => outcome().textContent(), { timeout: 20_000 }).toMatch(/Undone/);
    expect(existsSync(file)).toBe(false);
    await expect.poll(() => crontab()).toMatch(new RegExp(`^@reboot ${script} --every 5`, 'm'));
    await expect.poll(() => startedBy().count()).toBe(1);
    expect(await recorded.problems()).toEqual([]);
  });

  it('a name taken by an existing autostart entry or unit is said as it is typed, under its field', async () => {
    await page.getByRole('radio', { name: /systemd user service/ }).check();
    const name = page.getByRole('textbox', { name: 'Service name' });
    await name.fill('dd-ticker');
    await expect.poll(() => name.getAttribute('aria-invalid'), { timeout: 10_000 }).toBe('true');
    expect(await page.locator('#way-name-issues').innerText()).toMatch(
      /dd-ticker\.service already exists: pick another name/,
    );
    await name.fill('dd-ticker-2');
    await expect.poll(() => name.getAttribute('aria-invalid')).toBe('false');
    await shoot('4b-name');
  });

  it('opened for an @reboot entry, names every starter in words and flags a duplicate', async () => {
    // A second line of the same command, as someone might have added by hand.
    const text = await crontab();
    const extra = join(e2e.sb.root, 'crontab-extra');
    await writeFile(extra, `${text}@reboot ${script} --every 5\n`);
    await e2e.cron.exec(['crontab', extra]);
    const key = await waitFor(
      () => e2e.monitor.snapshot().entries.find((e) => e.kind === 'cron')?.id,
      'the @reboot entry in the snapshot',
    );
    const opened = await e2e.open(`startup.html?id=${encodeURIComponent(key)}`);
    const p = opened.page;
    await p.setViewportSize({ width: 700, height: 900 });
    await p.getByRole('heading', { name: 'How does this start now?' }).waitFor();
    const items = p.getByRole('list', { name: 'Started by' }).getByRole('listitem');
    await expect.poll(() => items.count()).toBe(2);
    const listed = (await items.allTextContents()).join('\n');
    expect(listed).toMatch(/Crontab @reboot/);
    expect(listed).toMatch(/the @reboot line “@reboot /);
    expect(await p.getByText('Started 2 times: duplicate').isVisible()).toBe(true);
    const warning = p.getByRole('alert').filter({ hasText: /started 2 times/ });
    expect(await warning.innerText()).toMatch(/the @reboot line/);
    expect(await p.getByRole('textbox', { name: 'Command' }).inputValue()).toBe(
      `${script} --every 5`,
    );
    await noInternalIds(p);
    await shoot('5-entry', p);
    expect(await opened.problems()).toEqual([]);
    await opened.page.close();
    await e2e.cron.exec(['crontab', '-r']);
    await writeFile(extra, text);
    await e2e.cron.exec(['crontab', extra]);
  });

  it('Undo after a move to a user service stops and disables the unit and turns the line on again', async () => {
    await page.getByRole('button', { name: 'Check', exact: true }).click();
    await page.getByRole('radio', { name: /systemd user service/ }).check();
    await page.getByRole('textbox', { name: 'Service name' }).fill('dd-ticker-2');
    await press(moveHere());
    await expect
      .poll(() => outcome().textContent(), { timeout: 30_000 })
      .toMatch(/dd-ticker-2\.service: enabled and started/);
    expect(await e2e.is('is-enabled', 'dd-ticker-2.service')).toBe('enabled');
    expect(await crontab()).toMatch(/^#daemon-deck:disabled# @reboot/m);
    await press(page.getByRole('button', { name: 'Undo: put it back as it was' }));
    await expect.poll(() => outcome().textContent(), { timeout: 20_000 }).toMatch(/Undone/);
    expect(await e2e.is('is-enabled', 'dd-ticker-2.service')).toBe('disabled');
    expect(await e2e.is('is-active', 'dd-ticker-2.service')).toBe('inactive');
    await expect.poll(() => crontab()).toMatch(new RegExp(`^@reboot ${script}`, 'm'));
    await expect.poll(() => startedBy().count()).toBe(1);
  });

  it('a bare name is looked up on PATH: a missing one says "not found on your PATH" under the field, with the focus', async () => {
    const command = page.getByRole('textbox', { name: 'Command' });
    await command.fill('');
    await page.getByRole('button', { name: 'Check', exact: true }).click();
    await expect.poll(() => command.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#command-issues').innerText()).toMatch(/Enter the command to run/);
    await command.fill('nosuchprogram --flag');
    await page.getByRole('button', { name: 'Check', exact: true }).click();
    await expect
      .poll(() => page.locator('#command-issues').innerText(), { timeout: 10_000 })
      .toMatch(/“nosuchprogram” is not found on your PATH/);
    expect(await page.locator('#command-issues').innerText()).not.toMatch(/absolute path/);
    expect(await page.evaluate('document.activeElement?.id')).toBe('command');
    await shoot('6-not-on-path');
    // As you type after that: the message follows what is typed.
    await command.fill('sleep 4711');
    await page.getByRole('button', { name: 'Check', exact: true }).click();
    await expect.poll(() => command.getAttribute('aria-invalid')).toBe('false');
    await expect
      .poll(() => page.locator('.runs code').innerText(), { timeout: 10_000 })
      .toMatch(/^\/\S*\/sleep 4711$/);
  });

  it('turns "Start Daemon Deck at login" on and off in the sandbox autostart folder', async () => {
    const self = page.getByRole('switch', { name: 'Start Daemon Deck at login' });
    const file = join(configHome, 'autostart/daemon-deck.desktop');
    expect(await self.getAttribute('aria-checked')).toBe('false');
    await press(self);
    await expect.poll(() => self.getAttribute('aria-checked'), { timeout: 15_000 }).toBe('true');
    expect(await readFile(file, 'utf8')).toMatch(/^Exec=/m);
    await press(self);
    await expect.poll(() => self.getAttribute('aria-checked'), { timeout: 15_000 }).toBe('false');
    expect(await recorded.problems()).toEqual([]);
  });

  it('panel: the @reboot row switches it off and on at boot, Enter opens this page, the footer opens both pages', async () => {
    const panel = await e2e.open('panel.html');
    const p = panel.page;
    const group = p.getByRole('region', { name: 'At login/boot' });
    const row = group.getByRole('switch', { name: 'dd-ticker', exact: true });
    await expect.poll(() => row.getAttribute('aria-checked'), { timeout: 20_000 }).toBe('true');
    const key = await waitFor(
      () => e2e.monitor.snapshot().entries.find((e) => e.kind === 'cron')?.id,
      'the @reboot entry',
    );

    expect(await group.getByText('Starts at boot.').count()).toBe(1);
    await press(row);
    await expect.poll(() => row.getAttribute('aria-checked'), { timeout: 20_000 }).toBe('false');
    expect(await group.getByText('Does not start at boot.').count()).toBe(1);
    expect(await crontab()).not.toMatch(new RegExp(`^@reboot ${script}`, 'm'));
    await press(row);
    await expect.poll(() => row.getAttribute('aria-checked'), { timeout: 20_000 }).toBe('true');
    expect(await crontab()).toMatch(new RegExp(`^@reboot ${script} --every 5`, 'm'));

    await row.focus();
    await p.keyboard.press('Enter');
    await waitFor(
      () => e2e.pageRequests.includes(`startup:${key}`),
      'the startup page for the row',
    );
    await waitFor(() => e2e.detailPages.at(-1), 'the startup page');

    await p.getByRole('button', { name: 'New…' }).click();
    await p.getByRole('menuitem', { name: 'New service…' }).click();
    await waitFor(() => e2e.pageRequests.includes('create'), 'the New service page');
    await p.getByRole('button', { name: 'New…' }).click();
    await p.getByRole('menuitem', { name: 'Start automatically…' }).click();
    await waitFor(() => e2e.pageRequests.includes('startup'), 'the Start automatically page');
    expect(e2e.detailRequests).toEqual([]);
    await screenshots(p, 'startup-panel');
    expect(await panel.problems()).toEqual([]);
  });

  it('Settings: the Language choice reloads open pages in Korean, and the wizard speaks it', async () => {
    // Each page holds an event stream and Chromium opens six connections to a host at most:
    // the panel test's pages go first.
    for (const other of e2e.browser.context.pages()) if (other !== page) await closePage(other);
    const opened = await e2e.open('settings.html');
    const sp = opened.page;
    await sp.setViewportSize({ width: 700, height: 900 });
    await sp.getByRole('combobox', { name: 'Language' }).selectOption('ko');
    await sp.getByRole('heading', { level: 1, name: '설정' }).waitFor({ timeout: 15_000 });
    expect(e2e.settings.get().language).toBe('ko');
    expect(await sp.evaluate('document.documentElement.lang')).toBe('ko-KR');
    await screenshots(sp, 'settings-language', true);

    // The wizard, open all along, came back in Korean.
    await page
      .getByRole('heading', { level: 1, name: '자동으로 시작' })
      .waitFor({ timeout: 15_000 });
    const command = page.getByRole('textbox', { name: '명령' });
    await command.fill('nosuchprogram');
    await page.getByRole('button', { name: '확인', exact: true }).click();
    await expect
      .poll(() => page.locator('#command-issues').innerText(), { timeout: 10_000 })
      .toMatch(/“nosuchprogram”을\(를\) PATH에서 찾을 수 없습니다/);
    await shoot('6-not-on-path');
    await command.fill(`${script} --every 5`);
    await page.getByRole('button', { name: '확인', exact: true }).click();
    await page.getByRole('radio', { name: /systemd 사용자 서비스/ }).check();
    await expect
      .poll(() => page.getByRole('note').innerText(), { timeout: 10_000 })
      .toMatch(/크론탭의 @reboot 줄 “@reboot /);
    expect(await page.getByRole('button', { name: '여기로 옮기기' }).count()).toBe(1);
    await shoot('3-move-offer');

    await sp.getByRole('combobox', { name: '언어' }).selectOption('system');
    await sp.getByRole('heading', { level: 1, name: 'Settings' }).waitFor({ timeout: 15_000 });
    await page.getByRole('heading', { level: 1, name: 'Start automatically' }).waitFor();
    await screenshots(sp, 'settings-language', true);
    expect(await opened.problems()).toEqual([]);
  });

  it("never touches the invoking user's own crontab", async () => {
    expect(await readRealCrontab()).toBe(realCrontab);
  });
});
