import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { envFrom } from '../../../src/engine/env.js';
import { silentLogger } from '../../../src/engine/logger.js';
import { ConnectionPool } from '../../../src/engine/pool.js';
import { executeSequence } from '../../../src/engine/sequence/index.js';
import { loadProject } from '../../../src/project/index.js';
import type { Runtime } from '../../../src/runtime/server.js';
import { removeDir, serve, writeProject } from '../helpers.js';
import { device, fullsyncProject, remote, SECRET, token } from './fixture.js';

const src = (from: string, path: string) => ({ source: { from, path } });

/** A project whose `notes` FullSync database feeds a SQLite table through a listener, and a sequence that imports the other way. */
async function project(listenerExtra: Record<string, unknown> = {}): Promise<string> {
  const dir = await writeProject(
    fullsyncProject('fs', {
      listeners: [{ name: 'toSql', on: 'update', sequence: 'store', chunkSize: 3, filter: 'doc.type === "note"', ...listenerExtra }],
      extra: {
        'connectors/db.yaml': {
          name: 'db',
          kind: 'sql',
          config: { driver: 'sqlite', file: 'data/app.db' },
          transactions: [
            { name: 'save', sql: 'INSERT INTO seen (id, text, calls) VALUES ({id}, {text}, 1) ON CONFLICT(id) DO UPDATE SET text = excluded.text, calls = calls + 1', result: 'count' },
            { name: 'albums', sql: 'SELECT id, title FROM albums ORDER BY id', result: 'rows' },
          ],
        },
        'sequences/store.yaml': {
          name: 'store',
          exposed: false,
          variables: [{ name: 'docs', type: 'json', required: true }],
          steps: [{ id: 'each', kind: 'iterate', props: { over: src('variables', '$.docs') }, steps: [{ id: 'save', kind: 'callTransaction', props: { transaction: 'db.save', variables: { id: src('each', '$.item._id'), text: src('each', '$.item.text') } } }] }],
        },
        'sequences/importAlbums.yaml': {
          name: 'importAlbums',
          steps: [
            { id: 'rows', kind: 'callTransaction', props: { transaction: 'db.albums' } },
            { id: 'docs', kind: 'js', props: { code: 'return steps.rows.map((r) => ({ _id: "album-" + r.id, type: "album", title: r.title, channels: ["*"] }));' } },
            { id: 'post', kind: 'callTransaction', props: { transaction: 'notes.merge', variables: { docs: src('docs', '$') } } },
            { id: 'out', kind: 'output', props: { value: src('post', '$') } },
          ],
        },
      },
    }),
  );
  mkdirSync(join(dir, 'data'), { recursive: true });
  const db = new Database(join(dir, 'data/app.db'));
  db.exec("CREATE TABLE seen (id TEXT PRIMARY KEY, text TEXT, calls INTEGER); CREATE TABLE albums (id INTEGER PRIMARY KEY, title TEXT); INSERT INTO albums VALUES (1, 'For Those About To Rock'), (2, 'Balls to the Wall');");
  db.close();
  return dir;
}

function seen(dir: string): Array<{ id: string; text: string; calls: number }> {
  const db = new Database(join(dir, 'data/app.db'), { readonly: true });
  try {
    return db.prepare('SELECT id, text, calls FROM seen ORDER BY id').all() as Array<{ id: string; text: string; calls: number }>;
  } finally {
    db.close();
  }
}

async function until(check: () => boolean, what: string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const cleanup: Array<() => Promise<void>> = [];
// closing a runtime waits for the listener's chunk in hand: generous on a loaded machine
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
}, 120_000);

describe('FullSync listeners and imports', () => {
  it('a device-side change fires the listener, whose sequence writes to SQLite (filtered, in chunks)', async () => {
    const dir = await project();
    cleanup.push(() => removeDir(dir));
    const runtime = await serve([dir], { env: { JWT_SECRET: SECRET } });
    cleanup.push(() => runtime.close());
    const phone = device('phone');
    await phone.bulkDocs([
      { _id: 'n1', type: 'note', text: 'one' },
      { _id: 'n2', type: 'note', text: 'two' },
      { _id: 'x1', type: 'other', text: 'not a note' },
    ]);
    await phone.sync(remote(`${runtime.url}/fullsync/fs/notes`, await token('ann')));
    await until(() => seen(dir).length === 2, 'two rows');
    await phone.put({ ...(await phone.get('n1')), text: 'one, edited on the phone' });
    await phone.sync(remote(`${runtime.url}/fullsync/fs/notes`, await token('ann')));
    await until(() => seen(dir).find((r) => r.id === 'n1')?.text === 'one, edited on the phone', 'the edit');
    expect(seen(dir)).toEqual([
      { id: 'n1', text: 'one, edited on the phone', calls: 2 },
      { id: 'n2', text: 'two', calls: 1 },
    ]);
  });

  it('a runtime restart in the middle of a stream loses no change and processes none twice', async () => {
    const dir = await project({ chunkSize: 5 });
    cleanup.push(() => removeDir(dir));
    let runtime: Runtime = await serve([dir], { env: { JWT_SECRET: SECRET } });
    const url = () => `${runtime.url}/fullsync/fs/notes`;
    const writer = remote(url(), await token('ann'));
    const docs = Array.from({ length: 60 }, (_, i) => ({ _id: `n${String(i).padStart(3, '0')}`, type: 'note', text: `note ${i}` }));
    await writer.bulkDocs(docs.slice(0, 30));
    await until(() => seen(dir).length >= 5, 'the first chunks');
    await runtime.close(); // graceful: the chunk in hand finishes, its checkpoint is saved
    const before = seen(dir).length;
    expect(before).toBeLessThanOrEqual(30);
    runtime = await serve([dir], { env: { JWT_SECRET: SECRET } });
    cleanup.push(() => runtime.close());
    await remote(url(), await token('ann')).bulkDocs(docs.slice(30));
    await until(() => seen(dir).length === 60, 'all 60 rows');
    expect(seen(dir).every((r) => r.calls === 1)).toBe(true);
  });

  it('a sequence imports SQLite rows into the FullSync database with the merge policy; users then replicate them', async () => {
    const dir = await project();
    cleanup.push(() => removeDir(dir));
    const { project: p } = await loadProject(dir);
    const pool = new ConnectionPool();
    cleanup.push(() => pool.dispose());
    const env = envFrom({ JWT_SECRET: SECRET });
    const first = await executeSequence(p, 'importAlbums', {}, { env, pool });
    expect((first.output as Array<{ ok: boolean }>).every((r) => r.ok)).toBe(true);
    // an edit made on the server side survives a second import: merge keeps fields the import does not set
    const handle = await pool.get(dir, p.connectors.find((c) => c.name === 'notes')!, env, silentLogger);
    const db = (handle as unknown as { db: { get(id: string): Promise<Record<string, unknown>>; put(d: object): Promise<unknown> } }).db;
    await db.put({ ...(await db.get('album-1')), rating: 5 });
    await executeSequence(p, 'importAlbums', {}, { env, pool });
    expect(await db.get('album-1')).toMatchObject({ title: 'For Those About To Rock', rating: 5, channels: ['*'] });
    await pool.dispose();

    const runtime = await serve([dir], { env: { JWT_SECRET: SECRET } });
    cleanup.push(() => runtime.close());
    const phone = device('albums');
    await phone.replicate.from(remote(`${runtime.url}/fullsync/fs/notes`, await token('bob')));
    const ids = (await phone.allDocs()).rows.map((r) => r.id).filter((id) => id.startsWith('album-'));
    expect(ids).toEqual(['album-1', 'album-2']);
  });
});
