/**
 * Runtime throughput: W1/W2/W3 of issue 6 served (a) by `trellis serve` and (b) by a hand-written fastify route
 * doing the same work with the same HTTP client (axios over a keep-alive agent), both loaded by autocannon.
 *
 *   node bin/run-ts.mjs bench/runtime.bench.ts        BENCH_SECONDS=3 per run (the issue says 10), BENCH_ROUNDS=2
 *
 *   W1  an exposed sequence building a small JSON from its variables (framework overhead);
 *   W2  an exposed sequence calling an HTTP transaction (20 KB JSON upstream) and returning 20 mapped fields;
 *   W3  two transaction calls, an Iterate over 100 items and one JS step.
 *
 * The server under test runs in a child process pinned to CPU 1 (`taskset -c 1`); this process (autocannon and
 * the upstream) is pinned to CPU 0. Trellis runs with TRELLIS_LOG=warn (no per-request log line, like the
 * hand-written route; BENCH_LOG=info turns them on). Prints req/s, p99 at 50 connections, RSS, and a/b.
 * Not a test: it prints and exits 0 whatever the ratio.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';

interface CannonResult {
  requests: { average: number; max: number };
  latency: { p99: number; average: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
type Cannon = (opts: { url: string; connections: number; duration: number; pipelining?: number }) => Promise<CannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Cannon;

const SECONDS = Math.max(1, Number(process.env.BENCH_SECONDS) || 3);
/** (a) and (b) alternate this many times per case and the best run of each counts: shared machines are noisy */
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS) || 2);
const CONNECTIONS = 50;
const repo = resolve(import.meta.dirname, '..');
const taskset = existsSync('/usr/bin/taskset') ? '/usr/bin/taskset' : undefined;

function pin(pid: number, cpu: string): void {
  if (taskset) execFileSync(taskset, ['-pc', cpu, String(pid)], { stdio: 'ignore' });
}

/** Spawns a server pinned to CPU 1 and resolves with its URL (the first http://... it prints). */
async function startServer(args: string[], env: Record<string, string>): Promise<{ url: string; child: ChildProcess }> {
  const [cmd, argv] = taskset ? [taskset, ['-c', '1', process.execPath, ...args]] : [process.execPath, args];
  const child = spawn(cmd, argv, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  const url = await new Promise<string>((done, fail) => {
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /(http:\/\/[\d.:]+)/.exec(out);
      if (m) done(m[1]!);
    });
    child.once('exit', (code) => fail(new Error(`server exited with ${code}: ${out}`)));
  });
  return { url, child };
}

function rssMb(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  await new Promise<void>((done) => {
    child.once('exit', () => done());
    child.kill('SIGTERM');
  });
}

interface Measure {
  rps: number;
  p99: number;
  rss: number;
  peak: number;
  bad: number;
}

async function measure(url: string, pid: number, warm: boolean): Promise<Measure> {
  if (warm) await autocannon({ url, connections: CONNECTIONS, duration: 1 }); // warm-up (JIT, pools)
  const r = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS });
  const mem = rssMb(pid);
  return { rps: r.requests.average, p99: r.latency.p99, bad: r.non2xx + r.errors + r.timeouts, ...mem };
}

const best = (runs: Measure[]): Measure => runs.reduce((x, y) => (y.rps > x.rps ? y : x));

async function sameAnswer(a: string, b: string): Promise<boolean> {
  const [x, y] = await Promise.all([fetch(a).then((r) => r.json()), fetch(b).then((r) => r.json())]);
  return JSON.stringify(x) === JSON.stringify(y);
}

// --- workloads ------------------------------------------------------------------------------------------------

/** A ~20 KB document with 20 scalar fields up front, and a list of 100 priced items. */
function documents(): { doc: Buffer; items: Buffer } {
  const doc: Record<string, unknown> = { id: 7, name: 'catalogue' };
  for (let i = 1; i <= 20; i++) doc[`f${i}`] = i % 3 === 0 ? i * 1.5 : `value ${i}`;
  const padding: Array<Record<string, unknown>> = [];
  while (JSON.stringify({ ...doc, padding }).length < 20_000) padding.push({ sku: `SKU-${padding.length}`, text: 'lorem ipsum dolor sit amet', qty: padding.length });
  doc.padding = padding;
  const items = Array.from({ length: 100 }, (_, i) => ({ id: i, name: `item ${i}`, price: (i % 17) + 0.5 }));
  return { doc: Buffer.from(JSON.stringify(doc)), items: Buffer.from(JSON.stringify({ items })) };
}

