import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { resolveEnv, type Env } from '../../engine/env.js';
import { TrellisError } from '../../engine/errors.js';
import type { CouchConfig } from './config.js';
import { pouchDB, type PouchDB } from './pouch.js';

/** One open database, shared by every connector handle that points at it, closed with its last lease. */
export interface StoreLease {
  readonly db: PouchDB;
  /** where the data lives: a folder for the embedded store, the URL (without credentials) for CouchDB */
  readonly location: string;
  readonly embedded: boolean;
  release(): Promise<void>;
}

interface Shared {
  db: PouchDB;
  refs: number;
}

// LevelDB allows one open handle per folder and process, and PouchDB's own cache closes the folder for every
// instance when one of them closes: the studio and a runtime in one process (and tests) share one instance here.
const embeddedStores = new Map<string, Promise<Shared>>();

/** Where the embedded store of `database` lives: TRELLIS_DATA_DIR (the runtime's data folder) or the project's data/. */
export function embeddedLocation(config: CouchConfig, projectDir: string, env: Env): string {
  const dataDir = env.get('TRELLIS_DATA_DIR');
  return resolve(dataDir ? dataDir : resolve(projectDir, 'data'), 'fullsync', config.database);
}

async function openEmbedded(location: string): Promise<StoreLease> {
  let entry = embeddedStores.get(location);
  if (!entry) {
    entry = (async () => {
      await mkdir(dirname(location), { recursive: true });
      const PouchDB = pouchDB();
      const db = new PouchDB(location, { adapter: 'leveldb' });
      try {
        await db.info();
      } catch (e) {
        throw new TrellisError('NETWORK', `cannot open the embedded store at ${location}: ${(e as Error).message} (is another Trellis process using it?)`, { cause: e });
      }
      return { db, refs: 0 };
    })();
    embeddedStores.set(location, entry);
    entry.catch(() => embeddedStores.delete(location));
  }
  const shared = await entry;
  shared.refs++;
  let released = false;
  return {
    db: shared.db,
    location,
    embedded: true,
    async release() {
      if (released) return;
      released = true;
      if (--shared.refs > 0) return;
      embeddedStores.delete(location);
      await shared.db.close();
    },
  };
}

function openRemote(config: CouchConfig, env: Env, where: string, timeoutMs: number): StoreLease {
  const base = config.url!.replace(/\/+$/, '');
  const location = `${base}/${encodeURIComponent(config.database)}`;
  const auth = config.user ? { username: resolveEnv(config.user, env, where), password: config.password ? resolveEnv(config.password, env, where) : '' } : undefined;
  const PouchDB = pouchDB();
  // skip_setup: a missing database is an error naming it, not silently created on the server
  const db = new PouchDB(location, { adapter: 'http', skip_setup: true, ...(auth ? { auth } : {}), fetch: timedFetch(timeoutMs) });
  return { db, location, embedded: false, release: () => db.close() };
}

/** fetch with the connector's timeout: CouchDB requests that hang fail instead of holding a run forever. */
function timedFetch(timeoutMs: number) {
  return (url: string, options: RequestInit & { signal?: AbortSignal }) => {
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    return fetch(url, { ...options, signal });
  };
}

export async function openStore(config: CouchConfig, projectDir: string, env: Env, where: string): Promise<StoreLease> {
  if (config.url) return openRemote(config, env, where, config.timeoutMs);
  return openEmbedded(embeddedLocation(config, projectDir, env));
}
