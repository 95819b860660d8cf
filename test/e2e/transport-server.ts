// The e2e tests' transport for the IPC handler table: plain node:http on 127.0.0.1.
//   GET  /<file>          the built renderer (Chromium refuses module scripts from file://)
//   POST /ipc/<channel>   JSON body -> table.handlers[channel](payload) -> JSON
//   GET  /events          Server-Sent Events: every event channel (snapshot:changed, settings:changed,
//                         processes:stop-progress...), as Electron's transport sends them;
//                         ?snapshot=VERSION: the snapshot version the page has
// Like Electron's ipcMain transport it only serves its own origin: requests must come from
// loopback, and POSTs from the page itself (same Origin).
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import type { IpcTable } from '../../main/core/api/ipc-table.js';
import { InvalidPayloadError } from '../../main/core/api/handlers.js';
import { EVENT_CHANNELS, INVOKE_CHANNELS, type InvokeChannel } from '../../contract/ipc.js';

export interface TransportServer {
  /** http://127.0.0.1:PORT */
  url: string;
  /** Channels invoked so far, in order: for assertions about what the page asked. */
  readonly calls: ReadonlyArray<{ channel: InvokeChannel; payload: unknown }>;
  close(): Promise<void>;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
};

const MAX_BODY = 64 * 1024;

function isInvokeChannel(value: string): value is InvokeChannel {
  return (INVOKE_CHANNELS as readonly string[]).includes(value);
}

function send(res: ServerResponse, status: number, body: string, type = 'text/plain'): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

async function readBody(req: IncomingMessage): Promise<string> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY) throw new Error('request body too large');
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function startTransportServer(opts: {
  table: IpcTable;
  /** The built renderer directory (panel.html, detail.html, assets/). */
  root: string;
}): Promise<TransportServer> {
  const { table } = opts;
  const root = normalize(opts.root);
  const calls: Array<{ channel: InvokeChannel; payload: unknown }> = [];
  const streams = new Set<ServerResponse>();
  let origin = '';

  async function serveIpc(req: IncomingMessage, res: ServerResponse, name: string): Promise<void> {
    if (req.headers.origin !== undefined && req.headers.origin !== origin) {
      send(res, 403, 'foreign origin');
      return;
    }
    if (!isInvokeChannel(name)) {
      send(res, 404, `no such channel: ${name}`);
      return;
    }
    const text = await readBody(req);
    const payload: unknown = text === '' ? null : JSON.parse(text);
    calls.push({ channel: name, payload });
    try {
      const result = await table.handlers[name](payload);
      send(res, 200, JSON.stringify(result ?? null), 'application/json');
    } catch (err) {
      const status = err instanceof InvalidPayloadError ? 400 : 500;
      send(res, status, err instanceof Error ? err.message : String(err));
    }
  }

  function serveEvents(req: IncomingMessage, res: ServerResponse, url: URL): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    const write = (channel: string, value: unknown) => {
      res.write(`event: ${channel}\ndata: ${JSON.stringify(value)}\n\n`);
    };
    const unsubscribes = EVENT_CHANNELS.map((channel) =>
      table.subscribe(channel, (value) => write(channel, value)),
    );
    streams.add(res);
    // A page that subscribed before its stream connected still gets the current state: the
    // snapshot unless it is the version the page says it has (browser-client.ts).
    const has = Number(url.searchParams.get('snapshot') ?? NaN);
    void table.handlers['snapshot:get'](null).then((s) => {
      if (!(s.version <= has)) write('snapshot:changed', s);
    });
    void table.handlers['settings:get'](null).then((s) => write('settings:changed', s));
    void table.handlers['hosts:get'](null).then(
      (h) => write('hosts:changed', h),
      () => undefined,
    );
    req.on('close', () => {
      for (const u of unsubscribes) u();
      streams.delete(res);
    });
  }

  async function serveFile(
    req: IncomingMessage,
    res: ServerResponse,
    pathname: string,
  ): Promise<void> {
    const file = normalize(join(root, decodeURIComponent(pathname)));
    if (file !== root && !file.startsWith(root + sep)) {
      send(res, 403, 'outside the renderer');
      return;
    }
    const info = await stat(file).catch(() => null);
    if (info === null || !info.isFile()) {
      send(res, 404, `not found: ${pathname}`);
      return;
    }
    // Scripts and styles are asked for every time, as the app's protocol handler is, but a page
    // that has one keeps it, with the code V8 compiled from it, when it has not changed: the
    // app's scheme keeps compiled code too (codeCache, main/shell/app-protocol.ts). Pages are not
    // kept.
    const tag = `"${info.size}-${info.mtimeMs}"`;
    const kept = extname(file) !== '.html';
    if (kept && req.headers['if-none-match'] === tag) {
      res.writeHead(304, { etag: tag, 'cache-control': 'no-cache' }).end();
      return;
    }
    res.writeHead(200, {
      'content-type': MIME[extname(file)] ?? 'application/octet-stream',
      'cache-control': kept ? 'no-cache' : 'no-store',
      ...(kept ? { etag: tag } : {}),
    });
    createReadStream(file).pipe(res);
  }

  const server = createServer((req, res) => {
    const remote = req.socket.remoteAddress;
    if (remote !== '127.0.0.1' && remote !== '::ffff:127.0.0.1') {
      send(res, 403, 'loopback only');
      return;
    }
    const url = new URL(req.url ?? '/', origin);
    const handle = async () => {
      if (req.method === 'POST' && url.pathname.startsWith('/ipc/')) {
        await serveIpc(req, res, decodeURIComponent(url.pathname.slice('/ipc/'.length)));
      } else if (req.method === 'GET' && url.pathname === '/favicon.ico') {
        res.writeHead(204).end();
      } else if (req.method === 'GET' && url.pathname === '/events') {
        serveEvents(req, res, url);
      } else if (req.method === 'GET') {
        await serveFile(req, res, url.pathname === '/' ? '/panel.html' : url.pathname);
      } else {
        send(res, 405, 'method not allowed');
      }
    };
    handle().catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, err instanceof Error ? err.message : String(err));
      else res.end();
    });
  });

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolveListen());
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;

  return {
    url: origin,
    calls,
    async close() {
      for (const res of streams) res.end();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
