import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../helpers/http-server.js';
import type { Runtime } from '../../src/runtime/server.js';
import { startUpstream, writeShop } from './fixture.js';
import { call, removeDir, serve } from './helpers.js';

let upstream: TestServer;
let runtime: Runtime;
let dir: string;
let base: string;

beforeAll(async () => {
  upstream = await startUpstream();
  dir = await writeShop(upstream.host);
  runtime = await serve([dir], { timeoutMs: 700, concurrency: 2 });
  base = `${runtime.url}/projects/shop/sequences`;
});

afterAll(async () => {
  await runtime?.close();
  await upstream?.close();
  await removeDir(dir);
});

function expectClean(r: { text: string; body: any }): void {
  expect(r.body.error.requestId).toBeTruthy();
  expect(r.text).not.toMatch(/\n\s+at |node_modules|\.ts:\d+/);
}

describe('upstream faults give clean errors', () => {
  it('connection refused → 502 CONNECTION_REFUSED', async () => {
    const r = await call(`${base}/refused`);
    expect(r.status).toBe(502);
    expect(r.body.error.code).toBe('CONNECTION_REFUSED');
    expectClean(r);
  });

  it('an upstream that hangs past the deadline → 504 TIMEOUT, on time', async () => {
    const started = Date.now();
    const r = await call(`${base}/hang`);
    const took = Date.now() - started;
    expect(r.status).toBe(504);
    expect(r.body.error.code).toBe('TIMEOUT');
    expect(took).toBeGreaterThanOrEqual(650);
    expect(took).toBeLessThan(5000);
    expectClean(r);
  });

  it('a connection reset mid-body → 502 NETWORK', async () => {
    const r = await call(`${base}/reset`);
    expect(r.status).toBe(502);
    expect(['NETWORK', 'BAD_RESPONSE']).toContain(r.body.error.code);
    expectClean(r);
  });

  it('an upstream 500 in a sequence → 502 BACKEND_STATUS with the upstream status (not its body)', async () => {
    const r = await call(`${base}/boom`);
    expect(r.status).toBe(502);
    expect(r.body.error).toMatchObject({ code: 'BACKEND_STATUS', upstream: { status: 500 } });
    expect(r.text).not.toContain('database is down');
    expectClean(r);
  });

  it('keeps serving after all of them', async () => {
    const r = await call(`${base}/userCard?id=2`);
    expect(r.status).toBe(200);
  });
});

describe('limits', () => {
  it('more concurrent executions of one sequence than allowed → 503 TOO_BUSY with Retry-After', async () => {
    const all = await Promise.all(Array.from({ length: 5 }, (_, i) => call(`${base}/slow?n=${i}`)));
    const statuses = all.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200).length).toBe(2);
    const busy = all.find((r) => r.status === 503)!;
    expect(busy.body.error.code).toBe('TOO_BUSY');
    expect(busy.headers.get('retry-after')).toBe('1');
    // another sequence is not affected, and the slots come back
    expect((await call(`${base}/userCard?id=1`)).status).toBe(200);
    expect((await call(`${base}/slow`)).status).toBe(200);
  });
});

describe('graceful shutdown', () => {
  it('finishes requests in flight, then refuses new connections', async () => {
    const dir2 = await writeShop(upstream.host);
    const rt = await serve([dir2]);
    try {
      const seen = upstream.requests.length;
      const inFlight = call(`${rt.url}/projects/shop/sequences/slow?n=9`);
      // close once the sequence is running (its call reached the upstream)
      while (!upstream.requests.slice(seen).some((r) => r.path === '/slow')) await new Promise((r) => setTimeout(r, 5));
      const closing = rt.close();
      const r = await inFlight;
      expect(r.status).toBe(200);
      expect(r.body).toEqual({ slow: true, n: 9 });
      await closing;
      await expect(fetch(`${rt.url}/health`)).rejects.toThrow();
    } finally {
      await rt.close();
      await removeDir(dir2);
    }
  });
});
