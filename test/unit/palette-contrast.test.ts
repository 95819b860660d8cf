// The palette in renderer/src/styles/base.css meets WCAG AA in light and in dark: every text
// colour on every surface it is written on at 4.5:1 (all our text is under 18.66px bold / 24px,
// so none counts as large), and what marks a control or its state (the focus ring, the switch's
// track, the state dots) at 3:1 (WCAG 1.4.11). The colours are read from base.css itself, so a
// change there that loses contrast fails here, before any page is screenshotted.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const BASE_CSS = join(import.meta.dirname, '../../renderer/src/styles/base.css');

/** sRGB channels 0..255 and alpha 0..1. */
interface Rgba {
  r: number;
  g: number;
  b: number;
  a: number;
}

type Scheme = 'light' | 'dark';

function parseColor(text: string): Rgba {
  const s = text.trim();
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(s);
  if (hex) {
    const h = hex[1]!.length === 3 ? [...hex[1]!].map((c) => c + c).join('') : hex[1]!;
    return {
      r: parseInt(h.slice(0, 2), 16),
      g: parseInt(h.slice(2, 4), 16),
      b: parseInt(h.slice(4, 6), 16),
      a: 1,
    };
  }
  const rgb =
    /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)\s*(?:[/,]\s*([\d.]+)(%?))?\s*\)$/.exec(s);
  if (rgb) {
    const alpha = rgb[4] === undefined ? 1 : Number(rgb[4]) / (rgb[5] === '%' ? 100 : 1);
    return { r: Number(rgb[1]), g: Number(rgb[2]), b: Number(rgb[3]), a: alpha };
  }
  throw new Error(`base.css: a colour this test cannot read: ${s}`);
}

