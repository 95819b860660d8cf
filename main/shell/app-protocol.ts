// The app:// scheme the built pages are served from, instead of file:// (Electron security
// checklist item 18). Registered as privileged before `ready` (standard + secure, so pages have
// an origin for 'self' in the CSP and may load ES modules; corsEnabled for the module scripts
// Vite emits with `crossorigin`; codeCache, see below), then served by appResponse (window-options.ts, unit-tested):
// only files under out/renderer, each with our CSP header. With no page on file://, the
// grantFileProtocolExtraPrivileges fuse is off (electron-builder.yml).
import { protocol, type Session } from 'electron';
import { readFile } from 'node:fs/promises';
import { APP_SCHEME, appResponse } from './window-options.js';

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      // codeCache: V8 keeps the code it compiled from the pages' scripts, so a window opened
      // again (the panel, destroyed when it closes) does not parse and compile them all anew
      // (issue 16: the panel's first render). Electron checks it against the script's text.
      privileges: {
        standard: true,
        secure: true,
        supportFetchAPI: true,
        corsEnabled: true,
        codeCache: true,
      },
    },
  ]);
}

export function serveAppScheme(ses: Session, rendererDir: string): void {
  ses.protocol.handle(APP_SCHEME, async (request) => {
    const res = await appResponse(request.method, request.url, rendererDir, (path) =>
      readFile(path),
    );
    return new Response(res.body, { status: res.status, headers: res.headers });
  });
}
