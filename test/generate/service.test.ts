import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDispatcher, type Dispatcher } from '../../src/service/dispatch.js';
import type { StudioService } from '../../src/service/studio-service.js';
import { writeProject } from '../runtime/helpers.js';
import { recordingService, tempDir, type Recorded } from '../service/helpers.js';

/** connector.generateCrud through the contract's dispatcher: an undoable edit of the working copy; routes and schemas on disk. */

let tmp: Awaited<ReturnType<typeof tempDir>>;
let service: StudioService;
let events: Recorded[];
let api: Dispatcher;
let dir = '';

async function call(method: string, params: Record<string, unknown>): Promise<any> {
  const r = await api.dispatch(method as never, params);
  if (!r.ok) throw Object.assign(new Error(r.error.message), { code: r.error.code });
  return r.result;
}

beforeAll(async () => {
  tmp = await tempDir();
  ({ service, events } = recordingService());
  api = createDispatcher(service);
  dir = await writeProject(
    {
      'trellis.yaml': { name: 'crm', formatVersion: 1 },
      'connectors/db.yaml': { name: 'db', kind: 'sql', config: { driver: 'sqlite', file: 'crm.db', init: 'schema.sql' } },
      'schema.sql': 'CREATE TABLE customer (id INTEGER PRIMARY KEY, name TEXT NOT NULL); CREATE TABLE note (body TEXT);',
    },
    join(tmp.dir, 'crm'),
  );
  await call('project.open', { dir });
});

afterAll(async () => {
  await service.dispose();
  await tmp.remove();
});

const txNames = (state: any): string[] => state.project.connectors.find((c: { name: string }) => c.name === 'db').transactions.map((t: { name: string }) => t.name);

describe('connector.generateCrud', () => {
  it('refuses an unknown table and changes nothing', async () => {
    await expect(call('connector.generateCrud', { project: dir, connector: 'db', tables: ['nope'] })).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('tables and views: customer, note') });
    const state = await call('project.get', { project: dir });
    expect(state.dirty).toBe(false);
    expect(existsSync(join(dir, 'mappings.yaml'))).toBe(false);
  });

  it('adds transactions and sequences as one undoable edit; routes and schemas are written at once', async () => {
    const r = await call('connector.generateCrud', { project: dir, connector: 'db' });
    expect(r.created).toContain('sequence customer.get');
    expect(r.warnings).toEqual(['table note has no primary key: generated only list and create (get, update and delete need a key)']);
    expect(r.state.dirty).toBe(true);
    expect(r.state.canUndo).toBe(true);
    expect(txNames(r.state)).toEqual(['customer.list', 'customer.get', 'customer.create', 'customer.update', 'customer.delete', 'note.list', 'note.create']);
    expect(r.state.project.sequences.map((s: { name: string }) => s.name)).toContain('customer.delete');
    const routes = parse(readFileSync(join(dir, 'mappings.yaml'), 'utf8')).routes;
    expect(routes).toHaveLength(7);
    expect(existsSync(join(dir, 'schemas/db.customer.get.json'))).toBe(true);
    // our own write is not an outside change: no conflict, the edit stays
    await service.idle();
    await new Promise((resolve) => setTimeout(resolve, 300));
    await service.idle();
    expect(events.some((e) => e.name === 'project.changed' && e.payload.conflict)).toBe(false);
    expect((await call('project.get', { project: dir })).dirty).toBe(true);

    const undone = await call('project.undo', { project: dir });
    expect(txNames(undone)).toEqual([]);
    const redone = await call('project.redo', { project: dir });
    expect(txNames(redone)).toHaveLength(7);
    await call('project.save', { project: dir });
    expect(parse(readFileSync(join(dir, 'connectors/db.yaml'), 'utf8')).transactions).toHaveLength(7);
    expect(existsSync(join(dir, 'sequences/customer.list.yaml'))).toBe(true);
  });

  it('the generated sequence runs in the studio', async () => {
    const created = await call('sequence.execute', { project: dir, sequence: 'customer.create', variables: { name: 'Ada' } });
    expect(created.ok).toBe(true);
    const got = await call('sequence.execute', { project: dir, sequence: 'customer.get', variables: { id: 1 } });
    expect(JSON.parse(got.body.text)).toEqual({ id: 1, name: 'Ada' });
  });

  it('generating again skips everything and makes no edit', async () => {
    const before = await call('project.get', { project: dir });
    const r = await call('connector.generateCrud', { project: dir, connector: 'db', tables: ['customer'] });
    expect(r.created).toEqual([]);
    expect(r.skipped).toHaveLength(15);
    expect(r.state.version).toBe(before.version);
    expect(r.state.dirty).toBe(false);
  });
});
