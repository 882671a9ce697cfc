import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envFrom } from '../../../src/engine/env.js';
import { ConnectionPool } from '../../../src/engine/pool.js';
import { executeTransaction } from '../../../src/engine/execute-transaction.js';
import type { Project } from '../../../src/model/index.js';
import { loadProject } from '../../../src/project/index.js';
import { couchProject, writeProject } from './helpers.js';

let dir = '';
let project: Project;
const pool = new ConnectionPool();
const env = envFrom({});

async function run(target: string, vars: Record<string, unknown> = {}) {
  return (await executeTransaction(project, `docs.${target}`, vars, { pool, env })).data as any;
}

beforeAll(async () => {
  dir = writeProject(couchProject());
  const loaded = await loadProject(dir);
  expect(loaded.problems.filter((p) => p.severity === 'error')).toEqual([]);
  project = loaded.project;
});

afterAll(async () => {
  await pool.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('couch connector on the embedded store', () => {
  it('puts, gets, and refuses a stale revision with a clear conflict', async () => {
    const put = await run('put', { doc: { _id: 'n1', title: 'first', tags: ['a', 'b'] } });
    expect(put).toMatchObject({ ok: true, id: 'n1' });
    const doc = await run('get', { docid: 'n1' });
    expect(doc).toMatchObject({ _id: 'n1', title: 'first', _rev: put.rev });
    await run('put', { doc: { ...doc, title: 'first!' } });
    await expect(run('put', { doc: { ...doc, title: 'stale' } })).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('n1') });
  });

  it('applies the merge, override and create policies', async () => {
    await run('put', { doc: { _id: 'p1', title: 'merge me', meta: { a: 1, b: 2 }, tags: ['x'] } });
    await run('putMerge', { doc: { _id: 'p1', meta: { b: 3, c: 4 } } });
    expect(await run('get', { docid: 'p1' })).toMatchObject({ title: 'merge me', meta: { a: 1, b: 3, c: 4 }, tags: ['x'] });
    await run('putOverride', { doc: { _id: 'p1', title: 'replaced' } });
    const over = await run('get', { docid: 'p1' });
    expect(over.title).toBe('replaced');
    expect(over.meta).toBeUndefined();
    const created = await run('create', { doc: { _id: 'p1', title: 'copy' } });
    expect(created.id).not.toBe('p1');
    expect((await run('get', { docid: created.id })).title).toBe('copy');
  });

  it('bulk posts with merge and skips unchanged documents', async () => {
    const first = await run('bulk', { docs: [{ _id: 'b1', title: 'one', tags: ['t'] }, { _id: 'b2', title: 'two', tags: ['t', 'u'] }] });
    expect(first.map((r: any) => r.ok)).toEqual([true, true]);
    const second = await run('bulk', { docs: [{ _id: 'b1', title: 'one' }, { _id: 'b2', title: 'two!' }] });
    expect(second[0]).toMatchObject({ ok: true, id: 'b1', unchanged: true, rev: first[0].rev });
    expect(second[1].unchanged).toBeUndefined();
    expect(second[1].rev).not.toBe(first[1].rev);
  });

  it('queries map views with keys, ranges, paging and docs, and keeps up with changes', async () => {
    const t = await run('byTag', { key: '"t"' });
    expect(t.rows.map((r: any) => r.id).sort()).toEqual(['b1', 'b2']);
    const range = await run('byTag', { startkey: '"a"', endkey: '"b"', include_docs: true });
    expect(range.rows.map((r: any) => r.key)).toEqual(['a', 'b']);
    expect(range.rows[0].doc.title).toBe('first!');
    const paged = await run('byTag', { limit: 2, skip: 1 });
    expect(paged.rows).toHaveLength(2);
    await run('put', { doc: { _id: 'late', title: 'late', tags: ['t'] } });
    expect((await run('byTag', { key: '"t"' })).rows).toHaveLength(3);
    await run('remove', { docid: 'late' });
    expect((await run('byTag', { key: '"t"' })).rows).toHaveLength(2);
  });

  it('reduces with built-ins, groups and JavaScript reduce functions', async () => {
    expect((await run('countByTag')).rows).toEqual([{ key: null, value: 5 }]);
    const grouped = await run('countByTag', { group_level: 1 });
    expect(grouped.rows).toEqual([
      { key: ['a'], value: 1 },
      { key: ['b'], value: 1 },
      { key: ['t'], value: 2 },
      { key: ['u'], value: 1 },
    ]);
    expect((await run('countByTag', { reduce: false, limit: 1 })).rows[0]).toMatchObject({ key: ['a', 'first!'], value: 1 });
    const lengths = await run('lengths', { key: 4, group: true });
    expect(lengths.rows).toEqual([{ key: 4, value: expect.stringMatching(/^(copy\+two!|two!\+copy)$/) }]);
  });

  it('finds with Mango selectors and lists changes', async () => {
    const found = await run('find', { selector: { title: 'one' } });
    expect(found.docs.map((d: any) => d._id)).toEqual(['b1']);
    const changes = await run('changes', { limit: 3 });
    expect(changes.results).toHaveLength(3);
    const rest = await run('changes', { since: changes.last_seq });
    expect(rest.results.length).toBeGreaterThan(0);
  });

  it('names what is wrong: missing document, bad variables, missing view file', async () => {
    await expect(run('get', { docid: 'nope' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(run('put', { doc: [1, 2] })).rejects.toMatchObject({ code: 'BAD_VARIABLE', message: expect.stringContaining('variable doc') });
    await expect(run('put', { doc: { _id: '_secret' } })).rejects.toMatchObject({ message: expect.stringContaining('reserves') });
    project.connectors[0]!.transactions.push({ name: 'ghost', operation: 'view', view: 'nope/none', variables: [] } as never);
    await expect(run('ghost')).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('fullsync/notes/nope/none.js') });
  });

  it('the store survives a reopen (data on disk under data/fullsync)', async () => {
    await pool.dispose();
    expect((await run('get', { docid: 'n1' })).title).toBe('first!');
  });
});
