// Packaging, checked as far as these machines allow (issue 7). electron-builder cannot finish
// here: it downloads the Electron binary, and no download source reaches these machines. So this
// checks everything that leads up to that step with the real tools: electron-builder's own schema
// validation of electron-builder.yml, the fuses, the Linux targets and deb dependencies, every
// icon, the desktop entry (desktop-file-validate), and the built app that would be packed: its
// pages with their CSP, a CommonJS preload, and runtime imports that are production
// dependencies (a devDependency imported at run time is missing from the package).
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, RENDERER_PAGES } from '../../main/shell/window-options.js';

const execFileP = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);

interface BuilderConfig {
  asar?: boolean;
  files?: Array<string | { filter?: string[] }>;
  extraResources?: Array<{ from: string; to: string }>;
  electronFuses?: Record<string, boolean>;
  linux?: { target?: string[]; icon?: string; executableName?: string; category?: string };
  deb?: { depends?: string[] };
  [key: string]: unknown;
}

// electron-builder's own loader and validator (app-builder-lib ships with electron-builder).
const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
  getConfig: (dir: string, path: string | null, extra: null) => Promise<BuilderConfig>;
  validateConfiguration: (config: unknown, logger: unknown) => Promise<void>;
};
const { DebugLogger } = require('builder-util') as { DebugLogger: new (on: boolean) => unknown };

const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  main: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

function loadConfig(): Promise<BuilderConfig> {
  return getConfig(root, join(root, 'electron-builder.yml'), null);
}

function png(path: string): { width: number; height: number } {
  const image = PNG.sync.read(readFileSync(path));
  return { width: image.width, height: image.height };
}

/** Bare module specifiers a built ES module or CommonJS file loads (node: builtins aside). */
function bareImports(code: string, commonJs: boolean): string[] {
  const found = new Set<string>();
  const patterns = [
    /^\s*(?:import|export)\s[^;]*?\bfrom\s*["']([^"'./][^"']*)["']/gm,
    /^\s*import\s*["']([^"'./][^"']*)["']/gm,
    /\bimport\s*\(\s*["']([^"'./][^"']*)["']\s*\)/g,
    // require() loads only in CommonJS files (the preload). In the ES module bundles a
    // `require("ajv/...")` is text that ajv's code generator writes, inlined with it, not a load.
    ...(commonJs ? [/\brequire\s*\(\s*["']([^"'./][^"']*)["']\s*\)/g] : []),
  ];
  for (const re of patterns) for (const m of code.matchAll(re)) found.add(m[1]!);
  return [...found]
    .filter((s) => !s.startsWith('node:'))
    .map((s) => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]!));
}

function filesUnder(dir: string, suffix: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(path, suffix));
    else if (entry.name.endsWith(suffix)) out.push(path);
  }
  return out;
}

