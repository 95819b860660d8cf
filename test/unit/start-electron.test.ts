// scripts/start.js (`npm start`, `npm run dev`): the first start fetches Electron's binary with
// progress through Electron's own install logic, later starts go straight to the app. The
// download is stubbed: a fake `electron` package folder holds a fake @electron/get (what
// install.js calls) and a fake install.js that writes dist/ and path.txt, or fails.
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  downloadToCache,
  electronPackageDir,
  ensureElectron,
  progressLine,
  start,
} from '../../scripts/start.js';

type Progress = { percent: number; transferred: number; total: number | null };
type GetCall = {
  version: string;
  artifactName: string;
  platform: string;
  arch: string;
  cacheRoot?: string;
  checksums?: Record<string, string>;
  downloadOptions: { quiet: boolean; getProgressCallback: (p: Progress) => void };
};
const fakeGet = globalThis as unknown as {
  fakeElectronGet?: (details: GetCall) => Promise<void> | void;
};

/** A terminal or a log file as the script's output. */
function output(isTTY: boolean) {
  const chunks: string[] = [];
  const out = {
    isTTY,
    write: (chunk: string) => chunks.push(chunk) > 0,
    text: () => chunks.join(''),
  } as unknown as NodeJS.WritableStream & { isTTY: boolean; text: () => string };
  return out;
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dd-start-'));
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'electron', version: '45.4.1', main: 'index.js' }),
  );
  writeFileSync(
    join(dir, 'checksums.json'),
    JSON.stringify({ 'electron-v45.4.1-linux-x64.zip': 'ab' }),
  );
  const get = join(dir, 'node_modules/@electron/get');
  mkdirSync(get, { recursive: true });
  writeFileSync(
    join(get, 'package.json'),
    JSON.stringify({ name: '@electron/get', type: 'module', exports: './index.js' }),
  );
  writeFileSync(
    join(get, 'index.js'),
    'export const downloadArtifact = async (details) => globalThis.fakeElectronGet(details);\n',
  );
  // install.js as Electron ships it ends by unpacking into dist/ and writing path.txt.
  writeFileSync(
    join(dir, 'install.js'),
    `const fs = require('fs'); const path = require('path');
     const mode = process.env.FAKE_INSTALL;
     if (mode === 'half') { fs.writeFileSync(path.join(__dirname, 'path.txt'), 'elec'); process.exit(1); }
     if (mode === 'fail') { console.error('Error: unzip failed'); process.exit(1); }
     fs.mkdirSync(path.join(__dirname, 'dist'), { recursive: true });
     fs.writeFileSync(path.join(__dirname, 'dist', 'electron'), '#!/bin/sh\\n');
     if (mode !== 'no-path') fs.writeFileSync(path.join(__dirname, 'path.txt'), 'electron');\n`,
  );
});
afterEach(() => {
  delete fakeGet.fakeElectronGet;
  rmSync(dir, { recursive: true, force: true });
});

const env = (extra: Record<string, string> = {}) => ({ PATH: process.env.PATH, ...extra });
/** ensureElectron on the fake package, with these variables besides PATH. */
const ensure = (extra: Record<string, string> = {}, out = output(false)) =>
  ensureElectron({ electronDir: dir, env: env(extra), out });
const pathTxt = () => join(dir, 'path.txt');

