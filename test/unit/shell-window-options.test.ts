import { describe, expect, it } from 'vitest';
import {
  CONTENT_SECURITY_POLICY,
  RENDERER_PAGES,
  appPageOf,
  appResponse,
  detailWindowOptions,
  isPermitted,
  pageUrl,
  panelWindowOptions,
  resolveAppAsset,
  secureWebPreferences,
  withCsp,
} from '../../main/shell/window-options.js';
import { PAGES } from '../../renderer/pages.js';

const PRELOAD = '/app/out/preload/index.cjs';

describe('secureWebPreferences', () => {
  it('isolates and sandboxes the renderer with our preload only', () => {
    const prefs = secureWebPreferences(PRELOAD);
    expect(prefs.preload).toBe(PRELOAD);
    // Electron's security checklist: isolation on, every way into Node or past the web's rules off.
    const on = ['contextIsolation', 'sandbox', 'webSecurity', 'safeDialogs'] as const;
    const off = [
      'nodeIntegration',
      'nodeIntegrationInWorker',
      'nodeIntegrationInSubFrames',
      'allowRunningInsecureContent',
      'webviewTag',
      'experimentalFeatures',
    ] as const;
    for (const key of on) expect(prefs[key], key).toBe(true);
    for (const key of off) expect(prefs[key], key).toBe(false);
    expect(PRELOAD.endsWith('.cjs')).toBe(true);
  });

  it('every window uses exactly these preferences', () => {
    const expected = secureWebPreferences(PRELOAD);
    expect(panelWindowOptions('popup', PRELOAD, false).webPreferences).toEqual(expected);
    expect(panelWindowOptions('window', PRELOAD, true).webPreferences).toEqual(expected);
    expect(detailWindowOptions(PRELOAD, false).webPreferences).toEqual(expected);
  });
});

describe('window options', () => {
  it('the tray panel is a ~380x560 borderless popup off the taskbar', () => {
    expect(panelWindowOptions('popup', PRELOAD, false)).toMatchObject({
      width: 380,
      height: 560,
      frame: false,
      skipTaskbar: true,
      resizable: false,
      show: false,
    });
  });

  it('without a tray the panel is an ordinary window that can be found again', () => {
    expect(panelWindowOptions('window', PRELOAD, false)).toMatchObject({
      frame: true,
      skipTaskbar: false,
      resizable: true,
      minimizable: true,
      alwaysOnTop: false,
    });
  });

  it('the background matches the theme so there is no white flash in dark mode', () => {
    expect(panelWindowOptions('popup', PRELOAD, true).backgroundColor).not.toBe(
      panelWindowOptions('popup', PRELOAD, false).backgroundColor,
    );
  });
});

describe('appPageOf', () => {
  const origin = { rendererDir: '/app/out/renderer' };

  it('knows every page on our scheme, with or without a query', () => {
    for (const page of RENDERER_PAGES) {
      expect(appPageOf(`app://daemon-deck/${page}.html`, origin)).toBe(page);
    }
    expect(appPageOf('app://daemon-deck/detail.html?id=systemd%3Aa.service', origin)).toBe(
      'detail',
    );
    expect(appPageOf('app://daemon-deck/panel.html#x', origin)).toBe('panel');
  });

  it('is what a window loads', () => {
    expect(pageUrl('panel', undefined, origin)).toBe('app://daemon-deck/panel.html');
    const url = pageUrl('detail', { id: 'systemd:a b.service' }, origin);
    expect(appPageOf(url, origin)).toBe('detail');
    expect(new URL(url).searchParams.get('id')).toBe('systemd:a b.service');
    const dev = { ...origin, devServerUrl: 'http://localhost:5173/' };
    expect(pageUrl('panel', {}, dev)).toBe('http://localhost:5173/panel.html');
  });

  it.each([
    'file:///app/out/renderer/panel.html',
    'app://daemon-deck/sub/panel.html',
    'app://daemon-deck/assets/index.js',
    'app://daemon-deck/panel.html%2f..',
    'app://daemon-deck:8080/panel.html',
    'app://user@daemon-deck/panel.html',
    'app://other/panel.html',
    'https://example.com/panel.html',
    'http://localhost:5173/panel.html',
    'devtools://devtools/bundled/panel.html',
    'about:blank',
    'not a url',
    '',
  ])('refuses %s', (url) => {
    expect(appPageOf(url, origin)).toBeNull();
  });

  it('the dev server is ours only when named, on loopback and on the same origin', () => {
    const dev = { rendererDir: '/app/out/renderer', devServerUrl: 'http://localhost:5173' };
    expect(appPageOf('http://localhost:5173/panel.html', dev)).toBe('panel');
    expect(appPageOf('http://localhost:5173/detail.html?id=a', dev)).toBe('detail');
    expect(appPageOf('http://localhost:5174/panel.html', dev)).toBeNull();
    expect(appPageOf('http://127.0.0.1:5173/panel.html', dev)).toBeNull();
    expect(
      appPageOf('http://evil.example/panel.html', { ...dev, devServerUrl: 'http://evil.example' }),
    ).toBeNull();
    expect(
      appPageOf('http://localhost:5173/panel.html', { ...dev, devServerUrl: 'bad' }),
    ).toBeNull();
  });
});

