#!/usr/bin/env node
// Entry point of the `daemon-deck` command. Needs Node >= 22.12 and a built CLI (npm run build).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  process.stderr.write(
    `daemon-deck: Node ${process.versions.node} is too old; Node 22.12 or newer is needed.\n`,
  );
  process.exit(1);
}
const cli = new URL('../out/cli/main/cli.js', import.meta.url);
if (!existsSync(fileURLToPath(cli))) {
  process.stderr.write('daemon-deck: the CLI is not built yet; run `npm run build` first.\n');
  process.exit(1);
}
const { runCli } = await import(cli.href);
const code = await runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(text + '\n'),
  err: (text) => process.stderr.write(text + '\n'),
  env: process.env,
});
process.exitCode = code;
