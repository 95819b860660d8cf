// The e2e suite's one way to look at a page: `shoot` saves it in the light and the dark scheme
// under test/artifacts/ and runs the accessibility check (axe-core) on each, so every page and
// state the suite screenshots is also checked (issue 13: no serious or critical violation).
// `useLanguage` switches the pages' language through the core's settings, as a user would.
//
// The pages have a strict Content-Security-Policy (script-src 'self'), so axe is not added with a
// <script> tag: its source runs through page.evaluate, which DevTools evaluates outside the
// page's CSP. axe itself evaluates nothing at run time, so the page's CSP recorder stays quiet.
import { createRequire } from 'node:module';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import type { AxeResults, ImpactValue, Result, RunOptions } from 'axe-core';
import { localeTag, type Language, type LanguageSetting } from '../../i18n/index.js';

export const ARTIFACTS = resolve(import.meta.dirname, '../artifacts');

const AXE_SOURCE = (createRequire(import.meta.url)('axe-core') as { source: string }).source;

/** The impacts that fail a page: the bar is "no serious or critical violation". */
const FAILING: readonly ImpactValue[] = ['serious', 'critical'];

export interface AccessibilityOptions {
  /** CSS selectors axe leaves out (e.g. a third-party frame); keep this empty when you can. */
  exclude?: string[];
  /** axe rule ids to turn off, each with the reason in the caller's comment. */
  disableRules?: string[];
}

/** One failing rule, as a line a person can act on: the rule, what it wants, where. */
function describeViolation(v: Result): string {
  const where = v.nodes
    .slice(0, 8)
    .map((n) => {
      const summary = (n.failureSummary ?? '').replace(/\s+/g, ' ').trim();
      return `    - ${n.target.join(' ')}: ${summary}`;
    })
    .join('\n');
  const more = v.nodes.length > 8 ? `\n    ... and ${v.nodes.length - 8} more` : '';
  return `  [${v.impact}] ${v.id}: ${v.help} (${v.nodes.length} element${v.nodes.length === 1 ? '' : 's'})\n${where}${more}`;
}

/** The serious and critical violations axe finds in `page` right now (none is the goal). */
export async function accessibilityViolations(
  page: Page,
  opts: AccessibilityOptions = {},
): Promise<Result[]> {
  const injected = await page.evaluate('typeof window.axe === "object"');
  if (injected !== true) await page.evaluate(AXE_SOURCE);
  const runOptions: RunOptions = {
    resultTypes: ['violations'],
    rules: Object.fromEntries((opts.disableRules ?? []).map((id) => [id, { enabled: false }])),
  };
  const exclude = (opts.exclude ?? []).map((selector) => [selector]);
  const context = exclude.length > 0 ? JSON.stringify({ exclude }) : 'document';
  // Plain JavaScript sent as text (the tests' TypeScript has no DOM types).
  const results = await page.evaluate<AxeResults>(
    `axe.run(${context}, ${JSON.stringify(runOptions)})`,
  );
  return results.violations.filter((v) => v.impact != null && FAILING.includes(v.impact));
}

/** Fails, listing every serious or critical axe violation of `page`, named by `label`. */
export async function expectAccessible(
  page: Page,
  label: string,
  opts: AccessibilityOptions = {},
): Promise<void> {
  const violations = await accessibilityViolations(page, opts);
  if (violations.length > 0) {
    throw new Error(
      `${label}: ${violations.length} serious or critical accessibility violation${violations.length === 1 ? '' : 's'} (axe-core)\n${violations.map(describeViolation).join('\n')}`,
    );
  }
}

export type Scheme = 'light' | 'dark';

export interface ShotOptions extends AccessibilityOptions {
  /** The whole scrolling page rather than the window. */
  fullPage?: boolean;
  /** Both by default. */
  schemes?: readonly Scheme[];
  /** Run the accessibility check on each scheme (default true). Turning it off needs a reason. */
  check?: boolean;
  /** Where the files go (default test/artifacts/). */
  dir?: string;
}

