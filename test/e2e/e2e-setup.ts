// Everything an e2e test file needs, real from end to end: a private systemd --user (the
// sandbox harness), the production monitor on its bus, the IPC handler table, the HTTP
// transport serving a fresh renderer build, and Chromium. Any part that cannot start throws:
// these tests fail rather than skip.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, type TestContext } from 'vitest';
import { createIpcTable } from '../../main/core/api/ipc-table.js';
import { createCore, type Core } from '../../main/core/app.js';
import type { SystemdMonitor } from '../../main/core/monitor/create-monitor.js';
import type { NotificationRequest } from '../../main/core/notify/notifications.js';
import { createMemoryBackend, type SettingsStore } from '../../main/core/settings/settings.js';
import { startCronSandbox, type CronSandbox } from '../harness/cron-sandbox.js';
import { startSandbox, type Sandbox } from '../harness/sandbox.js';
import { waitFor } from '../helpers/units.js';
import { resolveLanguage, type Language } from '../../i18n/index.js';
import { ARTIFACTS, shoot } from './a11y.js';
import { closePage, launchBrowser, type E2eBrowser, type RecordedPage } from './browser.js';
import { buildBrowserClient, buildRenderer } from './build-renderer.js';
import { startTransportServer, type TransportServer } from './transport-server.js';

export { ARTIFACTS } from './a11y.js';

export interface E2e {
  sb: Sandbox;
  /** The private crontab spool and cron daemon (never the real crontab). */
  cron: CronSandbox;
  /** The whole core, as the app assembles it. */
  core: Core;
  monitor: SystemdMonitor;
  settings: SettingsStore;
  server: TransportServer;
  browser: E2eBrowser;
  /** Detail windows the page asked for (window:open-detail), and the pages opened for them. */
  detailRequests: string[];
  /** Other pages the page asked for (window:open-page), as `page` or `page:id`. */
  pageRequests: string[];
  /** The answers the next save dialogs give (a path, or null for Cancel); none left: Cancel. */
  savePaths: Array<string | null>;
  /** Crash notifications the core raised (recorded instead of shown: see createE2e). */
  notifications: NotificationRequest[];
  detailPages: RecordedPage[];
  /** The language the core says the system speaks (app:info), for the `system` setting. */
  systemLanguage: Language;
  /** Opens a page of the built renderer, e.g. `panel.html`. */
  open(path: string): Promise<RecordedPage>;
  is(state: 'is-active' | 'is-enabled', unit: string): Promise<string>;
  stop(): Promise<void>;
}

export interface E2eOptions {
  label: string;
  units: Record<string, string>;
  /** Runs after the units are written and loaded, before the monitor starts. */
  prepare?: (sb: Sandbox) => Promise<void>;
  /** The system's language as app:info says it (default: this process's locale, as in the app). */
  systemLanguage?: Language;
}

