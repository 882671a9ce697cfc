import { createHash, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { createLocalJWKSet, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { resolveEnv, type Env } from '../engine/env.js';
import { TrellisError } from '../engine/errors.js';
import type { Project } from '../model/index.js';
import { HttpError } from './errors.js';

/** Who calls: the roles they hold (from an API key entry or a JWT claim). */
export interface Caller {
  authenticated: boolean;
  subject?: string;
  roles: readonly string[];
}

export interface Authenticator {
  readonly type: 'none' | 'apiKey' | 'jwt';
  authenticate(headers: Record<string, string | string[] | undefined>): Promise<Caller>;
}

export const ANONYMOUS: Caller = { authenticated: false, roles: [] };

/** Constant-time equality whatever the lengths (both sides hashed first). */
export function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

const unauthorized = (message: string, scheme: string) => new HttpError(401, 'UNAUTHORIZED', message, { headers: { 'WWW-Authenticate': scheme } });

function rolesFrom(payload: JWTPayload, claim: string): string[] {
  const v = payload[claim];
  if (Array.isArray(v)) return v.filter((r): r is string => typeof r === 'string');
  if (typeof v === 'string') return v.split(/\s+/).filter(Boolean);
  return [];
}

/**
 * Builds the project's authenticator from trellis.yaml `runtime.auth`, resolving its ${env:NAME} secrets now:
 * a missing secret refuses the deployment (a runtime never serves a protected project open).
 */
export async function createAuthenticator(project: Project, env: Env): Promise<Authenticator> {
  const auth = project.runtime?.auth;
  const where = `${project.name}: trellis.yaml runtime.auth`;
  if (!auth || auth.type === 'none') return { type: 'none', authenticate: async () => ANONYMOUS };
  if (auth.type === 'apiKey') {
    const keys = auth.keys.map((k) => (typeof k === 'string' ? { key: k, roles: [] as string[], user: undefined } : k)).map((k) => ({ key: resolveEnv(k.key, env, where), roles: k.roles, user: k.user }));
    const headerName = auth.header;
    return {
      type: 'apiKey',
      async authenticate(headers) {
        const given = header(headers, headerName);
        if (!given) throw unauthorized(`send an API key in the ${headerName} header`, `ApiKey header="${headerName}"`);
        let match: (typeof keys)[number] | undefined;
        for (const k of keys) if (sameSecret(given, k.key) && !match) match = k; // no early exit: same time for every key
        if (!match) throw unauthorized(`the API key in ${headerName} is not valid`, `ApiKey header="${headerName}"`);
        return { authenticated: true, roles: match.roles, ...(match.user ? { subject: match.user } : {}) };
      },
    };
  }
  let key: Uint8Array | JWTVerifyGetKey;
  if (auth.algorithm === 'HS256') {
    key = new TextEncoder().encode(resolveEnv(auth.secret!, env, where));
  } else {
    const file = isAbsolute(auth.jwks!) ? auth.jwks! : resolve(project.dir, auth.jwks!);
    try {
      key = createLocalJWKSet(JSON.parse(await readFile(file, 'utf8')));
    } catch (e) {
      throw new TrellisError('INVALID_CONFIG', `${where}: cannot read the JWKS file ${auth.jwks} (${(e as Error).message})`);
    }
  }
  const options = { algorithms: [auth.algorithm], issuer: auth.issuer, audience: auth.audience, clockTolerance: 5 };
  return {
    type: 'jwt',
    async authenticate(headers) {
      const value = header(headers, 'authorization');
      const m = value ? /^Bearer\s+([A-Za-z0-9_.~+/=-]+)\s*$/i.exec(value) : null;
      if (!m) throw unauthorized('send a JWT as Authorization: Bearer <token>', 'Bearer');
      try {
        const { payload } = typeof key === 'function' ? await jwtVerify(m[1]!, key, options) : await jwtVerify(m[1]!, key, options);
        return { authenticated: true, subject: payload.sub, roles: rolesFrom(payload, auth.rolesClaim) };
      } catch (e) {
        throw unauthorized(`the token is not valid: ${(e as Error).message}`, 'Bearer error="invalid_token"');
      }
    },
  };
}

/** Roles are any-of: the caller needs one of them. Without auth, a sequence that declares roles is refused. */
export function checkRoles(caller: Caller, roles: readonly string[] | undefined, what: string): void {
  if (!roles?.length) return;
  if (caller.roles.some((r) => roles.includes(r))) return;
  const message = caller.authenticated
    ? `${what} needs one of the roles ${roles.join(', ')}`
    : `${what} needs one of the roles ${roles.join(', ')}, and this project has no auth to give roles (set runtime.auth in trellis.yaml)`;
  throw new HttpError(403, 'FORBIDDEN', message);
}
