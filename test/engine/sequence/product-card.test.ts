import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { connectorSchema, sequenceSchema, type Project } from '../../../src/model/index.js';
import { executeSequence } from '../../../src/engine/sequence/index.js';
import type { TraceEvent } from '../../../src/engine/trace.js';
import { sendJson, startServer, type TestServer } from '../../helpers/http-server.js';
import { options } from '../../steps/helpers.js';

// The example of DESIGN.md ("Project on disk"), verbatim but for the server address.
const CONNECTOR = (port: number) => `
name: catalog
kind: http
config:
  host: 127.0.0.1
  https: false
  port: ${port}
  basePath: /v2
  timeoutMs: 30000
transactions:
  - name: getProduct
    type: json
    method: GET
    path: /products/{id}
    variables:
      - { name: id, type: integer, required: true }
      - { name: fields, type: string, multivalued: true, in: query }
`;

const SEQUENCE = `
name: productCard
exposed: true
variables:
  - { name: id, type: integer, required: true }
steps:
  - id: product                       # unique in the sequence; sources name it
    kind: callTransaction
    props:
      transaction: catalog.getProduct # <connector>.<transaction>
      variables:
        id: { source: { from: variables, path: "$.id" } }
  - id: card
    kind: jsonObject
    steps:
      - { id: title, kind: jsonValue, props: { key: title, value: { source: { from: product, path: "$.name" } } } }
      - { id: price, kind: jsonValue, props: { key: price, value: { js: "steps.product.price * 1.2" } } }
  - id: out
    kind: output
    props: { value: { source: { from: card, path: "$" } } }
`;

let server: TestServer;
let project: Project;

beforeAll(async () => {
  server = await startServer({ 'GET /v2/products/42': (_req, res) => sendJson(res, 200, { id: 42, name: 'Teapot', price: 25, stock: 3 }) });
  const port = Number(new URL(server.url).port);
  project = {
    dir: tmpdir(),
    name: 'shop',
    formatVersion: 1,
    connectors: [connectorSchema.parse(parse(CONNECTOR(port)))],
    sequences: [sequenceSchema.parse(parse(SEQUENCE))],
  };
});
afterAll(() => server.close());

describe('DESIGN.md productCard, end to end', () => {
  it('returns {title, price} and traces every step', async () => {
    const events: TraceEvent[] = [];
    const result = await executeSequence(project, 'productCard', { id: '42' }, options({ onTrace: (e) => events.push(e), runId: 'r1' }));
    expect(result.output).toEqual({ title: 'Teapot', price: 30 });
    expect(result.steps).toBe(5);
    expect(events.map((e) => `${e.step}:${e.phase}`)).toEqual([
      ':start',
      'product:start',
      'product:end',
      'card:start',
      'card/title:start',
      'card/title:end',
      'card/price:start',
      'card/price:end',
      'card:end',
      'out:start',
      'out:end',
      ':end',
    ]);
    expect(events.every((e) => e.run === 'r1')).toBe(true);
    expect(events.find((e) => e.step === 'product' && e.phase === 'end')?.output).toEqual({ id: 42, name: 'Teapot', price: 25, stock: 3 });
    expect(events.find((e) => e.step === 'card' && e.phase === 'end')?.output).toEqual({ title: 'Teapot', price: 30 });
  });

  it('rejects a missing required variable before calling anything', async () => {
    const before = server.requests.length;
    await expect(executeSequence(project, 'productCard', {}, options())).rejects.toMatchObject({ code: 'BAD_VARIABLE' });
    expect(server.requests.length).toBe(before);
  });
});
