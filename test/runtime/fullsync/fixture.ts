import { SignJWT } from 'jose';
import { pouchDB, type PouchDB } from '../../../src/connectors/couch/pouch.js';

export const SECRET = 'fullsync-test-secret-0123456789';

export function token(sub: string, roles: string[] = []): Promise<string> {
  return new SignJWT({ roles }).setProtectedHeader({ alg: 'HS256' }).setSubject(sub).setIssuedAt().setExpirationTime('10m').sign(new TextEncoder().encode(SECRET));
}

let counter = 0;

/** A device: an unmodified PouchDB with the memory adapter. */
export function device(name: string): PouchDB {
  const PouchDB = pouchDB();
  return new PouchDB(`device-${name}-${process.pid}-${counter++}`, { adapter: 'memory' });
}

/** The runtime endpoint as a PouchDB remote, authenticated with a bearer token (or anonymous). */
export function remote(url: string, bearer?: string): PouchDB {
  const PouchDB = pouchDB();
  return new PouchDB(url, {
    adapter: 'http',
    // PouchDB's own fetch (node-fetch: attachments are read with response.buffer()), plus the bearer token
    fetch: (u: string, init: { headers: { set(name: string, value: string): void } }) => {
      if (bearer) init.headers.set('Authorization', `Bearer ${bearer}`);
      return (PouchDB as unknown as { fetch(u: string, init: unknown): Promise<unknown> }).fetch(u, init);
    },
  });
}

/** trellis.yaml with JWT auth + a fullsync couch connector `notes` (database notes). */
export function fullsyncProject(name: string, options: { anonymous?: boolean; auth?: boolean; listeners?: unknown[]; extra?: Record<string, unknown> } = {}): Record<string, unknown> {
  return {
    'trellis.yaml': { name, formatVersion: 1, ...(options.auth === false ? {} : { runtime: { auth: { type: 'jwt', algorithm: 'HS256', secret: '${env:JWT_SECRET}' } } }) },
    'connectors/notes.yaml': {
      name: 'notes',
      kind: 'couch',
      config: { database: 'notes', fullsync: true, ...(options.anonymous ? { anonymous: true } : {}), ...(options.listeners ? { listeners: options.listeners } : {}) },
      transactions: [
        { name: 'get', operation: 'get' },
        { name: 'merge', operation: 'bulkPost', policy: 'merge' },
        { name: 'all', operation: 'allDocs' },
      ],
    },
    ...options.extra,
  };
}
