#!/usr/bin/env node
// Entry point of the `daemon-deck` command. Needs Node >= 22.12 and a built CLI (npm run build).
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  process.stderr.write(
    `daemon-deck: Node ${process.versions.node} is too old; Node 22.12 or newer is needed.\n`,
  );
  process.exit(1);
}
// Built-ins through process.getBuiltinModule, not `import`: an ES module import of node:fs
// builds its facade by reading every export, which loads fs streams (~10 ms) for nothing.
const { existsSync, statSync } = process.getBuiltinModule('node:fs');
const module = process.getBuiltinModule('node:module');
const { fileURLToPath } = process.getBuiltinModule('node:url');
// One bundled file (scripts/build-cli.js), compiled from Node's code cache after the first run.
const cli = new URL('../out/cli/daemon-deck.js', import.meta.url);
if (!existsSync(fileURLToPath(cli))) {
  process.stderr.write('daemon-deck: the CLI is not built yet; run `npm run build` first.\n');
  process.exit(1);
}
// `tsc -p tsconfig.cli.json` alone compiles the sources but leaves the bundle as it was: say so
// rather than run old code (two stats; a package has no newer sources).
const compiled = new URL('../out/cli/main/cli.js', import.meta.url);
if (existsSync(fileURLToPath(compiled)) && statSync(compiled).mtimeMs > statSync(cli).mtimeMs) {
  process.stderr.write(
    'daemon-deck: the CLI bundle is older than its compiled sources; run `npm run build:cli`.\n',
  );
  process.exit(1);
}
// Never a stack trace: output that cannot be written (a full disk, `> /dev/full`, a reader that
// went away) and anything thrown outside runCli end the command with one line and status 1.
const WRITE_ERRORS = {
  ENOSPC: 'no space left on the device',
  EPIPE: 'the reader closed the pipe',
  EIO: 'an input/output error',
  EDQUOT: 'the disk quota is exceeded',
};
function die(err) {
  const code = err && typeof err === 'object' ? err.code : undefined;
  const message =
    typeof code === 'string' && code in WRITE_ERRORS
      ? `cannot write the output: ${WRITE_ERRORS[code]} (${code}).`
      : String(err instanceof Error ? err.message : err).split('\n')[0];
  try {
    process.stderr.write(`daemon-deck: ${message}\n`);
  } catch {
    // stderr is gone too: the status says it.
  }
  process.exit(1);
}
process.stdout.on('error', die);
process.on('uncaughtException', die);
process.on('unhandledRejection', die);
module.enableCompileCache?.();
const { runCli } = await import(cli.href);
const code = await runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(text + '\n'),
  err: (text) => process.stderr.write(text + '\n'),
  env: process.env,
});
process.exitCode = code;
