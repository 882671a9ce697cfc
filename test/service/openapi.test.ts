import { readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { methods } from '../../src/contract/index.js';
import type { StudioService } from '../../src/service/studio-service.js';
import { recordingService, tempDir, type Recorded } from './helpers.js';

const repoRoot = resolve(import.meta.dirname, '../..');
const spec = (file: string) => resolve(repoRoot, '../shared/corpus/openapi', file);
const UBER = spec('oai-uber-v2.json');
const PETSTORE = spec('oai-petstore-separate-v2/spec/swagger.yaml');
const BOX = spec('box-v3.0.json');

let tmp: Awaited<ReturnType<typeof tempDir>>;
let service: StudioService;
let events: Recorded[];
let dir: string;

beforeAll(async () => {
  tmp = await tempDir();
  ({ service, events } = recordingService());
  dir = join(tmp.dir, 'shop');
  await service['project.create']({ dir });
});

afterAll(async () => {
  await service.dispose();
  await tmp.remove();
});

const progress = (taskId: string) => events.filter((e) => e.name === 'task.progress' && e.payload.taskId === taskId).map((e) => e.payload);
const connector = async (name: string): Promise<any> => (await service['project.get']({ project: dir })).project.connectors.find((c) => c.name === name);
const exists = (path: string) => stat(path).then(() => true, () => false);

describe('openapi.preview', () => {
  it('lists what an import of a Swagger 2.0 spec would do, with progress, and changes nothing', async () => {
    const before = await service['project.get']({ project: dir });
    const preview = await service['openapi.preview']({ project: dir, source: UBER, taskId: 'uber-preview' });
    expect(methods['openapi.preview'].result.safeParse(preview).success).toBe(true);
    expect(preview).toMatchObject({ connector: 'uberApi', exists: false, title: 'Uber API', servers: ['https://api.uber.com/v1'], removed: [], skipped: [] });
    expect(preview.operations).toHaveLength(5);
    expect(preview.operations.every((o) => o.change === 'added')).toBe(true);
    expect(preview.operations[0]).toMatchObject({ method: 'GET', path: '/products', tags: ['Products'], summary: 'Product Types' });
    expect(progress('uber-preview').map((p) => p.phase)).toEqual(expect.arrayContaining(['load', 'map', 'merge']));
    const after = await service['project.get']({ project: dir });
    expect(after.version).toBe(before.version);
    expect(await service['task.cancel']({ taskId: 'uber-preview' })).toEqual({ cancelled: false });
  });

  it('reads a multi-file spec, by a path relative to the project, under a chosen connector name', async () => {
    const preview = await service['openapi.preview']({ project: dir, source: relative(dir, PETSTORE), connector: 'pets' });
    expect(preview.connector).toBe('pets');
    expect(preview.operations.map((o) => `${o.method} ${o.path}`)).toEqual(['GET /pets', 'POST /pets', 'GET /pets/{id}', 'DELETE /pets/{id}']);
    for (const w of preview.warnings) expect(Object.keys(w).every((k) => ['message', 'file', 'pointer', 'rule'].includes(k))).toBe(true);
  });

  it('fails on a document that is not a spec with INVALID_SPEC naming the file and pointer', async () => {
    const file = join(tmp.dir, 'notes.json');
    await writeFile(file, JSON.stringify({ info: { title: 'x' }, paths: {} }));
    await expect(service['openapi.preview']({ project: dir, source: file })).rejects.toMatchObject({
      code: 'INVALID_SPEC',
      message: expect.stringMatching(/notes\.json#: not an OpenAPI or Swagger document/),
    });
    await expect(service['openapi.preview']({ project: dir, source: 'missing.yaml' })).rejects.toThrow(/missing\.yaml/);
  });
});

describe('openapi.import', () => {
  it('imports as one undoable edit, writes the schemas at once and the import record on save', async () => {
    const r = await service['openapi.import']({ project: dir, source: PETSTORE, connector: 'pets', taskId: 'pets-1' });
    expect(methods['openapi.import'].result.safeParse(r).success).toBe(true);
    expect(r).toMatchObject({ connector: 'pets', imported: 4, skipped: 0 });
    expect(r.state).toMatchObject({ dirty: true, canUndo: true });
    expect(events.filter((e) => e.name === 'project.changed' && e.payload.reason === 'edit').length).toBeGreaterThan(0);
    const pets = await connector('pets');
    expect(pets.transactions.map((t: any) => t.name)).toEqual(['findPets', 'addPet', 'find_pet_by_id', 'deletePet']);
    expect(progress('pets-1').map((p) => p.phase)).toEqual(expect.arrayContaining(['load', 'map', 'merge', 'write']));
    // output schemas are files beside the model: written by the import itself
    const schemas = await readdir(join(dir, 'schemas'));
    expect(schemas).toContain('pets.findPets.json');
    expect((await service['schema.get']({ project: dir, owner: 'pets.findPets' })).schema).toMatchObject({ type: 'array' });
    // the connector and the import record are written by project.save
    expect(await exists(join(dir, 'connectors', 'pets.yaml'))).toBe(false);
    await service['project.save']({ project: dir });
    expect(await exists(join(dir, 'connectors', 'pets.yaml'))).toBe(true);
    const record = JSON.parse(await readFile(join(dir, 'imports', 'pets.openapi.json'), 'utf8'));
    expect(record.connector.transactions).toHaveLength(4);
    expect(Object.keys(record.schemas)).toContain('schemas/pets.findPets.json');
  });

  it('re-imports over the developer edits (kept), shows the diff, and undo restores the previous connector', async () => {
    const ref = { type: 'transaction' as const, connector: 'pets', transaction: 'findPets' };
    const tx = (await connector('pets')).transactions[0];
    await service['object.update']({ project: dir, ref, value: { ...tx, description: 'my own notes' } });
    const edited = await connector('pets');

    const preview = await service['openapi.preview']({ project: dir, source: PETSTORE, connector: 'pets' });
    expect(preview.exists).toBe(true);
    expect(preview.operations.map((o) => o.change)).toEqual(['unchanged', 'unchanged', 'unchanged', 'unchanged']);

    const again = await service['openapi.import']({ project: dir, source: PETSTORE, connector: 'pets' });
    expect(again.imported).toBe(4);
    expect((await connector('pets')).transactions[0].description).toBe('my own notes');
    await service['project.undo']({ project: dir });
    expect(await connector('pets')).toEqual(edited);
  });

  it('imports only the operations named, and undo removes a new connector', async () => {
    const r = await service['openapi.import']({ project: dir, source: UBER, connector: 'uber', operations: ['GET /products', 'GET /me'] });
    expect(r.imported).toBe(2);
    expect((await connector('uber')).transactions).toHaveLength(2);
    expect(r.state.canUndo).toBe(true);
    await service['project.undo']({ project: dir });
    expect(await connector('uber')).toBeUndefined();
    // an undone import leaves no record behind at the next save
    await service['project.save']({ project: dir });
    expect(await exists(join(dir, 'imports', 'uber.openapi.json'))).toBe(false);
  });

  it('task.cancel stops a large import; the working copy stays as it was', async () => {
    const before = await service['project.get']({ project: dir });
    const taskId = 'box-1';
    const sub = service.onEvent((name, payload) => {
      if (name === 'task.progress' && (payload as { taskId: string }).taskId === taskId) void service['task.cancel']({ taskId });
    });
    try {
      await expect(service['openapi.import']({ project: dir, source: BOX, taskId })).rejects.toMatchObject({ code: 'CANCELLED' });
    } finally {
      sub.dispose();
    }
    expect(progress(taskId).length).toBeGreaterThan(0);
    const after = await service['project.get']({ project: dir });
    expect(after.version).toBe(before.version);
    expect(after.project.connectors.map((c) => c.name)).toEqual(before.project.connectors.map((c) => c.name));
    expect(await service['task.cancel']({ taskId })).toEqual({ cancelled: false });
  });

  it('imports the 1.7 MB Box spec without blocking the event loop for long', async () => {
    let worst = 0;
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      worst = Math.max(worst, now - last);
      last = now;
    }, 10);
    try {
      const r = await service['openapi.import']({ project: dir, source: BOX, connector: 'box', taskId: 'box-2' });
      expect(r.imported).toBe(296);
    } finally {
      clearInterval(timer);
    }
    const phases = progress('box-2').map((p) => p.phase);
    expect(phases).toEqual(expect.arrayContaining(['load', 'map', 'merge', 'write']));
    expect(worst).toBeLessThan(2000);
    expect((await connector('box')).transactions).toHaveLength(296);
  }, 60_000);
});
