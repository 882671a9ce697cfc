import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../helpers/http-server.js';
import type { Runtime } from '../../src/runtime/server.js';
import { startUpstream, writeShop } from './fixture.js';
import { call, rawRequest, removeDir, serve } from './helpers.js';

let upstream: TestServer;
let runtime: Runtime;
let dir: string;
let base: string;

beforeAll(async () => {
  upstream = await startUpstream();
  dir = await writeShop(upstream.host);
  runtime = await serve([dir], { bodyLimit: 1024 * 1024 });
  base = `${runtime.url}/projects/shop`;
});

afterAll(async () => {
  await runtime?.close();
  await upstream?.close();
  await removeDir(dir);
});

/** After every bad request the server still answers a good one. */
async function stillServing(): Promise<void> {
  const r = await call(`${base}/sequences/userCard?id=1`);
  expect(r.status).toBe(200);
}

describe('exposed sequences', () => {
  it('POST JSON calls the upstream and answers the output', async () => {
    const r = await call(`${base}/sequences/userCard`, { json: { id: 7, tag: ['a', 'b'], loud: 'yes' } });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/application\/json/);
    expect(r.headers.get('x-request-id')).toBeTruthy();
    expect(r.body).toEqual({ name: 'user 7', email: 'u7@example.com', id: 7, tags: ['a', 'b'], loud: true });
  });

  it('GET with a query and POST with a form give the same', async () => {
    const get = await call(`${base}/sequences/userCard?id=3&tag=x&tag=y`);
    expect(get.status).toBe(200);
    expect(get.body).toMatchObject({ id: 3, tags: ['x', 'y'], loud: false });
    const form = await call(`${base}/sequences/userCard`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'id=4&tag=z&loud=on' });
    expect(form.status).toBe(200);
    expect(form.body).toMatchObject({ id: 4, tags: ['z'], loud: true });
  });

  it('keeps the request id a client sends, and makes one otherwise', async () => {
    const mine = await call(`${base}/sequences/userCard?id=1`, { headers: { 'x-request-id': 'abc-123' } });
    expect(mine.headers.get('x-request-id')).toBe('abc-123');
    const odd = await call(`${base}/sequences/userCard?id=1`, { headers: { 'x-request-id': 'bad id <script>' } });
    expect(odd.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('a wrong type and a missing variable are 400 BAD_VARIABLE naming each variable', async () => {
    const wrong = await call(`${base}/sequences/userCard`, { json: { id: 'seven', loud: 'maybe' } });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.code).toBe('BAD_VARIABLE');
    expect(wrong.body.error.details.map((d: { variable: string }) => d.variable).sort()).toEqual(['id', 'loud']);
    expect(wrong.text).not.toMatch(/at .*\.ts:\d+/);
    const missing = await call(`${base}/sequences/userCard`, { json: {} });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details).toEqual([{ variable: 'id', message: 'variable "id" is required' }]);
    const unknown = await call(`${base}/sequences/userCard`, { json: { id: 1, color: 'red' } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details[0].variable).toBe('color');
    await stillServing();
  });

  it('malformed JSON, a non-object body and an unsupported content type are 400/415', async () => {
    const bad = await call(`${base}/sequences/userCard`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"id": 1,' });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'BAD_REQUEST', message: 'the body is not valid JSON' });
    const list = await call(`${base}/sequences/userCard`, { json: [1, 2] });
    expect(list.status).toBe(400);
    const proto = await call(`${base}/sequences/userCard`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"__proto__": {"x": 1}, "id": 1}' });
    expect(proto.status).toBe(400);
    const xml = await call(`${base}/sequences/userCard`, { method: 'POST', headers: { 'content-type': 'application/xml' }, body: '<id>1</id>' });
    expect(xml.status).toBe(415);
    expect(xml.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    await stillServing();
  });

  it('a 10 MB body is 413 and the server keeps serving', async () => {
    const big = JSON.stringify({ id: 1, pad: 'x'.repeat(10 * 1024 * 1024) });
    const r = await call(`${base}/sequences/userCard`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: big });
    expect(r.status).toBe(413);
    expect(r.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    await stillServing();
  });

  it('unknown projects, sequences, unexposed ones and odd names are 404 and never touch the disk', async () => {
    expect((await call(`${runtime.url}/projects/nope/sequences/userCard`)).status).toBe(404);
    expect((await call(`${base}/sequences/nope`)).status).toBe(404);
    const hidden = await call(`${base}/sequences/internal`);
    expect(hidden.status).toBe(404);
    expect(hidden.text).not.toContain('secret');
    expect((await call(`${base}/transactions/crm/hidden`)).status).toBe(404);
    for (const path of [
      '/projects/shop/sequences/../../../../etc/passwd',
      '/projects/shop/sequences/..%2F..%2Fetc%2Fpasswd',
      '/projects/..%2Fshop/sequences/userCard',
      '/projects/shop/sequences/%2e%2e',
      '/projects/shop/docs/..%2F..%2Fpackage.json',
      '/projects/shop/docs/%2e%2e%2fpackage.json',
      '/shop/%2e%2e/%2e%2e/etc/passwd',
      '/projects/shop/sequences/userCard%00',
    ]) {
      const r = await rawRequest(runtime.port, path);
      expect([400, 404], path).toContain(r.status);
      expect(r.text, path).not.toMatch(/root:|"name": "trellis"/);
      expect(JSON.parse(r.text).error.code, path).toMatch(/NOT_FOUND|BAD_REQUEST/);
    }
    await stillServing();
  });

  it('HEAD does not run a sequence', async () => {
    const before = upstream.requests.length;
    const r = await rawRequest(runtime.port, '/projects/shop/sequences/userCard?id=1', 'HEAD');
    expect(r.status).toBe(404);
    expect(upstream.requests.length).toBe(before);
  });
});

describe('exposed transactions', () => {
  it('answers the backend data for an exposed transaction', async () => {
    const r = await call(`${base}/transactions/crm/getUser?id=12&tag=t`);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ id: 12, name: 'user 12', email: 'u12@example.com', tags: ['t'] });
  });

  it('a backend status >= 400 is 502 BACKEND_STATUS with the status and body under upstream', async () => {
    const r = await call(`${base}/transactions/crm/boom`, { method: 'POST' });
    expect(r.status).toBe(502);
    expect(r.body.error).toMatchObject({ code: 'BACKEND_STATUS', upstream: { status: 500, body: { error: 'database is down' } } });
  });
});

describe('health and metrics', () => {
  it('/health lists the projects', async () => {
    const r = await call(`${runtime.url}/health`);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ status: 'ok', projects: ['shop'] });
  });

  it('/metrics counts requests by route and status, latency, and errors per sequence', async () => {
    await call(`${base}/sequences/boom`);
    const r = await call(`${runtime.url}/metrics`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/plain; version=0.0.4/);
    expect(r.text).toMatch(/trellis_http_requests_total\{route="\/projects\/shop\/sequences\/userCard",method="POST",status="200"\} \d+/);
    expect(r.text).toMatch(/trellis_http_requests_total\{route="\/projects\/shop\/sequences\/userCard",method="POST",status="400"\} \d+/);
    expect(r.text).toMatch(/trellis_http_request_duration_seconds_bucket\{route="\/projects\/shop\/sequences\/userCard",method="GET",le="\+Inf"\} \d+/);
    expect(r.text).toMatch(/trellis_sequence_errors_total\{project="shop",sequence="boom",code="BACKEND_STATUS"\} 1/);
    expect(r.text).toContain('trellis_http_requests_total{route="unmatched"');
    expect(r.text).not.toContain('etc/passwd');
  });
});
