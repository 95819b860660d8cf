// The panel's document names the scripts its entry loads with import() (renderer/bundling.ts), so
// they load beside the entry instead of after it (issue 16: the panel's first render).
import { describe, expect, it } from 'vitest';
import type { HtmlTagDescriptor, IndexHtmlTransformContext, Rolldown } from 'vite';
import { preloadBoot } from '../../renderer/bundling.js';

type Chunk = Rolldown.OutputChunk;
const chunk = (name: string, fileName: string, imports: string[], dynamicImports: string[] = []) =>
  ({ type: 'chunk', name, fileName, imports, dynamicImports }) as unknown as Chunk;

const bundle = Object.fromEntries(
  [
    chunk('panel', 'assets/panel-1.js', ['assets/early-1.js'], ['assets/boot-1.js']),
    chunk('early', 'assets/early-1.js', [], ['assets/words-en-1.js', 'assets/words-ko-1.js']),
    chunk('boot', 'assets/boot-1.js', ['assets/app-1.js', 'assets/early-1.js']),
    chunk('app', 'assets/app-1.js', ['assets/early-1.js']),
    chunk('words-en', 'assets/words-en-1.js', []),
    chunk('words-ko', 'assets/words-ko-1.js', []),
    chunk('detail', 'assets/detail-1.js', ['assets/app-1.js'], ['assets/boot-1.js']),
  ].map((c) => [c.fileName, c]),
);

function transform(page: string, html: string) {
  const hook = preloadBoot().transformIndexHtml as {
    handler: (html: string, ctx: IndexHtmlTransformContext) => unknown;
  };
  const ctx = {
    path: `/${page}.html`,
    filename: `/renderer/${page}.html`,
    bundle,
    chunk: Object.values(bundle).find((c) => c.name === page),
  } as unknown as IndexHtmlTransformContext;
  return hook.handler(html, ctx) as string | { html: string; tags: HtmlTagDescriptor[] };
}

describe('the panel document', () => {
  it('preloads what its entry imports dynamically, with its imports, and nothing it names already', () => {
    const html =
      '<script type="module" src="./assets/panel-1.js"></script>' +
      '<link rel="modulepreload" href="./assets/early-1.js">';
    const out = transform('panel', html);
    expect(typeof out).toBe('object');
    const { tags } = out as { tags: HtmlTagDescriptor[] };
    expect(tags.map((t) => [t.tag, t.attrs?.rel, t.attrs?.href])).toEqual([
      ['link', 'modulepreload', './assets/boot-1.js'],
      ['link', 'modulepreload', './assets/app-1.js'],
    ]);
  });

  it('leaves the other pages as they are', () => {
    expect(transform('detail', '<p></p>')).toBe('<p></p>');
  });
});
