import { readFile, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { methods } from '../../src/contract/index.js';
import type { StudioService } from '../../src/service/studio-service.js';
import { ORDERS_WSDL, startSoapPeer, STOCKQUOTE_WSDL, type SoapPeer } from '../connectors/soap/server.js';
import { recordingService, tempDir, type Recorded } from './helpers.js';

const REGISTRATION = resolve(import.meta.dirname, '../../../shared/corpus/wsdl/registration-multifile/registration.wsdl');

let tmp: Awaited<ReturnType<typeof tempDir>>;
let service: StudioService;
let events: Recorded[];
let dir: string;
let peer: SoapPeer;

beforeAll(async () => {
  tmp = await tempDir();
  ({ service, events } = recordingService());
  dir = join(tmp.dir, 'erp');
  await service['project.create']({ dir });
  peer = await startSoapPeer();
});

afterAll(async () => {
  await service.dispose();
  await peer?.close();
  await tmp.remove();
});

const progress = (taskId: string) => events.filter((e) => e.name === 'task.progress' && e.payload.taskId === taskId).map((e) => e.payload);
const connector = async (name: string): Promise<any> => (await service['project.get']({ project: dir })).project.connectors.find((c) => c.name === name);
const exists = (path: string) => stat(path).then(() => true, () => false);

describe('wsdl.preview', () => {
  it('lists ports, both SOAP versions and the operations once each, with progress, and changes nothing', async () => {
    const before = await service['project.get']({ project: dir });
    const preview = await service['wsdl.preview']({ project: dir, source: ORDERS_WSDL, taskId: 'orders-preview' });
    expect(methods['wsdl.preview'].result.safeParse(preview).success).toBe(true);
    expect(preview).toMatchObject({ connector: 'orders', exists: false, service: 'Orders', port: 'OrdersSoap', binding: 'soap11', bindings: ['soap11', 'soap12'], removed: [], skipped: [] });
    expect(preview.ports.map((p) => `${p.port}:${p.binding}`)).toEqual(expect.arrayContaining(['OrdersSoap:soap11', 'OrdersSoap12:soap12']));
    expect(preview.operations.map((o) => o.operation)).toEqual(['GetOrder', 'FindOrders', 'Ping']);
    expect(preview.operations[0]).toMatchObject({ bindings: ['soap11', 'soap12'], style: 'document', change: 'added' });
    expect(preview.warnings.some((w) => w.rule === 'binding-choice')).toBe(true);
    expect(progress('orders-preview').map((p) => p.phase)).toEqual(expect.arrayContaining(['merge']));
    expect((await service['project.get']({ project: dir })).version).toBe(before.version);
  });

  it('chooses SOAP 1.2 when asked', async () => {
    const preview = await service['wsdl.preview']({ project: dir, source: ORDERS_WSDL, binding: 'soap12' });
    expect(preview).toMatchObject({ binding: 'soap12', port: 'OrdersSoap12' });
  });

  it('reads a multi-file WSDL whose operation lives in an imported WSDL', async () => {
    const preview = await service['wsdl.preview']({ project: dir, source: REGISTRATION });
    expect(preview.files).toBeGreaterThan(1);
    expect(preview.operations).toHaveLength(1);
  });

  it('fails on malformed XML with INVALID_SPEC naming the file and line', async () => {
    const file = join(tmp.dir, 'broken.wsdl');
    await writeFile(file, '<definitions xmlns="http://schemas.xmlsoap.org/wsdl/">\n  <message name="a">\n</definitions>\n');
    const error = await service['wsdl.preview']({ project: dir, source: file }).catch((e) => e);
    expect(error).toMatchObject({ code: 'INVALID_SPEC', details: { file, line: expect.any(Number), reason: expect.stringContaining('malformed XML') } });
    expect(error.message).toMatch(/broken\.wsdl:\d+(:\d+)?: malformed XML/);
  });

  it('refuses a connector name taken by a connector of another kind', async () => {
    await service['object.create']({ project: dir, parent: { type: 'project' }, objectType: 'connector', value: { name: 'rest', kind: 'http', config: { host: 'example.com' } } });
    await expect(service['wsdl.preview']({ project: dir, source: ORDERS_WSDL, connector: 'rest' })).rejects.toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringContaining('http connector') });
  });
});

