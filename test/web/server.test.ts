import { request } from 'node:http';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { StudioService } from '../../src/service/studio-service.js';
import { startWebServer, type WebServer } from '../../src/web/server.js';
import { recordingService, tempDir } from '../service/helpers.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let service: StudioService;
let web: WebServer;
let base: string;

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json(): any;
}

/** A raw request: fetch would normalise `/../x` away before it reaches the server. */
function send(path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: web.port, path, method: options.method ?? 'GET', headers: options.headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text, json: () => JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

function api(method: string, params: unknown, token = web.token): Promise<Reply> {
  return send(`/api/${method}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(params) });
}

beforeAll(async () => {
  tmp = await tempDir();
  const renderer = join(tmp.dir, 'app/out/renderer');
  await mkdir(join(renderer, 'assets'), { recursive: true });
  await writeFile(join(renderer, 'index.html'), '<!doctype html><title>studio</title><script type="module" src="./assets/app.js"></script>');
  await writeFile(join(renderer, 'assets/app.js'), 'console.log("app")');
  await writeFile(join(renderer, 'assets/app.css'), 'body{}');
  await writeFile(join(renderer, 'assets/font.woff2'), 'w');
  await writeFile(join(tmp.dir, 'app/out/package.json'), '{"secret":true}');
  ({ service } = recordingService());
  web = await startWebServer({ service, rendererDir: renderer });
  base = `http://127.0.0.1:${web.port}`;
});

afterAll(async () => {
  await web.close();
  await service.dispose();
  await tmp.remove();
});

describe('web mode: the API', () => {
  it('prints a URL with a 32-byte hex token', () => {
    expect(web.token).toMatch(/^[0-9a-f]{64}$/);
    expect(web.url).toBe(`${base}/?token=${web.token}`);
  });

  it('answers 401 without the token or with a wrong one', async () => {
    const none = await send('/api/workspace.get', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(none.status).toBe(401);
    expect(none.json()).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    expect((await api('workspace.get', {}, 'f'.repeat(64))).status).toBe(401);
    const viaQuery = await send(`/api/workspace.get?token=${web.token}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(viaQuery.status).toBe(200);
  });

  it('answers 403 to a foreign Host (DNS rebinding) and a foreign Origin', async () => {
    const r = await send('/api/workspace.get', { method: 'POST', headers: { host: `evil.example:${web.port}`, 'content-type': 'application/json', authorization: `Bearer ${web.token}` }, body: '{}' });
    expect(r.status).toBe(403);
    expect((await send('/', { headers: { host: 'evil.example' } })).status).toBe(403);
    expect((await send('/', { headers: { host: `localhost:${web.port}` } })).status).toBe(200);
    const origin = await send('/api/workspace.get', { method: 'POST', headers: { origin: 'http://evil.example', 'content-type': 'application/json', authorization: `Bearer ${web.token}` }, body: '{}' });
    expect(origin.status).toBe(403);
  });

  it('creates a project and reads it back', async () => {
    const dir = join(tmp.dir, 'shop');
    const created = await api('project.create', { dir, rest: { host: 'api.example.com' } });
    expect(created.status).toBe(200);
    expect(created.json()).toMatchObject({ ok: true, result: { dirty: false, project: { name: 'shop', connectors: [{ name: 'rest', kind: 'http' }] } } });
    const got = await api('project.get', { project: dir });
    expect(got.json().result.project.dir).toBe(dir);
    expect((await api('project.get', { project: join(tmp.dir, 'none') })).status).toBe(404);
  });

  it('answers BAD_PARAMS naming the fields, UNKNOWN_METHOD, bad JSON, wrong verbs and types', async () => {
    const bad = await api('project.open', { dir: 42 });
    expect(bad.status).toBe(400);
    expect(bad.json().error).toMatchObject({ code: 'BAD_PARAMS', message: expect.stringContaining('dir:') });
    expect((await api('no.such', {})).json().error.code).toBe('UNKNOWN_METHOD');
    const json = await send('/api/workspace.get', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${web.token}` }, body: '{oops' });
    expect(json.status).toBe(400);
    expect(json.json().error.code).toBe('BAD_JSON');
    expect((await send('/api/workspace.get', { headers: { authorization: `Bearer ${web.token}` } })).status).toBe(405);
    expect((await send('/api/workspace.get', { method: 'POST', headers: { 'content-type': 'text/plain', authorization: `Bearer ${web.token}` }, body: '{}' })).status).toBe(415);
  });

  it('refuses a body over the size limit with 413', async () => {
    const small = await startWebServer({ service, rendererDir: tmp.dir, maxBodyBytes: 1000 });
    try {
      const r = await fetch(`http://127.0.0.1:${small.port}/api/fs.list`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${small.token}` }, body: JSON.stringify({ dir: 'x'.repeat(5000) }) });
      expect(r.status).toBe(413);
      expect(await r.json()).toMatchObject({ ok: false, error: { code: 'TOO_LARGE' } });
    } finally {
      await small.close();
    }
  });
});

describe('web mode: events over the WebSocket', () => {
  it('refuses an upgrade without the token, or from a foreign origin', async () => {
    const status = (url: string, headers: Record<string, string> = {}) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(url, { headers });
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode!));
        ws.on('open', () => {
          ws.close();
          resolve(101);
        });
        ws.on('error', () => undefined);
      });
    expect(await status(`ws://127.0.0.1:${web.port}/api/events`)).toBe(401);
    expect(await status(`ws://127.0.0.1:${web.port}/api/events?token=${web.token}`, { origin: 'http://evil.example' })).toBe(403);
    expect(await status(`ws://127.0.0.1:${web.port}/api/events?token=${web.token}`, { origin: base })).toBe(101);
  });

  it('pushes project.changed after an edit', async () => {
    const dir = join(tmp.dir, 'events');
    await api('project.create', { dir, rest: { host: 'api.example.com' } });
    const ws = new WebSocket(`ws://127.0.0.1:${web.port}/api/events?token=${web.token}`);
    const messages: Array<{ event: string; payload: any }> = [];
    ws.on('message', (m) => messages.push(JSON.parse(String(m))));
    await new Promise((r) => ws.once('open', r));
    const edit = await api('object.create', { project: dir, parent: { type: 'connector', connector: 'rest' }, objectType: 'transaction', value: { name: 'list' } });
    expect(edit.status).toBe(200);
    const until = Date.now() + 3000;
    while (!messages.some((m) => m.event === 'project.changed' && m.payload.reason === 'edit') && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    ws.close();
    expect(messages).toContainEqual({ event: 'project.changed', payload: { project: dir, reason: 'edit', version: edit.json().result.state.version, dirty: true } });
  });
});

describe('web mode: the renderer files', () => {
  it('serves the page with a strict CSP and the assets with their types', async () => {
    const page = await send(`/?token=${web.token}`);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${web.port}`);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect((await send('/assets/app.js')).headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((await send('/assets/app.css')).headers['content-type']).toBe('text/css; charset=utf-8');
    expect((await send('/assets/font.woff2')).headers['content-type']).toBe('font/woff2');
    expect((await send('/some/route')).text).toContain('<title>studio</title>');
    expect((await send('/assets/missing.js')).status).toBe(404);
  });

  it('refuses paths that climb out of the renderer folder', async () => {
    for (const path of ['/../package.json', '/%2e%2e/package.json', '/assets/..%2f..%2fpackage.json', '/%2E%2E%5Cpackage.json', '/assets/%2e%2e/%2e%2e/package.json']) {
      const r = await send(path);
      expect(r.status, path).toBe(403);
      expect(r.text).not.toContain('secret');
    }
  });

  it('explains how to build when the renderer is missing', async () => {
    const bare = await startWebServer({ service, rendererDir: join(tmp.dir, 'nothing') });
    try {
      const r = await fetch(`http://127.0.0.1:${bare.port}/`);
      expect(r.status).toBe(503);
      expect(await r.text()).toContain('npm run build');
    } finally {
      await bare.close();
    }
  });
});