describe('npm start fetches Electron once', () => {
  it('downloads with a percentage on the terminal, installs through install.js, then finds it', async () => {
    const calls: GetCall[] = [];
    fakeGet.fakeElectronGet = (details) => {
      calls.push(details);
      for (const percent of [0, 0.25, 0.5, 1]) {
        details.downloadOptions.getProgressCallback({
          percent,
          transferred: percent * 8,
          total: 8,
        });
      }
    };
    const out = output(true);

    const binary = await ensure({}, out);

    expect(binary).toBe(join(dir, 'dist', 'electron'));
    expect(readFileSync(pathTxt(), 'utf8')).toBe('electron');
    expect(out.text()).toContain('Downloading Electron 45.4.1 (first start only)');
    for (const shown of ['\r', ': 25%', ': 50%', ': 100%']) expect(out.text()).toContain(shown);
    // The same artifact install.js asks for, so install.js finds it in @electron/get's cache.
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      version: '45.4.1',
      artifactName: 'electron',
      platform: process.platform,
      arch: process.arch,
      checksums: { 'electron-v45.4.1-linux-x64.zip': 'ab' },
      downloadOptions: { quiet: true },
    });

    fakeGet.fakeElectronGet = () => Promise.reject(new Error('a later start must not download'));
    const later = output(true);
    expect(await ensure({}, later)).toBe(binary);
    expect(later.text()).toBe('');
  });

  it('passes the platform, arch and cache settings install.js reads from the environment', async () => {
    const calls: GetCall[] = [];
    fakeGet.fakeElectronGet = (details) => void calls.push(details);
    await ensure({
      npm_config_arch: 'arm64',
      electron_config_cache: '/tmp/cache',
      electron_use_remote_checksums: '1',
    });
    expect(calls[0]).toMatchObject({ arch: 'arm64', cacheRoot: '/tmp/cache' });
    expect(calls[0]?.checksums).toBeUndefined();
  });

  it('fetches again when path.txt names a binary that is gone', async () => {
    writeFileSync(pathTxt(), 'electron');
    let downloads = 0;
    fakeGet.fakeElectronGet = () => void downloads++;
    expect(await ensure()).toBe(join(dir, 'dist', 'electron'));
    expect(downloads).toBe(1);
  });

  it('a failed download is a clear error and leaves no path.txt and no dist/', async () => {
    // What fetch rejects with offline: the reason is only in its cause.
    const offline = new Error('fetch failed', {
      cause: new Error('getaddrinfo ENOTFOUND github.com'),
    });
    fakeGet.fakeElectronGet = () => Promise.reject(offline);
    const failing = ensure();
    await expect(failing).rejects.toThrow(
      /^Electron 45\.4\.1 could not be downloaded: fetch failed \(getaddrinfo ENOTFOUND github\.com\)\. .*run npm start again\.$/,
    );
    expect(existsSync(pathTxt())).toBe(false);
    expect(existsSync(join(dir, 'dist'))).toBe(false);
  });

  it('an install.js that fails after starting path.txt leaves none behind', async () => {
    fakeGet.fakeElectronGet = () => Promise.resolve();
    const failing = ensure({ FAKE_INSTALL: 'half' });
    await expect(failing).rejects.toThrow(
      'Electron 45.4.1 was downloaded but could not be installed into ' +
        `${dir}: Electron's install.js ended with exit code 1. Run npm start again to retry.`,
    );
    expect(existsSync(pathTxt())).toBe(false);
  });

  it('an install.js that writes no path.txt is an error, not a start', async () => {
    fakeGet.fakeElectronGet = () => Promise.resolve();
    await expect(ensure({ FAKE_INSTALL: 'no-path' })).rejects.toThrow(
      "Electron's installer finished but left no binary named by",
    );
  });

  it('honours ELECTRON_OVERRIDE_DIST_PATH and ELECTRON_EXEC_PATH without downloading', async () => {
    fakeGet.fakeElectronGet = () => Promise.reject(new Error('must not download'));
    const out = output(false);
    expect(await ensure({ ELECTRON_OVERRIDE_DIST_PATH: '/nonexistent' }, out)).toBe(
      '/nonexistent/electron',
    );
    expect(await ensure({ ELECTRON_EXEC_PATH: '/opt/e/electron' }, out)).toBe('/opt/e/electron');
    expect(out.text()).toBe('');
    expect(existsSync(pathTxt())).toBe(false);
  });
});

