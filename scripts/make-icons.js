// Draws the app and tray icons as PNG from a few shapes, so the committed images in build/ can
// be regenerated and checked: `node scripts/make-icons.js` writes them, `--check` fails when a
// committed file differs from what this script draws.
//
// Shapes are signed-distance functions in a unit square, sampled 4x4 per pixel for
// anti-aliasing; each size is drawn from the shapes, not scaled from a bitmap.
import { readFileSync, mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import process from 'node:process';
import pngjs from 'pngjs';
import {
  APP_ICON_SIZES,
  TRAY_SIZE,
  TRAY_STATUSES,
  TRAY_THEMES,
  trayFileName,
} from '../build/icon-spec.js';

const { PNG } = pngjs;
const root = join(import.meta.dirname, '..');
const SAMPLES = 4;

const roundRect = (x0, y0, x1, y1, r) => (x, y) => {
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  const qx = Math.abs(x - cx) - ((x1 - x0) / 2 - r);
  const qy = Math.abs(y - cy) - ((y1 - y0) / 2 - r);
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
};
const circle = (cx, cy, r) => (x, y) => Math.hypot(x - cx, y - cy) - r;

function hex(color, alpha = 1) {
  const n = Number.parseInt(color.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255, alpha];
}

/** Fraction of pixel (px, py) inside `shape`: sampled only near an edge. */
function coverageAt(shape, px, py, size) {
  const centre = shape((px + 0.5) / size, (py + 0.5) / size);
  const halfDiagonal = Math.SQRT1_2 / size;
  if (centre <= -halfDiagonal) return 1;
  if (centre >= halfDiagonal) return 0;
  let inside = 0;
  for (let sy = 0; sy < SAMPLES; sy++) {
    for (let sx = 0; sx < SAMPLES; sx++) {
      if (shape((px + (sx + 0.5) / SAMPLES) / size, (py + (sy + 0.5) / SAMPLES) / size) <= 0)
        inside++;
    }
  }
  return inside / (SAMPLES * SAMPLES);
}

/**
 * Layers are { shape, color } painted over what is below, or { shape, erase: true } which
 * clears what is below (the gap around the tray badge). `color` may be a function of y.
 */
function render(size, layers) {
  const png = new PNG({ width: size, height: size });
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (const layer of layers) {
        const coverage = coverageAt(layer.shape, px, py, size);
        if (coverage === 0) continue;
        if (layer.erase) {
          a *= 1 - coverage;
          continue;
        }
        const [lr, lg, lb, la] =
          typeof layer.color === 'function' ? layer.color((py + 0.5) / size) : layer.color;
        const src = la * coverage;
        const out = src + a * (1 - src);
        if (out > 0) {
          r = (lr * src + r * a * (1 - src)) / out;
          g = (lg * src + g * a * (1 - src)) / out;
          b = (lb * src + b * a * (1 - src)) / out;
        }
        a = out;
      }
      const i = (py * size + px) * 4;
      png.data[i] = Math.round(r);
      png.data[i + 1] = Math.round(g);
      png.data[i + 2] = Math.round(b);
      png.data[i + 3] = Math.round(a * 255);
    }
  }
  return PNG.sync.write(png, { colorType: 6 });
}

/** The app icon: a blue deck of three cards, each with a state dot (running, stopped, running). */
function appIcon(size) {
  const top = hex('#62a0ea');
  const bottom = hex('#1a5fb4');
  const layers = [
    {
      shape: roundRect(0.06, 0.06, 0.94, 0.94, 0.2),
      color: (t) => top.map((v, i) => v + ((bottom[i] ?? 0) - v) * t),
    },
  ];
  const dots = ['#2ec27e', '#9a9996', '#2ec27e'];
  [0.31, 0.5, 0.69].forEach((cy, i) => {
    layers.push({
      shape: roundRect(0.19, cy - 0.075, 0.81, cy + 0.075, 0.05),
      color: hex('#ffffff'),
    });
    layers.push({ shape: circle(0.285, cy, 0.042), color: hex(dots[i] ?? '#2ec27e') });
    // Text lines only where there are pixels enough to show them.
    if (size >= 32) {
      layers.push({
        shape: roundRect(0.37, cy - 0.02, 0.72, cy + 0.02, 0.02),
        color: hex('#c0bfbc'),
      });
    }
  });
  return render(size, layers);
}

/** The tray glyph: three bars with a hole for the state dot; warning adds a red badge. */
function trayIcon(size, status, theme) {
  const ink = theme === 'dark' ? hex('#f6f5f4') : hex('#2e3436');
  const layers = [];
  for (const cy of [0.22, 0.5, 0.78]) {
    layers.push({ shape: roundRect(0.06, cy - 0.09, 0.94, cy + 0.09, 0.07), color: ink });
    layers.push({ shape: circle(0.2, cy, 0.045), erase: true });
  }
  if (status === 'warning') {
    layers.push({ shape: circle(0.75, 0.75, 0.31), erase: true });
    layers.push({
      shape: circle(0.75, 0.75, 0.23),
      color: theme === 'dark' ? hex('#f66151') : hex('#e01b24'),
    });
  }
  return render(size, layers);
}

function allIcons() {
  const files = new Map();
  for (const size of APP_ICON_SIZES) files.set(`build/icons/${size}x${size}.png`, appIcon(size));
  files.set('build/icon.png', appIcon(512));
  for (const status of TRAY_STATUSES) {
    for (const theme of TRAY_THEMES) {
      for (const scale of [1, 2]) {
        files.set(
          `build/tray/${trayFileName(status, theme, scale)}`,
          trayIcon(TRAY_SIZE * scale, status, theme),
        );
      }
    }
  }
  return files;
}

const check = process.argv.includes('--check');
const stale = [];
for (const [file, data] of allIcons()) {
  const path = join(root, file);
  if (check) {
    if (!existsSync(path) || !readFileSync(path).equals(data)) stale.push(relative(root, path));
    continue;
  }
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, data);
}
if (stale.length > 0) {
  process.stderr.write(
    `Icons differ from scripts/make-icons.js: ${stale.join(', ')}\nRun: node scripts/make-icons.js\n`,
  );
  process.exitCode = 1;
}
