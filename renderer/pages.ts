// The renderer's pages and the one document they share. Each renderer/NAME.html holds only what
// differs (its title and its entry script); pageTemplate() wraps them in the head every window
// needs (the CSP, the charset, the colour schemes) for `electron-vite build`, its dev server and
// the e2e build alike, so the head is written once.
import type { Plugin } from 'vite';
import { APP_PAGES, CONTENT_SECURITY_POLICY } from '../contract/pages.js';

/** Every page: the panel, the detail window and the app's other pages (contract/pages.ts). */
export const PAGES = ['panel', 'detail', ...APP_PAGES];

/** Rollup's input map: each page's html under the renderer folder. */
export function pageInputs(rendererDir: string): Record<string, string> {
  return Object.fromEntries(PAGES.map((page) => [page, `${rendererDir}/${page}.html`]));
}

/** The full document for a page's title and entry script. */
export function pageDocument(title: string, script: string): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta
      http-equiv="Content-Security-Policy"
      content="${CONTENT_SECURITY_POLICY}"
    />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="color-scheme" content="light dark" />
    <!-- No icon: a browser (the e2e tests' Chromium) would ask the server for /favicon.ico. -->
    <link rel="icon" href="data:," />
    <title>${title}</title>
  </head>
  <body>
    <div id="app"></div>
    <script type="module" src="${script}"></script>
  </body>
</html>
`;
}

export function pageTemplate(): Plugin {
  return {
    name: 'daemon-deck-page-template',
    transformIndexHtml: {
      order: 'pre',
      handler(html, ctx) {
        const title = /<title>([^<]*)<\/title>/.exec(html)?.[1];
        const script = /<script type="module" src="([^"]+)"><\/script>/.exec(html)?.[1];
        if (title === undefined || script === undefined) {
          throw new Error(`${ctx.filename}: a page names its <title> and its module <script>`);
        }
        return pageDocument(title, script);
      },
    },
  };
}
