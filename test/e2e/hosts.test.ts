// Other computers in the panel (issue 17, Done when 5), in real Chromium against the real core:
// two far hosts added in Settings, one a real far host (the loopback sshd and second user of
// test/harness/far-host.ts, reached with the ssh argv the far-host integration test uses) and
// one whose destination fails at once (a closed loopback port). The panel lists this computer
// first, then each host with its state in words; the far host's unit is switched off through
// hosts:act and really stops there; the unreachable one says why and offers Retry. A stray of the
// far user is listed on the Strays page naming the host, adopted there and undone there. Settings
// and panel screenshots light and dark, each checked by axe (shoot()).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFarHost, type FarHost } from '../harness/far-host.js';
import { sleeperUnit, waitFor } from '../helpers/units.js';
import { useLanguage } from './a11y.js';
import { e2eSuite, press, screenshots } from './e2e-setup.js';

/** ssh refuses at once: nothing listens on port 1 of loopback. */
const GONE = 'ssh://nobody@127.0.0.1:1';

let far: FarHost | undefined;

beforeAll(async () => {
  far = await startFarHost({ label: 'e2e-hosts' });
  await far.writeUnit('dd-far-web.service', sleeperUnit('Far web app'));
  await far.writeUnit('dd-far-idle.service', sleeperUnit('Far idle job'));
  const started = await far.systemctl('start', 'dd-far-web.service');
  expect(started.code, started.stderr).toBe(0);
}, 120_000);

afterAll(async () => {
  await far?.stop();
});