describe('electron-builder configuration', () => {
  it("passes electron-builder's own schema validation, and a broken copy does not", async () => {
    const config = await loadConfig();
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    const broken = { ...config, linux: { ...config.linux, target: 'AppImage', bogus: true } };
    await expect(validateConfiguration(broken, new DebugLogger(false))).rejects.toThrow(
      /configuration\.linux/,
    );
  });

  it('builds an AppImage, a deb with libnotify and an appindicator library, and a tar.gz', async () => {
    const config = await loadConfig();
    expect(config.linux?.target).toEqual(['AppImage', 'deb', 'tar.gz']);
    expect(config.linux?.executableName).toBe('daemon-deck');
    const depends = config.deb?.depends ?? [];
    expect(depends).toContain('libnotify4');
    expect(depends.some((d) => /appindicator/.test(d))).toBe(true);
  });

  it('sets the hardening fuses and packs the app into an asar', async () => {
    const config = await loadConfig();
    expect(config.asar).toBe(true);
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('ships every file it names: the built app, tray icons and the desktop entry template', async () => {
    const config = await loadConfig();
    const patterns = (config.files ?? []).flatMap((f) => (typeof f === 'string' ? [f] : f.filter));
    expect(patterns).toEqual(expect.arrayContaining(['out/**', 'package.json']));
    for (const resource of config.extraResources ?? []) {
      expect(existsSync(join(root, resource.from)), resource.from).toBe(true);
    }
    expect(
      existsSync(join(root, packageJson.main)),
      `${packageJson.main} (run npm run build)`,
    ).toBe(true);
  });
});

describe('icons', () => {
  it('has the application icon at every size, each a PNG of that size', async () => {
    const config = await loadConfig();
    const dir = join(root, config.linux?.icon ?? 'build/icons');
    const sizes = readdirSync(dir)
      .map((name) => /^(\d+)x(\d+)\.png$/.exec(name))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => Number(m[1]));
    expect(sizes.sort((a, b) => a - b)).toEqual([16, 24, 32, 48, 64, 128, 256, 512]);
    for (const size of sizes) {
      expect(png(join(dir, `${size}x${size}.png`))).toEqual({ width: size, height: size });
    }
  });

  it('has normal and warning tray icons for light and dark panels, at 1x and 2x', () => {
    for (const status of ['normal', 'warning']) {
      for (const theme of ['light', 'dark']) {
        const base = join(root, 'build/tray', `tray-${status}-${theme}`);
        const one = png(`${base}.png`);
        expect(png(`${base}@2x.png`)).toEqual({ width: one.width * 2, height: one.height * 2 });
      }
    }
  });
});

describe('desktop entry', () => {
  it('the shipped template passes desktop-file-validate once Exec is filled in', async () => {
    const template = readFileSync(join(root, 'build/daemon-deck.desktop.in'), 'utf8');
    expect(template).toContain('Exec=@EXEC@');
    const dir = await mkdtemp(join(tmpdir(), 'dd-desktop-'));
    try {
      const file = join(dir, 'daemon-deck.desktop');
      await writeFile(file, template.replace('@EXEC@', '"/opt/Daemon Deck/daemon-deck"'));
      // Fails (ENOENT) where desktop-file-utils is missing: .ci/run installs it.
      const { stdout, stderr } = await execFileP('desktop-file-validate', [file]);
      expect(`${stdout}${stderr}`.trim()).toBe('');
      await writeFile(file, template.replace('@EXEC@', '').replace('Type=Application', ''));
      const broken = await execFileP('desktop-file-validate', [file]).then(
        () => 'accepted',
        (err: { stdout?: string }) => err.stdout ?? 'no output',
      );
      expect(broken).toMatch(/"Type"/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the built app that would be packed (npm run build)', () => {
  const rendererDir = join(root, 'out/renderer');

  it('has exactly one built page per window page, each with our CSP in a meta tag', () => {
    const built = readdirSync(rendererDir).filter((n) => n.endsWith('.html'));
    expect(built.sort()).toEqual(RENDERER_PAGES.map((p) => `${p}.html`).sort());
    for (const name of built) {
      const html = readFileSync(join(rendererDir, name), 'utf8');
      const metas = [...html.matchAll(/http-equiv="Content-Security-Policy"\s+content="([^"]+)"/g)];
      expect(
        metas.map((m) => m[1]),
        name,
      ).toEqual([CONTENT_SECURITY_POLICY]);
      // The policy allows no inline code: every script has a src, and there is no <style>.
      for (const script of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)) {
        expect(script[1], `${name}: a script without src`).toMatch(/\bsrc="\.\/assets\//);
        expect(script[2]!.trim(), `${name}: inline script`).toBe('');
      }
      expect(html, name).not.toMatch(/<style\b|\son[a-z]+="/);
    }
  });

  it('the preload is CommonJS (a sandboxed preload cannot be an ES module)', () => {
    const code = readFileSync(join(root, 'out/preload/index.cjs'), 'utf8');
    expect(code).toMatch(/require\("electron"\)/);
    expect(code).not.toMatch(/^\s*(import|export)\s/m);
  });

  it('the preload carries no words (preload/no-words.ts): no i18next, no catalog', () => {
    const code = readFileSync(join(root, 'out/preload/index.cjs'), 'utf8');
    expect(code).toMatch(/getSnapshot/);
    expect(code).not.toMatch(/i18next/);
    // A message of the common catalog, which a bundled catalog would carry.
    expect(code).not.toContain('Dismiss error');
  });

  it('loads at run time only production dependencies (and electron itself)', () => {
    const deps = new Set(Object.keys(packageJson.dependencies));
    const code = [
      join(root, 'out/main/index.js'),
      join(root, 'out/preload/index.cjs'),
      ...filesUnder(join(root, 'out/cli'), '.js'),
    ];
    const used = new Set(
      code.flatMap((file) => bareImports(readFileSync(file, 'utf8'), file.endsWith('.cjs'))),
    );
    expect(used.size).toBeGreaterThan(1);
    for (const name of used) {
      if (name === 'electron') continue;
      expect(deps.has(name), `${name} is imported at run time but not in dependencies`).toBe(true);
    }
  });
});
