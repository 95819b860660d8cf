// The tray panel people can trust with one click (issue 13), in real Chromium against the real
// core and a private systemd --user that holds 30-odd units of desktop plumbing (the 19 this
// machine installs in /usr/lib/systemd/user, and a dozen more a desktop would bring, written to
// ~/.local/share/systemd/user) and 5 of the user's own in ~/.config/systemd/user:
// - the user's 5 are the first rows; the plumbing folds into a closed System group;
// - no plumbing unit can be switched off with one click: each has no switch (the bus,
//   systemd-exit, the setup steps) or a switch that asks first and says what will happen;
// - a failed row says why in its second line; timers and sockets say their own facts;
// - filter chips; a tmux session's switch asks before it kills; Undo after a stop;
// - the same page in Korean. Screenshots light and dark, English and Korean, each checked by axe.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sleeperUnit, waitFor } from '../helpers/units.js';
import { shoot as shootChecked, useLanguage } from './a11y.js';
import { press, e2eSuite } from './e2e-setup.js';

/** Plumbing a desktop would add to what this machine installs (sleepers, in ~/.local/share). */
const MORE_PLUMBING = [
  'pipewire.service',
  'pipewire.socket',
  'pipewire-pulse.service',
  'wireplumber.service',
  'xdg-desktop-portal.service',
  'xdg-document-portal.service',
  'xdg-permission-store.service',
  'gvfs-daemon.service',
  'gvfs-metadata.service',
  'evolution-source-registry.service',
  'tracker-miner-fs-3.service',
];
const RUNNING_PLUMBING = ['pipewire.service', 'wireplumber.service', 'xdg-desktop-portal.service'];

const MINE = [
  'dd-app.service',
  'dd-crash.service',
  'dd-killed.service',
  'dd-backup.timer',
  'dd-listen.socket',
];

