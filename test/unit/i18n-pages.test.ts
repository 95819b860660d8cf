// No word in a page bypasses the catalogs: every .svelte file under renderer/src is parsed with
// Svelte's own compiler, and any text node or user-facing attribute written as a literal that
// holds a letter fails the test. Words come from t() in an expression; a literal that is not a
// word for people (a systemd directive such as Restart=, a unit suffix) is written as an
// expression too, {'Restart='}, which says on the page that it is deliberate.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'svelte/compiler';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const PAGES = join(ROOT, 'renderer/src');

/** Attributes and props whose value people read or hear. */
const WORDY =
  /^(aria-label|aria-description|aria-roledescription|aria-valuetext|title|placeholder|alt|label|[a-z]+Label|hint|description|message|text|heading|summary|caption|tooltip)$/;
const LETTER = /\p{L}/u;

interface Node {
  type?: string;
  [key: string]: unknown;
}

function svelteFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...svelteFiles(path));
    else if (name.endsWith('.svelte')) out.push(path);
  }
  return out;
}

/** Every literal a person would read in a component's markup, with where it is. */
function literals(source: string): string[] {
  const ast = parse(source, { modern: true }) as unknown as { fragment: Node };
  const found: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const child of node) visit(child);
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    const n = node as Node;
    if (n.type === 'Text' && typeof n.data === 'string' && LETTER.test(n.data))
      found.push(n.data.trim());
    if (n.type === 'Attribute' && typeof n.name === 'string') {
      if (WORDY.test(n.name) && Array.isArray(n.value))
        for (const part of n.value as Node[])
          if (part.type === 'Text' && typeof part.data === 'string' && LETTER.test(part.data))
            found.push(`${n.name}="${part.data.trim()}"`);
      // Other attributes' literals (class, id, type, role...) are not words for people.
      if (Array.isArray(n.value))
        for (const part of n.value as Node[]) if (part.type !== 'Text') visit(part);
      return;
    }
    for (const [key, value] of Object.entries(n)) if (key !== 'type') visit(value);
  };
  visit(ast.fragment);
  return found;
}

describe('pages take their words from the catalogs', () => {
  it('finds literals where they are (the check itself)', () => {
    expect(literals('<p>Hello</p><b>{x}</b><i title="Close">{t("a:b.c")}</i>')).toEqual([
      'Hello',
      'title="Close"',
    ]);
    expect(literals('<p>{t("a:b.c")} · 3</p><Icon name="check" />')).toEqual([]);
  });

  for (const file of svelteFiles(PAGES)) {
    const name = relative(ROOT, file);
    it(name, () => {
      expect(literals(readFileSync(file, 'utf8'))).toEqual([]);
    });
  }
});
