// Builds what the e2e tests load: the renderer pages (fresh, so a test never runs stale output)
// and the browser-side test client that plays the preload's part.
//
// The renderer build mirrors electron.vite.config.ts's renderer section plus what electron-vite
// adds in production (base './', a Chrome target, no modulepreload polyfill); minified, as
// electron.vite.config.ts asks.
import { resolve } from 'node:path';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { build, type Rolldown } from 'vite';
import {
  lazyCatalogs,
  preloadBoot,
  preloadStandIns,
  rendererBuild,
} from '../../renderer/bundling.js';
import { pageInputs, pageTemplate } from '../../renderer/pages.js';

const repo = resolve(import.meta.dirname, '../..');

export async function buildRenderer(outDir: string): Promise<void> {
  // vitest sets NODE_ENV=test, which makes Vite resolve Svelte's development build (extra checks,
  // stack capture on every update): build what ships instead.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await buildPages(outDir);
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
}

async function buildPages(outDir: string): Promise<void> {
  await build({
    configFile: false,
    root: resolve(repo, 'renderer'),
    base: './',
    logLevel: 'warn',
    plugins: [
      svelte({ configFile: resolve(repo, 'renderer/svelte.config.js') }),
      pageTemplate(),
      lazyCatalogs(),
      preloadBoot(),
    ],
    build: {
      outDir,
      emptyOutDir: true,
      target: 'chrome140',
      modulePreload: { polyfill: false },
      minify: true,
      reportCompressedSize: false,
      cssCodeSplit: rendererBuild.cssCodeSplit,
      rollupOptions: {
        ...rendererBuild.rollupOptions,
        input: pageInputs(resolve(repo, 'renderer')),
      },
    },
  });
}

/** test/e2e/browser-client.ts as one IIFE script, for page.addInitScript. */
export async function buildBrowserClient(): Promise<string> {
  const result = await build({
    configFile: false,
    logLevel: 'warn',
    // What the preload's build does (electron.vite.config.ts).
    plugins: [preloadStandIns()],
    build: {
      write: false,
      target: 'chrome140',
      minify: true,
      lib: {
        entry: resolve(import.meta.dirname, 'browser-client.ts'),
        formats: ['iife'],
        name: 'daemonDeckTestClient',
        fileName: () => 'client.js',
      },
    },
  });
  const outputs = (Array.isArray(result) ? result : [result]) as Rolldown.RolldownOutput[];
  for (const output of outputs) {
    for (const chunk of output.output) {
      if (chunk.type === 'chunk') return chunk.code;
    }
  }
  throw new Error('the browser client build produced no script');
}
