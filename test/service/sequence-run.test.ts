import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executionResultSchema, methods } from '../../src/contract/index.js';
import type { StudioService } from '../../src/service/studio-service.js';
import { send, sendJson, startServer, type TestServer } from '../helpers/http-server.js';
import { recordingService, tempDir, type Recorded } from './helpers.js';

// DESIGN.md's productCard ("Project on disk"), verbatim but for the server address, plus sequences that fail.
const CONNECTOR = (port: number) => `name: catalog
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
  - name: getReview
    type: json
    method: GET
    path: /reviews/{id}
    variables:
      - { name: id, type: integer, required: true }
  - { name: drop, type: json, method: GET, path: /drop }
`;

const PRODUCT_CARD = `name: productCard
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

const BROKEN = `name: broken
variables: []
steps:
  - id: card
    kind: jsonObject
    steps:
      - { id: boom, kind: js, props: { code: "throw new Error('no price today')" } }
`;

const SLOW = `name: slow
steps:
  - { id: wait, kind: sleep, props: { ms: 20000 } }
`;

const INVALID = `name: invalid
steps:
  - { id: early, kind: jsonValue, props: { key: x, value: { source: { from: late, path: "$" } } } }
  - { id: late, kind: callTransaction, props: { transaction: catalog.nope } }
`;

// Parallel branches that answer in the other order, then a called sequence: what the run leaves comes from the
// engine (onFinish), per step, not from matching traces with the calls seen by the connection pool.
const PAIR = `name: pair
steps:
  - id: both
    kind: parallel
    steps:
      - { id: slow, kind: callTransaction, props: { transaction: catalog.getProduct, variables: { id: 44 } } }
      - { id: quick, kind: callTransaction, props: { transaction: catalog.getProduct, variables: { id: 42 } } }
  - { id: rated, kind: callSequence, props: { sequence: review, variables: { id: 42 } } }
  - { id: out, kind: output, props: { value: { slow: { source: { from: slow, path: "$.name" } }, stars: { source: { from: rated, path: "$.stars" } } } } }
`;

// A branch whose call gets no answer (the connection drops) while the other branch's called sequence gets one.
const RACE = `name: race
steps:
  - id: both
    kind: parallel
    steps:
      - { id: dropped, kind: callTransaction, props: { transaction: catalog.drop } }
      - { id: rated, kind: callSequence, props: { sequence: review, variables: { id: 42 } } }
  - { id: out, kind: output, props: { value: 1 } }
`;

const REVIEW = `name: review
variables:
  - { name: id, type: integer, required: true }
steps:
  - { id: get, kind: callTransaction, props: { transaction: catalog.getReview, variables: { id: { source: { from: variables, path: "$.id" } } } } }
  - { id: out, kind: output, props: { value: { source: { from: get, path: "$" } } } }
