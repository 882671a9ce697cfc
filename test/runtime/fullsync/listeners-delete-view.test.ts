import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { removeDir, serve, writeProject } from '../helpers.js';
import { device, fullsyncProject, remote, SECRET, token } from './fixture.js';

// Issue 11 names two listener kinds ("on update", "on delete") and two ways to filter them (a view or a filter
// function); listeners.test.ts covers "on update" with a filter function, this file the other two (and the
// deploy's sync of view files into the store as design documents).

const src = (from: string, path: string) => ({ source: { from, path } });

/** Each listener's sequence writes the ids it receives into its own SQLite table. */
function recorder(name: string, table: string) {
  return {
    name,
    exposed: false,
    variables: [{ name: 'docs', type: 'json', required: true }],
    steps: [{ id: 'each', kind: 'iterate', props: { over: src('variables', '$.docs') }, steps: [{ id: 'save', kind: 'callTransaction', props: { transaction: `db.${table}`, variables: { id: src('each', '$.item._id') } } }] }],
  };
}

async function project(): Promise<string> {
  const dir = await writeProject(
    fullsyncProject('fsdel', {
      listeners: [
        { name: 'notesOnly', on: 'update', sequence: 'updated', view: 'notes/notesOnly' },
        { name: 'gone', on: 'delete', sequence: 'deleted' },
      ],
      extra: {
        // only documents of type note emit a row: the update listener sees nothing else
        'fullsync/notes/notes/notesOnly.js': 'function map(doc) {\n  if (doc.type === "note") emit(doc._id, null);\n}\n',
        'connectors/db.yaml': {
          name: 'db',
          kind: 'sql',
          config: { driver: 'sqlite', file: 'data/app.db' },
          transactions: [
            { name: 'updated', sql: 'INSERT INTO updated (id) VALUES ({id})', result: 'count' },
            { name: 'deleted', sql: 'INSERT INTO deleted (id) VALUES ({id})', result: 'count' },
          ],
        },
        'sequences/updated.yaml': recorder('updated', 'updated'),
        'sequences/deleted.yaml': recorder('deleted', 'deleted'),
      },
    }),
  );
  mkdirSync(join(dir, 'data'), { recursive: true });
  const db = new Database(join(dir, 'data/app.db'));
  db.exec('CREATE TABLE updated (id TEXT); CREATE TABLE deleted (id TEXT);');
  db.close();
  return dir;
}

function ids(dir: string, table: 'updated' | 'deleted'): string[] {
  const db = new Database(join(dir, 'data/app.db'), { readonly: true });
  try {
    return (db.prepare(`SELECT id FROM ${table} ORDER BY id`).all() as Array<{ id: string }>).map((r) => r.id);
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
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
}, 120_000);

describe('FullSync listeners: on delete, and filtered by a view', () => {
  it('the deploy syncs the view as a design document; an update listener with it gets only what it emits; a delete listener only deletions', async () => {
    const dir = await project();
    cleanup.push(() => removeDir(dir));
    const runtime = await serve([dir], { env: { JWT_SECRET: SECRET } });
    cleanup.push(() => runtime.close());
    const url = `${runtime.url}/fullsync/fsdel/notes`;
    const phone = device('deleter');
    await phone.bulkDocs([
      { _id: 'n1', type: 'note', text: 'one' },
      { _id: 'n2', type: 'note', text: 'two' },
      { _id: 'x1', type: 'other', text: 'not a note' },
    ]);
    await phone.sync(remote(url, await token('ann')));
    await until(() => ids(dir, 'updated').length === 2, 'the two notes');
    expect(ids(dir, 'deleted')).toEqual([]);
    // the deploy synced the view file into the store as a design document, which devices replicate too
    const design = (await phone.get('_design/notes')) as unknown as { views: Record<string, { map: string }> };
    expect(design.views.notesOnly!.map).toContain('doc.type === "note"');

    await phone.remove(await phone.get('n2'));
    await phone.remove(await phone.get('x1'));
    await phone.sync(remote(url, await token('ann')));
    await until(() => ids(dir, 'deleted').length === 2, 'the two deletions');
    expect(ids(dir, 'deleted')).toEqual(['n2', 'x1']);
    // deletions are not updates: the update listener saw the two notes once, nothing more
    await new Promise((r) => setTimeout(r, 500));
    expect(ids(dir, 'updated')).toEqual(['n1', 'n2']);
  }, 60_000);
});
