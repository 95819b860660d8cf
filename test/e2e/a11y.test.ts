// The accessibility check itself (a11y.ts), on small pages served under the app's own
// Content-Security-Policy: it passes a clean page, fails a bad one listing every serious or
// critical problem, checks both schemes, and names its screenshots by scheme and language.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../contract/pages.js';
import { accessibilityViolations, expectAccessible, shoot } from './a11y.js';
import { launchBrowser, type E2eBrowser, type RecordedPage } from './browser.js';

const ORIGIN = 'http://a11y.invalid';

const STYLE = `
:root { color-scheme: light dark; }
body { margin: 0; padding: 16px; font: 14px sans-serif; background: light-dark(#fff, #222); color: light-dark(#111, #eee); }
.grey { color: #aaa; }
.dark-only { color: light-dark(#222, #444); }
`;

function documentOf(body: string, lang = 'en'): string {
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<link rel="stylesheet" href="/style.css"><title>a11y check</title></head>
<body><main><h1>Check</h1>${body}</main></body></html>`;
}

const PAGES: Record<string, string> = {
  '/good.html': documentOf('<p>Readable words.</p><button type="button">Save</button>'),
  '/ko.html': documentOf('<p>읽을 수 있는 글.</p><button type="button">저장</button>', 'ko-KR'),
  '/bad.html': documentOf(
    // No name for the button (critical), no alt for the image (critical), grey on white
    // (serious: 2.3:1), a field without a label (critical).
    '<button type="button"></button><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><p class="grey">Hard to read</p><input type="text">',
  ),
  '/dark-bad.html': documentOf('<p class="dark-only">Fine in light, lost in dark.</p>'),
};

describe('the accessibility check (axe-core under the pages CSP)', () => {
  let browser: E2eBrowser;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dd-a11y-'));
    browser = await launchBrowser({ clientScript: '' });
    await browser.context.route(`${ORIGIN}/**`, (route) => {
      const path = new URL(route.request().url()).pathname;
      if (path === '/style.css')
        return route.fulfill({ body: STYLE, contentType: 'text/css; charset=utf-8' });
      const body = PAGES[path];
      if (body === undefined) return route.fulfill({ status: 404, body: '' });
      return route.fulfill({
        body,
        contentType: 'text/html; charset=utf-8',
        headers: { 'Content-Security-Policy': CONTENT_SECURITY_POLICY },
      });
    });
  });

  afterAll(async () => {
    await browser?.close();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  async function open(path: string): Promise<RecordedPage> {
    const recorded = await browser.newPage();
    await recorded.page.goto(`${ORIGIN}${path}`);
    return recorded;
  }

  it('passes a clean page, without tripping its CSP', async () => {
    const recorded = await open('/good.html');
    await expectAccessible(recorded.page, 'good page');
    expect(await recorded.problems()).toEqual([]);
    await recorded.page.close();
  });

  it('fails a bad page, listing every serious or critical violation', async () => {
    const { page } = await open('/bad.html');
    const ids = (await accessibilityViolations(page)).map((v) => v.id).sort();
    expect(ids).toEqual(['button-name', 'color-contrast', 'image-alt', 'label']);
    const failure = await expectAccessible(page, 'bad page').then(
      () => 'passed',
      (err: unknown) => (err instanceof Error ? err.message : String(err)),
    );
    expect(failure).toMatch(/^bad page: 4 serious or critical accessibility violations/);
    for (const id of ids) expect(failure).toContain(`${id}:`);
    expect(failure).toContain('[critical] button-name');
    expect(failure).toContain('[serious] color-contrast');
    await page.close();
  });

  it('can leave out a rule or a part of the page, when the caller says so', async () => {
    const { page } = await open('/bad.html');
    const ids = (
      await accessibilityViolations(page, { disableRules: ['color-contrast'], exclude: ['img'] })
    ).map((v) => v.id);
    expect(ids.sort()).toEqual(['button-name', 'label']);
    await page.close();
  });

  it('shoots light and dark, checks each, and still saves the picture of a failure', async () => {
    const good = await open('/good.html');
    const files = await shoot(good.page, 'good', { dir });
    expect(files.map((f) => basename(f))).toEqual(['good-light.png', 'good-dark.png']);
    for (const file of files) expect(existsSync(file)).toBe(true);
    expect(await good.page.evaluate('matchMedia("(prefers-color-scheme: light)").matches')).toBe(
      true,
    );

    const darkBad = await open('/dark-bad.html');
    await expectAccessible(darkBad.page, 'light is fine');
    const failure = await shoot(darkBad.page, 'dark-bad', { dir }).then(
      () => 'passed',
      (err: unknown) => (err instanceof Error ? err.message : String(err)),
    );
    expect(failure).toMatch(/^dark-bad \(dark\): 1 serious/);
    expect(failure).not.toContain('(light)');
    expect(existsSync(join(dir, 'dark-bad-dark.png'))).toBe(true);
    await good.page.close();
    await darkBad.page.close();
  });

  it('names a Korean page by its language', async () => {
    const { page } = await open('/ko.html');
    const files = await shoot(page, 'page', { dir, schemes: ['dark'] });
    expect(files.map((f) => basename(f))).toEqual(['page-ko-dark.png']);
    await page.close();
  });
});
