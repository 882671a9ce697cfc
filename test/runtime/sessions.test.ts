import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../src/runtime/server.js';
import { startRedis, type RedisServer } from '../helpers/redis.js';
import { call, removeDir, serve, spawnServe, writeProject } from './helpers.js';

const src = (from: string, path: string) => ({ source: { from, path } });

/** `remember` is stateful: `user` and `cart` are session variables; its output shows the variables and the session it read. */
const files = {
  'trellis.yaml': { name: 'sess', formatVersion: 1 },
  'sequences/remember.yaml': {
    name: 'remember',
    stateful: true,
    variables: [
      { name: 'user', type: 'string' },
      { name: 'cart', type: 'integer', default: 0 },
    ],
    steps: [
      {
        id: 'o',
        kind: 'jsonObject',
        steps: [
          { id: 'u', kind: 'jsonValue', props: { key: 'user', value: src('variables', '$.user') } },
          { id: 'c', kind: 'jsonValue', props: { key: 'cart', value: src('variables', '$.cart') } },
          { id: 's', kind: 'jsonValue', props: { key: 'before', value: src('session', '$') } },
        ],
      },
    ],
  },
  'sequences/login.yaml': {
    name: 'login',
    stateful: true,
    variables: [{ name: 'user', type: 'string', required: true }],
    steps: [{ id: 't', kind: 'setVariable', props: { name: 'token', value: { js: "'tok-' + user" } } }, { id: 'out', kind: 'output', props: { value: 'ok' } }],
  },
  'sequences/whoami.yaml': { name: 'whoami', stateful: true, steps: [{ id: 'out', kind: 'output', props: { value: src('session', '$') } }] },
  'sequences/stateless.yaml': { name: 'stateless', steps: [{ id: 'out', kind: 'output', props: { value: 'x' } }] },
};

let dir: string;

beforeAll(async () => {
  dir = await writeProject(files);
});

afterAll(async () => {
  await removeDir(dir);
});

function cookieOf(r: { headers: Headers }): string {
  const set = r.headers.get('set-cookie') ?? '';
  return set.split(';')[0]!;
}

describe('sessions in memory', () => {
  let runtime: Runtime;
  beforeAll(async () => {
    runtime = await serve([dir]);
  });
  afterAll(async () => {
    await runtime?.close();
  });

  it('a stateful sequence sets trellis_session and remembers its variables between calls', async () => {
    const url = `${runtime.url}/projects/sess/sequences/remember`;
    const first = await call(url, { json: { user: 'ann', cart: 2 } });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ user: 'ann', cart: 2, before: {} });
    const set = first.headers.get('set-cookie')!;
    expect(set).toMatch(/^trellis_session=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=1800; HttpOnly; SameSite=Lax$/);
    const cookie = cookieOf(first);
    const second = await call(url, { json: { cart: 3 }, headers: { cookie } });
    expect(second.body).toEqual({ user: 'ann', cart: 3, before: { user: 'ann', cart: 2 } });
    expect(cookieOf(second)).toBe(cookie);
    const other = await call(url, { json: {} });
    expect(other.body).toEqual({ user: null, cart: 0, before: {} });
  });

  it('an unknown or malformed session id starts a new session (no fixation)', async () => {
    const url = `${runtime.url}/projects/sess/sequences/remember`;
    const chosen = `trellis_session=${'a'.repeat(43)}`;
    const r = await call(url, { json: { user: 'eve' }, headers: { cookie: chosen } });
    expect(r.status).toBe(200);
    expect(cookieOf(r)).not.toBe(chosen);
    const odd = await call(url, { json: {}, headers: { cookie: 'trellis_session=../../etc' } });
    expect(odd.status).toBe(200);
    expect(odd.body.before).toEqual({});
  });

  it('what Set Variable leaves is kept too, and other stateful sequences of the project read it', async () => {
    const login = await call(`${runtime.url}/projects/sess/sequences/login`, { json: { user: 'cy' } });
    expect(login.status).toBe(200);
    const cookie = cookieOf(login);
    const who = await call(`${runtime.url}/projects/sess/sequences/whoami`, { headers: { cookie } });
    expect(who.body).toEqual({ user: 'cy', token: 'tok-cy' });
    const again = await call(`${runtime.url}/projects/sess/sequences/login`, { json: {}, headers: { cookie } });
    expect(again.status).toBe(200); // the required user comes from the session
  });

  it('stateless sequences set no cookie', async () => {
    const r = await call(`${runtime.url}/projects/sess/sequences/stateless`);
    expect(r.status).toBe(200);
    expect(r.headers.get('set-cookie')).toBeNull();
  });
});

describe('two runtime processes with one Redis', () => {
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
  });

  it('share a stateful session through the cookie', async (ctx) => {
    if (!redis) return ctx.skip();
    const [a, b] = procs;
    expect(a!.url).not.toBe(b!.url);
    const first = await call(`${a!.url}/projects/sess/sequences/remember`, { json: { user: 'bob', cart: 5 } });
    expect(first.status).toBe(200);
    const cookie = cookieOf(first);
    const second = await call(`${b!.url}/projects/sess/sequences/remember`, { json: {}, headers: { cookie } });
    expect(second.status).toBe(200);
    expect(second.body).toEqual({ user: 'bob', cart: 5, before: { user: 'bob', cart: 5 } });
    const third = await call(`${a!.url}/projects/sess/sequences/remember?cart=6`, { headers: { cookie } });
    expect(third.body).toEqual({ user: 'bob', cart: 6, before: { user: 'bob', cart: 5 } });
    expect((await call(`${b!.url}/health`)).body).toEqual({ status: 'ok', projects: ['sess'] });
  });
});
