import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { trayIconFile, type TrayIconVariant } from '../../main/core/tray/menu-model.js';

const root = resolve(import.meta.dirname, '../..');

function png(path: string): PNG {
  return PNG.sync.read(readFileSync(resolve(root, path)));
}

const variants: TrayIconVariant[] = [
  { status: 'normal', theme: 'light' },
  { status: 'normal', theme: 'dark' },
  { status: 'warning', theme: 'light' },
  { status: 'warning', theme: 'dark' },
];

describe('tray icons', () => {
  it.each(variants)('every variant the menu model names exists at 22 px and 44 px: %o', (v) => {
    const one = png(`build/tray/${trayIconFile(v)}`);
    const two = png(`build/tray/${trayIconFile(v, 2)}`);
    expect([one.width, one.height]).toEqual([22, 22]);
    expect([two.width, two.height]).toEqual([44, 44]);
  });

  it('light and dark glyphs differ, and warning differs from normal', () => {
    const data = (v: TrayIconVariant) => png(`build/tray/${trayIconFile(v)}`).data;
    expect(data(variants[0]!).equals(data(variants[1]!))).toBe(false);
    expect(data(variants[0]!).equals(data(variants[2]!))).toBe(false);
  });

  it('tray icons have a transparent background', () => {
    const icon = png(`build/tray/${trayIconFile({ status: 'normal', theme: 'light' })}`);
    expect(icon.data[3]).toBe(0);
  });
});

describe('app icons', () => {
  it.each([16, 24, 32, 48, 64, 128, 256, 512])('build/icons/%ix%i.png has its size', (size) => {
    const icon = png(`build/icons/${size}x${size}.png`);
    expect([icon.width, icon.height]).toEqual([size, size]);
  });
});

describe('scripts/make-icons.js', () => {
  it('draws exactly the committed images', async () => {
    const run = promisify(execFile);
    await expect(
      run(process.execPath, [resolve(root, 'scripts/make-icons.js'), '--check'], { cwd: root }),
    ).resolves.toBeDefined();
  });
});
