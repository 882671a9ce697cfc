import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { send, sendJson, startServer, type TestServer } from '../helpers/http-server.js';
import { closeAll, ctxFor, failure, openHttp, run, tx } from './http-harness.js';

let server: TestServer;
const timers = new Set<NodeJS.Timeout>();
const later = (ms: number, fn: () => void) => {
  const t = setTimeout(() => {
    timers.delete(t);
    fn();
  }, ms);
  timers.add(t);
};

beforeAll(async () => {
  server = await startServer({
    '/slow': (_req, res) => later(3000, () => sendJson(res, 200, { late: true })),
    '/trickle': (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('[');
      const tick = (n: number) => later(50, () => {
        if (res.destroyed) return;
        if (n === 200) return res.end('0]');
        res.write('0,');
        tick(n + 1);
      });
      tick(0);
    },
    '/not-found': (_req, res) => sendJson(res, 404, { error: 'no such user', id: 7 }),
    '/crash': (_req, res) => send(res, 500, '<html><body>Internal error: db down</body></html>', { 'content-type': 'text/html' }),
    '/crash-json': (_req, res) => sendJson(res, 503, { error: 'maintenance' }),
    '/bad-json': (_req, res) => send(res, 200, '{"a": 1,\n "b": tru }', { 'content-type': 'application/json' }),
    '/html': (_req, res) => send(res, 200, '<!doctype html><html>login</html>', { 'content-type': 'text/html; charset=utf-8' }),
    '/bad-xml': (_req, res) => send(res, 200, '<r>\n  <a>1</b>\n</r>', { 'content-type': 'application/xml' }),
    '/bad-xml-500': (_req, res) => send(res, 500, 'Server exploded', { 'content-type': 'text/plain' }),
    '/hangup': (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"partial":');
      later(20, () => res.destroy());
    },
    '/big': (_req, res) => send(res, 200, 'x'.repeat(5000), { 'content-type': 'text/plain' }),
    '/r301': (_req, res) => send(res, 301, '', { location: '/echo?from=301' }),
    '/r302': (_req, res) => send(res, 302, '', { location: '/echo?from=302' }),
    '/r303': (_req, res) => send(res, 303, '', { location: '/echo?from=303' }),
    '/r307': (_req, res) => send(res, 307, '', { location: '/echo?from=307' }),
    '/r308': (_req, res) => send(res, 308, '', { location: '/echo?from=308' }),
    '/loop': (req, res) => send(res, 302, '', { location: `/loop?n=${Number(req.query.get('n') ?? 0) + 1}` }),
    '/echo': (req, res) => sendJson(res, 200, { method: req.method, url: req.url, body: req.text, contentType: req.headers['content-type'] ?? null }),
  });
});
afterAll(async () => {
  for (const t of timers) clearTimeout(t);
  await server.close();
});
afterEach(closeAll);

const base = () => ({ host: server.host });

