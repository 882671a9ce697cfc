import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../src/runtime/server.js';
import { sendJson, startServer, type TestServer } from '../helpers/http-server.js';
import { startRedis, type RedisServer } from '../helpers/redis.js';
import { call, removeDir, serve, spawnServe, writeProject } from './helpers.js';

/**
 * Stateful sequences keep their backends' cookies: an upstream that sets `sid` on login and requires it on
 * /me only answers the second request when the runtime sent the cookie back from the client's session.
 */

let upstream: TestServer;
let dir: string;
let logins = 0;

function sidOf(cookie: string | undefined): string | undefined {
  return /(?:^|;\s*)sid=([^;]+)/.exec(cookie ?? '')?.[1];
}

const users = new Map<string, string>();

beforeAll(async () => {
  upstream = await startServer({
    'POST /login': (req, res) => {
      const user = (JSON.parse(req.text || '{}') as { user?: string }).user ?? 'nobody';
      const sid = `s${++logins}-${user}`;
      users.set(sid, user);
      res.setHeader('set-cookie', [`sid=${sid}; Path=/; HttpOnly`, `theme=dark; Path=/other`, 'gone=1; Max-Age=0']);
      sendJson(res, 200, { ok: true });
    },
    'GET /me': (req, res) => {
      const user = users.get(sidOf(req.headers.cookie) ?? '');
      if (!user) return sendJson(res, 401, { error: 'no session cookie' });
      sendJson(res, 200, { user, cookie: req.headers.cookie });
    },
  });
  dir = await writeProject({
    'trellis.yaml': { name: 'portal', formatVersion: 1 },
    'connectors/up.yaml': {
      name: 'up',
      kind: 'http',
      config: { host: upstream.host },
      transactions: [
        { name: 'login', method: 'POST', path: '/login', variables: [{ name: 'user', type: 'string', in: 'body' }] },
        { name: 'me', method: 'GET', path: '/me' },
      ],
    },
    'sequences/login.yaml': {
      name: 'login',
      stateful: true,
      variables: [{ name: 'user', type: 'string', required: true }],
      steps: [
        { id: 'in', kind: 'callTransaction', props: { transaction: 'up.login', variables: { user: { source: { from: 'variables', path: '$.user' } } }, failOnErrorStatus: true } },
        { id: 'out', kind: 'output', props: { value: 'logged in' } },
      ],
    },
    'sequences/me.yaml': {
      name: 'me',
      stateful: true,
      steps: [
        { id: 'me', kind: 'callTransaction', props: { transaction: 'up.me', failOnErrorStatus: true } },
        { id: 'out', kind: 'output', props: { value: { source: { from: 'me', path: '$' } } } },
      ],
    },
    'sequences/session.yaml': { name: 'session', stateful: true, steps: [{ id: 'out', kind: 'output', props: { value: { source: { from: 'session', path: '$' } } } }] },
    'sequences/meStateless.yaml': {
      name: 'meStateless',
      steps: [
        { id: 'me', kind: 'callTransaction', props: { transaction: 'up.me', failOnErrorStatus: true } },
        { id: 'out', kind: 'output', props: { value: { source: { from: 'me', path: '$' } } } },
      ],
    },
  });
});

afterAll(async () => {
  await upstream?.close();
  await removeDir(dir);
});

const sessionCookie = (r: { headers: Headers }) => (r.headers.get('set-cookie') ?? '').split(';')[0]!;

describe('backend cookies in stateful sessions (memory store)', () => {
  let runtime: Runtime;
  beforeAll(async () => {
    runtime = await serve([dir]);
  });
  afterAll(async () => {
    await runtime?.close();
  });

  it("sends the backend's cookies back on the session's next call, and only that session's", async () => {
    const seq = (name: string) => `${runtime.url}/projects/portal/sequences/${name}`;
    const ann = await call(seq('login'), { json: { user: 'ann' } });
    expect(ann.status).toBe(200);
    const annCookie = sessionCookie(ann);
    expect(annCookie).toMatch(/^trellis_session=/);
    const bob = sessionCookie(await call(seq('login'), { json: { user: 'bob' } }));

    const annMe = await call(seq('me'), { method: 'POST', headers: { cookie: annCookie } });
    expect(annMe.status).toBe(200);
    expect(annMe.body.user).toBe('ann');
    // Path=/other is not sent to /me; Max-Age=0 was never kept
    expect(annMe.body.cookie).toMatch(/^sid=s\d+-ann$/);
    expect((await call(seq('me'), { method: 'POST', headers: { cookie: bob } })).body.user).toBe('bob');

    // no session cookie: a new session, no backend cookie, the upstream's 401 becomes a clean error
    const anonymous = await call(seq('me'), { method: 'POST' });
    expect(anonymous.status).toBe(502);
    expect(anonymous.text).toMatch(/401/);
    // a stateless sequence never sends session cookies, even with the client's session cookie
    const stateless = await call(seq('meStateless'), { method: 'POST', headers: { cookie: annCookie } });
    expect(stateless.status).toBe(502);
  });

  it('keeps backend cookies out of what steps read with from: session', async () => {
    const seq = (name: string) => `${runtime.url}/projects/portal/sequences/${name}`;
    const cookie = sessionCookie(await call(seq('login'), { json: { user: 'cy' } }));
    const session = await call(seq('session'), { method: 'POST', headers: { cookie } });
    expect(session.status).toBe(200);
    expect(session.body).toEqual({ user: 'cy' });
    expect(JSON.stringify(session.body)).not.toMatch(/sid/);
  });
});

describe('backend cookies shared by two runtime processes through Redis', () => {
  let redis: RedisServer | undefined;
  const procs: Array<Awaited<ReturnType<typeof spawnServe>>> = [];

  beforeAll(async () => {
    redis = await startRedis();
    if (!redis) return;
    const env = { TRELLIS_SESSION_STORE: redis.url };
    procs.push(...(await Promise.all([spawnServe([dir], env), spawnServe([dir], env)])));
  }, 60_000);

  afterAll(async () => {
    const codes = await Promise.all(procs.map((p) => p.stop()));
    expect(codes.every((c) => c === 0)).toBe(true);
    await redis?.stop();
  }, 30_000);

  it('a login on one process lets the other call the backend as that user', async (ctx) => {
    if (!redis) return ctx.skip();
    const [a, b] = procs;
    const login = await call(`${a!.url}/projects/portal/sequences/login`, { json: { user: 'dee' } });
    expect(login.status).toBe(200);
    const cookie = sessionCookie(login);
    const me = await call(`${b!.url}/projects/portal/sequences/me`, { method: 'POST', headers: { cookie } });
    expect(me.status).toBe(200);
    expect(me.body.user).toBe('dee');
    expect((await call(`${b!.url}/projects/portal/sequences/me`, { method: 'POST' })).status).toBe(502);
  });
});
