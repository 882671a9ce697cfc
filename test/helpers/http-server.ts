import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A real HTTP(S) server on 127.0.0.1 (random port) for tests, driven by a route table:
 *
 *   const server = await startServer({
 *     'GET /users/1': (req, res) => sendJson(res, 200, { id: 1 }),
 *     '/echo': (req, res) => sendJson(res, 200, { method: req.method, body: req.text }),   // any method
 *     '*': (req, res) => send(res, 404, 'nope'),                                           // fallback
 *   });
 *   ... server.url ('http://127.0.0.1:PORT'), server.host ('127.0.0.1:PORT'), server.requests ...
 *   await server.close();
 *
 * Routes match the path without the query string. The request body is read completely before the handler runs;
 * every request is recorded in `requests`. A handler that throws answers 500 with the message. close() also
 * drops open connections, so handlers that never end a response do not hang the test.
 */

export interface ReceivedRequest {
  method: string;
  /** path and query as sent */
  url: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** the body as UTF-8 */
  text: string;
}

export type Handler = (req: ReceivedRequest, res: ServerResponse, raw: IncomingMessage) => void | Promise<void>;

export interface TestServer {
  /** `http://127.0.0.1:PORT` (https for a TLS server) */
  url: string;
  /** `127.0.0.1:PORT`, the form a connector's host takes */
  host: string;
  port: number;
  requests: ReceivedRequest[];
  /** the last request received */
  last(): ReceivedRequest | undefined;
  close(): Promise<void>;
}

export interface ServerOptions {
  /** serve https with this key and certificate (PEM) */
  tls?: { key: string | Buffer; cert: string | Buffer };
}

export function send(res: ServerResponse, status: number, body: string | Buffer = '', headers: Record<string, string | number | string[]> = {}): void {
  const buf = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  res.writeHead(status, { 'content-length': buf.length, ...headers });
  res.end(buf);
}

export function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string | number | string[]> = {}): void {
  send(res, status, JSON.stringify(value), { 'content-type': 'application/json; charset=utf-8', ...headers });
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export async function startServer(routes: Record<string, Handler>, options: ServerOptions = {}): Promise<TestServer> {
  const requests: ReceivedRequest[] = [];
  const listener = async (raw: IncomingMessage, res: ServerResponse) => {
    try {
      const body = await readBody(raw);
      const u = new URL(raw.url ?? '/', 'http://x');
      const req: ReceivedRequest = {
        method: raw.method ?? 'GET',
        url: raw.url ?? '/',
        path: u.pathname,
        query: u.searchParams,
        headers: raw.headers,
        body,
        text: body.toString('utf8'),
      };
      requests.push(req);
      const handler = routes[`${req.method} ${req.path}`] ?? routes[req.path] ?? routes['*'];
      if (!handler) return sendJson(res, 404, { error: `no route for ${req.method} ${req.path}` });
      await handler(req, res, raw);
    } catch (e) {
      if (!res.headersSent) send(res, 500, `test server: ${(e as Error).message}`);
      else res.destroy();
    }
  };
  const server = options.tls ? https.createServer({ key: options.tls.key, cert: options.tls.cert }, listener) : http.createServer(listener);
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = `127.0.0.1:${port}`;
  return {
    url: `${options.tls ? 'https' : 'http'}://${host}`,
    host,
    port,
    requests,
    last: () => requests[requests.length - 1],
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface SelfSignedCert {
  key: string;
  cert: string;
  keyFile: string;
  certFile: string;
  /** removes the temporary folder */
  dispose(): void;
}

/**
 * A self-signed certificate made by openssl in a temporary folder. By default it names 127.0.0.1 and localhost;
 * pass other subjectAltName entries (e.g. 'DNS:other.test') to get a host name mismatch.
 */
export function selfSignedCert(altNames = 'IP:127.0.0.1,DNS:localhost'): SelfSignedCert {
  const dir = mkdtempSync(join(tmpdir(), 'trellis-cert-'));
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-subj', '/CN=localhost', '-addext', `subjectAltName=${altNames}`, '-days', '1'],
    { stdio: 'ignore' },
  );
  return {
    key: readFileSync(keyFile, 'utf8'),
    cert: readFileSync(certFile, 'utf8'),
    keyFile,
    certFile,
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
