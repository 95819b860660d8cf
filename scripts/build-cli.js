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
import process from 'node:process';
import { build } from 'rolldown';

const root = join(import.meta.dirname, '..');
const bundle = join(root, 'out/cli/daemon-deck.js');
const require = createRequire(import.meta.url);

/**
 * Built-ins whose functions are loaded on their first call, not when their importer runs
 * (fs/promises: `list` imports it with the units' commands, and first reads a file only after
 * systemd has its requests).
 */
const ON_FIRST_CALL = new Set(['crypto', 'child_process', 'fs/promises']);

/**
 * Node's own modules, loaded when the code that imports them first runs instead of before
 * anything runs: an ES module's imports of built-ins are all loaded up front, and some cost a lot
 * at start (node:crypto alone is ~15 ms here). Each import of one becomes a small module of the
 * bundle that requires it, which rolldown wraps like any other, so it runs with its importer.
 * The costliest (ON_FIRST_CALL) go one step further: their functions (createHash, spawn...) load
 * the module on their first call, so `status` never loads crypto for the temp-file names it
 * does not write. Exports nobody imports are dropped (pure), so they load nothing.
 */
const lazyBuiltins = {
  name: 'lazy-builtins',
  resolveId(id, _importer, { kind }) {
    // CommonJS code requires built-ins where it needs them already, and may patch them (graceful-fs).
    if (kind !== 'import-statement') return null;
    const name = id.replace(/^node:/, '');
    // `import process from 'node:process'` is the global: its ES module facade reads every
    // property of process once, stdin included, which opens standard input (~10 ms).
    if (name === 'process') return '\0global-process';
    if (!builtinModules.includes(name) || name === 'module') return null;
    return `\0lazy-builtin:${name}`;
  },
  load(id) {
    if (id === '\0global-process') return 'export default globalThis.process;';
    if (!id.startsWith('\0lazy-builtin:')) return null;
    const name = id.slice('\0lazy-builtin:'.length);
    const real = require(`node:${name}`);
    const names = Object.keys(real).filter((k) => k !== 'default' && /^[A-Za-z_$][\w$]*$/.test(k));
    const onCall = ON_FIRST_CALL.has(name);
    const lines = [
      `let __m;`,
      `const __load = () => (__m ??= process.getBuiltinModule('node:${name}'));`,
      `const __pick = (k) => __load()[k];`,
      // A function that loads the module on its first call, keeping its promisified form
      // (util.promisify(execFile) resolves to { stdout, stderr }).
      `const __custom = Symbol.for('nodejs.util.promisify.custom');`,
      `const __onCall = (k) => Object.defineProperty(function (...args) { return __load()[k].apply(this, args); }, __custom, { get: () => __load()[k][__custom] });`,
      onCall
        ? `export default /* @__PURE__ */ new Proxy({}, { get: (_, k) => __load()[k], has: (_, k) => k in __load() });`
        : `export default /* @__PURE__ */ __load();`,
    ];
    for (const k of names) {
      // Plain functions only: classes and constructors (capitalised) are taken as they are.
      const lazy = onCall && typeof real[k] === 'function' && /^[a-z]/.test(k);
      lines.push(`export const ${k} = /* @__PURE__ */ ${lazy ? '__onCall' : '__pick'}('${k}');`);
    }
    return lines.join('\n');
  },
};

/**
 * dbus-next requires node:crypto at its top for the cookie (DBUS_COOKIE_SHA1) login, which a
 * session bus does not ask for (EXTERNAL comes first): loaded on first use instead, ~15 ms less
 * for every command that talks to the bus.
 */
const lazyDbusCrypto = {
  name: 'lazy-dbus-crypto',
  transform(code, id) {
    if (!id.replaceAll('\\', '/').endsWith('dbus-next/lib/handshake.js')) return null;
    const eager = "const crypto = require('crypto');";
    if (!code.includes(eager))
      throw new Error('dbus-next handshake.js changed: check lazyDbusCrypto');
    return code.replace(
      eager,
      "const crypto = new Proxy({}, { get: (_, k) => require('crypto')[k] });",
    );
  },
};

/**
 * dbus-next requires xml2js (with sax, xmlbuilder and Node's streams) as it loads, and every
 * MessageBus builds an XML builder at once: both are for introspection (exported objects'
 * Introspect, getProxyObject), which the CLI never does, and cost ~5-25 ms before `list` can send
 * systemd its requests. Loaded on first use instead; the builder is made when first asked for.
 */