async function startBenchUpstream(): Promise<{ host: string; close(): Promise<void> }> {
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

const FIELDS = Array.from({ length: 20 }, (_, i) => `f${i + 1}`);
const src = (from: string, path: string) => ({ source: { from, path } });
const value = (id: string, key: string, v: unknown) => ({ id, kind: 'jsonValue', props: { key, value: v } });
const TOTAL_JS = 'let t = 0; for (const i of steps.items.items) t += i.price; return Math.round(t * 100) / 100;';

function writeBenchProject(dir: string, upstreamHost: string): void {
  const write = (rel: string, value: unknown) => {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), stringify(value));
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

/** (b): the same three services written by hand on fastify, calling the upstream with axios over a keep-alive agent. */
async function serveBaseline(upstreamHost: string): Promise<void> {
  const { default: Fastify } = await import('fastify');
  const { default: axios } = await import('axios');
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
}

// --- measuring ------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  if (taskset) pin(process.pid, '0');
  const upstream = await startBenchUpstream();
  const dir = mkdtempSync(join(tmpdir(), 'trellis-bench-'));
  writeBenchProject(dir, upstream.host);
  const trellis = await startServer([join(repo, 'bin/trellis.mjs'), 'serve', dir, '--port', '0'], { TRELLIS_LOG: process.env.BENCH_LOG ?? 'warn' });
  const baseline = await startServer([join(repo, 'bin/run-ts.mjs'), join(repo, 'bench/runtime.bench.ts'), '--baseline', upstream.host], {});
  const cases = [
    { name: 'W1', a: `${trellis.url}/projects/bench/sequences/w1?name=ada&n=21`, b: `${baseline.url}/w1?name=ada&n=21` },
    { name: 'W2', a: `${trellis.url}/projects/bench/sequences/w2?id=7`, b: `${baseline.url}/w2?id=7` },
    { name: 'W3', a: `${trellis.url}/projects/bench/sequences/w3`, b: `${baseline.url}/w3` },
  ];
  console.log(`runtime bench: best of ${ROUNDS} alternating runs of ${SECONDS} s per case at ${CONNECTIONS} connections; server ${taskset ? 'pinned to CPU 1' : 'not pinned (no taskset)'}; Trellis log level ${process.env.BENCH_LOG ?? 'warn'}`);
  const fmt = (m: Measure) => `${m.rps.toFixed(0).padStart(6)} req/s  p99 ${String(m.p99).padStart(4)} ms  RSS ${m.rss.toFixed(0)} MB (peak ${m.peak.toFixed(0)})${m.bad ? `  ${m.bad} failed` : ''}`;
  try {
    for (const c of cases) {
      if (!(await sameAnswer(c.a, c.b))) console.log(`${c.name}: WARNING: (a) and (b) answer differently`);
      const as: Measure[] = [];
      const bs: Measure[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        as.push(await measure(c.a, trellis.child.pid!, round === 0));
        bs.push(await measure(c.b, baseline.child.pid!, round === 0));
      }
      const a = best(as);
      const b = best(bs);
      const ratio = a.rps / b.rps;
      const target = c.name === 'W1' ? '' : ratio >= 0.8 ? '  (target >= 0.8: met)' : '  (target >= 0.8: NOT met)';
      console.log(`${c.name} (a) trellis   ${fmt(a)}`);
      console.log(`${c.name} (b) fastify   ${fmt(b)}`);
      console.log(`${c.name} a/b = ${ratio.toFixed(2)}${target}`);
    }
    console.log('node-red peer: not run');
  } finally {
    await stop(trellis.child);
    await stop(baseline.child);
    await upstream.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--baseline') await serveBaseline(process.argv[3]!);
else await main();