export async function startE2e(opts: E2eOptions): Promise<E2e> {
  const cleanups: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch((err: unknown) => console.error('e2e cleanup failed:', err));
    }
  };
  try {
    const buildDir = await mkdtemp(join(tmpdir(), `dd-e2e-renderer-${opts.label}-`));
    cleanups.push(() => rm(buildDir, { recursive: true, force: true }));
    const [clientScript] = await Promise.all([buildBrowserClient(), buildRenderer(buildDir)]);

    const sb = await startSandbox({ label: opts.label });
    cleanups.push(() => sb.stop());
    for (const [name, text] of Object.entries(opts.units)) await sb.writeUnit(name, text);
    await sb.daemonReload();
    await opts.prepare?.(sb);

    const cron = await startCronSandbox();
    cleanups.push(() => cron.stop());
    // The core exactly as the app builds it, on the sandbox's bus, HOME and XDG dirs, a private
    // crontab and a private tmux server, with settings kept in memory. Crash alerts watch and
    // record history as in the app; their notifications are recorded here (a Notify on the
    // sandbox's bus would D-Bus-activate whatever server is installed; the dunst integration
    // tests cover the server side).
    const notifications: NotificationRequest[] = [];
    const core = createCore({
      env: { ...sb.env, TMUX_TMPDIR: sb.root, SCREENDIR: join(sb.root, 'screen') },
      busAddress: sb.busAddress,
      settingsBackend: createMemoryBackend(),
      crontab: cron.crontab,
      tmuxSocket: join(sb.root, 'tmux-e2e'),
      alerts: {
        notifier: {
          capabilities: () => Promise.resolve(['actions', 'body']),
          notify: (req) => Promise.resolve(notifications.push(req)),
          close: () => Promise.resolve(),
          onAction: () => () => undefined,
          onClosed: () => () => undefined,
        },
      },
    });
    const { monitor, settings } = core;
    cleanups.push(() => core.stop());
    await monitor.start();

    const browser = await launchBrowser({ clientScript });
    cleanups.push(() => browser.close());

    const detailRequests: string[] = [];
    const pageRequests: string[] = [];
    const detailPages: RecordedPage[] = [];
    const savePaths: Array<string | null> = [];
    // openDetail needs the server's address; the server needs the table: break the cycle.
    const where: { url?: string } = {};
    const systemLanguage = opts.systemLanguage ?? resolveLanguage(process.env);
    const table = createIpcTable({
      ...core.ipcDeps,
      appInfo: { version: 'e2e', transport: 'test', systemLanguage },
      windows: {
        async openDetail(id, tab) {
          detailRequests.push(tab === undefined ? id : `${id}#${tab}`);
          if (where.url === undefined) throw new Error('the transport server is not up');
          const recorded = await browser.newPage();
          await recorded.page.goto(
            `${where.url}/detail.html?id=${encodeURIComponent(id)}${tab ? `&tab=${tab}` : ''}`,
          );
          detailPages.push(recorded);
          return { ok: true, value: null };
        },
        async openPage(page, id) {
          pageRequests.push(id === undefined ? page : `${page}:${id}`);
          if (where.url === undefined) throw new Error('the transport server is not up');
          const recorded = await browser.newPage();
          const query = id === undefined ? '' : `?id=${encodeURIComponent(id)}`;
          await recorded.page.goto(`${where.url}/${page}.html${query}`);
          detailPages.push(recorded);
          return { ok: true, value: null };
        },
        // The save dialog, answered by the test through `savePaths`.
        chooseSavePath: () => Promise.resolve(savePaths.shift() ?? null),
      },
    });
    const transport = await startTransportServer({ table, root: buildDir });
    where.url = transport.url;
    const url = transport.url;
    cleanups.push(() => transport.close());
    await mkdir(ARTIFACTS, { recursive: true });

    return {
      sb,
      cron,
      core,
      monitor,
      settings,
      server: transport,
      browser,
      detailRequests,
      pageRequests,
      notifications,
      savePaths,
      detailPages,
      systemLanguage,
      async open(path) {
        const recorded = await browser.newPage();
        await recorded.page.goto(`${url}/${path}`);
        return recorded;
      },
      async is(state, unit) {
        return (await sb.systemctl(state, unit)).stdout.trim();
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Clicks once the control is ready: a user cannot use a control that is aria-disabled. */
export async function press(control: Locator): Promise<void> {
  await waitFor(
    async () => (await control.getAttribute('aria-disabled')) === 'false',
    'the control to be enabled',
  );
  await control.click();
}

/**
 * Saves the page in the light and the dark scheme as ARTIFACTS/NAME-light.png and -dark.png
 * (NAME-ko-... in Korean) and fails on any serious or critical accessibility violation in
 * either: `shoot` in a11y.ts, the suite's one screenshot helper.
 */
export async function screenshots(page: Page, name: string, fullPage = false): Promise<void> {
  await shoot(page, name, { fullPage });
}

/** The value shown for a labelled field (<dt>label</dt><dd>value</dd>). */
export function field(page: Page, label: string): Promise<string> {
  return page
    .locator('dt', { hasText: new RegExp(`^${label}$`) })
    .locator('xpath=following-sibling::dd')
    .innerText()
    .then((t) => t.trim());
}

/** What an e2e describe block shares: the started E2e and the page its tests drive. */
export interface E2eSuite {
  readonly e2e: E2e;
  readonly recorded: RecordedPage;
  readonly page: Page;
}

/**
 * Registers the describe block's beforeAll (startE2e, then opens `open`: a renderer path or a
 * function, sets `viewport`, runs `ready`) and its afterAll (stops everything). The returned
 * object's fields are set once beforeAll has run.
 */
export function e2eSuite(
  opts: E2eOptions & {
    open: string | ((e2e: E2e) => Promise<RecordedPage>);
    viewport?: { width: number; height: number };
    ready?: (suite: E2eSuite) => Promise<void>;
    timeout?: number;
  },
): E2eSuite {
  const state = {} as { e2e: E2e; recorded: RecordedPage; page: Page };
  beforeAll(async () => {
    state.e2e = await startE2e(opts);
    state.recorded =
      typeof opts.open === 'string' ? await state.e2e.open(opts.open) : await opts.open(state.e2e);
    state.page = state.recorded.page;
    if (opts.viewport) await state.page.setViewportSize(opts.viewport);
    await opts.ready?.(state);
  }, opts.timeout);
  afterAll(async () => {
    await state.e2e?.stop();
  });
  return state;
}

/**
 * For afterEach: every page holds a Server-Sent Events stream, and Chromium opens at most six
 * connections to one host, so each test's pages (and the windows they opened) are closed before
 * the next test. A failed test first leaves what each of its pages showed, to read the failure by.
 */
export async function closeTestPages(e2e: E2e, ctx: TestContext): Promise<void> {
  const pages = e2e.browser.context.pages();
  if (ctx.task.result?.state === 'fail')
    for (const [i, p] of pages.entries()) {
      const base = join(
        ARTIFACTS,
        `failed-${ctx.task.name.replace(/\W+/g, '-').slice(0, 60)}-${i}`,
      );
      await p.screenshot({ path: `${base}.png`, fullPage: true }).catch(() => undefined);
      const text = await p
        .locator('body')
        .innerText()
        .catch((err: unknown) => String(err));
      await writeFile(`${base}.txt`, `${p.url()}\n\n${text}`);
    }
  for (const p of pages) await closePage(p);
}