const lazyDbusXml = {
  name: 'lazy-dbus-xml',
  transform(code, id) {
    const path = id.replaceAll('\\', '/');
    const bus = path.endsWith('dbus-next/lib/bus.js');
    if (!bus && !path.endsWith('dbus-next/lib/client/proxy-object.js')) return null;
    const swaps = [
      [
        "const xml2js = require('xml2js');",
        "const xml2js = new Proxy({}, { get: (_, k) => require('xml2js')[k] });",
      ],
    ];
    if (bus)
      swaps.push([
        'this._builder = new xml2js.Builder({ headless: true });',
        "let builder; Object.defineProperty(this, '_builder', { configurable: true, get: () => (builder ??= new xml2js.Builder({ headless: true })) });",
      ]);
    let out = code;
    for (const [eager, lazy] of swaps) {
      if (!out.includes(eager)) throw new Error(`dbus-next ${path} changed: check lazyDbusXml`);
      out = out.replace(eager, lazy);
    }
    return out;
  },
};

/**
 * dbus-next reads a 64-bit integer (timestamps, sizes: most of a unit's properties) into a Long,
 * prints it in decimal (a loop of 64-bit divisions in JavaScript) and parses that into a BigInt:
 * ~20 us a value, a tenth of `status`'s own work. The same BigInt from the two 32-bit words.
 */
const fastDbusInt64 = {
  name: 'fast-dbus-int64',
  transform(code, id) {
    if (!id.replaceAll('\\', '/').endsWith('dbus-next/lib/dbus-buffer.js')) return null;
    const words = '(BigInt(word1 >>> 0) << 32n) | BigInt(word0 >>> 0)';
    const swaps = [
      ['return BigInt(signedLong.toString());', `return BigInt.asIntN(64, ${words});`],
      ['return BigInt(unsignedLong.toString());', `return ${words};`],
    ];
    let out = code;
    for (const [slow, fast] of swaps) {
      if (!out.includes(slow))
        throw new Error('dbus-next dbus-buffer.js changed: check fastDbusInt64');
      out = out.replace(slow, fast);
    }
    return out;
  },
};

const LAZY_CATALOG = '\0lazy-catalog';
/**
 * Each catalog parsed when a word of it is first looked up, not when the CLI starts: i18next
 * keeps the objects it is given and reads them only to translate, so a catalog is an object whose
 * every property read (and key listing) goes to the parsed JSON. `list` sends systemd its requests
 * before it needs a word; the Korean catalogs are never parsed for English, nor a namespace a
 * command does not use (all of them took ~10-20 ms at every start).
 */
const LAZY_CATALOG_CODE = `export default function lazyCatalog(parse) {
  let catalog;
  const real = () => (catalog ??= parse());
  return new Proxy({}, {
    get: (_, key) => Reflect.get(real(), key),
    has: (_, key) => Reflect.has(real(), key),
    ownKeys: () => Reflect.ownKeys(real()),
    getOwnPropertyDescriptor(_, key) {
      const d = Reflect.getOwnPropertyDescriptor(real(), key);
      return d === undefined ? undefined : { ...d, configurable: true };
    },
    getPrototypeOf: () => Reflect.getPrototypeOf(real()),
  });
}`;

/**
 * The message catalogs as `JSON.parse('...')` rather than object literals: V8 reads one string
 * with its JSON parser (far quicker than running literal code, and nothing but a string in the
 * compile cache), where a literal of every message became code to compile, cache and run at each
 * start. Two languages' catalogs are ~300 KB.
 */
const catalogsAsJson = {
  name: 'catalogs-as-json',
  resolveId(id) {
    return id === LAZY_CATALOG ? id : null;
  },
  load(id) {
    return id === LAZY_CATALOG ? LAZY_CATALOG_CODE : null;
  },
  transform(code, id) {
    if (!/[\\/]i18n[\\/]locales[\\/][a-z]+[\\/][a-z-]+\.json$/.test(id)) return null;
    // Parsed here too: a broken catalog fails the build, not the first word printed.
    const text = JSON.stringify(JSON.parse(code));
    return {
      code: `import lazyCatalog from '${LAZY_CATALOG}';\nexport default /* @__PURE__ */ lazyCatalog(() => JSON.parse(${JSON.stringify(text)}));`,
      moduleType: 'js',
    };
  },
};

await build({
  input: join(root, 'main/cli.ts'),
  platform: 'node',
  logLevel: 'warn',
  plugins: [lazyBuiltins, lazyDbusCrypto, lazyDbusXml, fastDbusInt64, catalogsAsJson],
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
