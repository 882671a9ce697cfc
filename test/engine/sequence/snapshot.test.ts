import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { executeSequence, type SequenceSnapshot } from '../../../src/engine/sequence/index.js';
import { connectorSchema, sequenceSchema, type Project } from '../../../src/model/index.js';
import { send, sendJson, startServer, type TestServer } from '../../helpers/http-server.js';
import { options } from '../../steps/helpers.js';

// SequenceOptions.onFinish: what a run leaves (outputs, variables, call metadata), on success and on failure,
// built by the engine itself, so parallel branches that finish out of order are attributed correctly.

const CONNECTOR = (port: number) => `
name: shop
kind: http
config: { host: 127.0.0.1, https: false, port: ${port} }
transactions:
  - { name: slow, type: json, method: GET, path: /slow }
  - { name: fast, type: json, method: GET, path: /fast }
  - name: item
    type: json
    method: GET
    path: /items/{id}
    variables: [{ name: id, type: integer, required: true }]
`;

const MAIN = `
name: main
variables:
  - { name: id, type: integer, required: true }
steps:
  - id: both
    kind: parallel
    steps:
      - { id: a, kind: callTransaction, props: { transaction: shop.slow } }
      - { id: b, kind: callTransaction, props: { transaction: shop.fast } }
  - id: sub
    kind: callSequence
    props: { sequence: inner, variables: { id: { source: { from: variables, path: "$.id" } } } }
  - { id: seen, kind: setVariable, props: { name: seen, value: { source: { from: b, path: "$.who" } } } }
  - id: out
    kind: output
    props: { value: { a: { source: { from: a, path: "$.who" } }, item: { source: { from: sub, path: "$.name" } } } }
`;

const INNER = `
name: inner
variables:
  - { name: id, type: integer, required: true }
steps:
  - id: get
    kind: callTransaction
    props: { transaction: shop.item, variables: { id: { source: { from: variables, path: "$.id" } } } }
  - { id: done, kind: output, props: { value: { source: { from: get, path: "$" } } } }
`;

const FAILING = `
name: failing
variables:
  - { name: id, type: integer, required: true }
steps:
  - { id: first, kind: jsonValue, props: { value: 1 } }
  - id: get
    kind: callTransaction
    props: { transaction: shop.item, variables: { id: { source: { from: variables, path: "$.id" } } } }
  - { id: never, kind: jsonValue, props: { value: 2 } }
`;

let server: TestServer;
let project: Project;

beforeAll(async () => {
  server = await startServer({
    // the first branch answers last
    'GET /slow': async (_req, res) => {
      await new Promise((r) => setTimeout(r, 60));
      sendJson(res, 200, { who: 'slow' }, { 'x-branch': 'a' });
    },
    'GET /fast': (_req, res) => sendJson(res, 201, { who: 'fast' }, { 'x-branch': 'b' }),
    'GET /items/7': (_req, res) => sendJson(res, 200, { id: 7, name: 'Kettle' }),
    '*': (_req, res) => send(res, 404, '{"error":"none"}', { 'content-type': 'application/json' }),
  });
  project = {
    dir: tmpdir(),
    name: 'shop',
    formatVersion: 1,
    connectors: [connectorSchema.parse(parse(CONNECTOR(server.port)))],
    sequences: [MAIN, INNER, FAILING].map((text) => sequenceSchema.parse(parse(text))),
  };
});
afterAll(() => server.close());

describe('executeSequence onFinish', () => {
  it('gives outputs, variables, call metas and calls at the end of a successful run, before the result', async () => {
    const snapshots: SequenceSnapshot[] = [];
    const result = await executeSequence(project, 'main', { id: '7' }, options({ onFinish: (s) => snapshots.push(s) }));
    expect(result.output).toEqual({ a: 'slow', item: 'Kettle' });
    expect(snapshots).toHaveLength(1);
    const s = snapshots[0]!;
    expect(s.variables).toEqual({ id: 7, seen: 'fast' });
    expect(s.outputs).toEqual({ a: { who: 'slow' }, b: { who: 'fast' }, sub: { id: 7, name: 'Kettle' }, seen: 'fast', out: { a: 'slow', item: 'Kettle' } });
    // each branch gets its own call's meta, though they finished in the other order
    expect(s.metas.a).toMatchObject({ status: 200, headers: { 'x-branch': 'a' }, ms: expect.any(Number) });
    expect(s.metas.b).toMatchObject({ status: 201, headers: { 'x-branch': 'b' }, ms: expect.any(Number) });
    expect(Object.keys(s.metas).sort()).toEqual(['a', 'b']);
    // calls: the called sequence's too (step = trace path: id path, prefixed inside a called sequence), in the order answered
    expect(s.calls.map((c) => [c.step, c.target, c.result.data])).toEqual([
      ['both/b', 'shop.fast', { who: 'fast' }],
      ['both/a', 'shop.slow', { who: 'slow' }],
      ['sub/get', 'shop.item', { id: 7, name: 'Kettle' }],
    ]);
    expect(s.steps).toBe(result.steps);
  });

  it('gives what ran when a step fails, the failing call included', async () => {
    const snapshots: SequenceSnapshot[] = [];
    const error = await executeSequence(project, 'failing', { id: 8 }, options({ onFinish: (s) => snapshots.push(s) })).catch((e) => e);
    expect(error).toMatchObject({ code: 'BACKEND_STATUS', path: 'sequences/failing/get' });
    expect(snapshots).toHaveLength(1);
    const s = snapshots[0]!;
    expect(s.outputs).toEqual({ first: 1 });
    expect(s.metas.get).toMatchObject({ status: 404 });
    expect(s.calls).toEqual([{ step: 'get', target: 'shop.item', result: expect.objectContaining({ data: { error: 'none' } }) }]);
    expect(s.variables).toEqual({ id: 8 });
  });

  it('is not called when the sequence cannot start', async () => {
    let calls = 0;
    const onFinish = () => calls++;
    await expect(executeSequence(project, 'main', {}, options({ onFinish }))).rejects.toMatchObject({ code: 'BAD_VARIABLE' });
    await expect(executeSequence(project, 'nope', {}, options({ onFinish }))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(calls).toBe(0);
  });

  it('a listener that throws does not change the outcome', async () => {
    const result = await executeSequence(
      project,
      'inner',
      { id: 7 },
      options({
        onFinish: () => {
          throw new Error('listener bug');
        },
      }),
    );
    expect(result.output).toEqual({ id: 7, name: 'Kettle' });
  });
});
