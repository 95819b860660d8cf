// Real Chromium through playwright-core, with a fresh profile per run, and pages that record
// every Content-Security-Policy violation and console error so a test can fail on them.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium, type BrowserContext, type ConsoleMessage, type Page } from 'playwright-core';

const CHROMIUM = process.env.DD_CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

export interface E2eBrowser {
  context: BrowserContext;
  /** A new page with the test client and the violation recorder installed. */
  newPage(): Promise<RecordedPage>;
  close(): Promise<void>;
}

export interface RecordedPage {
  page: Page;
  /** CSP violations and console errors seen so far (the meta-delivered frame-ancestors
   *  notice excepted: browsers ignore that directive in <meta> and say so). */
  problems(): Promise<string[]>;
}

// Runs in the page before any of its scripts; plain JavaScript because it is sent as text.
const RECORD_VIOLATIONS = `
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__cspViolations.push(e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at ' + e.sourceFile + ':' + e.lineNumber);
  });
`;

function isIgnorable(message: ConsoleMessage): boolean {
  return /frame-ancestors.*ignored when delivered via a <meta> element/i.test(message.text());
}

export async function launchBrowser(opts: { clientScript: string }): Promise<E2eBrowser> {
  const profile = await mkdtemp(join(tmpdir(), 'dd-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      args: CHROMIUM_ARGS,
      viewport: { width: 380, height: 560 },
      deviceScaleFactor: 1,
      timeout: 30_000,
    });
  } catch (err) {
    await rm(profile, { recursive: true, force: true });
    throw err;
  }
  return {
    context,
    async newPage() {
      const page = await context.newPage();
      const consoleProblems: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error' && !isIgnorable(message)) {
          consoleProblems.push(`console: ${message.text()}`);
        }
      });
      page.on('pageerror', (err) => consoleProblems.push(`page error: ${err.message}`));
      await page.addInitScript(RECORD_VIOLATIONS);
      await page.addInitScript(opts.clientScript);
      return {
        page,
        async problems() {
          const csp = await page
            .evaluate('window.__cspViolations')
            .then((v) => (Array.isArray(v) ? (v as string[]) : []));
          return [...csp.map((v) => `CSP: ${v}`), ...consoleProblems];
        },
      };
    },
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Closes a page, bounded. Chromium can acknowledge Target.closeTarget and drop it when the close
 * races a navigation commit (crbug.com/536385539, microsoft/playwright#42366), and page.close()
 * then waits forever: here, a page a window handler is still loading when its test ends. That
 * page would also keep its event stream, one of Chromium's six connections to the server, and
 * starve every later page. So the close is sent again (as Page.close) until the page is gone.
 */
export async function closePage(page: Page): Promise<void> {
  if (page.isClosed()) return;
  const closed = new Promise<true>((resolve) => page.once('close', () => resolve(true)));
  void page.close().catch(() => undefined);
  for (let attempt = 0; attempt < 5; attempt++) {
    if (await Promise.race([closed, sleep(2000).then(() => false)])) return;
    await page.close({ runBeforeUnload: true }).catch(() => undefined);
  }
  throw new Error(`The page ${page.url()} did not close after five attempts.`);
}