describe('the app:// scheme', () => {
  const dir = '/app/out/renderer';
  const files = new Map<string, string>([
    ['/app/out/renderer/panel.html', '<html>'],
    ['/app/out/renderer/assets/panel-1.js', 'export {}'],
    ['/app/out/renderer/assets/panel-1.css', 'a{}'],
    ['/app/secret.txt', 'secret'],
    ['/app/out/renderer-evil/panel.html', 'evil'],
  ]);
  const read = (path: string) => {
    const text = files.get(path);
    return text === undefined
      ? Promise.reject(new Error(`ENOENT: ${path}`))
      : Promise.resolve(new TextEncoder().encode(text));
  };

  it('serves files under the renderer folder with their type, our CSP and nosniff', async () => {
    const html = await appResponse('GET', 'app://daemon-deck/panel.html?id=x', dir, read);
    expect(html.status).toBe(200);
    expect(html.headers).toEqual({
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
    });
    expect(new TextDecoder().decode(html.body as Uint8Array)).toBe('<html>');
    const js = await appResponse('GET', 'app://daemon-deck/assets/panel-1.js', dir, read);
    expect(js.headers['Content-Type']).toBe('text/javascript; charset=utf-8');
    const css = await appResponse('GET', 'app://daemon-deck/assets/panel-1.css', dir, read);
    expect(css.headers['Content-Type']).toBe('text/css; charset=utf-8');
  });

  it.each([
    'app://daemon-deck/../secret.txt',
    'app://daemon-deck/%2e%2e/secret.txt',
    'app://daemon-deck/assets%2f..%2f..%2fsecret.txt',
    'app://daemon-deck/..%5csecret.txt',
    'app://daemon-deck/panel.html%00.js',
    'app://daemon-deck//app/secret.txt',
    'app://daemon-deck/../renderer-evil/panel.html',
    'app://other/panel.html',
    'app://daemon-deck/missing.html',
    'app://daemon-deck/panel.txt',
    'app://daemon-deck/',
    'file:///app/out/renderer/panel.html',
    'not a url',
  ])('answers 404 for %s and reads nothing outside the folder', async (url) => {
    const seen: string[] = [];
    const res = await appResponse('GET', url, dir, (path) => {
      seen.push(path);
      return read(path);
    });
    expect(res.status).toBe(404);
    for (const path of seen) expect(path.startsWith(`${dir}/`)).toBe(true);
  });

  it('refuses anything but GET and HEAD', async () => {
    expect((await appResponse('POST', 'app://daemon-deck/panel.html', dir, read)).status).toBe(405);
    const head = await appResponse('HEAD', 'app://daemon-deck/panel.html', dir, read);
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
  });

  it('resolves only into the folder', () => {
    expect(resolveAppAsset('app://daemon-deck/assets/a.js', dir)).toEqual({
      path: '/app/out/renderer/assets/a.js',
      contentType: 'text/javascript; charset=utf-8',
    });
  });
});

describe('CSP', () => {
  it('adds our policy and drops any other', () => {
    const headers = withCsp({
      'content-security-policy': ['default-src *'],
      'Content-Type': ['text/html'],
    });
    expect(headers).toEqual({
      'Content-Type': ['text/html'],
      'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
    });
    expect(withCsp(undefined)).toEqual({ 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] });
  });

  it('forbids everything but our own scripts and styles', () => {
    expect(CONTENT_SECURITY_POLICY).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-(inline|eval)/);
  });

  it('is served for every page the renderer builds (each carries it in <meta> too: renderer-pages.test.ts)', () => {
    expect([...RENDERER_PAGES].sort()).toEqual([...PAGES].sort());
  });
});

describe('permissions', () => {
  const origin = { rendererDir: '/app/out/renderer' };
  const page = 'app://daemon-deck/detail.html?id=session%3Atmux%3Awork';

  it('grants clipboard writes to the top frame of our own pages only', () => {
    expect(isPermitted('clipboard-sanitized-write', page, true, origin)).toBe(true);
    expect(isPermitted('clipboard-sanitized-write', page, false, origin)).toBe(false);
    expect(isPermitted('clipboard-sanitized-write', undefined, true, origin)).toBe(false);
    expect(
      isPermitted('clipboard-sanitized-write', 'https://evil.example/detail.html', true, origin),
    ).toBe(false);
    for (const url of ['file:///app/out/renderer/detail.html', 'app://evil/detail.html']) {
      expect(isPermitted('clipboard-sanitized-write', url, true, origin)).toBe(false);
    }
  });

  it('refuses everything else, even to our pages', () => {
    for (const permission of [
      'clipboard-read',
      'media',
      'notifications',
      'geolocation',
      'openExternal',
    ])
      expect(isPermitted(permission, page, true, origin)).toBe(false);
  });
});
