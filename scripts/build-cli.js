// `npm run build:cli`, after tsc: the `daemon-deck` command bundled into one file,
// out/cli/daemon-deck.js (rolldown, the bundler Vite uses), with its dependencies inside, so a run
// reads one file instead of resolving and loading hundreds. Command groups stay behind dynamic
// imports, which rolldown keeps lazy inside the one file (each module's top level in a function
// run on first use): `--version` and `--help` run none of the core. Then the shell completion
// scripts the packages install, printed by the bundle itself, into out/completions/.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';

const root = fileURLToPath(new URL('..', import.meta.url));
const bundle = join(root, 'out/cli/daemon-deck.js');
const require = createRequire(import.meta.url);

/**
 * Node's own modules, loaded when the code that imports them first runs instead of before
 * anything runs. An ES module's imports of built-ins are all loaded up front, and some cost a lot
 * at start (node:crypto alone is ~15 ms here): each import of one becomes a small module of the
 * bundle that requires it, which rolldown wraps like any other, so it runs with its importer.
 */
const lazyBuiltins = {
  name: 'lazy-builtins',
  resolveId(id, _importer, { kind }) {
    // CommonJS code requires built-ins where it needs them already, and may patch them (graceful-fs).
    if (kind !== 'import-statement') return null;
    const name = id.replace(/^node:/, '');
    if (!builtinModules.includes(name) || name === 'module' || name === 'process') return null;
    return `\0lazy-builtin:${name}`;
  },
  load(id) {
    if (!id.startsWith('\0lazy-builtin:')) return null;
    const name = id.slice('\0lazy-builtin:'.length);
    const names = Object.keys(require(`node:${name}`)).filter(
      (k) => k !== 'default' && /^[A-Za-z_$][\w$]*$/.test(k),
    );
    return [
      `import { createRequire } from 'node:module';`,
      `const m = createRequire(import.meta.url)('node:${name}');`,
      `export default m;`,
      names.length > 0 ? `export const { ${names.join(', ')} } = m;` : '',
    ].join('\n');
  },
};

await build({
  input: join(root, 'main/cli.ts'),
  platform: 'node',
  logLevel: 'warn',
  plugins: [lazyBuiltins],
  // Optional add-ons of dbus-next it requires inside a try; not installed, and not needed.
  external: ['x11', 'usocket'],
  // Module wrappers as plain functions, not PIFEs: V8 then compiles a command group when it
  // runs, not every group up front.
  optimization: { pifeForModuleWrappers: false },
  // ASCII only (the Korean catalogs as \u escapes): V8 keeps a one-byte source string, half the
  // memory of a two-byte one, and Node decodes it on its fast path.
  output: { file: bundle, format: 'esm', codeSplitting: false, minify: true, charset: 'ascii' },
});

const completions = join(root, 'out/completions');
mkdirSync(completions, { recursive: true });
const files = { bash: 'daemon-deck', zsh: '_daemon-deck', fish: 'daemon-deck.fish' };
for (const [shell, file] of Object.entries(files)) {
  const script = execFileSync(
    process.execPath,
    [join(root, 'bin/daemon-deck.js'), 'completion', shell],
    { encoding: 'utf8' },
  );
  writeFileSync(join(completions, file), script);
}
