// The catalogs agree: English and Korean have the same keys (plurals by each language's own
// forms) and the same {{placeholders}}, and every key the code names is in both. A key is found
// wherever the source writes it as a string literal 'namespace:path' (in t() calls and in maps of
// keys alike), so a key missing from a catalog fails here before anyone reads the raw key. Keys are
// always 'namespace:group.key' (a dot after the namespace), which keeps them apart from channel
// names ('cron:list') and entry ids ('cron:1d2abe63') that share a namespace's word.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NAMESPACES, resources, type Catalog } from '../../i18n/locales/index.js';

const ROOT = join(import.meta.dirname, '../..');
const PLURAL = /_(zero|one|two|few|many|other)$/;

function flatten(catalog: Catalog, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(catalog)) {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    if (typeof value === 'string') out.set(path, value);
    else for (const [k, v] of flatten(value, path)) out.set(k, v);
  }
  return out;
}

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{\{\s*([\w.]+)[^}]*\}\}/g)].map((m) => m[1] ?? '').sort();
}

/** base key -> the placeholders of its forms, and which plural forms it has. */
function shape(catalog: Catalog): Map<string, { forms: Set<string>; names: Set<string> }> {
  const out = new Map<string, { forms: Set<string>; names: Set<string> }>();
  for (const [key, value] of flatten(catalog)) {
    const base = key.replace(PLURAL, '');
    const entry = out.get(base) ?? { forms: new Set(), names: new Set() };
    entry.forms.add(PLURAL.exec(key)?.[1] ?? '');
    for (const name of placeholders(value)) if (name !== 'count') entry.names.add(name);
    out.set(base, entry);
  }
  return out;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'locales') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.(ts|svelte)$/.test(name) && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

describe('message catalogs', () => {
  for (const ns of NAMESPACES) {
    it(`${ns}: English and Korean have the same keys and placeholders`, () => {
      const en = shape(resources.en[ns]);
      const ko = shape(resources.ko[ns]);
      expect([...ko.keys()].sort(), 'keys of ko vs en').toEqual([...en.keys()].sort());
      for (const [base, { forms, names }] of en) {
        const other = ko.get(base);
        if (other === undefined) continue;
        expect([...other.names].sort(), `placeholders of ${ns}:${base}`).toEqual([...names].sort());
        if (forms.has('other')) {
          expect(forms.has('one'), `English ${ns}:${base}_one`).toBe(true);
          expect(other.forms.has('other'), `Korean ${ns}:${base}_other`).toBe(true);
        }
      }
    });
  }

  it('every key the code names is in both catalogs', () => {
    const keyPattern = new RegExp(
      `['"\`]((?:${NAMESPACES.join('|')}):[A-Za-z0-9_-]+\\.[A-Za-z0-9_.-]+)['"\`]`,
      'g',
    );
    const known = {
      en: new Map(NAMESPACES.map((ns) => [ns, shape(resources.en[ns])])),
      ko: new Map(NAMESPACES.map((ns) => [ns, shape(resources.ko[ns])])),
    };
    const missing: string[] = [];
    const dirs = ['main', 'renderer', 'contract', 'preload', 'i18n'];
    let used = 0;
    for (const file of dirs.flatMap((d) => sourceFiles(join(ROOT, d)))) {
      for (const match of readFileSync(file, 'utf8').matchAll(keyPattern)) {
        const [ns = '', key = ''] = (match[1] ?? '').split(/:(.*)/s);
        used += 1;
        for (const lang of ['en', 'ko'] as const) {
          const catalog = known[lang].get(ns as (typeof NAMESPACES)[number]);
          if (catalog?.has(key.replace(PLURAL, '')) !== true)
            missing.push(`${relative(ROOT, file)}: ${lang} ${ns}:${key}`);
        }
      }
    }
    expect(missing).toEqual([]);
    expect(used).toBeGreaterThan(0);
  });

  it("every t() call names a whole key, 'namespace:group.key'", () => {
    const call = /\bt\(\s*(['"`])(.*?)\1/g;
    const shape = new RegExp(`^(?:${NAMESPACES.join('|')}):[A-Za-z0-9_-]+\\.[A-Za-z0-9_.-]+$`);
    const bad: string[] = [];
    for (const file of ['main', 'renderer', 'contract', 'preload', 'i18n'].flatMap((d) =>
      sourceFiles(join(ROOT, d)),
    ))
      for (const match of readFileSync(file, 'utf8').matchAll(call))
        if (!shape.test(match[2] ?? '')) bad.push(`${relative(ROOT, file)}: t('${match[2]}')`);
    expect(bad).toEqual([]);
  });
});
