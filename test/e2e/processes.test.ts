// Processes, strays, watch rules and sessions in real Chromium against the real core: a private
// systemd --user (Adopt writes and starts units there), a private tmux server, and processes this
// file starts itself (each with an argument no one else uses, so the shared machine's other
// processes never get in the way).
import { existsSync, readFileSync, readlinkSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runFile } from '../helpers/cli.js';
import { watchRule } from '../harness/drill.js';
import { killAll } from '../helpers/processes.js';
import { waitFor } from '../helpers/units.js';
import type { RecordedPage } from './browser.js';
import { closeTestPages, type E2e, press, screenshots, startE2e } from './e2e-setup.js';

function alive(pid: number): boolean {
  try {
    return !/\) [ZX] /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

describe('processes, strays and sessions', () => {
  let e2e: E2e;
  let dir: string;
  const started: number[] = [];

  beforeAll(async () => {
    e2e = await startE2e({ label: 'processes', units: {} });
    dir = await mkdtemp(join(e2e.sb.root, 'stray cwd-'));
  });

  afterEach((ctx) => closeTestPages(e2e, ctx));

  afterAll(async () => {
    killAll(started);
    await e2e?.stop();
  });

  /** PIDs whose whole command line is `line` (as pgrep -f -x selects them). */
  async function pidsOf(line: string): Promise<number[]> {
    const r = await runFile('pgrep', ['-f', '-x', line], e2e.sb.env);
    return r.stdout
      .split('\n')
      .filter(Boolean)
      .map(Number)
      .filter((pid) => alive(pid));
  }

  /** Runs `script` with sh in its own session (setsid), from a shell that exits at once. */
  async function background(script: string, line: string, env = e2e.sb.env): Promise<number> {
    await runFile('sh', ['-c', script, 'sh', dir], env);
    const [pid] = await waitFor(async () => {
      const pids = await pidsOf(line);
      return pids.length === 1 ? pids : null;
    }, line);
    started.push(pid!);
    return pid!;
  }

  async function open(path: string): Promise<RecordedPage> {
    const recorded = await e2e.open(path);
    await recorded.page.setViewportSize({ width: 720, height: 900 });
    return recorded;
  }

  const shoot = (p: Page, name: string, fullPage = true) => screenshots(p, name, fullPage);

  const item = (p: Page, pid: number): Locator =>
    p.getByRole('listitem', { name: `Process ${pid}`, exact: true });
  /** A list's items as a person reads them: one line each, spaces collapsed. */
  const lines = async (list: Locator): Promise<string[]> =>
    (await list.getByRole('listitem').allTextContents()).map((t) =>
      t.replace(/\s+/g, ' ').replace(/\s*\(/g, ' (').trim(),
    );

  it('the panel opens the Strays page from its count and the new forms from New…', async () => {
    const opened = await e2e.open('panel.html');
    const { page } = opened;
    const strays = page.getByRole('button', { name: /^Strays \([\d,]+\)$/ });
    await strays.waitFor();
    await strays.click();
    await waitFor(() => e2e.pageRequests.includes('strays'), 'the Strays page');

    await page.getByRole('button', { name: 'New…' }).click();
    const menu = page.getByRole('menu', { name: 'New…' });
    expect((await menu.getByRole('menuitem').allTextContents()).map((t) => t.trim())).toEqual([
      'New service…',
      'Start automatically…',
      'Watch a process…',
      'Run in background…',
      'Timers…',
    ]);
    await shoot(page, 'panel-new-menu', false);
    await menu.getByRole('menuitem', { name: 'Watch a process…' }).click();
    await waitFor(() => e2e.pageRequests.includes('watch'), 'the Watch a process page');
    expect(await menu.isVisible()).toBe(false);
    // The keyboard works the menu too: open with ArrowDown, move, Escape closes it.
    const newButton = page.getByRole('button', { name: 'New…' });
    await newButton.focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await waitFor(() => e2e.pageRequests.includes('run'), 'the Run in background page');
    expect(await opened.problems()).toEqual([]);
  });

  it('a nohup sleep shows as a stray, is adopted into a running unit, and Undo puts it back', async () => {
    const env = { ...e2e.sb.env, DD_E2E_KEEP: 'kept-value', DD_E2E_SECRET: 'not-for-the-unit' };
    const pid = await background(
      'cd -- "$1" && nohup sleep 41801 >/dev/null 2>&1 &',
      'sleep 41801',
      env,
    );
    const opened = await open('strays.html');
    const { page } = opened;
    const stray = item(page, pid);
    await stray.waitFor({ timeout: 20_000 });
    expect(await stray.textContent()).toContain('Started with nohup');
    expect(await stray.getByText(dir).isVisible()).toBe(true);
    expect(await stray.textContent()).toContain(`PID ${pid}`);
    // The machine's other strays are not this test's: the filter narrows the list to ours.
    await page.getByRole('searchbox', { name: 'Filter strays' }).fill('sleep 41801');
    await expect
      .poll(() => page.getByRole('list', { name: 'Strays' }).getByRole('listitem').count())
      .toBe(1);
    expect(await page.getByText(/^1 (of [\d,]+ strays|stray, oldest first)$/).count()).toBe(1);
    await shoot(page, 'strays');

    await stray.getByRole('button', { name: 'Adopt…' }).click();
    await page.getByRole('heading', { level: 1, name: 'Adopt as a service' }).waitFor();
    const name = page.getByRole('textbox', { name: 'Name' });
    expect(await name.inputValue()).toBe('sleep');
    await name.fill('dd-e2e-adopted');
    await page.getByRole('searchbox', { name: 'Filter variables' }).fill('DD_E2E');
    const keep = page.getByRole('checkbox', { name: /DD_E2E_KEEP/ });
    await keep.check();
    expect(await page.getByRole('checkbox', { name: /DD_E2E_SECRET/ }).isChecked()).toBe(false);
    const preview = page.getByRole('region', { name: 'Unit file preview' });
    await expect.poll(() => preview.textContent(), { timeout: 15_000 }).toContain('DD_E2E_KEEP');
    const text = (await preview.textContent()) ?? '';
    expect(text).toContain('dd-e2e-adopted.service');
    expect(text).toContain('ExecStart=');
    expect(text).toContain('Restart=on-failure');
    expect(text).toContain('WantedBy=default.target');
    expect(text).not.toContain('DD_E2E_SECRET');
    // Nothing happened yet: the preview changes nothing.
    expect(alive(pid)).toBe(true);
    expect(existsSync(join(e2e.sb.unitDir, 'dd-e2e-adopted.service'))).toBe(false);
    await shoot(page, 'adopt');

    await press(page.getByRole('button', { name: 'Adopt', exact: true }));
    const done = page.getByRole('heading', {
      name: 'Now a service: dd-e2e-adopted.service is running and starts at login',
    });
    await done.waitFor({ timeout: 30_000 });
    expect(await lines(page.getByRole('list', { name: 'Adopt progress' }))).toEqual([
      'Write dd-e2e-adopted.service and enable it at login (done)',
      `Stop process ${pid} (TERM, then KILL if it does not exit) (done)`,
      'Start dd-e2e-adopted.service (done)',
    ]);
    expect(await e2e.is('is-active', 'dd-e2e-adopted.service')).toBe('active');
    expect(await e2e.is('is-enabled', 'dd-e2e-adopted.service')).toBe('enabled');
    expect(alive(pid)).toBe(false);
    const unit = readFileSync(join(e2e.sb.unitDir, 'dd-e2e-adopted.service'), 'utf8');
    expect(unit).toContain('DD_E2E_KEEP=kept-value');
    expect(unit).not.toContain('DD_E2E_SECRET');
    const main = Number(
      (await e2e.sb.systemctl('show', '-p', 'MainPID', '--value', 'dd-e2e-adopted.service')).stdout,
    );
    started.push(main);
    expect(readFileSync(`/proc/${main}/cmdline`, 'utf8')).toBe('sleep\x0041801\x00');
    await shoot(page, 'adopt-done');

    await press(page.getByRole('button', { name: 'Undo' }));
    await page
      .getByRole('heading', { name: /^Undone: the command runs as before/ })
      .waitFor({ timeout: 30_000 });
    expect(existsSync(join(e2e.sb.unitDir, 'dd-e2e-adopted.service'))).toBe(false);
    expect(await e2e.is('is-active', 'dd-e2e-adopted.service')).not.toBe('active');
    const [again] = await waitFor(async () => {
      const pids = await pidsOf('sleep 41801');
      return pids.length === 1 ? pids : null;
    }, 'the command started again');
    started.push(again!);
    expect(again).not.toBe(main);
    await page.getByRole('button', { name: 'Close' }).click();
    await page.getByRole('heading', { level: 1, name: 'Strays' }).waitFor();
    expect(await opened.problems()).toEqual([]);
  });

  it('a watch rule made in the form selects its process live, with a clear error for a bad pattern', async () => {
    const pid = await background('setsid sleep 41802 >/dev/null 2>&1 &', 'sleep 41802');
    const opened = await open('watch.html');
    const { page } = opened;
    const watch = page.getByRole('button', { name: 'Watch', exact: true });
    const focused = () => page.evaluate('document.activeElement?.id');
    // Submitted empty: each message under its field, the focus on the first.
    await watch.click();
    await expect.poll(() => page.locator('#w-name-issues').innerText()).toBe('Enter a name.');
    expect(await page.locator('#w-pattern-issues').innerText()).toBe(
      'Enter a pattern to look for.',
    );
    expect(await focused()).toBe('w-name');
    await shoot(page, 'watch-empty');
    await page.getByRole('textbox', { name: 'Name' }).fill('dd-sleeper');
    // From then on, as you type: the name's message goes at once.
    await expect.poll(() => page.locator('#w-name-issues').innerText()).toBe('');
    const pattern = page.getByRole('textbox', { name: 'Pattern' });
    await pattern.fill('sleep (4180');
    await watch.click();
    await expect.poll(() => pattern.getAttribute('aria-invalid'), { timeout: 10_000 }).toBe('true');
    await expect.poll(focused).toBe('w-pattern');
    expect(await page.getByText('Invalid pattern "sleep (4180": Unmatched ( or \\(.').count()).toBe(
      1,
    );
    await shoot(page, 'watch-error');

    await pattern.fill('sleep 41802');
    await page.getByText('Process names rarely hold spaces').waitFor();
    await page.getByRole('checkbox', { name: /Match the whole command line/ }).check();
    const selects = page.getByRole('list', { name: 'Processes the pattern selects' });
    await expect.poll(() => selects.textContent(), { timeout: 10_000 }).toContain('sleep 41802');
    expect(await selects.getByRole('listitem').count()).toBe(1);
    expect(await selects.textContent()).toContain(String(pid));
    expect(await pattern.getAttribute('aria-invalid')).toBe('false');
    await page.getByRole('textbox', { name: /Start command/ }).fill('sleep 41802');
    await page.getByText(/^When you press Start, it runs detached: \/\S+\/sleep 41802$/).waitFor();
    await shoot(page, 'watch');

    await page.getByRole('button', { name: 'Watch', exact: true }).click();
    await page.getByRole('heading', { name: 'Watching “dd-sleeper”' }).waitFor();
    expect(e2e.core.processes.rules.get('dd-sleeper')).toMatchObject({
      pattern: 'sleep 41802',
      full: true,
      exact: false,
      start: [expect.stringMatching(/\/sleep$/), '41802'],
    });
    await waitFor(
      () => e2e.monitor.snapshot().entries.find((x) => x.id === 'process:dd-sleeper')?.pids[0],
      'the rule in the snapshot',
    );
    expect(e2e.monitor.snapshot().entries.find((x) => x.id === 'process:dd-sleeper')).toMatchObject(
      { state: 'running', pids: [pid] },
    );

    const before = e2e.detailPages.length;
    await page.getByRole('button', { name: 'Open details' }).click();
    const window = await waitFor(() => e2e.detailPages[before], 'the detail window');
    expect(e2e.detailRequests.at(-1)).toBe('process:dd-sleeper');
    const detail = window.page;
    await detail.setViewportSize({ width: 720, height: 900 });
    await detail.getByRole('heading', { level: 1, name: 'dd-sleeper' }).waitFor();
    const matching = detail.getByRole('list', { name: 'Matching processes' });
    await expect.poll(() => matching.textContent()).toContain(`PID ${pid}`);
    expect(await detail.getByText("pgrep -f 'sleep 41802'").count()).toBeGreaterThan(0);
    // No log file was given: Start would write where launch writes by default.
    await detail.getByText(/\/daemon-deck\/logs\/dd-sleeper\.log$/).waitFor();
    await shoot(detail, 'detail-watch');
    expect(await opened.problems()).toEqual([]);
    expect(await window.problems()).toEqual([]);
  });

  it('a rule name that is taken is said as it is typed, before Watch', async () => {
    e2e.core.processes.rules.add({ ...watchRule('dd-taken', 'sleep 41899', true), exact: true });
    const opened = await open('watch.html');
    const { page } = opened;
    const name = page.getByRole('textbox', { name: 'Name' });
    await name.fill('dd-taken');
    await expect
      .poll(() => page.locator('#w-name-issues').innerText(), { timeout: 10_000 })
      .toMatch(/A rule named “dd-taken” already exists/);
    expect(await name.getAttribute('aria-invalid')).toBe('true');
    await shoot(page, 'watch-name-taken');
    expect(await opened.problems()).toEqual([]);
  });

  it('strays: one primary action per card and the rest in its menu, identical ones in one card, Ignore kept in settings and undone from the list', async () => {
    await runFile(
      'sh',
      [
        '-c',
        'cd -- "$1" && (nohup sleep 41811 >/dev/null 2>&1 &) && (nohup sleep 41811 >/dev/null 2>&1 &)',
        'sh',
        dir,
      ],
      e2e.sb.env,
    );
    const pids = await waitFor(async () => {
      const found = await pidsOf('sleep 41811');
      return found.length === 2 ? found.sort((a, b) => a - b) : null;
    }, 'two identical strays');
    started.push(...pids);
    const opened = await open('strays.html');
    const { page } = opened;
    await page.getByRole('searchbox', { name: 'Filter strays' }).fill('sleep 41811');
    const list = page.getByRole('list', { name: 'Strays' });
    const card = list.getByRole('listitem').first();
    await expect
      .poll(() => card.innerText(), { timeout: 20_000 })
      .toMatch(
        new RegExp(`2 identical processes: (${pids[0]}, ${pids[1]}|${pids[1]}, ${pids[0]})`),
      );
    expect(await list.getByRole('listitem').count()).toBe(1);
    // One primary action; Stop, Send signal, Details and Ignore are in the card's menu.
    const buttons = await card.getByRole('button').allInnerTexts();
    expect(buttons.map((b) => b.trim()).filter((b) => !/whole command|Show less/.test(b))).toEqual([
      'Adopt…',
      'More…',
    ]);
    const more = card.getByRole('button', { name: 'More…' });
    await more.click();
    const menu = page.getByRole('menu', { name: 'More…' });
    expect(await menu.getByRole('menuitem').allInnerTexts()).toEqual([
      'Stop all 2',
      'Send signal…',
      'Details',
      'Ignore all 2',
    ]);
    await shoot(page, 'strays-menu', false);
    await page.keyboard.press('Escape');
    await expect.poll(() => menu.count()).toBe(0);
    expect(await page.evaluate('document.activeElement?.textContent?.trim()')).toBe('More…');

    await more.click();
    await menu.getByRole('menuitem', { name: 'Ignore all 2' }).click();
    await expect.poll(() => e2e.settings.get().ignoredStrays).toEqual(['sleep 41811']);
    await expect
      .poll(() => list.getByRole('listitem').first().innerText())
      .toMatch(/No stray matches/);
    const ignored = page.getByRole('list', { name: 'Ignored' });
    expect(await ignored.innerText()).toContain('sleep 41811');
    await shoot(page, 'strays-ignored');

    // The panel's footer counts what is left.
    const panel = await open('panel.html');
    const expected = () =>
      e2e.core.processes
        .strays()
        .filter((x) => !e2e.settings.get().ignoredStrays.includes(x.command)).length;
    await expect
      .poll(
        async () => {
          const text = await panel.page
            .getByRole('button', { name: /^Strays \([\d,]+\)$/ })
            .innerText();
          return Number(/\d+/.exec(text)?.[0]) === expected();
        },
        { timeout: 20_000 },
      )
      .toBe(true);
    await panel.page.close();

    await press(ignored.getByRole('button', { name: 'Stop ignoring' }));
    await expect.poll(() => e2e.settings.get().ignoredStrays).toEqual([]);
    await expect.poll(() => card.innerText()).toMatch(/2 identical processes/);

    // In Korean, the same page.
    e2e.settings.update({ language: 'ko' });
    await page
      .getByRole('heading', { level: 1, name: '떠도는 프로세스' })
      .waitFor({ timeout: 15_000 });
    await page.getByRole('searchbox', { name: '떠도는 프로세스 거르기' }).fill('sleep 41811');
    await expect
      .poll(() => page.getByRole('list', { name: '떠도는 프로세스' }).innerText(), {
        timeout: 15_000,
      })
      .toMatch(/똑같은 프로세스 2개/);
    await shoot(page, 'strays-groups');
    e2e.settings.update({ language: 'system' });
    await page.getByRole('heading', { level: 1, name: 'Strays' }).waitFor({ timeout: 15_000 });

    await page.getByRole('searchbox', { name: 'Filter strays' }).fill('sleep 41811');
    await page.getByRole('button', { name: 'More…' }).click();
    await page.getByRole('menuitem', { name: 'Stop all 2' }).click();
    await waitFor(() => pids.every((pid) => !alive(pid)) || null, 'both strays stopped');
    expect(await opened.problems()).toEqual([]);
  });

  it('stops a TERM-ignoring process from its detail window, showing each step live, ending with KILL', async () => {
    // `trap '' TERM` leaves TERM ignored across exec: the sleep itself ignores it.
    const pid = await background(
      'setsid sh -c "trap \'\' TERM; exec sleep 41803" >/dev/null 2>&1 &',
      'sleep 41803',
    );
    e2e.core.processes.rules.add({ ...watchRule('dd-stubborn', 'sleep 41803', true), exact: true });
    const opened = await open('detail.html?id=process%3Add-stubborn');
    const { page } = opened;
    const matching = page.getByRole('list', { name: 'Matching processes' });
    await expect.poll(() => matching.textContent(), { timeout: 10_000 }).toContain(`PID ${pid}`);
    const stop = page.getByRole('toolbar', { name: 'Actions' }).getByRole('button', {
      name: 'Stop',
      exact: true,
    });
    await press(stop);
    const steps = page.getByRole('list', { name: 'Stop progress' });
    // While the request still runs (the button says so), the steps arrive over the event channel.
    await steps.getByText(`Sent TERM to ${pid}, asking it to exit.`).waitFor();
    await steps.getByText(new RegExp(`^Still running after \\d+\\.\\d s: ${pid}\\.$`)).waitFor();
    expect(await page.getByRole('button', { name: 'Stopping…' }).getAttribute('aria-busy')).toBe(
      'true',
    );
    expect(alive(pid)).toBe(true);
    await shoot(page, 'detail-watch-stopping');
    await steps
      .getByText(new RegExp(`^It ignored TERM: sent KILL to ${pid} after \\d+\\.\\d s\\.$`))
      .waitFor({ timeout: 15_000 });
    await steps.getByText(/^Exited after \d+\.\d s\.$/).waitFor();
    await page
      .getByText(/^Stopped with KILL after \d+\.\d s: it did not exit on TERM\.$/)
      .waitFor();
    expect(alive(pid)).toBe(false);
    await shoot(page, 'detail-watch-stopped');

    // Logs tab: this rule has no log file and says so.
    await page.getByRole('tab', { name: 'Logs' }).click();
    await page.getByText(/has no log file/).waitFor();

    // Remove rule, then Undo adds it back.
    await page.getByRole('tab', { name: 'Overview' }).click();
    await press(page.getByRole('button', { name: 'Remove rule' }));
    await page.getByText('The rule “dd-stubborn” was removed').waitFor();
    expect(e2e.core.processes.rules.get('dd-stubborn')).toBeNull();
    await press(page.getByRole('button', { name: 'Undo' }));
    await waitFor(() => e2e.core.processes.rules.get('dd-stubborn'), 'the rule back');
    expect(await opened.problems()).toEqual([]);
  });

  it('starts a watch rule’s command detached from its detail window and follows its log', async () => {
    const log = join(dir, 'ticker.log');
    e2e.core.processes.rules.add({
      ...watchRule('dd-ticker', 'dd-e2e-ticker', true),
      start: [
        'sh',
        '-c',
        'i=0; while :; do i=$((i+1)); echo "tick $i"; sleep 0.2; done',
        'dd-e2e-ticker',
      ],
      cwd: dir,
      log,
    });
    const opened = await open('detail.html?id=process%3Add-ticker');
    const { page } = opened;
    await page.getByText('Nothing matches the pattern right now.').waitFor();
    await press(
      page.getByRole('toolbar', { name: 'Actions' }).getByRole('button', { name: 'Start' }),
    );
    const matching = page.getByRole('list', { name: 'Matching processes' });
    await expect.poll(() => matching.textContent(), { timeout: 10_000 }).toContain('dd-e2e-ticker');
    const pid = Number(/PID (\d+)/.exec((await matching.textContent()) ?? '')?.[1]);
    started.push(pid);
    // Started detached, in the rule's directory.
    expect(readlinkSync(`/proc/${pid}/cwd`)).toBe(dir);

    await page.getByRole('tab', { name: 'Logs' }).click();
    const lines = page.getByRole('log', { name: 'Log lines' });
    await lines
      .getByText(/^tick \d+$/)
      .first()
      .waitFor({ timeout: 10_000 });
    const count = () => lines.getByText(/^tick \d+$/).count();
    const first = await count();
    await waitFor(async () => (await count()) >= first + 3, 'the log to be followed');
    expect(
      await page
        .getByRole('status')
        .filter({ hasText: `from ${log}` })
        .count(),
    ).toBe(1);
    await shoot(page, 'detail-watch-logs');

    await page.getByRole('tab', { name: 'Overview' }).click();
    await press(
      page.getByRole('toolbar', { name: 'Actions' }).getByRole('button', { name: 'Stop' }),
    );
    await page.getByText(/^Stopped after \d+\.\d s: it exited on TERM\.$/).waitFor();
    expect(alive(pid)).toBe(false);
    expect(await opened.problems()).toEqual([]);
  });

  it('sends a signal to a process from its detail window, and asks before KILL', async () => {
    const log = join(dir, 'signals.log');
    const script = join(dir, 'dd-signals.sh');
    await writeFile(script, 'trap \'echo got-usr1 >> "$1"\' USR1\nwhile :; do sleep 0.1; done\n');
    const pid = await background(
      `setsid sh '${script}' '${log}' >/dev/null 2>&1 &`,
      `sh ${script} ${log}`,
    );
    const opened = await open(`detail.html?id=pid%3A${pid}`);
    const { page } = opened;
    await page.getByRole('heading', { level: 1, name: 'dd-signals', exact: true }).waitFor();
    expect(await page.getByText(`Running for`).count()).toBe(1);
    const signal = page.getByRole('combobox', { name: `Signal for process ${pid}` });
    await signal.selectOption('USR1');
    await page.getByRole('button', { name: 'Send signal' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Sent USR1 to process ${pid}.` })
      .waitFor();
    await waitFor(
      () => existsSync(log) && readFileSync(log, 'utf8').includes('got-usr1'),
      'the trap to run',
    );
    await shoot(page, 'detail-process');

    await signal.selectOption('KILL');
    await page.getByRole('button', { name: 'Send signal' }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Confirm KILL' });
    await confirm.waitFor();
    expect(await confirm.textContent()).toContain('without a chance to save or clean up');
    expect(alive(pid)).toBe(true);
    await shoot(page, 'detail-process-confirm-kill');
    await confirm.getByRole('button', { name: 'Send KILL' }).click();
    await waitFor(() => !alive(pid), 'the process to die');
    await page.getByText(`Process ${pid} has exited.`).waitFor({ timeout: 10_000 });
    expect(await opened.problems()).toEqual([]);
  });

  it('shows a tmux session with its attach command, copies it, and kills it after asking', async () => {
    await e2e.core.sessions.create('tmux', 'dd-e2e-work', ['sleep', '41805'], dir);
    const opened = await open('detail.html?id=session%3Atmux%3Add-e2e-work');
    const { page } = opened;
    await e2e.browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: e2e.server.url,
    });
    await page.getByRole('heading', { level: 1, name: 'dd-e2e-work' }).waitFor();
    const runs = page.getByRole('list', { name: 'Commands in the session' });
    await expect.poll(() => runs.textContent(), { timeout: 10_000 }).toContain('sleep 41805');
    const attach = `tmux -S ${join(e2e.sb.root, 'tmux-e2e')} attach-session -t =dd-e2e-work`;
    await page.getByText(attach, { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Copy attach command' }).click();
    await page.getByText('Copied to the clipboard.').waitFor();
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(attach);
    expect(await page.getByText('Detached: no terminal shows it').count()).toBe(1);
    await shoot(page, 'detail-session');

    await page.getByRole('button', { name: 'Run in a new session…' }).click();
    await waitFor(() => e2e.pageRequests.includes('run:session:tmux'), 'the Run page for tmux');

    await page.getByRole('button', { name: 'Kill session…' }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Confirm kill' });
    expect(await confirm.textContent()).toContain('This cannot be undone.');
    expect((await e2e.core.sessions.list()).map((s) => s.name)).toContain('dd-e2e-work');
    await confirm.getByRole('button', { name: 'Kill session' }).click();
    await page.getByText('The session “dd-e2e-work” was killed.').waitFor();
    expect((await e2e.core.sessions.list()).map((s) => s.name)).not.toContain('dd-e2e-work');
    expect(await opened.problems()).toEqual([]);
  });

  it('runs a command in the background with a log file, and stops it', async () => {
    const opened = await open('run.html');
    const { page } = opened;
    await page.getByRole('textbox', { name: 'Command' }).fill('sleep 41806');
    await page.getByText(/^Runs, without a shell: \/\S+\/sleep 41806$/).waitFor();
    expect(await page.getByRole('textbox', { name: /Name/ }).getAttribute('placeholder')).toBe(
      'sleep',
    );
    await page.getByRole('textbox', { name: /Working directory/ }).fill(dir);
    expect(await page.getByRole('radio', { name: /On its own/ }).isChecked()).toBe(true);
    await shoot(page, 'run');

    await page.getByRole('button', { name: 'Run', exact: true }).click();
    const heading = page.getByRole('heading', { name: /^Started process \d+$/ });
    await heading.waitFor();
    const pid = Number(/\d+/.exec((await heading.textContent()) ?? '')?.[0]);
    started.push(pid);
    expect(alive(pid)).toBe(true);
    expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')).toEqual([
      expect.stringMatching(/^\/\S+\/sleep$/),
      '41806',
      '',
    ]);
    const state = e2e.sb.env.XDG_STATE_HOME ?? join(e2e.sb.home, '.local/state');
    const logPath = join(state, 'daemon-deck/logs/sleep.log');
    expect(await page.getByText(logPath).count()).toBe(1);
    await shoot(page, 'run-done');

    await page.getByRole('button', { name: 'Stop it' }).click();
    await page.getByText(/^Stopped after \d+\.\d s: it exited on TERM\.$/).waitFor();
    expect(alive(pid)).toBe(false);
    expect(await opened.problems()).toEqual([]);
  });
});
