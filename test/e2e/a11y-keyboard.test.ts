// Keyboard and language across pages, in real Chromium against the real core (issue 13): an
// error's close button is reached with Tab and Escape closes the error; every control Tab reaches
// shows a focus ring; the pages switch to Korean through the language setting and still pass the
// accessibility check in both schemes.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failingUnit, sleeperUnit } from '../helpers/units.js';
import { shoot, useLanguage } from './a11y.js';
import { type E2e, press, startE2e } from './e2e-setup.js';

/** What has focus now: its tag, role and accessible words, and how its ring is drawn. */
interface Focused {
  tag: string;
  name: string;
  outline: string;
  outlineWidth: number;
  shadow: string;
  inDocument: boolean;
}

const FOCUSED = `(() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  return {
    tag: el.tagName.toLowerCase() + (el.getAttribute('role') ? '[' + el.getAttribute('role') + ']' : ''),
    name: (el.getAttribute('aria-label') || el.textContent || el.getAttribute('placeholder') || '').trim().slice(0, 40),
    outline: style.outlineStyle,
    outlineWidth: parseFloat(style.outlineWidth),
    shadow: style.boxShadow,
    inDocument: document.contains(el),
  };
})()`;

async function focused(page: Page): Promise<Focused | null> {
  return page.evaluate<Focused | null>(FOCUSED);
}

/** A ring a keyboard user can see: a 2px outline (the palette's ring is 3:1, see base.css). */
function hasRing(f: Focused): boolean {
  return f.outline !== 'none' && f.outlineWidth >= 2;
}

/** Tabs through the page once (up to `max` stops), returning each stop. */
async function tabStops(page: Page, max = 60): Promise<Focused[]> {
  await page.evaluate('document.activeElement && document.activeElement.blur()');
  const stops: Focused[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    if (f === null) break;
    if (stops.length > 0 && stops[0]!.name === f.name && stops[0]!.tag === f.tag) break;
    stops.push(f);
  }
  return stops;
}

describe('keyboard and languages across pages', () => {
  let e2e: E2e;

  beforeAll(async () => {
    e2e = await startE2e({
      label: 'a11y',
      units: {
        'dd-crash.service': failingUnit(3),
        'dd-web.service': sleeperUnit('Local web server'),
      },
      async prepare(sb) {
        await sb.systemctl('start', 'dd-web.service');
        await sb.systemctl('start', 'dd-crash.service');
      },
    });
  });

  afterAll(async () => {
    await e2e?.stop();
  });

  // The same in both languages: the Korean page's words (and its screenshots, NAME-ko-...) too.
  for (const words of [
    { language: 'en', start: 'Start', failed: 'failed to start', dismiss: 'Dismiss error' },
    { language: 'ko', start: '시작', failed: '시작에 실패했습니다', dismiss: '오류 닫기' },
  ] as const)
    it(`reaches an error's close button with Tab, and Escape closes the error (${words.language})`, async () => {
      if (words.language === 'ko') await useLanguage(e2e, [], 'ko');
      try {
        await errorByKeyboard(words);
      } finally {
        if (words.language === 'ko') await useLanguage(e2e, [], 'system');
      }
    });

  async function errorByKeyboard(words: { start: string; failed: string; dismiss: string }) {
    const recorded = await e2e.open('detail.html?id=systemd%3Add-crash.service');
    const page = recorded.page;
    await page.setViewportSize({ width: 720, height: 560 });
    const start = page.getByRole('button', { name: words.start, exact: true });
    await press(start);
    const alert = page.getByRole('alert').filter({ hasText: words.failed });
    await alert.waitFor({ timeout: 15_000 });

    await start.focus();
    let reached: Focused | null = null;
    for (let i = 0; i < 15 && reached === null; i++) {
      await page.keyboard.press('Tab');
      const f = await focused(page);
      if (f?.name === words.dismiss) reached = f;
    }
    expect(reached, `Tab reaches "${words.dismiss}"`).not.toBeNull();
    expect(hasRing(reached!), `its focus ring: ${JSON.stringify(reached)}`).toBe(true);
    await shoot(page, 'a11y-error-focused');

    await page.keyboard.press('Escape');
    await expect.poll(() => alert.count()).toBe(0);
    // Focus stays in the page, on a control, not thrown back to the top.
    const after = await focused(page);
    expect(after, 'focus after Escape').not.toBeNull();
    expect(after!.inDocument).toBe(true);
    expect(await recorded.problems()).toEqual([]);
    await page.close();
  }

  for (const [path, label] of [
    ['panel.html', 'panel'],
    ['detail.html?id=systemd%3Add-web.service', 'detail'],
  ] as const) {
    it(`shows a focus ring on every control Tab reaches (${label})`, async () => {
      const { page } = await e2e.open(path);
      await page.setViewportSize({ width: label === 'panel' ? 380 : 720, height: 560 });
      await page.locator('h1, h2, [role="switch"]').first().waitFor();
      const stops = await tabStops(page);
      expect(stops.length, 'Tab reaches some controls').toBeGreaterThan(3);
      const bare = stops.filter((f) => !hasRing(f)).map((f) => `${f.tag} "${f.name}"`);
      expect(bare, 'controls without a visible focus ring').toEqual([]);
      await page.close();
    });
  }

  it('speaks Korean when the setting says so, and passes the check in both schemes', async () => {
    const recorded = await e2e.open('panel.html');
    const page = recorded.page;
    await page.getByRole('switch').first().waitFor();
    await useLanguage(e2e, [page], 'ko');
    try {
      expect(await page.evaluate('document.documentElement.lang')).toBe('ko-KR');
      await page.getByRole('switch').first().waitFor();
      const files = await shoot(page, 'panel');
      expect(files.every((f) => /panel-ko-(light|dark)\.png$/.test(f))).toBe(true);
      expect(await recorded.problems()).toEqual([]);
    } finally {
      await useLanguage(e2e, [page], 'system');
    }
    expect(await page.evaluate('document.documentElement.lang')).toBe('en-US');
    await page.close();
  });
});