/** Each `--name: value;` of :root, light-dark(A, B) split into its two schemes. */
function parsePalette(css: string): Record<Scheme, Map<string, Rgba>> {
  const root = /:root\s*\{([^}]*)\}/.exec(css)?.[1];
  if (root === undefined) throw new Error('base.css has no :root block');
  const light = new Map<string, Rgba>();
  const dark = new Map<string, Rgba>();
  for (const [, name, value] of root.matchAll(/--([\w-]+)\s*:\s*([^;]+);/g)) {
    const v = value!.replace(/\s+/g, ' ').trim();
    const both = /^light-dark\((.+)\)$/.exec(v);
    let pair: [string, string] | undefined;
    if (both) {
      // Split at the top-level comma (rgb() has commas of its own in the legacy syntax).
      let depth = 0;
      for (let i = 0; i < both[1]!.length; i++) {
        const c = both[1]![i];
        if (c === '(') depth++;
        else if (c === ')') depth--;
        else if (c === ',' && depth === 0) {
          pair = [both[1]!.slice(0, i), both[1]!.slice(i + 1)];
          break;
        }
      }
    } else if (/^(#|rgb)/.test(v)) pair = [v, v];
    if (pair === undefined) continue; // sizes, fonts, shadows
    if (/shadow/.test(name!)) continue;
    light.set(name!, parseColor(pair[0]));
    dark.set(name!, parseColor(pair[1]));
  }
  return { light, dark };
}

/** `top` painted over the opaque `bottom`. */
function over(top: Rgba, bottom: Rgba): Rgba {
  const a = top.a;
  return {
    r: top.r * a + bottom.r * (1 - a),
    g: top.g * a + bottom.g * (1 - a),
    b: top.b * a + bottom.b * (1 - a),
    a: 1,
  };
}

/** CSS color-mix(in srgb, x p, y): premultiplied interpolation, as browsers do it. */
function mix(x: Rgba, p: number, y: Rgba): Rgba {
  const a = x.a * p + y.a * (1 - p);
  if (a === 0) return { r: 0, g: 0, b: 0, a: 0 };
  const ch = (k: 'r' | 'g' | 'b') => (x[k] * x.a * p + y[k] * y.a * (1 - p)) / a;
  return { r: ch('r'), g: ch('g'), b: ch('b'), a };
}

const TRANSPARENT: Rgba = { r: 0, g: 0, b: 0, a: 0 };
const BLACK: Rgba = { r: 0, g: 0, b: 0, a: 1 };

function luminance(c: Rgba): number {
  const lin = (v: number) => {
    const s = v / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b);
}

function contrast(a: Rgba, b: Rgba): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

const palettes = parsePalette(readFileSync(BASE_CSS, 'utf8'));

function token(scheme: Scheme, name: string): Rgba {
  const c = palettes[scheme].get(name);
  if (c === undefined) throw new Error(`base.css has no --${name}`);
  return c;
}

/** A surface: layers from the window up, each painted over the last. */
function surface(scheme: Scheme, layers: readonly (string | Rgba)[]): Rgba {
  let out: Rgba | undefined;
  for (const layer of layers) {
    const c = typeof layer === 'string' ? token(scheme, layer) : layer;
    out = out === undefined ? over(c, { r: 255, g: 255, b: 255, a: 1 }) : over(c, out);
  }
  return out!;
}

/**
 * The surfaces text sits on; the tinted ones only carry their own kind of text. A row's
 * background is one of row-hover and row-active (the same element's :hover and :focus-within),
 * never both; a pressed button's colour lasts only while the pointer is down and is left out.
 */
const GROUNDS: Record<string, string[]> = {
  window: ['window-bg'],
  view: ['view-bg'],
  card: ['card-bg'],
  'card, hovered row': ['card-bg', 'row-hover'],
  'card, focused row': ['card-bg', 'row-active'],
};
const CONTROLS: Record<string, string[]> = {
  'button on card': ['card-bg', 'button-bg'],
  'hovered button on card': ['card-bg', 'button-hover'],
  'button on window': ['window-bg', 'button-bg'],
  'hovered button on window': ['window-bg', 'button-hover'],
  'entry on card': ['card-bg', 'entry-bg'],
  'entry on window': ['window-bg', 'entry-bg'],
};
/** A row's kind chip (a button-coloured pill) in a focused row, plain or failed. */
const CHIPS: Record<string, string[]> = {
  'chip in a focused row': ['card-bg', 'row-active', 'button-bg'],
  'chip in a focused failed row': ['card-bg', 'failed-bg', 'row-active', 'button-bg'],
};
const FAILED: Record<string, string[]> = {
  'error on card': ['card-bg', 'failed-bg'],
  'error on window': ['window-bg', 'failed-bg'],
  'focused failed row': ['card-bg', 'failed-bg', 'row-active'],
};
const WARNING: Record<string, string[]> = {
  'warning on card': ['card-bg', 'warning-bg'],
  'warning on window': ['window-bg', 'warning-bg'],
};
const INFO: Record<string, string[]> = {
  'info on card': ['card-bg', 'info-bg'],
  'info on window': ['window-bg', 'info-bg'],
};
const TINTED = { ...FAILED, ...WARNING, ...INFO };

/** Text tokens and where each is written. */
const TEXT: Array<[string, Record<string, string[]>]> = [
  ['fg', { ...GROUNDS, ...CONTROLS, ...CHIPS, ...TINTED }],
  ['fg-dim', { ...GROUNDS, ...CONTROLS, ...CHIPS, ...TINTED }],
  // Systemd's own terms beside the user's words, e.g. "(Restart=)", and placeholders: text too.
  ['fg-faint', { ...GROUNDS, ...CONTROLS, ...TINTED }],
  ['accent', { ...GROUNDS, ...CONTROLS, ...INFO }],
  ['failed-fg', { ...GROUNDS, ...CONTROLS, ...FAILED }],
  ['warning-fg', { ...GROUNDS, ...CONTROLS, ...WARNING }],
  // Some pages write "Running" and check marks in the running colour.
  ['state-running', GROUNDS],
];

const SCHEMES: Scheme[] = ['light', 'dark'];
const TEXT_AA = 4.5;
const NON_TEXT_AA = 3;

function ratio(scheme: Scheme, fg: Rgba, layers: readonly (string | Rgba)[]): number {
  const bg = surface(scheme, layers);
  return contrast(over(fg, bg), bg);
}

describe('the palette meets WCAG AA (renderer/src/styles/base.css)', () => {
  it('reads both schemes of base.css (the check itself)', () => {
    expect(palettes.light.get('view-bg')).toEqual({ r: 255, g: 255, b: 255, a: 1 });
    expect(palettes.dark.size).toBe(palettes.light.size);
    expect(palettes.light.size).toBeGreaterThan(20);
    // Known values of the formula: black on white is 21:1, #767676 on white 4.54:1.
    expect(contrast(BLACK, parseColor('#fff'))).toBeCloseTo(21, 5);
    expect(contrast(parseColor('#767676'), parseColor('#ffffff'))).toBeCloseTo(4.54, 2);
    // The failure the issue measured: white on the old blue buttons.
    expect(contrast(parseColor('#ffffff'), parseColor('#3584e4'))).toBeCloseTo(3.77, 2);
    expect(mix(parseColor('#ffffff'), 0.5, TRANSPARENT)).toEqual({
      r: 255,
      g: 255,
      b: 255,
      a: 0.5,
    });
  });

  for (const scheme of SCHEMES) {
    describe(scheme, () => {
      for (const [text, surfaces] of TEXT) {
        it(`--${text} is readable on every surface it is written on`, () => {
          const low = Object.entries(surfaces)
            .map(([where, layers]) => [where, ratio(scheme, token(scheme, text), layers)] as const)
            .filter(([, r]) => r < TEXT_AA)
            .map(([where, r]) => `${where}: ${r.toFixed(2)}:1`);
          expect(low, `--${text} under ${TEXT_AA}:1`).toEqual([]);
        });
      }

      it('white on the blue buttons and switches, at rest and hovered', () => {
        const fg = token(scheme, 'accent-fg');
        const bg = token(scheme, 'accent-bg');
        expect(contrast(fg, bg)).toBeGreaterThanOrEqual(TEXT_AA);
        expect(contrast(fg, mix(bg, 0.92, BLACK))).toBeGreaterThanOrEqual(TEXT_AA);
      });

      it('the state badges (StateBadge: its colour at 80% over the text colour, on 16%)', () => {
        for (const state of ['running', 'stopped', 'failed', 'busy']) {
          const c = token(scheme, `state-${state}`);
          for (const ground of ['card-bg', 'window-bg']) {
            const bg = surface(scheme, [ground, mix(c, 0.16, TRANSPARENT)]);
            const fg = over(mix(c, 0.8, token(scheme, 'fg')), bg);
            expect(contrast(fg, bg), `${state} badge on ${ground}`).toBeGreaterThanOrEqual(TEXT_AA);
          }
        }
      });

      it('the focus ring stands out from every surface (3:1)', () => {
        const ring = token(scheme, 'focus-ring');
        // The ring is drawn around a control, on what surrounds it.
        const low = Object.entries({ ...GROUNDS, ...TINTED })
          .map(([where, layers]) => [where, ratio(scheme, ring, layers)] as const)
          .filter(([, r]) => r < NON_TEXT_AA)
          .map(([where, r]) => `${where}: ${r.toFixed(2)}:1`);
        expect(low).toEqual([]);
      });

      // On, the knob against the blue track shows the control and its state; the blue itself cannot
      // both carry white text at 4.5:1 and stand 3:1 off the dark card, and it carries text.
      it("a switch's track and knob stand out (3:1), off and on", () => {
        const knob = token(scheme, 'switch-knob');
        for (const ground of ['card-bg', 'window-bg']) {
          const off = surface(scheme, [ground, 'switch-off']);
          expect(
            contrast(off, surface(scheme, [ground])),
            `off track on ${ground}`,
          ).toBeGreaterThanOrEqual(NON_TEXT_AA);
          expect(contrast(knob, off), `knob on the off track`).toBeGreaterThanOrEqual(NON_TEXT_AA);
          const on = token(scheme, 'accent-bg');
          expect(contrast(knob, on), `knob on the on track`).toBeGreaterThanOrEqual(NON_TEXT_AA);
        }
      });

      it('the state dots stand out from the card and the window (3:1)', () => {
        const low: string[] = [];
        for (const state of ['running', 'stopped', 'failed', 'busy'])
          for (const ground of ['card-bg', 'window-bg']) {
            const r = ratio(scheme, token(scheme, `state-${state}`), [ground]);
            if (r < NON_TEXT_AA) low.push(`${state} on ${ground}: ${r.toFixed(2)}:1`);
          }
        expect(low).toEqual([]);
      });
    });
  }
});