describe('downloadToCache with the real @electron/get', () => {
  it('fetches the artifact install.js asks for into the cache, reporting progress', async () => {
    // A mirror on the loopback address stands in for Electron's releases.
    const zip = Buffer.alloc(256 * 1024, 7);
    const name = `electron-v45.4.1-${process.platform}-${process.arch}.zip`;
    const sha = createHash('sha256').update(zip).digest('hex');
    const served: string[] = [];
    const server = createServer((req, res) => {
      served.push(req.url ?? '');
      if (req.url === `/v45.4.1/${name}`) {
        res.writeHead(200, { 'content-length': zip.length });
        for (let at = 0; at < zip.length; at += 64 * 1024)
          res.write(zip.subarray(at, at + 64 * 1024));
        res.end();
      } else if (req.url === '/v45.4.1/SHASUMS256.txt') {
        res.end(`${sha} *${name}\n`);
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
    const { port } = server.address() as AddressInfo;
    vi.stubEnv('ELECTRON_MIRROR', `http://127.0.0.1:${port}/`);
    const cache = join(dir, 'cache');
    const progress: Progress[] = [];
    try {
      await downloadToCache({
        electronDir: electronPackageDir(),
        env: { electron_config_cache: cache, electron_use_remote_checksums: '1' },
        onProgress: (p) => progress.push(p),
      });
    } finally {
      vi.unstubAllEnvs();
      server.close();
    }
    expect(served).toContain(`/v45.4.1/${name}`);
    const [folder] = readdirSync(cache);
    expect(readFileSync(join(cache, folder ?? '', name))).toEqual(zip);
    // (Remote checksums come through the same downloader: SHASUMS256.txt reports too.)
    const ofZip = progress.filter((p) => p.total === zip.length);
    expect(ofZip.at(-1)).toEqual({ percent: 1, transferred: zip.length, total: zip.length });
    expect(ofZip.some((p) => p.percent > 0 && p.percent < 1)).toBe(true);
  });
});

describe('start', () => {
  it('hands the binary to electron-vite (preview unless told), or exits 1 with the reason', async () => {
    const launch = vi.fn(() => Promise.resolve());
    fakeGet.fakeElectronGet = () => Promise.reject(new Error('getaddrinfo EAI_AGAIN github.com'));
    const out = output(false);
    expect(await start([], { electronDir: dir, env: env(), out, launch })).toBe(1);
    expect(launch).not.toHaveBeenCalled();
    expect(out.text()).toMatch(
      /\nCannot start Daemon Deck: Electron 45\.4\.1 could not be downloaded: getaddrinfo EAI_AGAIN/,
    );

    fakeGet.fakeElectronGet = () => Promise.resolve();
    expect(await start([], { electronDir: dir, env: env(), out, launch })).toBe(0);
    expect(await start(['dev', '--watch'], { electronDir: dir, env: env(), out, launch })).toBe(0);
    expect(launch.mock.calls).toEqual([
      [join(dir, 'dist', 'electron'), ['preview']],
      [join(dir, 'dist', 'electron'), ['dev', '--watch']],
    ]);
  });
});

describe('progressLine', () => {
  const steps = (percents: number[], isTTY: boolean, total: number | null = 100) => {
    const out = output(isTTY);
    const line = progressLine(out, 'Downloading');
    for (const percent of percents) {
      line.update({ percent: total ? percent : 0, transferred: percent * 100e6, total });
    }
    line.end();
    return out.text();
  };

  it('rewrites one line on a terminal and ends it', () => {
    expect(steps([0, 0.004, 0.5, 1], true)).toBe(
      '\rDownloading: 0%   \rDownloading: 50%   \rDownloading: 100%   \n',
    );
  });

  it('writes a line per 10% to a log, and the end', () => {
    const percents = Array.from({ length: 101 }, (_, i) => i / 100);
    expect(steps(percents, false).trim().split('\n')).toEqual(
      [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100].map((p) => `Downloading: ${p}%`),
    );
    expect(steps([0, 0.05, 0.15, 0.2, 0.95, 1], false)).toBe(
      'Downloading: 0%\nDownloading: 15%\nDownloading: 95%\nDownloading: 100%\n',
    );
  });

  it('counts megabytes when the size is unknown', () => {
    expect(steps([0.1, 0.15, 0.25], false, null)).toBe('Downloading: 10 MB\nDownloading: 25 MB\n');
  });
});
