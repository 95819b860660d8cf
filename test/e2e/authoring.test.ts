// Authoring in real Chromium against the real core and a private systemd --user: the New service
// form (live preview, errors beside their fields, nothing written while invalid, a real create),
// and the detail window's live resources of a busy unit and its following logs.
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sleeperUnit, waitFor } from '../helpers/units.js';
import type { RecordedPage } from './browser.js';
import { type E2e, field, press, screenshots, startE2e } from './e2e-setup.js';

const busyUnit = [
  '[Unit]',
  'Description=Busy loop',
  '',
  '[Service]',
  "ExecStart=/bin/sh -c 'while :; do :; done'",
  '',
].join('\n');

function chattyUnit(logFile: string): string {
  return [
    '[Unit]',
    'Description=Writes a line every 300 ms',
    '',
    '[Service]',
    `ExecStart=/bin/sh -c 'i=0; while :; do i=$((i+1)); echo "tick $i"; sleep 0.3; done'`,
    `StandardOutput=append:${logFile}`,
    '',
  ].join('\n');
}

describe('authoring', () => {
  let e2e: E2e;
  let logFile: string;

  beforeAll(async () => {
    e2e = await startE2e({
      label: 'authoring',
      units: {},
      async prepare(sb) {
        logFile = join(sb.root, 'chatty.log');
        await sb.writeUnit('dd-busy.service', busyUnit);
        await sb.writeUnit('dd-chatty.service', chattyUnit(logFile));
        await sb.writeUnit('dd-quiet.service', sleeperUnit('Says nothing', false));
        await sb.daemonReload();
        await sb.systemctl('start', 'dd-busy.service', 'dd-chatty.service', 'dd-quiet.service');
      },
    });
  });

  afterAll(async () => {
    await e2e?.stop();
  });

  const unitFiles = async () =>
    (await readdir(e2e.sb.unitDir)).filter((n) => n.startsWith('dd-new')).sort();

  describe('the New service form', () => {
    let recorded: RecordedPage;
    let page: Page;

    beforeAll(async () => {
      recorded = await e2e.open('create.html');
      page = recorded.page;
      await page.setViewportSize({ width: 720, height: 760 });
      await page
        .getByRole('heading', { level: 1, name: 'New service' })
        .waitFor({ timeout: 10_000 })
        .catch(async (err: unknown) => {
          throw new Error(
            `${String(err)}; page problems: ${(await recorded.problems()).join('; ')}`,
          );
        });
    });

    const preview = () => page.getByRole('region', { name: 'Unit file preview' });

    it('checks on Create, then as you type: each message under its field, the focus on the first; a taken name at once', async () => {
      const name = page.getByLabel('Name', { exact: true });
      const focused = () => page.evaluate('document.activeElement?.id');
      // A name that is taken is said while it is typed, before any Create.
      await name.fill('dd-quiet');
      await expect
        .poll(() => page.locator('#f-name-issues').innerText(), { timeout: 10_000 })
        .toBe('dd-quiet.service already exists: pick another name.');
      expect(await name.getAttribute('aria-invalid')).toBe('true');
      await screenshots(page, 'create-name-taken');

      // Other mistakes wait for Create: a fresh form is not shouted at while it is typed.
      await name.fill('bad name!');
      const workdir = page.getByLabel('Working directory');
      await workdir.fill('relative/dir');
      await expect
        .poll(() => page.getByRole('button', { name: 'Create' }).getAttribute('aria-busy'))
        .toBe('false');
      await expect.poll(() => preview().innerText(), { timeout: 5000 }).toMatch(/to fix/);
      expect(await page.locator('[aria-invalid="true"]').count()).toBe(0);

      // Create with errors: nothing is written, the first invalid field gets the focus.
      await page.getByRole('button', { name: 'Create' }).click();
      await expect.poll(() => name.getAttribute('aria-invalid'), { timeout: 5000 }).toBe('true');
      expect(await page.locator('#f-name-issues').innerText()).not.toBe('');
      expect(await workdir.getAttribute('aria-invalid')).toBe('true');
      expect(await page.locator('#f-workdir-issues').innerText()).toMatch(/absolute/i);
      expect(await page.locator('#f-command-issues').innerText()).toBe('Enter the command to run.');
      await expect.poll(focused).toBe('f-name');
      expect(await unitFiles()).toEqual([]);
      expect(await page.getByText('Created dd-new').count()).toBe(0);
      await screenshots(page, 'create-errors');

      // From then on the messages follow what is typed.
      await name.fill('dd-new-ok');
      await expect.poll(() => name.getAttribute('aria-invalid'), { timeout: 5000 }).toBe('false');
      await page.getByLabel('Command').fill('nosuchprogram --x');
      await expect
        .poll(() => page.locator('#f-command-issues').innerText(), { timeout: 5000 })
        .toMatch(/“nosuchprogram” is not found on your PATH/);
      expect(await recorded.problems()).toEqual([]);
    });

    it('in Korean: the same checks, in Korean words', async () => {
      e2e.settings.update({ language: 'ko' });
      try {
        await page
          .getByRole('heading', { level: 1, name: '새 서비스' })
          .waitFor({ timeout: 15_000 });
        await page.getByLabel('이름', { exact: true }).fill('dd-quiet');
        await expect
          .poll(() => page.locator('#f-name-issues').innerText(), { timeout: 10_000 })
          .toBe('dd-quiet.service이(가) 이미 있습니다. 다른 이름을 고르세요.');
        await page.getByLabel('명령').fill('nosuchprogram');
        await page.getByRole('button', { name: '만들기' }).click();
        await expect
          .poll(() => page.locator('#f-command-issues').innerText(), { timeout: 10_000 })
          .toMatch(/PATH에서 찾을 수 없습니다/);
        await expect.poll(() => page.evaluate('document.activeElement?.id')).toBe('f-name');
        await screenshots(page, 'create-errors');
      } finally {
        e2e.settings.update({ language: 'system' });
        await page
          .getByRole('heading', { level: 1, name: 'New service' })
          .waitFor({ timeout: 15_000 });
      }
      await page.getByLabel('Name', { exact: true }).fill('');
      await page.getByLabel('Command').fill('');
    });

    it('splits the command and previews the unit file live', async () => {
      await page.getByLabel('Name', { exact: true }).fill('dd-new-web');
      await page.getByLabel('Description').fill('Tiny web server');
      await page.getByLabel('Working directory').fill(e2e.sb.home);
      await page.getByLabel('Command').fill(`sh -c 'echo "hi there"; exec sleep 100000'`);
      await expect
        .poll(() => page.getByText(/^ExecStart=/).innerText(), { timeout: 5000 })
        .toBe(`ExecStart="/usr/bin/sh" "-c" "echo \\"hi there\\"; exec sleep 100000"`);
      const args = page.getByLabel('Arguments').locator('span');
      expect(await args.allInnerTexts()).toEqual([
        '/usr/bin/sh',
        '-c',
        'echo "hi there"; exec sleep 100000',
      ]);
      await page.getByRole('button', { name: 'Add variable' }).click();
      await page.getByLabel('Name of variable 1').fill('PORT');
      await page.getByLabel('Value of variable 1').fill('8080');
      await page.getByText('Always', { exact: true }).click();
      await page.getByLabel('Wait before restarting').fill('5');
      await expect.poll(() => preview().innerText(), { timeout: 5000 }).toContain('RestartSec=5s');
      const text = await preview().innerText();
      expect(text).toContain('dd-new-web.service');
      expect(text).toContain('Description=Tiny web server');
      expect(text).toContain(`WorkingDirectory=${e2e.sb.home}`);
      expect(text).toContain('Restart=always');
      expect(text).toContain('Environment="PORT=8080"');
      expect(text).toContain('WantedBy=default.target');
      expect(await page.locator('[aria-invalid="true"]').count()).toBe(0);
      expect(await unitFiles()).toEqual([]);
    });

    it('previews socket activation: a NAME.socket beside the service, with its errors', async () => {
      const socket = page.getByRole('switch', { name: 'Start on the first connection' });
      await socket.click();
      await expect.poll(() => socket.getAttribute('aria-checked')).toBe('true');
      const listen = page.getByLabel('Listen on');
      await listen.fill('not a port');
      // The page was reloaded into another language and back: a fresh form checks on Create.
      await page.getByRole('button', { name: 'Create' }).click();
      await expect.poll(() => listen.getAttribute('aria-invalid'), { timeout: 5000 }).toBe('true');
      expect(await page.locator('#f-listen-issues').innerText()).toMatch(/port/i);
      await listen.fill('127.0.0.1:18080');
      await expect
        .poll(() => preview().innerText(), { timeout: 5000 })
        .toContain('ListenStream=127.0.0.1:18080');
      expect(await preview().innerText()).toContain('dd-new-web.socket');
      await socket.click();
      await expect.poll(() => preview().innerText()).not.toContain('dd-new-web.socket');
      expect(await unitFiles()).toEqual([]);
    });

    it('saves screenshots in light and dark', async () => {
      await screenshots(page, 'create', true);
    });

    it('creates the service, starts and enables it, and undoes it', async () => {
      await page.getByRole('button', { name: 'Create' }).click();
      await page
        .getByRole('heading', { name: 'Created dd-new-web.service' })
        .waitFor({ timeout: 60_000 });
      expect(await page.getByRole('list', { name: 'What was done' }).innerText()).toMatch(
        /Started dd-new-web\.service/,
      );
      expect(await unitFiles()).toEqual(['dd-new-web.service']);
      expect(await e2e.is('is-active', 'dd-new-web.service')).toBe('active');
      expect(await e2e.is('is-enabled', 'dd-new-web.service')).toBe('enabled');
      await screenshots(page, 'create-done');

      await press(page.getByRole('button', { name: 'Undo' }));
      await page.getByText(/^Undone:/).waitFor({ timeout: 30_000 });
      expect(await unitFiles()).toEqual([]);
      expect(existsSync(join(e2e.sb.unitDir, 'dd-new-web.service'))).toBe(false);
      expect(await recorded.problems()).toEqual([]);
    });
  });

  describe('the detail window', () => {
    async function openDetail(unit: string): Promise<RecordedPage> {
      const opened = await e2e.open(`detail.html?id=${encodeURIComponent(`systemd:${unit}`)}`);
      await opened.page.setViewportSize({ width: 720, height: 720 });
      await opened.page.getByRole('heading', { level: 1, name: unit }).waitFor();
      return opened;
    }

    const resourceCalls = () =>
      e2e.server.calls.filter((c) => c.channel === 'authoring:resources').length;

    it('shows live CPU and memory of a busy unit', async () => {
      const recorded = await openDetail('dd-busy.service');
      const page = recorded.page;
      const cpu = async () => {
        const m = /^([\d.]+)\s?%/.exec(await field(page, 'CPU'));
        return m === null ? null : Number(m[1]);
      };
      const busyPid = (
        await e2e.sb.systemctl('show', '-p', 'MainPID', '--value', 'dd-busy.service')
      ).stdout.trim();
      // The first sample has no CPU delta; the next ones do, every ~2 s.
      await waitFor(async () => ((await cpu()) ?? 0) > 5, 'a busy CPU figure', 15_000);
      expect(await field(page, 'Memory')).toMatch(/^[\d.]+ (KiB|MiB)/);
      expect(await field(page, 'Processes')).toContain(busyPid);
      expect(Number(await field(page, 'Tasks'))).toBeGreaterThan(0);

      const before = resourceCalls();
      await waitFor(() => resourceCalls() >= before + 2, 'two more samples', 10_000);
      expect((await cpu()) ?? 0).toBeGreaterThan(5);
      const sparkline = page.getByRole('img', { name: /^CPU over the last/ });
      expect(await sparkline.isVisible()).toBe(true);

      await screenshots(page, 'detail-resources', true);
      expect(await recorded.problems()).toEqual([]);
      await page.close();
      // A closed window stops asking.
      const after = resourceCalls();
      await new Promise((r) => setTimeout(r, 4500));
      expect(resourceCalls()).toBe(after);
    });

    it('follows the log of a unit that writes to a file, with search and pause', async () => {
      const recorded = await openDetail('dd-chatty.service');
      const page = recorded.page;
      await page.getByRole('tab', { name: 'Logs' }).click();
      const log = page.getByRole('log', { name: 'Log lines' });
      await log
        .getByText(/^tick \d+$/)
        .first()
        .waitFor({ timeout: 10_000 });
      expect(await page.getByRole('status').filter({ hasText: logFile }).count()).toBe(1);
      const count = async () => await log.getByText(/^tick \d+$/).count();
      const first = await count();
      await waitFor(async () => (await count()) >= first + 3, 'new lines to follow', 10_000);

      // Search narrows the lines shown.
      const search = page.getByRole('searchbox', { name: 'Search the log' });
      await search.fill('tick 2');
      await expect
        .poll(async () => {
          const lines = (await log.innerText()).split('\n').filter((l) => l.trim() !== '');
          return lines.length > 0 && lines.every((l) => l.startsWith('tick') && l.includes('2'));
        })
        .toBe(true);
      await search.fill('');

      // Pause stops following; Resume catches up from where it stopped.
      await page.getByRole('button', { name: 'Pause' }).click();
      const paused = await count();
      await new Promise((r) => setTimeout(r, 1500));
      expect(await count()).toBe(paused);
      await screenshots(page, 'detail-logs');
      await page.getByRole('button', { name: 'Resume' }).click();
      await waitFor(async () => (await count()) > paused + 2, 'lines after resuming', 10_000);
      expect(await recorded.problems()).toEqual([]);
    });

    it('says why the log is empty instead of an empty pane', async () => {
      const recorded = await openDetail('dd-quiet.service');
      const page = recorded.page;
      await page.getByRole('tab', { name: 'Logs' }).click();
      const note = page.getByRole('note');
      await note.waitFor({ timeout: 10_000 });
      expect(await note.innerText()).toMatch(/journald is not running|logged nothing|not logged/);
      expect(await page.getByRole('log').count()).toBe(0);
      await screenshots(page, 'detail-logs-empty');
      expect(await recorded.problems()).toEqual([]);
    });

    it('shows the unit file in the Definition tab, reached by the keyboard', async () => {
      const recorded = await openDetail('dd-busy.service');
      const page = recorded.page;
      await page.getByRole('tab', { name: 'Overview' }).focus();
      // End reaches the last tab (History), the left arrow the one before it.
      await page.keyboard.press('End');
      expect(await page.getByRole('tab', { name: 'History' }).getAttribute('aria-selected')).toBe(
        'true',
      );
      await page.keyboard.press('ArrowLeft');
      expect(
        await page.getByRole('tab', { name: 'Definition' }).getAttribute('aria-selected'),
      ).toBe('true');
      const file = page.getByRole('region', { name: 'Unit file' });
      await file.waitFor();
      expect(await file.innerText()).toContain(join(e2e.sb.unitDir, 'dd-busy.service'));
      expect(await file.innerText()).toContain("ExecStart=/bin/sh -c 'while :; do :; done'");

      // A unit Daemon Deck did not make is changed through a drop-in, with a diff first.
      await press(page.getByRole('button', { name: 'Edit override' }));
      const text = page.getByRole('textbox', { name: 'Unit text' });
      await text.fill('[Service]\nEnvironment=DD_COLOUR=blue\n');
      const diff = page.getByLabel('Diff of the effective unit');
      await expect
        .poll(() => diff.innerText(), { timeout: 15_000 })
        .toContain('+Environment=DD_COLOUR=blue');
      await screenshots(page, 'detail-definition-edit');
      const override = join(e2e.sb.unitDir, 'dd-busy.service.d', 'override.conf');
      expect(existsSync(override)).toBe(false);
      await press(page.getByRole('button', { name: 'Save' }));
      await page.getByText(/^Saved /).waitFor({ timeout: 30_000 });
      expect(existsSync(override)).toBe(true);
      expect(
        (await e2e.sb.systemctl('show', '-p', 'Environment', '--value', 'dd-busy.service')).stdout,
      ).toContain('DD_COLOUR=blue');
      await page.getByRole('region', { name: `Drop-in ${override}` }).waitFor();

      await page.getByRole('button', { name: 'Undo' }).click();
      await page.getByText(/^Undone:/).waitFor({ timeout: 30_000 });
      expect(existsSync(override)).toBe(false);
      expect(await recorded.problems()).toEqual([]);
    });
  });
});
