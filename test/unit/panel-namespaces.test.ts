// The panel loads only its own catalogs before its first paint (renderer/src/panel/namespaces.ts,
// issue 16); the rest of its language comes once it is idle. A key of another namespace in the
// panel's code would show raw until then: every key written in the code the panel imports must be
// in one of PANEL_NAMESPACES. contract/ is left out: its keys are the payload checks' messages,
// said by main, never by the page; so are comments.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NAMESPACES } from '../../i18n/locales/namespaces.js';
import { PANEL_NAMESPACES } from '../../renderer/src/panel/namespaces.js';

const ROOT = join(import.meta.dirname, '../..');
const KEY = new RegExp(`['"\`](${NAMESPACES.join('|')}):[\\w-]+\\.`, 'g');

function resolveImport(from: string, spec: string): string | null {
  const base = join(dirname(from), spec);
  const candidates = [base, base.replace(/\.js$/, '.ts'), `${base}.ts`, `${base}.svelte.ts`];
  return candidates.find((c) => /\.(ts|svelte)$/.test(c) && existsSync(c)) ?? null;
}

/** Every source file the module graph from `entry` reaches by relative imports. */
function graph(entry: string): string[] {
  const seen = new Set<string>();
  const todo = [entry];
  while (todo.length > 0) {
    const file = todo.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    const imports =
      /(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]/g;
    for (const m of text.matchAll(imports)) {
      if (/^import\s+type\s/.test(m[0])) continue;
      const next = resolveImport(file, (m[1] ?? m[2])!);
      if (next !== null) todo.push(next);
    }
  }
  return [...seen];
}

describe("the panel's first catalogs", () => {
  it('hold every key the code of the panel names', () => {
    const files = graph(join(ROOT, 'renderer/src/panel/main.ts'));
    expect(files.length).toBeGreaterThan(10);
    const outside: string[] = [];
    for (const file of files) {
      const path = relative(ROOT, file);
      if (path.startsWith('contract/')) continue;
      const code = readFileSync(file, 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/^\s*\/\/.*$/gm, '');
      for (const m of code.matchAll(KEY)) {
        const ns = m[1] as (typeof NAMESPACES)[number];
        if (!PANEL_NAMESPACES.includes(ns)) outside.push(`${path}: ${m[0].slice(1)}`);
      }
    }
    expect(outside).toEqual([]);
  });
});
