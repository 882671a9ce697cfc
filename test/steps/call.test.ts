import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connector, Project, Sequence, Step } from '../../src/model/index.js';
import { executeSequence } from '../../src/engine/sequence/index.js';
import { send, sendJson, startServer, type TestServer } from '../helpers/http-server.js';
import { js, options, seq, src } from './helpers.js';

let server: TestServer;
let port = 0;

const XML = `<?xml version="1.0"?>
<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:m="urn:shop">
  <s:Body><m:Stock><m:item sku="A1"><m:qty>3</m:qty></m:item><m:item sku="B2"><m:qty>5</m:qty></m:item></m:Stock></s:Body>
</s:Envelope>`;

beforeAll(async () => {
  server = await startServer({
    'GET /products/7': (_req, res) => sendJson(res, 200, { id: 7, name: 'Widget', price: 10, tags: ['a', 'b'] }),
    'GET /products/9': (_req, res) => sendJson(res, 404, { error: 'no product 9' }),
    'GET /stock': (_req, res) => send(res, 200, XML, { 'content-type': 'text/xml' }),
    'GET /echo': (req, res) => sendJson(res, 200, Object.fromEntries(req.query)),
  });
  port = Number(new URL(server.url).port);
});
afterAll(() => server.close());

function api(): Connector {
  return {
    name: 'api',
    kind: 'http',
    config: { host: '127.0.0.1', port, https: false, basePath: '' },
    transactions: [
      { name: 'getProduct', type: 'json', method: 'GET', path: '/products/{id}', variables: [{ name: 'id', type: 'integer', required: true }] },
      { name: 'stock', type: 'xml', method: 'GET', path: '/stock', variables: [] },
      { name: 'echo', type: 'json', method: 'GET', path: '/echo', variables: [{ name: 'a', type: 'string', in: 'query' }, { name: 'b', type: 'string', in: 'query' }] },
    ],
  } as Connector;
}

function shop(sequences: Sequence[]): Project {
  return { dir: tmpdir(), name: 'shop', formatVersion: 1, connectors: [api()], sequences };
}

const call = (id: string, transaction: string, props: Record<string, unknown> = {}): Step => ({ id, kind: 'callTransaction', props: { transaction, ...props } });

