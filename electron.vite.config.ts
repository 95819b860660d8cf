import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { lazyCatalogs, preloadBoot, preloadStandIns, rendererBuild } from './renderer/bundling.js';
import { pageInputs, pageTemplate } from './renderer/pages.js';

const root = import.meta.dirname;

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: { index: resolve(root, 'main/shell/index.ts') },
        // electron-store and conf are ESM-only and must not be bundled twice; dbus-next is CJS.
        external: ['electron', 'electron-store', 'conf', 'dbus-next', 'zod'],
      },
    },
  },
  preload: {
    plugins: [preloadStandIns()],
    build: {
      outDir: 'out/preload',
      // A sandboxed preload can require only electron: what the contract imports is bundled in,
      // without i18next and building no zod schema (renderer/bundling.ts).
      externalizeDeps: { exclude: ['zod'] },
      // It runs before each window's own scripts: the fewer bytes, the sooner they start.
      minify: true,
      rollupOptions: {
        input: { index: resolve(root, 'preload/index.ts') },
        // A sandboxed preload must be CommonJS.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'renderer'),
    plugins: [
      svelte({ configFile: resolve(root, 'renderer/svelte.config.js') }),
      pageTemplate(),
      lazyCatalogs(),
      preloadBoot(),
    ],
    build: {
      outDir: resolve(root, 'out/renderer'),
      emptyOutDir: true,
      // Half the bytes for the page to load and parse before its first paint (issue 16).
      minify: true,
      cssCodeSplit: rendererBuild.cssCodeSplit,
      rollupOptions: {
        ...rendererBuild.rollupOptions,
        input: pageInputs(resolve(root, 'renderer')),
      },
    },
  },
});
