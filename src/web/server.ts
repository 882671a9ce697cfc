import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { StudioHandlers } from '../contract/index.js';
import type { Logger } from '../engine/logger.js';
import { createDispatcher } from '../service/dispatch.js';
import { handleApiCall, MAX_BODY_BYTES, sendError, sendJson } from './api.js';
import { EventSockets, type EventSource } from './events-socket.js';
import { allowedHosts, hostAllowed, newToken, originAllowed, requestToken, sameToken } from './security.js';
import { contentSecurityPolicy, mimeType, resolveStaticPath, SECURITY_HEADERS } from './static-files.js';

export const DEFAULT_RENDERER_DIR = fileURLToPath(new URL('../../out/renderer', import.meta.url));

export interface WebServerOptions {
  service: StudioHandlers & EventSource & { logger?: Logger };
  port?: number;
  host?: string;
  rendererDir?: string;
  token?: string;
  /** more `host:port` values to accept in the Host header (a name the server is reached by from elsewhere) */
  extraHosts?: string[];
  maxBodyBytes?: number;
}

export interface WebServer {
  /** the URL to open: it carries the session token */
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const API_PREFIX = '/api/';
const EVENTS_PATH = '/api/events';

function splitUrl(raw: string | undefined): { path: string; query: URLSearchParams } {
  const url = raw ?? '/';
  const q = url.indexOf('?');
  return q < 0 ? { path: url, query: new URLSearchParams() } : { path: url.slice(0, q), query: new URLSearchParams(url.slice(q + 1)) };
}

function missingBuildPage(dir: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>Trellis studio</title></head><body style="font-family:system-ui;margin:3em">
<h1>The studio's user interface is not built</h1>
<p>There is no <code>index.html</code> in <code>${dir.replace(/[<&>]/g, '')}</code>.</p>
<p>Run <code>npm run build</code> in the Trellis folder, then reload this page.</p></body></html>`;
}

/**
 * Web mode: the built renderer and the studio contract over HTTP + WebSocket, for machines where
 * Electron cannot run and for end-to-end tests. Every /api request needs the session token; the
 * Host check stops DNS-rebinding pages from reaching the token-less static files and the socket.
 */
export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token ?? newToken();
  const rendererDir = options.rendererDir ?? DEFAULT_RENDERER_DIR;
  const dispatcher = createDispatcher(options.service, options.service.logger);
  const sockets = new EventSockets(options.service);
  let allowed = new Set<string>();

  const authorized = (req: IncomingMessage, query: URLSearchParams) => sameToken(requestToken(req, query), token);

  async function serveStatic(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { ...SECURITY_HEADERS, Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' });
      return void res.end('Method Not Allowed');
    }
    const target = resolveStaticPath(rendererDir, path);
    if (!target.ok) {
      res.writeHead(403, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' });
      return void res.end(`Forbidden: ${target.reason}`);
    }
    let file = target.file;
    let info = await stat(file).catch(() => undefined);
    if (info?.isDirectory()) {
      file = `${file}/index.html`;
      info = await stat(file).catch(() => undefined);
    }
    // Client-side routes have no file: they get the app, while a missing asset stays a 404.
    const lastSegment = target.relative.split('/').pop() ?? '';
    if (!info?.isFile() && !lastSegment.includes('.')) {
      file = `${rendererDir}/index.html`;
      info = await stat(file).catch(() => undefined);
      if (!info?.isFile()) {
        res.writeHead(503, { ...SECURITY_HEADERS, 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
        return void res.end(missingBuildPage(rendererDir));
      }
    }
    if (!info?.isFile()) {
      res.writeHead(404, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' });
      return void res.end('Not Found');
    }
    const type = mimeType(file);
    const headers: Record<string, string | number> = { ...SECURITY_HEADERS, 'Content-Type': type, 'Content-Length': info.size };
    if (type.startsWith('text/html')) {
      headers['Content-Security-Policy'] = contentSecurityPolicy([`ws://${req.headers.host}`]);
      headers['Cache-Control'] = 'no-cache';
    } else {
      // Vite names built assets by content hash: they never change under the same URL.
      headers['Cache-Control'] = target.relative.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
    }
    res.writeHead(200, headers);
    if (req.method === 'HEAD') return void res.end();
    createReadStream(file).on('error', () => res.destroy()).pipe(res);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!hostAllowed(req, allowed)) return sendError(res, { code: 'FORBIDDEN', message: `Host "${req.headers.host ?? ''}" is not this studio's address` });
    const { path, query } = splitUrl(req.url);
    if (path === '/api' || path.startsWith(API_PREFIX)) {
      if (!authorized(req, query))
        return sendError(res, { code: 'UNAUTHORIZED', message: 'missing or wrong session token: open the URL the studio printed' }, { 'WWW-Authenticate': 'Bearer' });
      if (!originAllowed(req)) return sendError(res, { code: 'FORBIDDEN', message: `Origin ${req.headers.origin} may not call this studio` });
      const raw = path.slice(API_PREFIX.length);
      let method = raw;
      try {
        method = decodeURIComponent(raw);
      } catch {}
      return handleApiCall(req, res, method, dispatcher, options.maxBodyBytes ?? MAX_BODY_BYTES);
    }
    return serveStatic(req, res, path);
  }

  function refuseUpgrade(socket: Duplex, status: number, message: string): void {
    const body = JSON.stringify({ ok: false, error: { code: status === 401 ? 'UNAUTHORIZED' : status === 404 ? 'NOT_FOUND' : 'FORBIDDEN', message } });
    socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e) => {
      options.service.logger?.error({ err: e, url: req.url }, 'web studio request failed');
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) } });
      else res.destroy();
    });
  });
  server.on('upgrade', (req, socket, head) => {
    const { path, query } = splitUrl(req.url);
    if (path !== EVENTS_PATH) return refuseUpgrade(socket, 404, `no WebSocket at ${path}; events are at ${EVENTS_PATH}`);
    if (!hostAllowed(req, allowed)) return refuseUpgrade(socket, 403, 'Host is not this studio');
    if (!originAllowed(req)) return refuseUpgrade(socket, 403, `Origin ${req.headers.origin} may not connect to this studio`);
    if (!authorized(req, query)) return refuseUpgrade(socket, 401, 'missing or wrong session token');
    sockets.upgrade(req, socket, head);
  });
  server.on('clientError', (_e, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  allowed = new Set([...allowedHosts(host, port), ...(options.extraHosts ?? []).map((h) => h.toLowerCase())]);
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${urlHost}:${port}/?token=${token}`,
    port,
    token,
    async close() {
      sockets.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