describe('callTransaction against a local HTTP server', () => {
  it('maps variables from sources and outputs the response data', async () => {
    const s = seq('s', [call('product', 'api.getProduct', { variables: { id: src('variables', '$.id') } }), { id: 'o', kind: 'output', props: { value: { name: src('product', '$.name'), status: { source: { from: 'product', path: '$.status', meta: true } }, js: js('meta.product.status + steps.product.price') } } }], [{ name: 'id', type: 'integer' }]);
    const { output } = await executeSequence(shop([s]), 's', { id: 7 }, options());
    expect(output).toEqual({ name: 'Widget', status: 200, js: 210 });
  });

  it('fails with BACKEND_STATUS naming the step and the status (failOnErrorStatus default), or outputs the data when off', async () => {
    const s = seq('s', [call('product', 'api.getProduct', { variables: { id: 9 } })]);
    const error = await executeSequence(shop([s]), 's', {}, options()).catch((e) => e);
    expect(error).toMatchObject({ code: 'BACKEND_STATUS', path: 'sequences/s/product', details: { status: 404 } });
    expect(error.message).toMatch(/step product: api.getProduct answered 404/);
    const lenient = seq('s', [call('product', 'api.getProduct', { variables: { id: 9 }, failOnErrorStatus: false }), { id: 'o', kind: 'output', props: { value: { data: src('product'), status: js('meta.product.status') } } }]);
    expect((await executeSequence(shop([lenient]), 's', {}, options())).output).toEqual({ data: { error: 'no product 9' }, status: 404 });
  });

  it('a catch reads the failed call status through meta', async () => {
    const s = seq('s', [
      { id: 't', kind: 'try', steps: [call('product', 'api.getProduct', { variables: { id: 9 } }), { id: 'c', kind: 'catch', steps: [{ id: 'o', kind: 'output', props: { value: { code: src('c', '$.code'), status: { source: { from: 'product', meta: true, path: '$.status' } } } } }] }] },
    ]);
    expect((await executeSequence(shop([s]), 's', {}, options())).output).toEqual({ code: 'BACKEND_STATUS', status: 404 });
  });

  it('inheritVariables passes the sequence variables the transaction declares; mapped ones win', async () => {
    const s = seq('s', [call('e', 'api.echo', { inheritVariables: true, variables: { b: 'mapped' } }), { id: 'o', kind: 'output', props: { value: src('e') } }], [{ name: 'a' }, { name: 'b' }, { name: 'c' }]);
    expect((await executeSequence(shop([s]), 's', { a: 'x', b: 'y', c: 'z' }, options())).output).toEqual({ a: 'x', b: 'mapped' });
  });

  it('XPath reads outputs that came from XML (text, several nodes, numbers, attributes); JSONPath still reads the converted data', async () => {
    const s = seq('s', [
      call('stock', 'api.stock'),
      {
        id: 'o',
        kind: 'output',
        props: {
          value: {
            firstQty: src('stock', '/s:Envelope/s:Body/m:Stock/m:item[1]/m:qty'),
            skus: src('stock', '//m:item/@sku'),
            total: src('stock', 'sum(//m:qty)'),
            none: src('stock', '//m:missing'),
            viaLocalName: src('stock', "count(//*[local-name()='item'])"),
            json: src('stock', "$['s:Envelope']['s:Body']['m:Stock']['m:item'][*]['@sku']"),
          },
        },
      },
    ]);
    const { output } = await executeSequence(shop([s]), 's', {}, options());
    expect(output).toEqual({ firstQty: '3', skus: ['A1', 'B2'], total: 8, viaLocalName: 2, json: ['A1', 'B2'] });
  });

  it('XPath on an output that is not XML fails with the source named', async () => {
    const s = seq('s', [call('product', 'api.getProduct', { variables: { id: 7 } }), { id: 'o', kind: 'output', props: { value: src('product', '/name') } }]);
    await expect(executeSequence(shop([s]), 's', {}, options())).rejects.toMatchObject({ code: 'SOURCE', path: 'sequences/s/o', message: expect.stringContaining('did not come from XML') });
  });
});

describe('callSequence', () => {
  const card = seq('card', [call('p', 'api.getProduct', { inheritVariables: true }), { id: 'c', kind: 'jsonObject', steps: [{ id: 'n', kind: 'jsonValue', props: { key: 'name', value: src('p', '$.name') } }] }], [{ name: 'id', type: 'integer', required: true }]);

  it('calls another sequence with mapped or inherited variables and outputs its result', async () => {
    const caller = seq('caller', [{ id: 'sub', kind: 'callSequence', props: { sequence: 'card', variables: { id: js('6 + 1') } } }, { id: 'o', kind: 'output', props: { value: src('sub', '$.name') } }]);
    expect((await executeSequence(shop([card, caller]), 'caller', {}, options())).output).toBe('Widget');
    const inherit = seq('inherit', [{ id: 'sub', kind: 'callSequence', props: { sequence: 'card', inheritVariables: true } }], [{ name: 'id', type: 'integer' }]);
    const events: string[] = [];
    const r = await executeSequence(shop([card, inherit]), 'inherit', { id: 7 }, options({ onTrace: (e) => events.push(`${e.step}:${e.phase}`) }));
    expect(r.output).toBeNull(); // no output step: callSequence's output is not a builder
    expect(events).toContain('sub/c/n:end'); // the called sequence's steps are traced under the call step
  });

  it('stops runaway recursion', async () => {
    const loop = seq('loop', [{ id: 'again', kind: 'callSequence', props: { sequence: 'loop' } }]);
    await expect(executeSequence(shop([loop]), 'loop', {}, options())).rejects.toMatchObject({ code: 'RECURSION_LIMIT' });
  });
});
