/**
 * The three workloads of the runtime benchmark (issue 6), shared by its three implementations: the upstream
 * documents, the Trellis project (a), and the constants the hand-written route (b) and the Node-RED flow (c)
 * use to compute the same answers.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { stringify } from 'yaml';

export interface Workload {
  name: 'W1' | 'W2' | 'W3';
  /** what the case measures, for the printed table */
  title: string;
  /** path and query of the Trellis URL (a) */
  trellis: string;
  /** path and query of the hand-written route (b) and of the Node-RED flow (c) */
  plain: string;
}

export const WORKLOADS: Workload[] = [
  { name: 'W1', title: 'small JSON from variables', trellis: '/projects/bench/sequences/w1?name=ada&n=21', plain: '/w1?name=ada&n=21' },
  { name: 'W2', title: 'one HTTP call (20 KB), 20 mapped fields', trellis: '/projects/bench/sequences/w2?id=7', plain: '/w2?id=7' },
  { name: 'W3', title: 'two HTTP calls, Iterate over 100 items, one JS step', trellis: '/projects/bench/sequences/w3', plain: '/w3' },
];

/** The 20 scalar fields W2 maps. */
export const FIELDS = Array.from({ length: 20 }, (_, i) => `f${i + 1}`);

/** A ~20 KB document with 20 scalar fields up front, and a list of 100 priced items. */
export function documents(): { doc: Buffer; items: Buffer } {
  const doc: Record<string, unknown> = { id: 7, name: 'catalogue' };
  for (let i = 1; i <= 20; i++) doc[`f${i}`] = i % 3 === 0 ? i * 1.5 : `value ${i}`;
  const padding: Array<Record<string, unknown>> = [];
  while (JSON.stringify({ ...doc, padding }).length < 20_000) padding.push({ sku: `SKU-${padding.length}`, text: 'lorem ipsum dolor sit amet', qty: padding.length });
  doc.padding = padding;
  const items = Array.from({ length: 100 }, (_, i) => ({ id: i, name: `item ${i}`, price: (i % 17) + 0.5 }));
  return { doc: Buffer.from(JSON.stringify(doc)), items: Buffer.from(JSON.stringify({ items })) };
}

/** The upstream every implementation calls: GET /doc (20 KB) and GET /items, over keep-alive. */
export async function startBenchUpstream(): Promise<{ host: string; close(): Promise<void> }> {
  const { doc, items } = documents();
  const server = http.createServer((req, res) => {
    const body = req.url === '/items' ? items : doc;
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
    res.end(body);
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { host, close: () => new Promise((done) => (server.closeAllConnections(), server.close(() => done()))) };
}

const src = (from: string, path: string) => ({ source: { from, path } });
const value = (id: string, key: string, v: unknown) => ({ id, kind: 'jsonValue', props: { key, value: v } });
/** W3's JS step; (b) and (c) compute the same total in their own JavaScript. */
export const TOTAL_JS = 'let t = 0; for (const i of steps.items.items) t += i.price; return Math.round(t * 100) / 100;';

/** (a): the Trellis project of W1–W3, calling the upstream at `upstreamHost`. */
export function writeBenchProject(dir: string, upstreamHost: string): void {
  const write = (rel: string, data: unknown) => {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), stringify(data));
  };
  write('trellis.yaml', { name: 'bench', formatVersion: 1 });
  write('connectors/up.yaml', { name: 'up', kind: 'http', config: { host: upstreamHost }, transactions: [{ name: 'doc', path: '/doc', variables: [{ name: 'id', type: 'integer', in: 'query' }] }, { name: 'items', path: '/items' }] });
  write('sequences/w1.yaml', {
    name: 'w1',
    variables: [{ name: 'name', type: 'string', required: true }, { name: 'n', type: 'integer', default: 1 }],
    steps: [{ id: 'o', kind: 'jsonObject', steps: [value('g', 'name', src('variables', '$.name')), value('n', 'n', src('variables', '$.n')), value('k', 'kind', 'greeting')] }],
  });
  write('sequences/w2.yaml', {
    name: 'w2',
    variables: [{ name: 'id', type: 'integer', required: true }],
    steps: [
      { id: 'doc', kind: 'callTransaction', props: { transaction: 'up.doc', variables: { id: src('variables', '$.id') } } },
      { id: 'o', kind: 'jsonObject', steps: FIELDS.map((f) => value(`v_${f}`, f, src('doc', `$.${f}`))) },
    ],
  });
  write('sequences/w3.yaml', {
    name: 'w3',
    steps: [
      { id: 'doc', kind: 'callTransaction', props: { transaction: 'up.doc' } },
      { id: 'items', kind: 'callTransaction', props: { transaction: 'up.items' } },
      {
        id: 'list',
        kind: 'jsonArray',
        steps: [{ id: 'each', kind: 'iterate', props: { over: src('items', '$.items') }, steps: [{ id: 'row', kind: 'jsonObject', steps: [value('rid', 'id', src('each', '$.item.id')), value('rn', 'name', src('each', '$.item.name'))] }] }],
      },
      { id: 'total', kind: 'js', props: { code: TOTAL_JS } },
      { id: 'o', kind: 'jsonObject', steps: [value('t', 'title', src('doc', '$.name')), value('s', 'total', src('total', '$')), value('l', 'list', src('list', '$'))] },
      { id: 'out', kind: 'output', props: { value: src('o', '$') } },
    ],
  });
}
