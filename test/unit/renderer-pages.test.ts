import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../main/shell/window-options.js';
import { PAGES, pageInputs, pageTemplate } from '../../renderer/pages.js';

const rendererDir = resolve(import.meta.dirname, '../../renderer');

type Handler = (html: string, ctx: { filename: string; path: string }) => string;

function transform(html: string, filename: string): string {
  const hook = pageTemplate().transformIndexHtml as { order: string; handler: Handler };
  expect(hook.order).toBe('pre');
  return hook.handler(html, { filename, path: `/${filename}` });
}

describe('the page template', () => {
  it.each(PAGES)('wraps %s.html in the shared head with its own title and script', async (page) => {
    const file = pageInputs(rendererDir)[page];
    expect(file).toBe(`${rendererDir}/${page}.html`);
    const source = await readFile(file!, 'utf8');
    const title = /<title>([^<]*)<\/title>/.exec(source)?.[1];
    expect(title).toMatch(/Daemon Deck$/);

    const html = transform(source, `${page}.html`);
    expect(html.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
    expect(html).toContain('<meta charset="utf-8" />');
    expect(html).toContain('<meta name="color-scheme" content="light dark" />');
    const csp = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    // The same policy the shell sends as a header (its content: shell-window-options.test.ts).
    expect(csp).toBe(CONTENT_SECURITY_POLICY);
    expect(html).toContain(`<title>${title}</title>`);
    expect(html).toContain(`<div id="app"></div>`);
    expect(html).toContain(`<script type="module" src="./src/${page}/main.ts"></script>`);
  });

  it('refuses a page that names no title or no script', () => {
    expect(() => transform('<!doctype html>\n<title>x</title>\n', 'bad.html')).toThrow(/bad\.html/);
    expect(() => transform('<script type="module" src="./a.ts"></script>', 'bad.html')).toThrow(
      /bad\.html/,
    );
  });
});