describe('other computers in the panel', () => {
  const fx = e2eSuite({
    label: 'hosts',
    units: { 'dd-here.service': sleeperUnit('Here web app') },
    // The core's ssh reads only the harness's config file (as the CLI's does in the far-host test).
    coreEnv: () => ({ DAEMON_DECK_SSH_ARGV: JSON.stringify(far?.sshArgv) }),
    open: 'settings.html',
    viewport: { width: 420, height: 900 },
    timeout: 120_000,
  });

  it('adds the hosts in Settings, saying what is wrong with a bad name in words', async () => {
    const { page } = fx;
    const name = page.getByLabel('Name', { exact: true });
    const destination = page.getByLabel('SSH destination');
    const add = page.getByRole('button', { name: 'Add', exact: true });

    await name.fill('my server');
    await destination.fill('-oProxyCommand=x');
    await add.click();
    await expect
      .poll(() => page.locator('#host-name-issues').innerText())
      .toContain('letters, digits');
    expect(await page.locator('#host-destination-issues').innerText()).toContain('"-"');
    expect(await name.getAttribute('aria-invalid')).toBe('true');

    await name.fill('far');
    await destination.fill(far?.alias ?? '');
    await add.click();
    await waitFor(
      async () => (await page.locator('.hosts li', { hasText: 'far' }).count()) === 1,
      'the far host to be listed in Settings',
    );
    await name.fill('gone');
    await destination.fill(GONE);
    await add.click();
    await waitFor(
      async () => (await page.locator('.hosts li', { hasText: GONE }).count()) === 1,
      'the unreachable host to be listed in Settings',
    );
    expect(await page.getByText(/never asks for a password/).count()).toBe(1);
    await page.locator('#h-hosts').scrollIntoViewIfNeeded();
    await screenshots(page, 'hosts-settings');
  });

  it('lists this computer first, then each host with its state in words', async () => {
    const { e2e } = fx;
    const { page } = await e2e.open('panel.html');
    await page.setViewportSize({ width: 420, height: 760 });

    const farGroup = page.locator('section[data-host="far"]');
    const goneGroup = page.locator('section[data-host="gone"]');
    await waitFor(
      async () => (await farGroup.locator('li', { hasText: 'dd-far-web' }).count()) === 1,
      'the far host to be connected and its units listed',
      60_000,
    );
    expect(await farGroup.locator('.state').innerText()).toContain('Connected');
    await waitFor(
      async () => (await goneGroup.locator('.state').innerText()).includes('Unreachable'),
      'the unreachable host to say so',
      30_000,
    );
    expect(await goneGroup.getByRole('button', { name: 'Retry connecting to gone' }).count()).toBe(
      1,
    );

    // This computer first: its heading and its own unit come before any far host.
    const here = await page.locator('.this-machine').boundingBox();
    const first = await page.locator('section[data-host]').first().boundingBox();
    expect(here && first && here.y < first.y).toBe(true);
    expect(await page.locator('#entry-list li', { hasText: 'dd-here' }).count()).toBe(1);

    await screenshots(page, 'hosts-panel', true);

    // The same in Korean: the host's state and its Retry in words of the catalogs.
    await useLanguage(e2e, [page], 'ko');
    try {
      await waitFor(
        async () => (await goneGroup.locator('.state').innerText()).includes('연결할 수 없음'),
        'the unreachable host to say so in Korean',
      );
      expect(await farGroup.locator('.state').innerText()).toContain('연결됨');
      await screenshots(page, 'hosts-panel', true);
    } finally {
      await useLanguage(e2e, [page], 'system');
    }
  });

  it('switches a far unit off there through hosts:act', async () => {
    const { e2e } = fx;
    const panel = (await e2e.open('panel.html')).page;
    const row = panel.locator('section[data-host="far"] li', { hasText: 'dd-far-web' });
    await waitFor(async () => (await row.count()) === 1, 'the far row');
    await press(row.getByRole('switch'));
    await waitFor(
      async () =>
        (await far?.systemctl('is-active', 'dd-far-web.service'))?.stdout.trim() !== 'active',
      'the far unit to stop there',
      20_000,
    );
  });

  it('copies a local unit to the far host from its menu, and undoes it', async () => {
    const { e2e } = fx;
    // Closed after: each open page holds one of Chromium's six connections to the server.
    const recorded = await e2e.open('panel.html');
    const panel = recorded.page;
    try {
      const row = panel.locator('#entry-list li', { hasText: 'dd-here' });
      await waitFor(async () => (await row.count()) === 1, 'the local row');
      await row.getByRole('button', { name: 'More actions for dd-here.service' }).click();
      await panel.getByRole('menuitem', { name: 'Copy to host…' }).click();
      const dialog = panel.getByRole('dialog');
      await dialog.getByLabel('Host', { exact: true }).selectOption('far');
      await dialog.getByRole('button', { name: 'Show plan' }).click();
      await expect
        .poll(() => dialog.locator('.copy-plan').innerText())
        .toContain('dd-here.service');
      expect(await dialog.getByRole('status').first().innerText()).toContain('Plan for far');
      await screenshots(panel, 'hosts-copy-plan');
      await press(dialog.getByRole('button', { name: 'Copy', exact: true }));
      const there = () => far!.ssh(`test -f ${far!.unitDir}/dd-here.service`);
      await waitFor(async () => (await there()).code === 0, 'the unit file there', 30_000);
      await press(dialog.getByRole('button', { name: 'Undo' }));
      await waitFor(async () => (await there()).code !== 0, 'the copy undone there', 30_000);
      await panel.keyboard.press('Escape');
      expect(await dialog.count()).toBe(0);
      expect(await recorded.problems()).toEqual([]);
    } finally {
      await panel.close();
    }
  });

  it('adopts a far stray from the Strays page there, naming the host, and undoes it there', async () => {
    const { e2e } = fx;
    const farSleeps = async () =>
      (await far!.ssh(`pgrep -u "$(id -u)" -f -x 'sleep 4741' || true`)).stdout
        .split('\n')
        .filter(Boolean)
        .map(Number);
    const started = await far!.ssh('setsid sleep 4741 </dev/null >/dev/null 2>&1 & echo $!');
    expect(started.code, started.stderr).toBe(0);
    const pid = Number(started.stdout.trim());
    const opened = await e2e.open('strays.html');
    const { page } = opened;
    try {
      await page.getByRole('searchbox', { name: 'Filter strays' }).fill('sleep 4741');
      const card = page.getByRole('listitem', { name: `Process ${pid}`, exact: true });
      await card.waitFor({ timeout: 30_000 });
      expect(await card.innerText()).toContain('On far');
      // Stop, a signal and Details act on this machine's pids: a far card offers Ignore only.
      await card.getByRole('button', { name: 'More…' }).click();
      expect(await page.getByRole('menuitem').allInnerTexts()).toEqual(['Ignore']);
      await page.keyboard.press('Escape');
      await screenshots(page, 'hosts-strays');

      await card.getByRole('button', { name: 'Adopt…' }).click();
      await page.getByRole('heading', { level: 1, name: 'Adopt as a service' }).waitFor();
      expect(await page.getByText(`(process ${pid} on far)`).count()).toBe(1);
      await page.getByRole('textbox', { name: 'Name' }).fill('dd-far-adopted');
      const preview = page.getByRole('region', { name: 'Unit file preview' });
      await expect
        .poll(() => preview.textContent(), { timeout: 15_000 })
        .toContain('"sleep" "4741"');
      await press(page.getByRole('button', { name: 'Adopt', exact: true }));
      await page
        .getByRole('heading', { name: /^Now a service: dd-far-adopted\.service is running/ })
        .waitFor({ timeout: 30_000 });
      const shown = await far!.systemctl(
        'show',
        '-p',
        'ActiveState',
        '-p',
        'MainPID',
        'dd-far-adopted.service',
      );
      expect(shown.stdout).toMatch(/^ActiveState=active$/m);
      const main = Number(/^MainPID=(\d+)$/m.exec(shown.stdout)?.[1]);
      expect(await farSleeps()).toEqual([main]);
      // Written there, not here; and no detail window for a far unit.
      expect((await e2e.sb.systemctl('cat', 'dd-far-adopted.service')).code).not.toBe(0);
      expect(await page.getByRole('button', { name: 'Open service details' }).count()).toBe(0);

      await press(page.getByRole('button', { name: 'Undo' }));
      await page
        .getByRole('heading', { name: /^Undone: the command runs as before/ })
        .waitFor({ timeout: 30_000 });
      expect((await far!.ssh(`test -f ${far!.unitDir}/dd-far-adopted.service`)).code).not.toBe(0);
      const again = await waitFor(async () => {
        const pids = await farSleeps();
        return pids.length === 1 && pids[0] !== main ? pids[0]! : null;
      }, 'the command running again there');
      await far!.ssh(`kill ${again}`);
      expect(await opened.problems()).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('out of reach: its rows stay, shown stale with why, and come back by themselves', async () => {
    const { e2e } = fx;
    const panel = (await e2e.open('panel.html')).page;
    const group = panel.locator('section[data-host="far"]');
    const rows = group.locator('li[data-entry-id]');
    await waitFor(async () => (await rows.count()) === 2, 'the far rows');
    await far?.stopSshd();
    await far?.dropSshSessions();
    try {
      await waitFor(
        async () => (await group.locator('.state').innerText()).includes('Unreachable'),
        'the far host to say it is out of reach',
        30_000,
      );
      // Stale, not gone: the same rows, each saying its state is only the last one known.
      expect(await rows.count()).toBe(2);
      expect(await group.locator('li.stale').count()).toBe(2);
      expect(await rows.first().innerText()).toContain('Last known state: far is out of reach');
      expect(await rows.first().getByRole('switch').getAttribute('aria-disabled')).toBe('true');
      await screenshots(panel, 'hosts-panel-stale', true);
    } finally {
      await far?.startSshd();
    }
    await waitFor(
      async () => (await group.locator('.state').innerText()).includes('Connected'),
      'the far host connected again by itself',
      60_000,
    );
    expect(await group.locator('li.stale').count()).toBe(0);
  });

  it('folds a host group from the keyboard', async () => {
    const { e2e } = fx;
    const panel = (await e2e.open('panel.html')).page;
    const header = panel.locator('#host-gone');
    await waitFor(async () => (await header.count()) === 1, 'the host header');
    await header.focus();
    await panel.keyboard.press('Enter');
    expect(await header.getAttribute('aria-expanded')).toBe('false');
    await panel.keyboard.press('ArrowRight');
    expect(await header.getAttribute('aria-expanded')).toBe('true');
  });
});
