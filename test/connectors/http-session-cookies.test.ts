import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SessionCookieJar } from '../../src/engine/cookie-jar.js';
import { sendJson, startServer, type TestServer } from '../helpers/http-server.js';
import { closeAll, ctxFor, openHttp, run, tx } from './http-harness.js';

/** The HTTP connector with a session cookie jar in its ExecContext (the runtime's stateful sequences). */

let server: TestServer;

beforeAll(async () => {
  server = await startServer({
    '/set': (_req, res) => {
      res.setHeader('set-cookie', ['sid=abc; Path=/; HttpOnly', 'pref=1; Path=/api']);
      sendJson(res, 200, { ok: true });
    },
    '*': (req, res) => sendJson(res, 200, { cookie: req.headers.cookie ?? null }),
  });
});

afterAll(async () => {
  await closeAll();
  await server?.close();
});

describe('http connector with a session cookie jar', () => {
  it('keeps what the backend sets and sends it back after the transaction’s own cookies; without a jar, nothing', async () => {
    const handle = await openHttp({ host: server.host });
    const cookies = new SessionCookieJar();
    await run(handle, tx({ path: '/set' }), {}, { ...ctxFor(), cookies });
    expect(cookies.changed).toBe(true);
    const own = tx({ path: '/api/echo', variables: [{ name: 'lang', type: 'string', in: 'cookie' }] });
    const withJar = await run(handle, own, { lang: 'fr' }, { ...ctxFor(), cookies });
    expect(withJar.data).toEqual({ cookie: 'lang=fr; pref=1; sid=abc' });
    const elsewhere = await run(handle, tx({ path: '/other' }), {}, { ...ctxFor(), cookies });
    expect(elsewhere.data).toEqual({ cookie: 'sid=abc' });
    const noJar = await run(handle, tx({ path: '/api/echo' }), {}, ctxFor());
    expect(noJar.data).toEqual({ cookie: null });
  });
});