`;

let tmp: Awaited<ReturnType<typeof tempDir>>;
let server: TestServer;
let service: StudioService;
let events: Recorded[];
let dir: string;

beforeAll(async () => {
  server = await startServer({
    'GET /v2/products/42': (_req, res) => sendJson(res, 200, { id: 42, name: 'Teapot', price: 25, stock: 3 }),
    'GET /v2/products/43': (_req, res) => sendJson(res, 200, { id: 43, name: 'Kettle', price: 10, color: 'red' }),
    'GET /v2/products/44': async (_req, res) => {
      await new Promise((r) => setTimeout(r, 80));
      sendJson(res, 203, { id: 44, name: 'Slow cooker', price: 80 });
    },
    'GET /v2/reviews/42': (_req, res) => sendJson(res, 200, { stars: 5, text: 'hot' }),
    'GET /v2/drop': (_req, _res, raw) => {
      setTimeout(() => raw.socket.destroy(), 150);
    },
    '*': (_req, res) => send(res, 404, '{"error":"no such product"}', { 'content-type': 'application/json' }),
  });
  tmp = await tempDir();
  dir = join(tmp.dir, 'shop');
  await mkdir(join(dir, 'connectors'), { recursive: true });
  await mkdir(join(dir, 'sequences'), { recursive: true });
  await writeFile(join(dir, 'trellis.yaml'), 'name: shop\nformatVersion: 1\n');
  await writeFile(join(dir, 'connectors', 'catalog.yaml'), CONNECTOR(server.port));
  const sequences = { productCard: PRODUCT_CARD, broken: BROKEN, slow: SLOW, invalid: INVALID, pair: PAIR, race: RACE, review: REVIEW };
  for (const [name, text] of Object.entries(sequences)) await writeFile(join(dir, 'sequences', `${name}.yaml`), text);
  ({ service, events } = recordingService());
  const state = await service['project.open']({ dir });
  expect(state.problems).toEqual([]);
});

afterAll(async () => {
  await service.dispose();
  await server.close();
  await tmp.remove();
});

const traces = (runId: string) => events.filter((e) => e.name === 'run.event' && e.payload.run === runId).map((e) => `${e.payload.step}:${e.payload.phase}`);

describe('sequence.execute', () => {
  it('runs DESIGN.md productCard against a real server, streaming run.event traces', async () => {
    const r = await service['sequence.execute']({ project: dir, sequence: 'productCard', variables: { id: '42' }, runId: 'card-1' });
    expect(executionResultSchema.safeParse(r).success).toBe(true);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.runId).toBe('card-1');
    expect(JSON.parse(r.body.text)).toEqual({ title: 'Teapot', price: 30 });
    expect(r.body).toMatchObject({ language: 'json', truncated: false });
    expect(r.raw.text).toBe('{"title":"Teapot","price":30}');
    expect(r.headers).toEqual({});
    expect(r.status).toBeUndefined();
    expect(traces('card-1')).toEqual([
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
    const end = events.find((e) => e.name === 'run.event' && e.payload.run === 'card-1' && e.payload.step === 'card/title' && e.payload.phase === 'end')!;
    expect(end.payload.output).toBe('Teapot');
    // the body stays pageable like a transaction's
    expect(await service['run.page']({ runId: 'card-1', part: 'raw', offset: 0, length: 9 })).toEqual({ text: '{"title":', totalChars: 29 });
  });

  it('fails with the step path when a step fails, nested ones included', async () => {
    const missing = await service['sequence.execute']({ project: dir, sequence: 'productCard', variables: { id: 7 }, runId: 'card-404' });
    expect(missing).toMatchObject({ ok: false, runId: 'card-404', error: { code: 'BACKEND_STATUS', path: 'sequences/productCard/product', message: expect.stringContaining('answered 404') } });
    expect(traces('card-404')).toEqual([':start', 'product:start', 'product:error', ':error']);

    const broken = await service['sequence.execute']({ project: dir, sequence: 'broken', variables: {}, runId: 'broken-1' });
    expect(broken).toMatchObject({ ok: false, error: { code: 'SCRIPT_ERROR', path: 'sequences/broken/card/boom', message: expect.stringContaining('no price today') } });
    expect(traces('broken-1')).toContain('card/boom:error');

    const badVariable = await service['sequence.execute']({ project: dir, sequence: 'productCard', variables: {} });
    expect(badVariable).toMatchObject({ ok: false, error: { code: 'BAD_VARIABLE' } });
    const unknown = await service['sequence.execute']({ project: dir, sequence: 'nope', variables: {} });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: expect.stringContaining('no sequence "nope"') } });
    const invalid = await service['sequence.execute']({ project: dir, sequence: 'invalid', variables: {} });
    expect(invalid).toMatchObject({ ok: false, error: { code: 'INVALID_SEQUENCE', message: expect.stringContaining('early: props.value') } });
  });

  it('is cancelled by run.cancel and stops at its deadline', async () => {
    const running = service['sequence.execute']({ project: dir, sequence: 'slow', variables: {}, runId: 'slow-1' });
    await new Promise((r) => setTimeout(r, 100));
    expect(await service['run.cancel']({ runId: 'slow-1' })).toEqual({ cancelled: true });
    expect(await running).toMatchObject({ ok: false, runId: 'slow-1', error: { code: 'CANCELLED' } });
    const late = await service['sequence.execute']({ project: dir, sequence: 'slow', variables: {}, timeoutMs: 150 });
    expect(late).toMatchObject({ ok: false, error: { code: 'TIMEOUT' } });
    if (!late.ok) expect(late.ms).toBeLessThan(5000);
  });
});

describe('sequence.check', () => {
  it('lists each problem with its step path and the property concerned', async () => {
    expect(await service['sequence.check']({ project: dir, sequence: 'productCard' })).toEqual({ problems: [] });
    const { problems } = await service['sequence.check']({ project: dir, sequence: 'invalid' });
    expect(methods['sequence.check'].result.safeParse({ problems }).success).toBe(true);
    expect(problems).toEqual([
      { stepPath: 'early', message: expect.stringContaining('"late" has not run before this step'), property: 'props.value' },
      { stepPath: 'late', message: expect.stringContaining('connector catalog has no transaction "nope"'), property: 'props.transaction' },
    ]);
    await expect(service['sequence.check']({ project: dir, sequence: 'nope' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('schemas and the source picker', () => {
  const node = (tree: any[], ...labels: string[]): any => labels.reduce((nodes: any, label) => (Array.isArray(nodes) ? nodes : nodes.children).find((n: any) => n.label === label), tree);

  it('schema.update infers from the last result, merges into the stored schema and writes it', async () => {
    expect(await service['schema.get']({ project: dir, owner: 'catalog.getProduct' })).toEqual({ schema: null });
    await expect(service['schema.update']({ project: dir, owner: 'broken' })).rejects.toThrow(/execute broken first/);
    await expect(service['schema.get']({ project: dir, owner: 'catalog.nope' })).rejects.toMatchObject({ code: 'NOT_FOUND' });

    // the productCard run above called catalog.getProduct: its data counts as the transaction's last result
    const first = await service['schema.update']({ project: dir, owner: 'catalog.getProduct' });
    expect(first.schema).toMatchObject({ type: 'object', required: ['id', 'name', 'price', 'stock'] });
    const file = join(dir, 'schemas', 'catalog.getProduct.json');
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(first.schema);

    const r = await service['transaction.execute']({ project: dir, target: 'catalog.getProduct', variables: { id: 43 } });
    expect(r.ok).toBe(true);
    const merged = (await service['schema.update']({ project: dir, owner: 'catalog.getProduct' })).schema as any;
    expect(Object.keys(merged.properties).sort()).toEqual(['color', 'id', 'name', 'price', 'stock']);
    expect(merged.required).toEqual(['id', 'name', 'price']);
    expect((await service['schema.get']({ project: dir, owner: 'catalog.getProduct' })).schema).toEqual(merged);
    expect(await readFile(file, 'utf8')).toBe(`${JSON.stringify(merged, null, 2)}\n`);

    // a 404 answer is not data to learn a schema from
    await service['transaction.execute']({ project: dir, target: 'catalog.getProduct', variables: { id: 9 } });
    expect((await service['schema.update']({ project: dir, owner: 'catalog.getProduct' })).schema).toEqual(merged);

    const sequence = await service['schema.update']({ project: dir, owner: 'productCard' });
    expect(sequence.schema).toEqual({ type: 'object', properties: { title: { type: 'string' }, price: { type: 'integer' } }, required: ['title', 'price'] });
    expect(JSON.parse(await readFile(join(dir, 'schemas', 'productCard.json'), 'utf8'))).toEqual(sequence.schema);
  });

  it('sequence.sources builds the tree from stored schemas with the last run as samples', async () => {
    await service['sequence.execute']({ project: dir, sequence: 'productCard', variables: { id: 42 } });
    const { tree } = await service['sequence.sources']({ project: dir, sequence: 'productCard', step: 'out' });
    expect(methods['sequence.sources'].result.safeParse({ tree }).success).toBe(true);
    expect(tree.map((n) => n.label)).toEqual(['variables', 'product', 'card', 'title', 'price']);
    expect(node(tree, 'variables', 'id')).toMatchObject({ from: 'variables', path: '$.id', type: 'integer', sample: 42 });
    expect(node(tree, 'product', 'name')).toMatchObject({ from: 'product', path: '$.name', type: 'string', sample: 'Teapot' });
    expect(node(tree, 'product', 'color')).toMatchObject({ type: 'string' });
    expect(node(tree, 'product', 'meta', 'status')).toMatchObject({ meta: true, path: '$.status', sample: 200 });
    expect(node(tree, 'card', 'title')).toMatchObject({ path: '$.title', sample: 'Teapot' });
    expect(node(tree, 'card', 'price')).toMatchObject({ sample: 30 });

    const early = await service['sequence.sources']({ project: dir, sequence: 'productCard', step: 'product' });
    expect(early.tree.map((n) => n.label)).toEqual(['variables']);
    await expect(service['sequence.sources']({ project: dir, sequence: 'productCard', step: 'ghost' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('what a run leaves', () => {
  const node = (tree: any[], ...labels: string[]): any => labels.reduce((nodes: any, label) => (Array.isArray(nodes) ? nodes : nodes.children).find((n: any) => n.label === label), tree);

  it('parallel branches keep their own call meta; calls of a called sequence count for "Update schema"', async () => {
    await expect(service['schema.update']({ project: dir, owner: 'catalog.getReview' })).rejects.toThrow(/execute/);
    const r = await service['sequence.execute']({ project: dir, sequence: 'pair', variables: {} });
    if (!r.ok) throw new Error(r.error.message);
    expect(JSON.parse(r.body.text)).toEqual({ slow: 'Slow cooker', stars: 5 });

    const { tree } = await service['sequence.sources']({ project: dir, sequence: 'pair', step: 'out' });
    expect(node(tree, 'slow', 'meta', 'status')).toMatchObject({ meta: true, sample: 203 });
    expect(node(tree, 'quick', 'meta', 'status')).toMatchObject({ meta: true, sample: 200 });
    expect(node(tree, 'slow', 'name')).toMatchObject({ sample: 'Slow cooker' });
    expect(node(tree, 'quick', 'name')).toMatchObject({ sample: 'Teapot' });

    // catalog.getReview was only called inside `review`
    const { schema } = await service['schema.update']({ project: dir, owner: 'catalog.getReview' });
    expect(schema).toMatchObject({ type: 'object', properties: { stars: { type: 'integer' }, text: { type: 'string' } } });
  });

  it('a step whose call got no answer has no meta, though another branch was answered meanwhile', async () => {
    const r = await service['sequence.execute']({ project: dir, sequence: 'race', variables: {} });
    expect(r).toMatchObject({ ok: false, error: { path: 'sequences/race/both/dropped' } });
    const { tree } = await service['sequence.sources']({ project: dir, sequence: 'race', step: 'out' });
    expect(node(tree, 'dropped', 'meta', 'status')).toBeDefined();
    expect(node(tree, 'dropped', 'meta', 'status').sample).toBeUndefined();
    expect(node(tree, 'rated', 'stars')).toMatchObject({ sample: 5 });
  });

  it('a run that fails keeps what its steps left before the failure', async () => {
    const missing = await service['sequence.execute']({ project: dir, sequence: 'productCard', variables: { id: 7 } });
    expect(missing).toMatchObject({ ok: false, error: { code: 'BACKEND_STATUS' } });
    const { tree } = await service['sequence.sources']({ project: dir, sequence: 'productCard', step: 'out' });
    expect(node(tree, 'product', 'meta', 'status')).toMatchObject({ sample: 404 });
    expect(node(tree, 'variables', 'id')).toMatchObject({ sample: 7 });
  });
});
