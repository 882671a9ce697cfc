import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../src/runtime/server.js';
import { startRedis, type RedisServer } from '../helpers/redis.js';
import { call, removeDir, serve, spawnServe, writeProject } from './helpers.js';

const src = (from: string, path: string) => ({ source: { from, path } });

const files = {
  'trellis.yaml': { name: 'io', formatVersion: 1 },
  'sequences/created.yaml': {
    name: 'created',
    variables: [{ name: 'id', type: 'string', default: '7' }],
    steps: [
      { id: 'tenant', kind: 'getRequestHeader', props: { name: 'X-Tenant', default: 'none' } },
      { id: 'loc', kind: 'setResponseHeader', props: { name: 'Location', value: { js: "'/items/' + id" } } },
      { id: 'echo', kind: 'setResponseHeader', props: { name: 'X-Tenant-Echo', value: src('tenant', '$') } },
      { id: 'st', kind: 'setResponseStatus', props: { status: 201 } },
      { id: 'o', kind: 'output', props: { value: { tenant: src('tenant', '$') } } },
    ],
  },
  'sequences/inject.yaml': {
    name: 'inject',
    variables: [{ name: 'v', type: 'string' }],
    steps: [
      { id: 'ok', kind: 'setResponseHeader', props: { name: 'X-First', value: 'set' } },
      { id: 'bad', kind: 'setResponseHeader', props: { name: 'X-Evil', value: src('variables', '$.v') } },
    ],
  },
  'sequences/login.yaml': {
    name: 'login',
    stateful: true,
    variables: [{ name: 'user', type: 'string', required: true }],
    steps: [
      { id: 'who', kind: 'setAuthenticatedUser', props: { name: src('variables', '$.user'), roles: ['admin'] } },
      { id: 'cart', kind: 'sessionSet', props: { key: 'cart', value: ['book'] } },
    ],
  },
  'sequences/admin.yaml': {
    name: 'admin',
    stateful: true,
    roles: ['admin'],
    steps: [
      { id: 'who', kind: 'getAuthenticatedUser', props: {} },
      { id: 'cart', kind: 'sessionGet', props: { key: 'cart' } },
      { id: 'o', kind: 'output', props: { value: { who: src('who', '$'), cart: src('cart', '$') } } },
    ],
  },
  'sequences/logout.yaml': { name: 'logout', stateful: true, steps: [{ id: 'bye', kind: 'removeAuthenticatedUser', props: {} }, { id: 'c', kind: 'sessionClear', props: {} }] },
  'sequences/stateless.yaml': { name: 'stateless', steps: [{ id: 'x', kind: 'sessionSet', props: { key: 'a', value: 1 } }] },
};

let dir: string;
beforeAll(async () => {
  dir = await writeProject(files);
});
afterAll(async () => {
  await removeDir(dir);
});

const cookieOf = (r: { headers: Headers }) => (r.headers.get('set-cookie') ?? '').split(';')[0]!;

describe('request and response steps through the runtime', () => {
  let runtime: Runtime;
  beforeAll(async () => {
    runtime = await serve([dir], { schedules: false });
  });
  afterAll(async () => {
    await runtime.close();
  });

  it('reads request headers and sets the reply status and headers', async () => {
    const r = await call(`${runtime.url}/projects/io/sequences/created?id=42`, { headers: { 'X-Tenant': 'acme' } });
    expect(r.status).toBe(201);
    expect(r.headers.get('location')).toBe('/items/42');
    expect(r.headers.get('x-tenant-echo')).toBe('acme');
    expect(r.body).toEqual({ tenant: 'acme' });
  });

  it('refuses a header value carrying CRLF: the call fails and no header of the sequence is sent', async () => {
    const r = await call(`${runtime.url}/projects/io/sequences/inject`, { json: { v: 'x\r\nSet-Cookie: stolen=1' } });
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.body.error.message).toMatch(/control character \(CR, LF or NUL\)/);
    expect(r.headers.get('set-cookie')).toBeNull();
    expect(r.headers.get('x-first')).toBeNull();
  });

  it('session steps need a stateful sequence', async () => {
    const r = await call(`${runtime.url}/projects/io/sequences/stateless`);
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.body.error).toMatchObject({ code: 'NO_SESSION', message: expect.stringMatching(/set stateful: true on sequence stateless/) });
  });
});

describe('session steps across two runtime processes with one Redis', () => {
  let redis: RedisServer | undefined;
  const procs: Array<Awaited<ReturnType<typeof spawnServe>>> = [];

  beforeAll(async () => {
    redis = await startRedis();
    if (!redis) return;
    const env = { TRELLIS_SESSION_STORE: redis.url, TRELLIS_DATA_DIR: dir + '/.data' };
    procs.push(...(await Promise.all([spawnServe([dir], env), spawnServe([dir], env)])));
  }, 60_000);

  afterAll(async () => {
    await Promise.all(procs.map((p) => p.stop()));
    await redis?.stop();
  });

  it('a login on one process authenticates the client on the other; a logout on either ends it', async (ctx) => {
    if (!redis) return ctx.skip();
    const [a, b] = procs;
    expect((await call(`${b!.url}/projects/io/sequences/admin`)).status).toBe(403);
    const login = await call(`${a!.url}/projects/io/sequences/login`, { json: { user: 'ann' } });
    expect(login.status).toBe(200);
    const cookie = cookieOf(login);
    const admin = await call(`${b!.url}/projects/io/sequences/admin`, { headers: { cookie } });
    expect(admin.status).toBe(200);
    expect(admin.body).toEqual({ who: { name: 'ann', roles: ['admin'], source: 'session' }, cart: ['book'] });
    expect((await call(`${b!.url}/projects/io/sequences/logout`, { headers: { cookie } })).status).toBe(200);
    const after = await call(`${a!.url}/projects/io/sequences/admin`, { headers: { cookie } });
    expect(after.status).toBe(403);
  });
});

describe('file steps through the runtime', () => {
  let runtime: Runtime;
  let fileDir: string;
  beforeAll(async () => {
    fileDir = await writeProject({
      'trellis.yaml': { name: 'docs', formatVersion: 1 },
      'files/public/readme.json': { hello: 'world' },
      'secret.json': { password: 'x' },
      'sequences/read.yaml': { name: 'read', variables: [{ name: 'name', type: 'string', required: true }], steps: [{ id: 'r', kind: 'readJson', props: { file: { js: "'public/' + name" } } }, { id: 'o', kind: 'output', props: { value: src('r', '$') } }] },
    });
    runtime = await serve([fileDir], { schedules: false });
  });
  afterAll(async () => {
    await runtime.close();
    await removeDir(fileDir);
  });

  it('reads inside files/ and answers 403 to a path a client pushes out of it', async () => {
    expect((await call(`${runtime.url}/projects/docs/sequences/read?name=readme.json`)).body).toEqual({ hello: 'world' });
    const out = await call(`${runtime.url}/projects/docs/sequences/read?name=${encodeURIComponent('../../secret.json')}`);
    expect(out.status).toBe(403);
    expect(out.body.error).toMatchObject({ code: 'FILE_ACCESS', message: expect.stringMatching(/contains "\.\.": paths cannot leave the project's files\/ folder/) });
    expect(out.text).not.toContain('password');
  });
});
