import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CONTENT_SECURITY_POLICY,
  RENDERER_PAGES,
  appPageOf,
  detailWindowOptions,
  isPermitted,
  panelWindowOptions,
  secureWebPreferences,
  withCsp,
} from '../../main/shell/window-options.js';

const PRELOAD = '/app/out/preload/index.cjs';

describe('secureWebPreferences', () => {
  it('isolates and sandboxes the renderer with our preload only', () => {
    const prefs = secureWebPreferences(PRELOAD);
    expect(prefs).toMatchObject({
      preload: PRELOAD,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
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

  it('knows our two pages, with or without a query', () => {
    expect(appPageOf('file:///app/out/renderer/panel.html', origin)).toBe('panel');
    expect(appPageOf('file:///app/out/renderer/detail.html?id=systemd%3Aa.service', origin)).toBe(
      'detail',
    );
    expect(appPageOf('file:///app/out/renderer/panel.html#x', origin)).toBe('panel');
  });

  it('a trailing slash on the renderer dir changes nothing', () => {
    expect(
      appPageOf('file:///app/out/renderer/panel.html', { rendererDir: '/app/out/renderer/' }),
    ).toBe('panel');
  });

  it.each([
    'file:///app/out/renderer-evil/panel.html',
    'file:///app/out/renderer/sub/panel.html',
    'file:///app/out/renderer/../renderer2/panel.html',
    'file:///app/out/renderer/%2e%2e/x/panel.html',
    'file:///app/out/renderer/assets/index.js',
    'file:///app/out/renderer/panel.html%2f..',
    'file://host/app/out/renderer/panel.html',
    'https://example.com/app/out/renderer/panel.html',
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
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-(inline|eval)/);
  });

  it('is the same policy the pages carry in their <meta> tag (file:// pages get no headers)', () => {
    expect(RENDERER_PAGES).toEqual(expect.arrayContaining(['panel', 'detail', 'strays']));
    for (const page of RENDERER_PAGES) {
      const html = readFileSync(
        resolve(import.meta.dirname, `../../renderer/${page}.html`),
        'utf8',
      );
      const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html);
      expect(meta?.[1], `${page}.html has a CSP meta tag`).toBe(CONTENT_SECURITY_POLICY);
    }
  });
});

describe('permissions', () => {
  const origin = { rendererDir: '/app/out/renderer' };
  const page = 'file:///app/out/renderer/detail.html?id=session%3Atmux%3Awork';

  it('grants clipboard writes to the top frame of our own pages only', () => {
    expect(isPermitted('clipboard-sanitized-write', page, true, origin)).toBe(true);
    expect(isPermitted('clipboard-sanitized-write', page, false, origin)).toBe(false);
    expect(isPermitted('clipboard-sanitized-write', undefined, true, origin)).toBe(false);
    expect(
      isPermitted('clipboard-sanitized-write', 'https://evil.example/detail.html', true, origin),
    ).toBe(false);
    expect(isPermitted('clipboard-sanitized-write', 'file:///tmp/detail.html', true, origin)).toBe(
      false,
    );
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
