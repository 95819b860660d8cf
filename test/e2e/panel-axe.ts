// axe-core on a page as it is now: the serious and critical violations, one line each, so a test
// can expect none. (A stopgap until the shared e2e accessibility helper lands on main.)
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const require = createRequire(import.meta.url);
let source: Promise<string> | null = null;

interface AxeResult {
  violations: Array<{ id: string; impact: string | null; nodes: Array<{ target: unknown[] }> }>;
}

export async function axeViolations(page: Page): Promise<string[]> {
  source ??= readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  // Evaluated through the debugging protocol, which the page's CSP does not govern (a script
  // tag would be refused, and recorded as a CSP violation).
  if ((await page.evaluate('typeof window.axe')) === 'undefined') await page.evaluate(await source);
  const result = (await page.evaluate(
    "window.axe.run(document, { resultTypes: ['violations'] })",
  )) as AxeResult;
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`,
    );
}
