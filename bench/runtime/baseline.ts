/**
 * (b) of the runtime benchmark: W1–W3 written by hand on fastify, calling the upstream with the HTTP client the
 * engine uses (axios over a keep-alive agent): the practical ceiling for (a).
 *
 *   node bin/run-ts.mjs bench/runtime/baseline.ts <upstream host:port>     prints its URL, stops on SIGTERM
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import axios from 'axios';
import Fastify from 'fastify';
import { FIELDS } from './workloads.js';

const upstreamHost = process.argv[2];
if (!upstreamHost) {
  console.error('usage: baseline.ts <upstream host:port>');
  process.exit(2);
}

const client = axios.create({ baseURL: `http://${upstreamHost}`, httpAgent: new http.Agent({ keepAlive: true }), responseType: 'json' });
const app = Fastify();
app.get('/w1', async (req) => {
  const q = req.query as Record<string, string>;
  if (!q.name) throw Object.assign(new Error('name is required'), { statusCode: 400 });
  return { name: q.name, n: q.n === undefined ? 1 : Number.parseInt(q.n, 10), kind: 'greeting' };
});
app.get('/w2', async (req) => {
  const id = Number.parseInt((req.query as Record<string, string>).id ?? '', 10);
  const { data } = await client.get('/doc', { params: { id } });
  const out: Record<string, unknown> = {};
  for (const f of FIELDS) out[f] = data[f];
  return out;
});
app.get('/w3', async () => {
  const doc = (await client.get('/doc')).data;
  const items = (await client.get('/items')).data.items as Array<{ id: number; name: string; price: number }>;
  const list = items.map((i) => ({ id: i.id, name: i.name }));
  let t = 0;
  for (const i of items) t += i.price;
  return { title: doc.name, total: Math.round(t * 100) / 100, list };
});
await app.listen({ port: 0, host: '127.0.0.1' });
console.log(`baseline: http://127.0.0.1:${(app.server.address() as AddressInfo).port}`);
const stop = () => void app.close().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
