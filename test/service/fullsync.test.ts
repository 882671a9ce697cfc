import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { methods, type MethodName, type Params, type Result } from '../../src/contract/index.js';
import type { StudioService } from '../../src/service/studio-service.js';
import { recordingService, tempDir } from './helpers.js';

let service: StudioService;
let remove: () => Promise<void>;
let dir: string;

/** Calls a method as a transport does: params parsed by the contract, the result checked against it. */
async function call<M extends MethodName>(name: M, params: Params<M>): Promise<Result<M>> {
  const handler = service[name] as unknown as (p: unknown) => Promise<unknown>;
  const result = await handler.call(service, methods[name].params.parse(params));
  return methods[name].result.parse(result) as Result<M>;
}

async function failure(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (e) {
    return e as { code: string; message: string };
  }
  throw new Error('expected the call to fail');
}

const files: Record<string, string> = {
  'trellis.yaml': 'name: fs\nformatVersion: 1\n',
  'connectors/docs.yaml': `name: docs
kind: couch
config:
  database: notes
  fullsync: true
  listeners:
    - { name: audit, on: update, sequence: mark, filter: 'doc.type === "note"', chunkSize: 10 }
transactions: []
`,
  'connectors/audit.yaml': `name: audit
kind: couch
config:
  database: audit
transactions:
  - { name: bulk, operation: bulkPost }
`,
  'connectors/api.yaml': 'name: api\nkind: http\nconfig: { host: example.com }\ntransactions: []\n',
  'sequences/mark.yaml': `name: mark
exposed: false
variables:
  - { name: docs, type: json, required: true }
steps:
  - { id: seen, kind: js, props: { code: 'return docs.map((d) => ({ _id: "seen-" + d._id, of: d._id }));' } }
  - { id: post, kind: callTransaction, props: { transaction: audit.bulk, variables: { docs: { source: { from: seen, path: "$" } } } } }
`,
  'fullsync/notes/notes/byTag.js': "function map(doc) {\n  for (const t of doc.tags || []) emit(t, 1);\n}\nconst reduce = '_count';\n",
  'fullsync/notes/notes/titles.js': 'function map(doc) {\n  if (doc.title) emit(doc.title, null);\n}\n',
};

beforeAll(async () => {
  const t = await tempDir('trellis-fullsync-');
  dir = t.dir;
  remove = t.remove;
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  ({ service } = recordingService());
  await service['project.open']({ dir });
}, 60_000);

afterAll(async () => {
  await service.dispose();
  await remove();
});