describe('a panel people can trust with one click', () => {
  const fx = e2eSuite({
    label: 'panel-trust',
    units: {
      'dd-app.service': sleeperUnit('My web app'),
      'dd-crash.service': [
        '[Unit]',
        'Description=Nightly report',
        '[Service]',
        'Type=oneshot',
        'ExecStart=/bin/sh -c "echo report: disk full >&2; exit 2"',
        '',
      ].join('\n'),
      'dd-killed.service': [
        '[Unit]',
        'Description=Image resizer',
        '[Service]',
        'ExecStart=/bin/sh -c "sleep 0.3; kill -9 $$$$"',
        '',
      ].join('\n'),
      'dd-backup.timer': [
        '[Unit]',
        'Description=Hourly backup',
        '[Timer]',
        'OnCalendar=hourly',
        'Unit=dd-app.service',
        '',
      ].join('\n'),
      'dd-listen.socket': [
        '[Unit]',
        'Description=My app socket',
        '[Socket]',
        'ListenStream=%t/dd-listen.sock',
        'Service=dd-app.service',
        '',
      ].join('\n'),
    },
    async prepare(sb) {
      const dir = join(sb.env.XDG_DATA_HOME ?? '', 'systemd', 'user');
      await mkdir(dir, { recursive: true });
      for (const name of MORE_PLUMBING) {
        const text = name.endsWith('.socket')
          ? `[Unit]\nDescription=${name}\n[Socket]\nListenStream=%t/${name}.sock\n`
          : sleeperUnit(`Desktop part ${name}`, false);
        await writeFile(join(dir, name), text);
      }
      // The autostart folder is there (and watched) before its entry comes, late in the file.
      await mkdir(join(sb.configHome, 'autostart'), { recursive: true });
      await sb.daemonReload();
      // The socket first: systemd refuses to start a socket whose service already runs.
      await sb.systemctl('start', 'dd-listen.socket', 'dd-backup.timer');
      await sb.systemctl('start', 'dd-app.service');
      await sb.systemctl('start', 'gpg-agent.socket', 'dirmngr.socket', ...RUNNING_PLUMBING);
      await sb.systemctl('start', 'dd-crash.service'); // fails: exit 2
      await sb.systemctl('start', 'dd-killed.service');
      await waitFor(
        async () =>
          (await sb.systemctl('is-failed', 'dd-killed.service')).stdout.trim() === 'failed',
        'dd-killed to be killed',
      );
    },
    open: 'panel.html',
    ready: ({ page }) =>
      page.getByRole('switch', { name: 'dd-app.service', exact: true }).waitFor(),
    timeout: 180_000,
  });

  const entries = () => fx.e2e.monitor.snapshot().entries;
  const rowIds = () =>
    fx.page.evaluate<string[]>(
      "[...document.querySelectorAll('li[data-entry-id]')].map((li) => li.dataset.entryId)",
    );
  const li = (id: string) => fx.page.locator(`li[data-entry-id="${id}"]`);
  const systemButton = () => fx.page.locator('#group-system');
  /** Screenshots light and dark (NAME-ko-... in Korean), each checked by axe. */
  const shoot = (name: string) => shootChecked(fx.page, name);
  /** The footer's toast after gpg-agent.socket was stopped (`stopped` its words): shot, then its
   *  Undo (named `undo`) starts the socket again. */
  async function undoStop(stopped: string, undo: string): Promise<void> {
    const toast = fx.page.locator('footer').getByRole('status').filter({ hasText: stopped });
    await toast.waitFor();
    await shoot('panel-plumbing-undo');
    await toast.getByRole('button', { name: undo }).click();
    await waitFor(
      async () => (await fx.e2e.is('is-active', 'gpg-agent.socket')) === 'active',
      'gpg-agent.socket started again by Undo',
    );
  }

  it('has 30 units of desktop plumbing and the user’s 5', async () => {
    await waitFor(() => entries().length >= 35, 'every unit in the snapshot');
    const plumbing = entries().filter((e) => e.plumbing !== undefined);
    expect(plumbing.length).toBeGreaterThanOrEqual(30);
    const mine = entries().filter((e) => e.origin === 'user' && e.kind !== 'session');
    expect(mine.map((e) => e.name).sort()).toEqual([...MINE].sort());
  });

  it('shows the user’s 5 as the first rows and folds the plumbing into a closed System group', async () => {
    await expect
      .poll(async () => (await rowIds()).slice(0, 5).sort(), { timeout: 10_000 })
      .toEqual(MINE.map((n) => `systemd:${n}`).sort());
    // Closed: not one plumbing row is in the page until the user opens the group.
    expect(await rowIds()).toHaveLength(5);
    expect(await systemButton().getAttribute('aria-expanded')).toBe('false');
    expect(await systemButton().textContent()).toMatch(/System\s+\d+ items/);
    await shoot('panel-mine-first');
  });

  it('says why a failed row failed in its second line', async () => {
    const failed = fx.page.getByRole('region', { name: 'Failed' });
    await expect
      .poll(() => li('systemd:dd-crash.service').textContent())
      .toMatch(/Exited with status 2 · .*ago/);
    await expect
      .poll(() => li('systemd:dd-killed.service').textContent())
      .toMatch(/Killed by SIGKILL/);
    expect(await failed.locator('li').count()).toBe(2);
  });

  it('shows a timer’s next and last run and a socket’s listen address', async () => {
    await expect
      .poll(() => li('systemd:dd-backup.timer').textContent())
      .toMatch(/Next run in \d+ (minutes?|seconds?|hours?) · never ran yet/);
    await expect
      .poll(() => li('systemd:dd-listen.socket').textContent())
      .toMatch(new RegExp(`Listens on ${fx.e2e.sb.runtimeDir}/dd-listen\\.sock`));
  });

  it('filters with the chips: Failed, Running, Mine, All', async () => {
    const chip = (name: string) =>
      fx.page.getByRole('group', { name: 'Show' }).getByRole('button', { name });
    await chip('Failed').click();
    expect(await chip('Failed').getAttribute('aria-pressed')).toBe('true');
    await expect
      .poll(async () => (await rowIds()).sort())
      .toEqual(['systemd:dd-crash.service', 'systemd:dd-killed.service']);
    await shoot('panel-filter-failed');
    await chip('Running').click();
    await expect.poll(async () => (await rowIds()).includes('systemd:dd-app.service')).toBe(true);
    for (const id of await rowIds()) {
      const e = entries().find((x) => x.id === id);
      expect(e?.state, id).toMatch(/running|starting/);
    }
    // Running looks into the System group too: the running plumbing is there.
    expect(await rowIds()).toContain('systemd:pipewire.service');
    await chip('Mine').click();
    await expect
      .poll(async () => (await rowIds()).sort())
      .toEqual(MINE.map((n) => `systemd:${n}`).sort());
    await chip('All').click();
    await expect.poll(async () => (await rowIds()).length).toBe(5);
  });

  it('lets no plumbing unit be switched off with one click', async () => {
    await systemButton().click();
    expect(await systemButton().getAttribute('aria-expanded')).toBe('true');
    const plumbing = entries().filter((e) => e.plumbing !== undefined);
    await expect
      .poll(async () => (await rowIds()).length)
      .toBeGreaterThanOrEqual(5 + plumbing.length);
    // The bus and systemd-exit have no switch at all, and say why.
    for (const name of ['dbus.socket', 'dbus.service', 'systemd-exit.service']) {
      const row = li(`systemd:${name}`);
      expect(await row.getByRole('switch').count(), name).toBe(0);
      expect(await row.textContent()).toContain('Part of your desktop session');
    }
    let asked = 0;
    for (const e of plumbing) {
      const row = li(e.id);
      const sw = row.getByRole('switch');
      if ((await sw.count()) === 0) {
        expect(e.plumbing?.guard, e.name).toBe('locked');
        continue;
      }
      if ((await sw.getAttribute('aria-checked')) !== 'true') continue;
      // One click on a switch that is on: it asks first, and nothing stops.
      await sw.click();
      const dialog = row.getByRole('alertdialog', { name: 'Confirm stop' });
      await dialog.waitFor();
      expect(await dialog.textContent()).toContain(`Stop ${e.name}?`);
      await fx.page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
      expect(await fx.e2e.is('is-active', e.name), e.name).toBe('active');
      asked += 1;
    }
    // gpg-agent.socket, dirmngr.socket and the three running desktop parts.
    expect(asked).toBeGreaterThanOrEqual(5);
  });

  it('says what stopping a plumbing unit does, stops it when asked, and offers Undo', async () => {
    const row = li('systemd:gpg-agent.socket');
    await press(row.getByRole('switch'));
    const dialog = row.getByRole('alertdialog', { name: 'Confirm stop' });
    await dialog.waitFor();
    expect(await dialog.textContent()).toMatch(/holds your keys/);
    await shootChecked(fx.page, 'panel-plumbing-confirm');
    await dialog.getByRole('button', { name: 'Stop it' }).click();
    await waitFor(
      async () => (await fx.e2e.is('is-active', 'gpg-agent.socket')) !== 'active',
      'gpg-agent.socket stopped',
    );
    await undoStop('Stopped gpg-agent.socket.', 'Undo');
    await fx.page.locator('footer').getByText('Undone.').waitFor();
  });

  it('asks before a tmux session’s switch kills it, and offers no Undo for it', async () => {
    await fx.e2e.core.sessions.create('tmux', 'dd-trust', ['sleep', '41806'], fx.e2e.sb.home);
    const row = li('session:tmux:dd-trust');
    await row.waitFor({ timeout: 15_000 });
    const sw = row.getByRole('switch');
    await press(sw);
    const dialog = row.getByRole('alertdialog', { name: 'Confirm kill' });
    await dialog.waitFor();
    expect(await dialog.textContent()).toMatch(/Kill the session dd-trust\?.*cannot be undone/);
    await shoot('panel-session-confirm');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect((await fx.e2e.core.sessions.list()).map((s) => s.name)).toContain('dd-trust');
    // Focus went back to the row's switch.
    expect(await fx.page.evaluate('document.activeElement?.getAttribute("role")')).toBe('switch');
    await press(sw);
    await row.getByRole('button', { name: 'Kill session' }).click();
    await waitFor(
      async () => !(await fx.e2e.core.sessions.list()).some((s) => s.name === 'dd-trust'),
      'the session killed',
    );
    const status = fx.page.locator('footer').getByRole('status').filter({ hasText: 'dd-trust' });
    await status.waitFor();
    expect(await status.getByRole('button', { name: 'Undo' }).count()).toBe(0);
    expect(await fx.recorded.problems()).toEqual([]);
  });

  // Every state above once more in Korean, each screenshot light and dark (NAME-ko-...) and
  // checked by axe: the rows, the chips, a failed row opened in place, a row's menu, the System
  // group, the question a plumbing switch asks, the one a session's switch asks, and Undo.
  it('speaks Korean: the same panel, its chips, a failed row opened in place, its menus and questions', async () => {
    await useLanguage(fx.e2e, [fx.page], 'ko');
    await fx.page.getByRole('searchbox', { name: '이름과 설명에서 검색' }).waitFor();
    expect(await fx.page.evaluate('document.documentElement.lang')).toBe('ko-KR');
    if ((await systemButton().getAttribute('aria-expanded')) === 'true')
      await systemButton().click();
    const headings = await fx.page.getByRole('heading', { level: 2 }).allTextContents();
    expect(headings[0]).toBe('실패');
    expect(headings.join(' ')).toMatch(/시스템/);
    await expect
      .poll(() => li('systemd:dd-crash.service').textContent())
      .toMatch(/상태 2\(으\)로 종료됨/);
    await expect
      .poll(() => li('systemd:dd-killed.service').textContent())
      .toMatch(/SIGKILL\(으\)로 강제 종료됨/);
    await expect.poll(() => li('systemd:dd-backup.timer').textContent()).toMatch(/다음 실행 /);
    await expect
      .poll(() => li('systemd:dd-listen.socket').textContent())
      .toMatch(/dd-listen\.sock에서 대기 중/);
    await shoot('panel-mine-first');

    const chip = (name: string) =>
      fx.page.getByRole('group', { name: '보기' }).getByRole('button', { name, exact: true });
    await chip('실패').click();
    await expect.poll(async () => (await rowIds()).length).toBe(2);
    await shoot('panel-filter-failed');
    await chip('전체').click();
    await expect.poll(async () => (await rowIds()).length).toBe(5);

    await li('systemd:dd-crash.service').locator('button.main').click();
    const why = fx.page.getByRole('region', { name: 'dd-crash.service이(가) 실패한 이유' });
    await why.waitFor();
    // Its last lines loaded (the picture is the README's "one page in Korean").
    await expect.poll(() => why.textContent()).not.toMatch(/불러오는 중/);
    await shoot('panel-failed-open');
    await fx.page.keyboard.press('Escape');

    await li('systemd:dd-app.service')
      .getByRole('button', { name: 'dd-app.service의 다른 작업' })
      .click();
    const menu = fx.page.getByRole('menu');
    await menu.waitFor();
    expect((await menu.getByRole('menuitem').allTextContents()).map((x) => x.trim())).toContain(
      '다시 시작',
    );
    await shoot('panel-row-menu');
    await fx.page.keyboard.press('Escape');
    await menu.waitFor({ state: 'detached' });

    await systemButton().click();
    await shoot('panel-system');
    const gpg = li('systemd:gpg-agent.socket');
    await press(gpg.getByRole('switch'));
    const stop = gpg.getByRole('alertdialog', { name: '중지 확인' });
    await stop.waitFor();
    await shoot('panel-plumbing-confirm');
    await stop.getByRole('button', { name: '중지', exact: true }).click();
    await undoStop('gpg-agent.socket을(를) 중지했습니다.', '실행 취소');

    await fx.e2e.core.sessions.create('tmux', 'dd-trust-ko', ['sleep', '41807'], fx.e2e.sb.home);
    const session = li('session:tmux:dd-trust-ko');
    await session.waitFor({ timeout: 15_000 });
    await press(session.getByRole('switch'));
    const kill = session.getByRole('alertdialog', { name: '종료 확인' });
    await kill.waitFor();
    expect(await kill.textContent()).toContain('dd-trust-ko 세션을 종료할까요?');
    await shoot('panel-session-confirm');
    await kill.getByRole('button', { name: '세션 종료' }).click();
    await waitFor(
      async () => !(await fx.e2e.core.sessions.list()).some((s) => s.name === 'dd-trust-ko'),
      'the session killed',
    );
    expect(await fx.recorded.problems()).toEqual([]);
    await useLanguage(fx.e2e, [fx.page], 'system');
  });

  // Last, as a sixth entry of the user's own would change the counts above.
  it('says "At login" beside an autostart row’s switch, in English and in Korean', async () => {
    await writeFile(
      join(fx.e2e.sb.configHome, 'autostart', 'dd-notes.desktop'),
      '[Desktop Entry]\nType=Application\nName=Notes\nExec=/bin/true\n',
    );
    const row = li('autostart:dd-notes.desktop');
    await row.waitFor({ timeout: 40_000 });
    await expect.poll(() => row.textContent(), { timeout: 15_000 }).toMatch(/At login/);
    expect(await row.getByRole('switch').getAttribute('aria-checked')).toBe('true');
    await row.scrollIntoViewIfNeeded();
    await shoot('panel-autostart');
    await useLanguage(fx.e2e, [fx.page], 'ko');
    // The page reloaded into Korean: the row comes back with the entries.
    await row.waitFor({ timeout: 30_000 });
    await expect.poll(() => row.textContent(), { timeout: 15_000 }).toMatch(/로그인 시/);
    await row.scrollIntoViewIfNeeded();
    await shoot('panel-autostart');
    await useLanguage(fx.e2e, [fx.page], 'system');
  });
});
