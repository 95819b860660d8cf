// No import cycles among the app's own modules: main/, preload/, contract/ and the renderer's .ts
// files, type-only imports included (a cycle of types still ties the modules' jobs together).
import { resolve } from 'node:path';
import { parseCircular, parseDependencyTree } from 'dpdm';
import { describe, expect, it } from 'vitest';

const repo = resolve(import.meta.dirname, '../..');

describe('imports', () => {
  it('form no cycle', async () => {
    const tree = await parseDependencyTree(
      ['main/**/*.ts', 'preload/**/*.ts', 'contract/**/*.ts', 'renderer/**/*.ts'],
      {
        cwd: repo,
        context: repo,
        tsconfig: resolve(repo, 'tsconfig.node.json'),
        transform: false,
        skipDynamicImports: false,
        exclude: /node_modules/,
      },
    );
    expect(Object.keys(tree).length).toBeGreaterThan(100);
    expect(parseCircular(tree).map((cycle) => cycle.join(' -> '))).toEqual([]);
  });
});