describe('fullsync documents', () => {
  it('lists the couch connectors with their embedded database, views and listeners', async () => {
    const { databases } = await call('fullsync.databases', { project: dir });
    expect(databases.map((d) => d.connector).sort()).toEqual(['audit', 'docs']);
    const docs = databases.find((d) => d.connector === 'docs')!;
    expect(docs).toMatchObject({ database: 'notes', embedded: true, location: 'data/fullsync/notes', fullsync: true, anonymous: false, docCount: 0, views: ['notes/byTag', 'notes/titles'] });
    expect(docs.listeners).toEqual([{ name: 'audit', on: 'update', sequence: 'mark' }]);
  });

  it('puts, reads, pages, searches by id prefix and deletes documents', async () => {
    for (let i = 0; i < 7; i++) {
      const put = await call('fullsync.doc.put', { project: dir, connector: 'docs', json: JSON.stringify({ _id: `note-${i}`, type: 'note', title: `title ${i}`, tags: i % 2 ? ['odd'] : ['even'] }) });
      expect(put.rev).toMatch(/^1-/);
    }
    await call('fullsync.doc.put', { project: dir, connector: 'docs', json: '{ "_id": "other", "title": "zzz" }' });
    const generated = await call('fullsync.doc.put', { project: dir, connector: 'docs', json: '{ "title": "no id" }' });
    expect(generated.id).toMatch(/^[0-9a-f]{32}$/);

    const first = await call('fullsync.docs', { project: dir, connector: 'docs', limit: 3 });
    expect(first.total).toBe(9);
    expect(first.more).toBe(true);
    expect(first.rows).toHaveLength(3);
    const second = await call('fullsync.docs', { project: dir, connector: 'docs', limit: 3, skip: 3 });
    expect(second.rows[0]!.id).not.toBe(first.rows[2]!.id);

    const prefixed = await call('fullsync.docs', { project: dir, connector: 'docs', startkey: 'note-', limit: 100 });
    expect(prefixed.rows.map((r) => r.id)).toEqual(['note-0', 'note-1', 'note-2', 'note-3', 'note-4', 'note-5', 'note-6']);
    expect(prefixed.more).toBe(false);
    expect(prefixed.rows[1]!.preview).toBe('{"type":"note","title":"title 1","tags":["odd"]}');

    const got = await call('fullsync.doc.get', { project: dir, connector: 'docs', id: 'other' });
    const doc = JSON.parse(got.json) as Record<string, unknown>;
    expect(doc).toMatchObject({ _id: 'other', title: 'zzz' });
    const edited = await call('fullsync.doc.put', { project: dir, connector: 'docs', json: JSON.stringify({ ...doc, title: 'changed' }) });
    expect(edited.rev).toMatch(/^2-/);

    const removed = await call('fullsync.doc.delete', { project: dir, connector: 'docs', id: 'other', rev: edited.rev });
    expect(removed.rev).toMatch(/^3-/);
    const gone = await failure(call('fullsync.doc.get', { project: dir, connector: 'docs', id: 'other' }));
    expect(gone.code).toBe('NOT_FOUND');
    expect(gone.message).toContain('document "other" is not in connector docs\'s database (it was deleted)');
  });

  it('explains a conflict: a stale _rev says to reload', async () => {
    const got = await call('fullsync.doc.get', { project: dir, connector: 'docs', id: 'note-0' });
    const stale = JSON.parse(got.json) as Record<string, unknown>;
    await call('fullsync.doc.put', { project: dir, connector: 'docs', json: JSON.stringify({ ...stale, title: 'first writer' }) });
    const conflict = await failure(call('fullsync.doc.put', { project: dir, connector: 'docs', json: JSON.stringify({ ...stale, title: 'second writer' }) }));
    expect(conflict.code).toBe('CONFLICT');
    expect(conflict.message).toContain('Reload the document');
    const del = await failure(call('fullsync.doc.delete', { project: dir, connector: 'docs', id: 'note-0', rev: String(stale._rev) }));
    expect(del.code).toBe('CONFLICT');
  });

  it('refuses bad JSON with its line and column, and documents CouchDB would refuse', async () => {
    const bad = await failure(call('fullsync.doc.put', { project: dir, connector: 'docs', json: '{\n  "_id": "x",\n  "a": 1,,\n}' }));
    expect(bad.code).toBe('BAD_VARIABLE');
    expect(bad.message).toMatch(/^the document is not valid JSON: line 3, column 10: /);
    for (const [json, message] of [
      ['[1, 2]', 'a document is a JSON object ({ ... }), not an array'],
      ['"text"', 'not a string'],
      ['{ "_id": 5 }', '_id is a non-empty string'],
      ['{ "_id": "_secret" }', 'ids starting with _ are reserved'],
      ['{ "_id": "a", "_private": 1 }', 'field _private: top-level fields starting with _ are reserved'],
    ] as const) {
      const e = await failure(call('fullsync.doc.put', { project: dir, connector: 'docs', json }));
      expect(e.message).toContain(message);
    }
  });

  it('refuses connectors that are not couch connectors or do not exist', async () => {
    expect((await failure(call('fullsync.docs', { project: dir, connector: 'api' }))).message).toContain('connector api is of kind http');
    expect((await failure(call('fullsync.docs', { project: dir, connector: 'nope' }))).code).toBe('NOT_FOUND');
  });
});

describe('fullsync views', () => {
  it('runs a view with and without its reduce, grouped, over a key range', async () => {
    const reduced = await call('fullsync.view.query', { project: dir, connector: 'docs', view: 'notes/byTag' });
    expect(reduced.reduced).toBe(true);
    expect(reduced.rows).toEqual([{ key: null, value: 7 }]);
    const grouped = await call('fullsync.view.query', { project: dir, connector: 'docs', view: 'notes/byTag', group: true });
    expect(grouped.rows).toEqual([
      { key: 'even', value: 4 },
      { key: 'odd', value: 3 },
    ]);
    const rows = await call('fullsync.view.query', { project: dir, connector: 'docs', view: 'notes/byTag', reduce: false, key: '"odd"' });
    expect(rows.reduced).toBe(false);
    expect(rows.rows.map((r) => r.id)).toEqual(['note-1', 'note-3', 'note-5']);
    const range = await call('fullsync.view.query', { project: dir, connector: 'docs', view: 'notes/titles', startkey: '"title 2"', endkey: '"title 4"' });
    expect(range.rows.map((r) => r.key)).toEqual(['title 2', 'title 3', 'title 4']);
    expect(range.total).toBe(8);
    const badKey = await failure(call('fullsync.view.query', { project: dir, connector: 'docs', view: 'notes/titles', startkey: 'title' }));
    expect(badKey.message).toMatch(/^startkey is not JSON \(write strings in quotes: "a"\): Unexpected token/);
  });

  it('reads, edits and creates view files atomically, and the next query uses them', async () => {
    const view = await call('fullsync.view.get', { project: dir, connector: 'docs', view: 'notes/byTag' });
    expect(view.code).toContain('function map(doc)');
    expect(view.reduce).toBe('_count');

    const saved = await call('fullsync.view.save', { project: dir, connector: 'docs', view: 'stats/byType', code: "function map(doc) {\n  emit(doc.type || 'none', 1);\n}\nconst reduce = '_sum';\n" });
    expect(saved).toMatchObject({ created: true, reduce: '_sum' });
    expect(await readFile(join(dir, 'fullsync/notes/stats/byType.js'), 'utf8')).toContain("emit(doc.type || 'none', 1)");
    const summed = await call('fullsync.view.query', { project: dir, connector: 'docs', view: 'stats/byType', group: true });
    expect(summed.rows).toEqual([
      { key: 'none', value: 1 },
      { key: 'note', value: 7 },
    ]);

    const again = await call('fullsync.view.save', { project: dir, connector: 'docs', view: 'stats/byType', code: "function map(doc) {\n  emit(doc.type || 'none', 1);\n}\nconst reduce = '_count';\n" });
    expect(again.created).toBe(false);
    const { databases } = await call('fullsync.databases', { project: dir });
    expect(databases.find((d) => d.connector === 'docs')!.views).toEqual(['notes/byTag', 'notes/titles', 'stats/byType']);

    const badName = await failure(call('fullsync.view.save', { project: dir, connector: 'docs', view: '../x', code: '' }));
    expect(badName.message).toContain('design and view names are letters, digits, _ . - (not starting with .)');
    const missing = await failure(call('fullsync.view.get', { project: dir, connector: 'docs', view: 'notes/none' }));
    expect(missing.code).toBe('NOT_FOUND');
    const broken = await failure(call('fullsync.view.query', { project: dir, connector: 'docs', view: 'notes/titles', group: true }));
    expect(broken.message).toContain('group and group_level need reduce');
  });
});

