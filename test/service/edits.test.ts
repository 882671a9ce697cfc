import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadProject } from '../../src/project/index.js';
import type { StudioService } from '../../src/service/studio-service.js';
import { txs, recordingService, tempDir, type Recorded } from './helpers.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let service: StudioService;
let events: Recorded[];
let dir: string;

const connector = { type: 'connector' as const, connector: 'rest' };
const tx = (transaction: string) => ({ type: 'transaction' as const, connector: 'rest', transaction });

beforeEach(async () => {
  tmp = await tempDir();
  ({ service, events } = recordingService());
  dir = join(tmp.dir, 'shop');
  await service['project.create']({ dir, name: 'shop', description: 'Orders', rest: { connector: 'rest', host: 'api.example.com', https: true, basePath: '/v2' } });
});

afterEach(async () => {
  await service.dispose();
  await tmp.remove();
});

async function addTx(name: string, extra: Record<string, unknown> = {}) {
  return service['object.create']({ project: dir, parent: connector, objectType: 'transaction', value: { name, method: 'GET', path: `/${name}`, ...extra } });
}

describe('StudioService: the REST project and its objects', () => {
  it('creates the REST empty web service with one http connector, saved at once', async () => {
    const state = await service['project.get']({ project: dir });
    expect(state.dirty).toBe(false);
    expect(state.project.name).toBe('shop');
    expect(state.project.connectors).toEqual([expect.objectContaining({ name: 'rest', kind: 'http', config: { host: 'api.example.com', https: true, basePath: '/v2' } })]);
    expect(await readFile(join(dir, 'connectors/rest.yaml'), 'utf8')).toContain('host: api.example.com');
    expect(events.map((e) => e.payload.reason)).toContain('open');
  });

  it('refuses a server address with a protocol before writing anything', async () => {
    const other = join(tmp.dir, 'other');
    await expect(service['project.create']({ dir: other, rest: { connector: 'rest', host: 'https://api.example.com', https: false } })).rejects.toThrow(
      /other\/connectors\/rest: config\.host: host is a server address without protocol/,
    );
    await expect(readFile(join(other, 'trellis.yaml'))).rejects.toThrow();
  });

  it('adds, renames (keeping order), duplicates, moves and deletes transactions and variables', async () => {
    await addTx('list');
    await addTx('get', { path: '/items/{id}' });
    await addTx('remove', { method: 'DELETE' });
    const names = async () => txs(await service['project.get']({ project: dir })).map((t) => t.name);
    expect(await names()).toEqual(['list', 'get', 'remove']);

    const renamed = await service['object.rename']({ project: dir, ref: tx('get'), name: 'getItem' });
    expect(renamed.ref).toEqual(tx('getItem'));
    expect(await names()).toEqual(['list', 'getItem', 'remove']);

    const copy = await service['object.duplicate']({ project: dir, ref: tx('getItem') });
    expect(copy.ref).toEqual(tx('getItem_2'));
    expect(await names()).toEqual(['list', 'getItem', 'getItem_2', 'remove']);

    await service['object.move']({ project: dir, ref: tx('remove'), index: 0 });
    expect(await names()).toEqual(['remove', 'list', 'getItem', 'getItem_2']);
    await service['object.move']({ project: dir, ref: tx('remove'), index: 99 });
    expect(await names()).toEqual(['list', 'getItem', 'getItem_2', 'remove']);

    await service['object.delete']({ project: dir, ref: tx('getItem_2') });
    expect(await names()).toEqual(['list', 'getItem', 'remove']);

    const v = await service['object.create']({ project: dir, parent: tx('list'), objectType: 'variable', value: { name: 'limit', type: 'integer', in: 'query' } });
    expect(v.ref).toEqual({ type: 'variable', connector: 'rest', transaction: 'list', variable: 'limit' });
    await service['object.create']({ project: dir, parent: tx('list'), objectType: 'variable', value: { name: 'q', in: 'query' } });
    await service['object.rename']({ project: dir, ref: v.ref, name: 'max' });
    await service['object.move']({ project: dir, ref: { type: 'variable', connector: 'rest', transaction: 'list', variable: 'q' }, index: 0 });
    const state = await service['object.duplicate']({ project: dir, ref: { type: 'variable', connector: 'rest', transaction: 'list', variable: 'max' } });
    const vars = txs(state.state)[0]!.variables as Array<{ name: string; type: string }>;
    expect(vars.map((x) => x.name)).toEqual(['q', 'max', 'max_2']);
    expect(vars[1]!.type).toBe('integer');
  });

  it('keeps children on update and refuses a name change there', async () => {
    await addTx('list');
    await service['object.create']({ project: dir, parent: tx('list'), objectType: 'variable', value: { name: 'q' } });
    const state = await service['object.update']({ project: dir, ref: tx('list'), value: { method: 'POST', path: '/search' } });
    const t = txs(state)[0] as Record<string, unknown>;
    expect(t).toMatchObject({ name: 'list', method: 'POST', path: '/search', variables: [{ name: 'q' }] });
    await expect(service['object.update']({ project: dir, ref: tx('list'), value: { name: 'other' } })).rejects.toThrow(/use object.rename/);

    const c = await service['object.update']({ project: dir, ref: connector, value: { kind: 'http', config: { host: '127.0.0.1:8080' } } });
    expect(txs(c)).toHaveLength(1);
  });

  it('rejects invalid values with messages naming the object path and field', async () => {
    await addTx('list');
    await expect(addTx('list')).rejects.toThrow('shop/connectors/rest/list: name: connector rest already has a transaction named "list"');
    await expect(addTx('bad name')).rejects.toThrow(/name: a name starts with a letter/);
    await expect(addTx('x', { method: 'FETCH' })).rejects.toMatchObject({ code: 'INVALID_CONFIG', path: 'shop/connectors/rest/x', message: expect.stringContaining('method:') });
    await expect(service['object.update']({ project: dir, ref: connector, value: { kind: 'http', config: { host: 'http://x.org/api' } } })).rejects.toThrow(
      /shop\/connectors\/rest: config\.host: host is a server address without protocol: write "x\.org"/,
    );
    await expect(service['object.update']({ project: dir, ref: connector, value: { kind: 'nope', config: {} } })).rejects.toThrow(/kind: unknown connector kind "nope" \(kinds: http\b/);
    await expect(service['object.create']({ project: dir, parent: tx('list'), objectType: 'variable', value: { name: 'v', type: 'date' } })).rejects.toThrow(
      /shop\/connectors\/rest\/list\/v: type: /,
    );
    await expect(service['object.rename']({ project: dir, ref: tx('missing'), name: 'y' })).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('connector rest has no transaction "missing"') });
    await expect(service['object.create']({ project: dir, parent: { type: 'project' }, objectType: 'connector', value: { name: 'REST', kind: 'http', config: { host: 'a' } } })).rejects.toThrow(
      /already has a connector named "REST" \(names of files differ by more than case\)/,
    );
    // Nothing of the refused edits reached the model.
    const state = await service['project.get']({ project: dir });
    expect(txs(state).map((t) => t.name)).toEqual(['list']);
  });

  it('undoes and redoes edits, with dirty flags relative to the last save', async () => {
    const start = await service['project.get']({ project: dir });
    expect(start).toMatchObject({ dirty: false, canUndo: false, canRedo: false });
    await addTx('a');
    const two = await addTx('b');
    expect(two.state).toMatchObject({ dirty: true, canUndo: true });
    expect(two.state.version).toBeGreaterThan(start.version);

    let s = await service['project.undo']({ project: dir });
    expect(txs(s).map((t) => t.name)).toEqual(['a']);
    expect(s.canRedo).toBe(true);
    s = await service['project.undo']({ project: dir });
    expect(s).toMatchObject({ dirty: false, canUndo: false });
    s = await service['project.redo']({ project: dir });
    expect(txs(s).map((t) => t.name)).toEqual(['a']);
    expect(s.dirty).toBe(true);

    await service['project.save']({ project: dir });
    s = await service['project.undo']({ project: dir });
    expect(s).toMatchObject({ dirty: true, canRedo: true });
    s = await service['project.redo']({ project: dir });
    expect(s.dirty).toBe(false);
    expect(events.filter((e) => e.name === 'project.changed').map((e) => e.payload.reason)).toEqual(['open', 'edit', 'edit', 'undo', 'undo', 'redo', 'save', 'undo', 'redo']);
  });

  it('saves atomically and reads back the same model; deleted objects lose their files', async () => {
    await addTx('get', { path: '/items/{id}' });
    await service['object.create']({ project: dir, parent: tx('get'), objectType: 'variable', value: { name: 'id', type: 'integer', required: true, in: 'path' } });
    await service['object.create']({ project: dir, parent: { type: 'project' }, objectType: 'connector', value: { name: 'other', kind: 'http', config: { host: 'b.example.com' } } });
    await service['object.create']({ project: dir, parent: { type: 'project' }, objectType: 'sequence', value: { name: 'card' } });
    await service['object.update']({ project: dir, ref: { type: 'project' }, value: { description: 'Orders and catalogue' } });
    const saved = await service['project.save']({ project: dir });
    expect(saved.dirty).toBe(false);
    const { project, problems } = await loadProject(dir);
    expect(problems).toEqual([]);
    expect(JSON.parse(JSON.stringify(project))).toEqual(JSON.parse(JSON.stringify(saved.project)));
    expect(await readFile(join(dir, 'connectors/other.yaml'), 'utf8')).toContain('b.example.com');

    await service['object.delete']({ project: dir, ref: { type: 'connector', connector: 'other' } });
    await service['object.rename']({ project: dir, ref: { type: 'sequence', sequence: 'card' }, name: 'productCard' });
    await service['project.save']({ project: dir });
    await expect(readFile(join(dir, 'connectors/other.yaml'))).rejects.toThrow();
    await expect(readFile(join(dir, 'sequences/card.yaml'))).rejects.toThrow();
    expect(await readFile(join(dir, 'sequences/productCard.yaml'), 'utf8')).toContain('name: productCard');
  });

  it('lists the workspace and closes projects', async () => {
    expect(await service['workspace.get']({})).toMatchObject({ projects: [{ dir, name: 'shop', dirty: false }] });
    await service['project.close']({ project: dir });
    expect((await service['workspace.get']({})).projects).toEqual([]);
    await expect(service['project.get']({ project: dir })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const reopened = await service['project.open']({ dir });
    expect(reopened.project.connectors).toHaveLength(1);
  });
});