/** The page's language as its <html lang> says ('en' until a page sets Korean). */
async function pageLanguage(page: Page): Promise<Language> {
  const lang = await page.evaluate('document.documentElement.lang');
  return typeof lang === 'string' && lang.toLowerCase().startsWith('ko') ? 'ko' : 'en';
}

/** Lets a scheme change settle: CSS transitions finished, two frames painted. */
async function settle(page: Page): Promise<void> {
  await page.evaluate(`(async () => {
    for (const animation of document.getAnimations())
      if (animation instanceof CSSTransition) animation.finish();
    await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  })()`);
}

/**
 * Saves `page` as DIR/NAME-light.png and NAME-dark.png (NAME-ko-light.png... when the page speaks
 * Korean) and checks each scheme with axe, failing on any serious or critical violation. Returns
 * the files written. The page is left in the light scheme.
 */
export async function shoot(page: Page, name: string, opts: ShotOptions = {}): Promise<string[]> {
  const dir = opts.dir ?? ARTIFACTS;
  await mkdir(dir, { recursive: true });
  const language = await pageLanguage(page);
  const base = language === 'en' ? name : `${name}-${language}`;
  const files: string[] = [];
  const problems: string[] = [];
  try {
    for (const colorScheme of opts.schemes ?? (['light', 'dark'] as const)) {
      await page.emulateMedia({ colorScheme });
      await settle(page);
      const path = join(dir, `${base}-${colorScheme}.png`);
      // The screenshot first, so a failing check still leaves the picture to look at.
      await page.screenshot({ path, fullPage: opts.fullPage ?? false });
      files.push(path);
      if (opts.check !== false) {
        await expectAccessible(page, `${base} (${colorScheme})`, opts).catch((err: unknown) =>
          problems.push(err instanceof Error ? err.message : String(err)),
        );
      }
    }
  } finally {
    await page.emulateMedia({ colorScheme: 'light' });
  }
  if (problems.length > 0) throw new Error(problems.join('\n'));
  return files;
}

/** What useLanguage needs of startE2e's result: its settings and the system's language. */
interface LanguageHost {
  settings: { update(patch: { language: LanguageSetting }): unknown };
  systemLanguage?: Language;
}

/**
 * Switches the pages' language as the Settings page does (the `language` setting), then waits
 * until each page has reloaded into it (renderer/src/lib/language.ts reloads a page whose language
 * changes) and shown its first content. `system` means the e2e core's system language (startE2e's
 * systemLanguage option; else the test's own locale). Switch back (`system`) when done: the
 * setting lasts for the rest of the file.
 */
export async function useLanguage(
  host: LanguageHost,
  pages: readonly Page[],
  language: LanguageSetting,
): Promise<void> {
  const tag = localeTag(language === 'system' ? (host.systemLanguage ?? 'en') : language);
  // A marker a reload wipes: a page already in the language does not reload.
  const before = await Promise.all(
    pages.map(async (p) => {
      const lang = await p.evaluate('document.documentElement.lang');
      if (lang !== tag) await p.evaluate('window.__ddBeforeLanguage = true');
      return lang !== tag;
    }),
  );
  host.settings.update({ language });
  await Promise.all(
    pages.map(async (p, i) => {
      if (before[i] !== true) return;
      // Polled from here: waitForFunction evaluates a string in the page, which its CSP forbids.
      const ready = `window.__ddBeforeLanguage !== true && document.documentElement.lang === ${JSON.stringify(tag)} && (document.getElementById('app')?.childElementCount ?? 0) > 0`;
      const deadline = Date.now() + 15_000;
      for (;;) {
        // A page mid-reload has no context to evaluate in: that is "not yet".
        const done = await p.evaluate(ready).catch(() => false);
        if (done === true) break;
        if (Date.now() > deadline)
          throw new Error(`the page did not reload into ${tag} within 15 s (${p.url()})`);
        await new Promise((r) => setTimeout(r, 100));
      }
      await p.waitForLoadState('load');
    }),
  );
}