describe('network failures', () => {
  it('connection refused: CONNECTION_REFUSED naming the address and the call', async () => {
    const gone = await startServer({});
    await gone.close();
    const h = await openHttp({ host: gone.host });
    const e = await failure(run(h, tx({ path: '/x' })));
    expect(e.code).toBe('CONNECTION_REFUSED');
    expect(e.message).toBe(`connection refused by ${gone.host} (GET http://${gone.host}/x); is the server running, and are host and port right?`);
  });

  it('unknown host: DNS', async () => {
    const h = await openHttp({ host: 'no-such-host.invalid' });
    const e = await failure(run(h, tx({ path: '/x' })));
    expect(e.code).toBe('DNS');
    expect(e.message).toMatch(/^cannot resolve host no-such-host\.invalid \((ENOTFOUND|EAI_AGAIN)\) \(GET http:\/\/no-such-host\.invalid\/x\)/);
  });

  it('connection dropped mid-response: NETWORK', async () => {
    const h = await openHttp(base());
    const e = await failure(run(h, tx({ path: '/hangup' })));
    expect(e.code).toBe('NETWORK');
    expect(e.message).toContain(`(GET ${server.url}/hangup)`);
  });

  it('no answer within timeoutMs: TIMEOUT, quickly', async () => {
    const h = await openHttp({ ...base(), timeoutMs: 300 });
    const started = Date.now();
    const e = await failure(run(h, tx({ path: '/slow' })));
    expect(e.code).toBe('TIMEOUT');
    expect(e.message).toBe(`no answer from ${server.host} within 300 ms (GET ${server.url}/slow); raise timeoutMs on the connector if the server is just slow`);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('the run deadline bounds the call: TIMEOUT', async () => {
    const h = await openHttp(base());
    const started = Date.now();
    const e = await failure(run(h, tx({ path: '/trickle' }), {}, ctxFor({ deadlineMs: 400 })));
    expect(e.code).toBe('TIMEOUT');
    expect(e.message).toMatch(/within \d+ ms .*the run's deadline was reached/);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('a deadline already passed fails without calling', async () => {
    const h = await openHttp(base());
    const before = server.requests.length;
    const e = await failure(run(h, tx({ path: '/echo' }), {}, ctxFor({ deadlineMs: -1 })));
    expect(e.code).toBe('TIMEOUT');
    expect(server.requests.length).toBe(before);
  });

  it('cancelled mid-response through the AbortSignal: CANCELLED, quickly', async () => {
    const h = await openHttp(base());
    const controller = new AbortController();
    const started = Date.now();
    later(300, () => controller.abort());
    const e = await failure(run(h, tx({ path: '/trickle' }), {}, ctxFor({ signal: controller.signal })));
    expect(e.code).toBe('CANCELLED');
    expect(e.message).toBe(`GET ${server.url}/trickle was cancelled`);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('an already aborted signal: CANCELLED', async () => {
    const h = await openHttp(base());
    const controller = new AbortController();
    controller.abort();
    const e = await failure(run(h, tx({ path: '/echo' }), {}, ctxFor({ signal: controller.signal })));
    expect(e.code).toBe('CANCELLED');
  });

  it('a body over maxResponseBytes: BAD_RESPONSE', async () => {
    const h = await openHttp({ ...base(), maxResponseBytes: 1000 });
    const e = await failure(run(h, tx({ path: '/big', type: 'text' })));
    expect(e.code).toBe('BAD_RESPONSE');
    expect(e.message).toContain('larger than maxResponseBytes (1000 bytes)');
  });
});

describe('HTTP error statuses are results', () => {
  it('404 with a JSON body', async () => {
    const h = await openHttp(base());
    const r = await run(h, tx({ path: '/not-found' }));
    expect(r.meta.status).toBe(404);
    expect(r.meta.statusText).toBe('Not Found');
    expect(r.data).toEqual({ error: 'no such user', id: 7 });
  });

  it('500 with an HTML body keeps the text', async () => {
    const h = await openHttp(base());
    const r = await run(h, tx({ path: '/crash' }));
    expect(r.meta.status).toBe(500);
    expect(r.data).toBe('<html><body>Internal error: db down</body></html>');
  });

  it('503 with a JSON body parses it', async () => {
    const h = await openHttp(base());
    const r = await run(h, tx({ path: '/crash-json' }));
    expect(r.data).toEqual({ error: 'maintenance' });
  });

  it('xml type: an error status with a non-XML body keeps the text', async () => {
    const h = await openHttp(base());
    const r = await run(h, tx({ path: '/bad-xml-500', type: 'xml' }));
    expect(r.meta.status).toBe(500);
    expect(r.data).toBe('Server exploded');
  });
});

describe('bad response bodies', () => {
  it('malformed JSON: BAD_RESPONSE naming line and column', async () => {
    const h = await openHttp(base());
    const e = await failure(run(h, tx({ path: '/bad-json' })));
    expect(e.code).toBe('BAD_RESPONSE');
    expect(e.message).toBe(
      `GET ${server.url}/bad-json: the response is not valid JSON (Unexpected token 'tru' at line 2 column 7); status 200, content-type was application/json`,
    );
    expect(e.details).toMatchObject({ status: 200, line: 2, column: 7 });
  });

  it('HTML where JSON was expected: BAD_RESPONSE naming the content type', async () => {
    const h = await openHttp(base());
    const e = await failure(run(h, tx({ path: '/html' })));
    expect(e.code).toBe('BAD_RESPONSE');
    expect(e.message).toBe(
      `GET ${server.url}/html: the response is not valid JSON (Unexpected token '<' at line 1 column 1); status 200, content-type was text/html; charset=utf-8`,
    );
  });

  it('malformed XML: BAD_RESPONSE naming the line', async () => {
    const h = await openHttp(base());
    const e = await failure(run(h, tx({ path: '/bad-xml', type: 'xml' })));
    expect(e.code).toBe('BAD_RESPONSE');
    expect(e.message).toMatch(/: the response is not well-formed XML \(Expected closing tag 'a' .* at line 2 column \d+\); status 200, content-type was application\/xml$/);
  });
});

describe('redirects', () => {
  const post = tx({ path: '', method: 'POST', body: '{"a":1}' });

  it('301 on GET is followed; meta.url is the final URL', async () => {
    const h = await openHttp(base());
    const r = await run(h, tx({ path: '/r301' }));
    expect(r.data).toMatchObject({ method: 'GET', url: '/echo?from=301' });
    expect(r.meta.url).toBe(`${server.url}/echo?from=301`);
  });

  it('301 and 302 on POST continue with GET and no body; 303 too', async () => {
    const h = await openHttp(base());
    for (const code of ['301', '302', '303']) {
      const r = await run(h, { ...post, name: `p${code}`, path: `/r${code}` });
      expect(r.data).toEqual({ method: 'GET', url: `/echo?from=${code}`, body: '', contentType: null });
    }
  });

  it('307 and 308 keep the method and the body', async () => {
    const h = await openHttp(base());
    for (const code of ['307', '308']) {
      const r = await run(h, { ...post, name: `p${code}`, path: `/r${code}` });
      expect(r.data).toEqual({ method: 'POST', url: `/echo?from=${code}`, body: '{"a":1}', contentType: 'application/json' });
    }
  });

  it('too many redirects: a clear error', async () => {
    const h = await openHttp({ ...base(), maxRedirects: 3 });
    const e = await failure(run(h, tx({ path: '/loop' })));
    expect(e.code).toBe('BAD_RESPONSE');
    expect(e.message).toBe(`more than 3 redirects (GET ${server.url}/loop); raise maxRedirects on the connector or check where the server sends you`);
  });

  it('keeps credentials on a same-origin redirect and drops them when it leaves the origin', async () => {
    const other = await startServer({ '/echo': (req, res) => sendJson(res, 200, { headers: req.headers }) });
    try {
      const away = await startServer({
        '/away': (_req, res) => send(res, 302, '', { location: `${other.url}/echo` }),
        '/here': (_req, res) => send(res, 302, '', { location: '/echo' }),
        '/echo': (req, res) => sendJson(res, 200, { headers: req.headers }),
      });
      try {
        for (const auth of [
          { type: 'bearer', token: 't0k' },
          { type: 'apiKey', name: 'X-API-Key', value: 'k3y' },
        ] as const) {
          const h = await openHttp({ host: away.host, auth });
          const same = (await run(h, tx({ path: '/here' }))).data as { headers: Record<string, string> };
          expect(same.headers.authorization ?? same.headers['x-api-key']).toMatch(/t0k|k3y/);
          const cross = (await run(h, tx({ path: '/away' }))).data as { headers: Record<string, string> };
          expect(cross.headers.authorization).toBeUndefined();
          expect(cross.headers['x-api-key']).toBeUndefined();
        }
      } finally {
        await away.close();
      }
    } finally {
      await other.close();
    }
  });

  it('maxRedirects 0 returns the redirect itself', async () => {
    const h = await openHttp({ ...base(), maxRedirects: 0 });
    const r = await run(h, tx({ path: '/r302' }));
    expect(r.meta.status).toBe(302);
    expect(r.meta.headers!.location).toBe('/echo?from=302');
    expect(r.data).toBeNull();
  });
});