describe('wsdl.import', () => {
  it('imports the chosen operations as one undoable edit; the WSDL is copied into files/, the record written on save', async () => {
    const res = await service['wsdl.import']({ project: dir, source: ORDERS_WSDL, operations: ['GetOrder', 'Ping'], taskId: 'orders-import' });
    expect(res).toMatchObject({ connector: 'orders', imported: 2, skipped: 0 });
    const c = await connector('orders');
    expect(c.kind).toBe('soap');
    expect(c.config).toMatchObject({ wsdl: 'files/wsdl/orders/orders.wsdl', service: 'Orders', port: 'OrdersSoap', binding: 'soap11' });
    expect(c.transactions.map((t: any) => t.name)).toEqual(['GetOrder', 'Ping']);
    expect(await exists(join(dir, 'files/wsdl/orders/orders.wsdl'))).toBe(true);
    expect(await exists(join(dir, 'schemas/orders.GetOrder.json'))).toBe(true);
    expect(progress('orders-import').map((p) => p.phase)).toEqual(expect.arrayContaining(['merge', 'write']));

    await service['project.undo']({ project: dir });
    expect(await connector('orders')).toBeUndefined();
    await service['project.redo']({ project: dir });
    expect(await connector('orders')).toBeDefined();
    expect(await exists(join(dir, 'imports/orders.wsdl.json'))).toBe(false);
    await service['project.save']({ project: dir });
    const record = JSON.parse(await readFile(join(dir, 'imports/orders.wsdl.json'), 'utf8'));
    expect(record).toMatchObject({ format: 'wsdl', source: ORDERS_WSDL });
    expect(record.connector.transactions.map((t: any) => t.name)).toEqual(['GetOrder', 'Ping']);
  });

  it('the imported transaction executes against a real soap server', async () => {
    const c = await connector('orders');
    await service['object.update']({ project: dir, ref: { type: 'connector', connector: 'orders' }, value: { ...c, config: { ...c.config, endpoint: peer.url('/orders/soap11') } } });
    const result = await service['transaction.execute']({ project: dir, target: 'orders.GetOrder', variables: { orderId: 7 } });
    expect(result.ok).toBe(true);
    expect(JSON.stringify(result)).toContain('Ada Lovelace');
  });

  it("a re-import keeps the developer's edits and adds the operations not imported before", async () => {
    const c = await connector('orders');
    const edited = { ...c, transactions: c.transactions.map((t: any) => (t.name === 'GetOrder' ? { ...t, description: 'my notes' } : t)) };
    await service['object.update']({ project: dir, ref: { type: 'connector', connector: 'orders' }, value: edited });
    const preview = await service['wsdl.preview']({ project: dir, source: ORDERS_WSDL });
    expect(preview.exists).toBe(true);
    expect(Object.fromEntries(preview.operations.map((o) => [o.name, o.change]))).toMatchObject({ FindOrders: 'added', Ping: 'unchanged' });
    await service['wsdl.import']({ project: dir, source: ORDERS_WSDL });
    const after = await connector('orders');
    expect(after.transactions.map((t: any) => t.name)).toEqual(['GetOrder', 'Ping', 'FindOrders']);
    expect(after.transactions[0].description).toBe('my notes');
    expect(after.config.endpoint).toBe(peer.url('/orders/soap11'));
  });

  it('names an unknown operation with the ones the WSDL has', async () => {
    await expect(service['wsdl.import']({ project: dir, source: STOCKQUOTE_WSDL, operations: ['Nope'] })).rejects.toMatchObject({ code: 'BAD_PARAMS', message: expect.stringContaining('GetLastTradePrice') });
  });

  it('a cancelled import changes nothing', async () => {
    const before = await service['project.get']({ project: dir });
    const pending = service['wsdl.import']({ project: dir, source: STOCKQUOTE_WSDL, connector: 'stock', taskId: 'stock-import' });
    expect(await service['task.cancel']({ taskId: 'stock-import' })).toEqual({ cancelled: true });
    await expect(pending).rejects.toMatchObject({ code: 'CANCELLED' });
    const after = await service['project.get']({ project: dir });
    expect(after.version).toBe(before.version);
    expect(after.project.connectors.find((x) => x.name === 'stock')).toBeUndefined();
  });
});
