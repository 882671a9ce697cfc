import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Transaction } from '../../src/model/index.js';
import { createProject, loadProject, saveConnector } from '../../src/project/index.js';
import { importWsdl } from '../../src/wsdl/import.js';

const ORDERS = resolve(import.meta.dirname, 'fixtures/orders.wsdl');
let dir = '';
let project = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trellis-wsdl-reimport-'));
  project = join(dir, 'shop');
  await createProject(project, { name: 'shop' });
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const tx = (list: Transaction[], name: string) => list.find((t) => t.name === name) as (Transaction & Record<string, any>) | undefined;

describe('import wsdl into a project, then again', () => {
  it('writes the connector, its output schemas, a copy of the WSDL and the import record', async () => {
    const summary = await importWsdl(project, ORDERS);
    expect(summary).toMatchObject({ connector: 'orders', file: 'connectors/orders.yaml', imported: 3, skipped: [], dryRun: false });
    expect(summary.written).toEqual([
      'files/wsdl/orders/orders.wsdl',
      'schemas/orders.GetOrder.json',
      'schemas/orders.FindOrders.json',
      'schemas/orders.Ping.json',
      'connectors/orders.yaml',
      'imports/orders.wsdl.json',
    ]);
    const { project: p, problems } = await loadProject(project);
    expect(problems).toEqual([]);
    const c = p.connectors.find((x) => x.name === 'orders')!;
    expect(c.config).toEqual({ wsdl: 'files/wsdl/orders/orders.wsdl', service: 'Orders', port: 'OrdersSoap', binding: 'soap11' });
    const dry = await importWsdl(project, ORDERS, { dryRun: true });
    expect(dry).toMatchObject({ dryRun: true, written: [], diff: { added: [], updated: [], removed: [], unchanged: 3 } });
  });

  it("keeps the developer's edits and marks operations gone from the WSDL as removed", async () => {
    const { project: p } = await loadProject(project);
    const c = p.connectors.find((x) => x.name === 'orders')!;
    const get = tx(c.transactions, 'GetOrder')!;
    get.name = 'fetchOrder';
    get.exposed = true;
    get.variables = get.variables.map((v) => (v.name === 'includeItems' ? { ...v, name: 'withItems', default: false } : v.name === 'orderId' ? { ...v, description: 'mine' } : v));
    tx(c.transactions, 'FindOrders')!.description = 'Search orders';
    await saveConnector(project, { ...c, config: { ...c.config, endpoint: 'http://127.0.0.1:8080/orders', timeoutMs: 5000 } });
    await writeFile(join(project, 'schemas/orders.Ping.json'), '{ "type": "object" }\n');

    // the next version of the WSDL: Ping is gone, GetOrder gains a documentation change
    const v2 = join(dir, 'v2');
    await mkdir(v2);
    const text = (await readFile(ORDERS, 'utf8'))
      .replace(/<wsdl:operation name="Ping">[\s\S]*?<\/wsdl:operation>/g, '')
      .replace('One order, with its items.', 'One order.');
    await writeFile(join(v2, 'orders.wsdl'), text);
    const summary = await importWsdl(project, join(v2, 'orders.wsdl'));
    expect(summary.imported).toBe(2);
    expect(summary.diff).toMatchObject({ added: [], removed: ['Ping'] });
    expect(summary.diff.updated).toEqual(['fetchOrder']);
    expect(summary.warnings.map((w) => w.code)).not.toContain('schema-kept');

    const after = (await loadProject(project)).project.connectors.find((x) => x.name === 'orders')!;
    expect(after.config).toMatchObject({ endpoint: 'http://127.0.0.1:8080/orders', timeoutMs: 5000, service: 'Orders' });
    const fetch = tx(after.transactions, 'fetchOrder')!;
    expect(fetch).toMatchObject({ operation: 'GetOrder', exposed: true, description: 'One order.' });
    expect(fetch.variables.find((v) => v.wireName === 'includeItems')).toMatchObject({ name: 'withItems', default: false, type: 'boolean' });
    expect(fetch.variables.find((v) => v.name === 'orderId')).toMatchObject({ description: 'mine', required: true });
    expect(tx(after.transactions, 'FindOrders')!.description).toBe('Search orders');
    expect(tx(after.transactions, 'Ping')).toMatchObject({ removed: true });
    expect(after.transactions.map((t) => t.name)).toEqual(['fetchOrder', 'FindOrders', 'Ping']);
    // the schema of the renamed transaction follows its name; the edited one of Ping is left alone
    expect(JSON.parse(await readFile(join(project, 'schemas/orders.fetchOrder.json'), 'utf8')).properties.GetOrderResponse).toBeDefined();
    expect(await readFile(join(project, 'schemas/orders.Ping.json'), 'utf8')).toBe('{ "type": "object" }\n');
  });

  it('refuses to import over a connector of another kind', async () => {
    await saveConnector(project, { name: 'api', kind: 'http', config: { host: 'example.com' }, transactions: [] });
    await expect(importWsdl(project, ORDERS, { connectorName: 'api' })).rejects.toThrow(/connector api exists and is a http connector/);
  });
});
