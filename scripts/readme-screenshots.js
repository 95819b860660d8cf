#!/usr/bin/env node
// Copies the README's screenshots from the e2e suite's artifacts into docs/screenshots/, so the
// pictures in the README are the ones the tests took (and checked with axe-core, light and dark).
//
//   npx vitest run --project e2e          # writes test/artifacts/*.png
//   node scripts/readme-screenshots.js   # copies the chosen ones; fails naming any missing
//   node scripts/readme-screenshots.js --check   # only says whether README's images exist
//
// SHOTS is the one list to edit: README name <- artifact name (see shoot() in test/e2e/a11y.ts:
// NAME-light.png, NAME-dark.png, and NAME-ko-light.png for a page in Korean).
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const FROM = join(ROOT, 'test/artifacts');
const TO = join(ROOT, 'docs/screenshots');

/** docs/screenshots/KEY <- test/artifacts/VALUE */
export const SHOTS = {
  // The panel: the user's own entries first, plumbing folded into System, the filter chips.
  'panel.png': 'panel-mine-first-light.png',
  // A failed row opened in place: why it failed, its last log lines, Restart / Logs / Edit.
  'panel-failed-open.png': 'panel-failed-open-light.png',
  // One page in Korean: the same failed row opened in place (test/e2e/panel-trust.test.ts).
  'panel-ko.png': 'panel-failed-open-ko-light.png',
  // The detail window, dark.
  'detail-dark.png': 'detail-dark.png',
  // The New service form.
  'create.png': 'create-light.png',
};

function readmeImages() {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  return [...readme.matchAll(/\]\((docs\/screenshots\/[^)\s]+)\)/g)].map((m) => m[1]);
}

function main(argv) {
  if (argv.includes('--check')) {
    const missing = readmeImages().filter((p) => !existsSync(join(ROOT, p)));
    if (missing.length > 0) {
      process.stderr.write(`README.md shows images that do not exist: ${missing.join(', ')}\n`);
      return 1;
    }
    process.stdout.write('Every screenshot README.md shows exists.\n');
    return 0;
  }
  mkdirSync(TO, { recursive: true });
  const missing = [];
  for (const [name, artifact] of Object.entries(SHOTS)) {
    const from = join(FROM, artifact);
    if (!existsSync(from)) {
      missing.push(artifact);
      continue;
    }
    copyFileSync(from, join(TO, name));
    process.stdout.write(`${relative(ROOT, join(TO, name))} <- ${relative(ROOT, from)}\n`);
  }
  if (missing.length > 0) {
    process.stderr.write(
      `Not in test/artifacts/ (run the e2e suite, or fix SHOTS): ${missing.join(', ')}\n`,
    );
    return 1;
  }
  return 0;
}

process.exitCode = main(process.argv.slice(2));