describe('fullsync listeners in the studio', () => {
  it('starts the listeners, which call their sequence for changed documents, and stops them', async () => {
    const idle = await call('fullsync.listeners.activity', { project: dir });
    expect(idle).toEqual({ running: false, listeners: ['docs.audit'], activity: [] });
    const started = await call('fullsync.listeners.start', { project: dir });
    expect(started.running).toBe(true);
    const seen = await pollActivity((a) => a.some((x) => x.ok && x.docs > 0));
    expect(seen.every((a) => a.connector === 'docs' && a.listener === 'audit')).toBe(true);
    const audited = await call('fullsync.docs', { project: dir, connector: 'audit', startkey: 'seen-note-', limit: 100 });
    expect(audited.rows.map((r) => r.id)).toEqual(['seen-note-0', 'seen-note-1', 'seen-note-2', 'seen-note-3', 'seen-note-4', 'seen-note-5', 'seen-note-6']);

    await call('fullsync.doc.put', { project: dir, connector: 'docs', json: '{ "_id": "note-late", "type": "note" }' });
    await pollActivity(() => undefined, async () => (await call('fullsync.docs', { project: dir, connector: 'audit', startkey: 'seen-note-late', limit: 1 })).rows.length === 1);

    const stopped = await call('fullsync.listeners.stop', { project: dir });
    expect(stopped.running).toBe(false);
    expect(stopped.activity.length).toBeGreaterThan(0);
    expect((await call('fullsync.listeners.activity', { project: dir })).running).toBe(false);
  }, 60_000);

  it('refuses to start when the project has no listeners, saying where they go', async () => {
    const t = await tempDir('trellis-fullsync-none-');
    try {
      await mkdir(join(t.dir, 'connectors'), { recursive: true });
      await writeFile(join(t.dir, 'trellis.yaml'), 'name: quiet\nformatVersion: 1\n');
      await writeFile(join(t.dir, 'connectors/c.yaml'), 'name: c\nkind: couch\nconfig: { database: quiet }\ntransactions: []\n');
      await service['project.open']({ dir: t.dir });
      const e = await failure(call('fullsync.listeners.start', { project: t.dir }));
      expect(e.message).toContain("project quiet has no listeners: add them under listeners: in a couch connector's settings");
      await service['project.close']({ project: t.dir });
    } finally {
      await t.remove();
    }
  });

  it('stops the listeners of a project when it closes', async () => {
    expect((await call('fullsync.listeners.start', { project: dir })).running).toBe(true);
    await service['project.close']({ project: dir });
    await service['project.open']({ dir });
    expect((await call('fullsync.listeners.activity', { project: dir })).running).toBe(false);
  }, 60_000);
});

async function pollActivity(
  check: (a: Result<'fullsync.listeners.activity'>['activity']) => boolean | undefined,
  extra?: () => Promise<boolean>,
): Promise<Result<'fullsync.listeners.activity'>['activity']> {
  const until = Date.now() + 30_000;
  for (;;) {
    const { activity } = await call('fullsync.listeners.activity', { project: dir });
    if (extra ? await extra() : check(activity)) return activity;
    if (Date.now() > until) throw new Error(`listeners did nothing in time: ${JSON.stringify(activity)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
