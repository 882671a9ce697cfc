import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../src/runtime/server.js';
import { call, removeDir, serve, writeProject } from './helpers.js';

const HS_SECRET = 'a-long-shared-secret-for-tests-only-0123456789';
const out = (value: unknown) => [{ id: 'out', kind: 'output', props: { value } }];

function project(name: string, runtimeSettings: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    'trellis.yaml': { name, formatVersion: 1, runtime: runtimeSettings },
    'sequences/open.yaml': { name: 'open', steps: out('hello') },
    'sequences/admin.yaml': { name: 'admin', roles: ['admin'], steps: out('for admins') },
    'sequences/staff.yaml': { name: 'staff', roles: ['admin', 'staff'], steps: out('for staff') },
    ...extra,
  };
}

let runtime: Runtime;
const dirs: string[] = [];
let rsaPrivate: CryptoKey;

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  rsaPrivate = pair.privateKey as CryptoKey;
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  dirs.push(await writeProject(project('keys', { auth: { type: 'apiKey', header: 'X-API-Key', keys: ['${env:KEY_PLAIN}', { key: '${env:KEY_ADMIN}', roles: ['admin'] }] } })));
  dirs.push(await writeProject(project('hs', { auth: { type: 'jwt', algorithm: 'HS256', secret: '${env:JWT_SECRET}', issuer: 'tests', rolesClaim: 'roles' } })));
  dirs.push(await writeProject(project('rs', { auth: { type: 'jwt', algorithm: 'RS256', jwks: 'files/jwks.json', audience: 'shop-api' } }, { 'files/jwks.json': { keys: [jwk] } })));
  dirs.push(await writeProject(project('none', undefined)));
  runtime = await serve(dirs, { env: { KEY_PLAIN: 'plain-key-1', KEY_ADMIN: 'admin-key-2', JWT_SECRET: HS_SECRET } });
});

afterAll(async () => {
  await runtime?.close();
  for (const d of dirs) await removeDir(d);
});

const url = (project: string, sequence: string) => `${runtime.url}/projects/${project}/sequences/${sequence}`;
const hs = (claims: Record<string, unknown>, secret = HS_SECRET, exp = '5m') =>
  new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuer('tests').setIssuedAt().setExpirationTime(exp).sign(new TextEncoder().encode(secret));

describe('API keys', () => {
  it('401 without or with a wrong key, 200 with a listed key', async () => {
    const none = await call(url('keys', 'open'));
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe('UNAUTHORIZED');
    expect(none.headers.get('www-authenticate')).toContain('X-API-Key');
    expect((await call(url('keys', 'open'), { headers: { 'X-API-Key': 'plain-key-2' } })).status).toBe(401);
    const ok = await call(url('keys', 'open'), { headers: { 'x-api-key': 'plain-key-1' } });
    expect(ok.status).toBe(200);
    expect(ok.body).toBe('hello');
  });

  it('roles come with the key', async () => {
    const plain = await call(url('keys', 'admin'), { headers: { 'X-API-Key': 'plain-key-1' } });
    expect(plain.status).toBe(403);
    expect(plain.body.error).toMatchObject({ code: 'FORBIDDEN', message: 'sequence admin needs one of the roles admin' });
    expect((await call(url('keys', 'admin'), { headers: { 'X-API-Key': 'admin-key-2' } })).status).toBe(200);
  });

  it('the OpenAPI document declares the scheme and the roles', async () => {
    const doc = (await call(`${runtime.url}/projects/keys/openapi.json`)).body;
    expect(doc.components.securitySchemes.apiKey).toEqual({ type: 'apiKey', in: 'header', name: 'X-API-Key' });
    expect(doc.paths['/projects/keys/sequences/admin'].post.security).toEqual([{ apiKey: ['admin'] }]);
  });
});

describe('JWT HS256', () => {
  it('accepts a valid token and reads roles from its claim', async () => {
    const token = await hs({ sub: 'ann', roles: ['staff'] });
    const auth = { Authorization: `Bearer ${token}` };
    expect((await call(url('hs', 'open'), { headers: auth })).status).toBe(200);
    expect((await call(url('hs', 'staff'), { headers: auth })).status).toBe(200);
    expect((await call(url('hs', 'admin'), { headers: auth })).status).toBe(403);
    const spaced = await hs({ sub: 'bob', roles: 'admin other' });
    expect((await call(url('hs', 'admin'), { headers: { Authorization: `Bearer ${spaced}` } })).status).toBe(200);
  });

  it('refuses a missing, forged, expired or foreign-issuer token with 401', async () => {
    expect((await call(url('hs', 'open'))).status).toBe(401);
    const forged = await hs({ sub: 'eve', roles: ['admin'] }, 'another-secret-of-enough-length-0123456789');
    const r = await call(url('hs', 'open'), { headers: { Authorization: `Bearer ${forged}` } });
    expect(r.status).toBe(401);
    expect(r.headers.get('www-authenticate')).toContain('invalid_token');
    const expired = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setIssuer('tests').setExpirationTime(Math.floor(Date.now() / 1000) - 60).sign(new TextEncoder().encode(HS_SECRET));
    expect((await call(url('hs', 'open'), { headers: { Authorization: `Bearer ${expired}` } })).status).toBe(401);
    const foreign = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setIssuer('elsewhere').setExpirationTime('5m').sign(new TextEncoder().encode(HS_SECRET));
    expect((await call(url('hs', 'open'), { headers: { Authorization: `Bearer ${foreign}` } })).status).toBe(401);
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"iss":"tests"}').toString('base64url')}.`;
    expect((await call(url('hs', 'open'), { headers: { Authorization: `Bearer ${none}` } })).status).toBe(401);
  });
});

describe('JWT RS256 with a JWKS file', () => {
  it('verifies with the public key set and checks the audience', async () => {
    const sign = (aud: string) => new SignJWT({ roles: ['admin'] }).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setAudience(aud).setExpirationTime('5m').sign(rsaPrivate);
    expect((await call(url('rs', 'admin'), { headers: { Authorization: `Bearer ${await sign('shop-api')}` } })).status).toBe(200);
    expect((await call(url('rs', 'admin'), { headers: { Authorization: `Bearer ${await sign('other')}` } })).status).toBe(401);
    const hsToken = await hs({ roles: ['admin'] });
    expect((await call(url('rs', 'admin'), { headers: { Authorization: `Bearer ${hsToken}` } })).status).toBe(401);
  });
});

describe('no auth', () => {
  it('serves open sequences, refuses ones that declare roles', async () => {
    expect((await call(url('none', 'open'))).status).toBe(200);
    const r = await call(url('none', 'admin'));
    expect(r.status).toBe(403);
    expect(r.body.error.message).toMatch(/no auth to give roles/);
  });

  it('a project whose auth secret is not set is refused at start', async () => {
    const dir = await writeProject(project('nokey', { auth: { type: 'apiKey', keys: ['${env:TRELLIS_TEST_UNSET_KEY}'] } }));
    try {
      await expect(serve([dir], { env: {} })).rejects.toThrow(/TRELLIS_TEST_UNSET_KEY is not set/);
    } finally {
      await removeDir(dir);
    }
  });

  it('a literal key in trellis.yaml is refused', async () => {
    const dir = await writeProject(project('literal', { auth: { type: 'apiKey', keys: ['hunter2'] } }));
    try {
      await expect(serve([dir])).rejects.toThrow(/runtime.auth.keys\[0\].*\$\{env:NAME\}/);
    } finally {
      await removeDir(dir);
    }
  });
});
