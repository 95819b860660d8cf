// `npm start` and `npm run dev`: fetch the Electron binary on the first start, then hand over to
// electron-vite (`preview` or `dev`).
//
// Electron 42+ has no postinstall: `require('electron')` downloads the binary lazily when
// node_modules/electron/path.txt is missing, but electron-vite reads path.txt itself and throws
// "Electron uninstall" instead. So this script checks for the binary and, when it is missing,
// installs it with Electron's own logic in two steps:
//   1. @electron/get's downloadArtifact (what Electron's install.js calls) with the same
//      version, platform, arch, checksums and cache, plus a progress callback, so the terminal
//      shows the percentage (install.js alone shows a bar only after 30 s, and only on a TTY);
//   2. Electron's install.js, which finds that download in @electron/get's cache, verifies it,
//      unpacks it into dist/ and writes path.txt.
// Later starts find the binary and go straight to the app. ELECTRON_EXEC_PATH (electron-vite's
// own setting) and ELECTRON_OVERRIDE_DIST_PATH (Electron's: the tests set it) skip the download.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import process from 'node:process';
import { fileURLToPath, pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);

/** The folder of the installed `electron` package (node_modules/electron). */
export function electronPackageDir() {
  return dirname(require.resolve('electron/package.json'));
}

/** path.txt's content (the binary's path inside dist/), or '' when it is missing or empty. */
function readPathTxt(electronDir) {
  try {
    return readFileSync(join(electronDir, 'path.txt'), 'utf8').trim();
  } catch {
    return '';
  }
}

/**
 * The Electron binary to run, if it is there without a download: ELECTRON_EXEC_PATH as given;
 * under ELECTRON_OVERRIDE_DIST_PATH the path Electron's index.js resolves (never downloads);
 * else dist/<path.txt> when path.txt names a file that exists.
 */
export function installedElectron(electronDir, env) {
  if (env.ELECTRON_EXEC_PATH) return env.ELECTRON_EXEC_PATH;
  const inDist = readPathTxt(electronDir);
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    return join(env.ELECTRON_OVERRIDE_DIST_PATH, inDist || 'electron');
  }
  if (!inDist) return null;
  const binary = join(electronDir, 'dist', inDist);
  return existsSync(binary) ? binary : null;
}

/** Progress on the terminal: one updating line on a TTY, a line per 10% elsewhere (a log). */
export function progressLine(out, label) {
  let shown = -1;
  let open = false;
  return {
    update(p) {
      const step = p.total ? Math.floor(p.percent * 100) : Math.floor(p.transferred / 1e6);
      if (step === shown) return;
      const text = p.total ? `${step}%` : `${step} MB`;
      if (out.isTTY) {
        out.write(`\r${label}: ${text}   `);
        open = true;
      } else if (shown < 0 || step >= shown + 10 || (p.total && step === 100)) {
        out.write(`${label}: ${text}\n`);
      } else {
        return;
      }
      shown = step;
    },
    end() {
      if (open) out.write('\n');
      open = false;
    },
  };
}

/**
 * Step 1: download the binary's zip into @electron/get's cache with a progress callback, with
 * the arguments Electron's install.js passes (it then finds the zip there).
 */
export async function downloadToCache({ electronDir, env, onProgress }) {
  const fromElectron = createRequire(join(electronDir, 'package.json'));
  const { downloadArtifact } = await import(
    pathToFileURL(fromElectron.resolve('@electron/get')).href
  );
  const { version } = fromElectron('./package.json');
  await downloadArtifact({
    version,
    artifactName: 'electron',
    // Not `force` (install.js's force_no_cache): that one downloads again after this anyway.
    cacheRoot: env.electron_config_cache,
    checksums:
      env.electron_use_remote_checksums || env.npm_config_electron_use_remote_checksums
        ? undefined
        : fromElectron('./checksums.json'),
    platform: env.ELECTRON_INSTALL_PLATFORM || env.npm_config_platform || process.platform,
    arch: env.ELECTRON_INSTALL_ARCH || env.npm_config_arch || process.arch,
    downloadOptions: { quiet: true, getProgressCallback: onProgress },
  });
}

/** Step 2: Electron's own install.js (verify, unpack into dist/, write path.txt). */
export function runElectronInstall({ electronDir, env }) {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(electronDir, 'install.js')], {
      env,
      stdio: 'inherit',
    });
    child.on('error', fail);
    child.on('exit', (code, signal) =>
      code === 0
        ? done()
        : fail(new Error(`Electron's install.js ended with ${signal ?? `exit code ${code}`}`)),
    );
  });
}

/**
 * The path of the Electron binary, fetched first when it is missing. On failure nothing is
 * left that would make a later start think Electron is installed (no path.txt).
 */
export async function ensureElectron({
  electronDir = electronPackageDir(),
  env = process.env,
  out = process.stderr,
  download = downloadToCache,
  install = runElectronInstall,
} = {}) {
  const found = installedElectron(electronDir, env);
  if (found) return found;

  const { version } = JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8'));
  const label = `Downloading Electron ${version} (first start only)`;
  const progress = progressLine(out, label);
  out.write(`${label}...\n`);
  let step = 'download';
  try {
    await download({ electronDir, env, onProgress: (p) => progress.update(p) });
    progress.end();
    step = 'install';
    await install({ electronDir, env });
  } catch (error) {
    progress.end();
    rmSync(join(electronDir, 'path.txt'), { force: true });
    // fetch's own message is only "fetch failed"; the reason (ENOTFOUND, ...) is its cause.
    const inner = error instanceof Error && error.cause instanceof Error ? error.cause : null;
    const cause =
      (error instanceof Error ? error.message : String(error)) +
      (inner ? ` (${inner.message})` : '');
    throw new Error(
      step === 'download'
        ? `Electron ${version} could not be downloaded: ${cause}. The app needs it once: ` +
            'check the internet connection (behind a proxy set ELECTRON_GET_USE_PROXY=1 and ' +
            'HTTPS_PROXY; ELECTRON_MIRROR picks a mirror) and run npm start again.'
        : `Electron ${version} was downloaded but could not be installed into ${electronDir}: ` +
            `${cause}. Run npm start again to retry.`,
      { cause: error },
    );
  }
  const installed = installedElectron(electronDir, env);
  if (!installed) {
    rmSync(join(electronDir, 'path.txt'), { force: true });
    throw new Error(
      `Electron's installer finished but left no binary named by ${join(electronDir, 'path.txt')}. ` +
        'Run npm start again.',
    );
  }
  out.write(`Electron ${version} is installed: ${installed}\n`);
  return installed;
}

/** Hands over to electron-vite's own command line in this process, with the binary's path. */
async function electronVite(execPath, args) {
  const bin = join(dirname(require.resolve('electron-vite/package.json')), 'bin/electron-vite.js');
  process.env.ELECTRON_EXEC_PATH = execPath;
  process.argv = [process.argv[0] ?? process.execPath, bin, ...args];
  await import(pathToFileURL(bin).href);
}

/**
 * `node scripts/start.js preview|dev [electron-vite options]`. Returns the exit code on a failure
 * before electron-vite starts; electron-vite sets its own afterwards.
 */
export async function start(args, { launch = electronVite, ...deps } = {}) {
  const out = deps.out ?? process.stderr;
  let execPath;
  try {
    execPath = await ensureElectron({ ...deps, out });
  } catch (error) {
    out.write(
      `Cannot start Daemon Deck: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return 1;
  }
  await launch(execPath, args.length > 0 ? args : ['preview']);
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const code = await start(process.argv.slice(2));
  if (code !== 0) process.exitCode = code;
}
