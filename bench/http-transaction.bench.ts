/**
 * HTTP transaction overhead: sequential GETs of a 2 KB JSON document through the http connector kind
 * (open + execute) against the same GETs through bare axios over the same kind of keep-alive agent.
 * Calls alternate one by one, so machine drift hits both alike; the ratio is what matters.
 *
 *   node bin/run-ts.mjs bench/http-transaction.bench.ts      (BENCH_N=3000 calls per side by default)
 *
 * Not a test: it prints and exits 0 whatever the ratio.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import axios from 'axios';
import type { ExecContext } from '../src/connectors/connector-kind.js';
import { httpConnector } from '../src/connectors/http.connector.js';
import { envFrom } from '../src/engine/env.js';
import { silentLogger } from '../src/engine/logger.js';

const N = Math.max(10, Number(process.env.BENCH_N) || 3000);
const ROUNDS = 6;
const WARMUP = Math.min(500, N);
const TARGET = 1.1;

function document2k(): string {
  const items = [];
  for (let i = 0; items.length < 100; i++) {
    items.push({ id: i, name: `item ${i}`, price: i * 1.25, tags: ['a', 'b'] });
    if (JSON.stringify({ items }).length > 2048) {
      items.pop();
      break;
    }
  }
  return JSON.stringify({ items, total: items.length }).padEnd(2048, ' ');
}

async function main(): Promise<void> {
  const body = Buffer.from(document2k());
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
    res.end(body);
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;

  const handle = await httpConnector.open(httpConnector.config.parse({ host }), envFrom({}), { projectDir: process.cwd(), logger: silentLogger });
  const tx = httpConnector.transaction.parse({ name: 'getDoc', path: '/doc' });
  const ctx: ExecContext = {
    signal: new AbortController().signal,
    deadline: Date.now() + 3_600_000,
    logger: silentLogger,
    env: envFrom({}),
    projectDir: process.cwd(),
    now: Date.now,
  };
  const agent = new http.Agent({ keepAlive: true });
  const bare = axios.create({ httpAgent: agent });
  const url = `http://${host}/doc`;

  const engineCall = async () => {
    const r = await handle.execute(tx, {}, ctx);
    if (r.meta.status !== 200) throw new Error(`engine: status ${r.meta.status}`);
  };
  const axiosCall = async () => {
    const r = await bare.get(url);
    if (r.status !== 200 || typeof r.data !== 'object') throw new Error(`axios: status ${r.status}`);
  };
  const batch = async (call: () => Promise<void>, count: number): Promise<void> => {
    for (let i = 0; i < count; i++) await call();
  };
  const timed = async (call: () => Promise<void>): Promise<number> => {
    const started = performance.now();
    await call();
    return performance.now() - started;
  };

  await batch(engineCall, WARMUP);
  await batch(axiosCall, WARMUP);

  // Calls alternate one by one (engine, axios, axios, engine, ...) so load from other processes and GC
  // drift fall on both sides alike; rounds only space them out.
  const perRound = Math.ceil(N / ROUNDS);
  const calls = perRound * ROUNDS;
  const engineTimes = new Float64Array(calls);
  const axiosTimes = new Float64Array(calls);
  let k = 0;
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < perRound; i++, k++) {
      if ((i + round) % 2 === 0) {
        engineTimes[k] = await timed(engineCall);
        axiosTimes[k] = await timed(axiosCall);
      } else {
        axiosTimes[k] = await timed(axiosCall);
        engineTimes[k] = await timed(engineCall);
      }
    }
  }
  // Per-call means without the fastest and slowest 5% of calls: on a shared machine a few calls stall for
  // milliseconds when the process is descheduled, and those stalls (not the code) would decide a plain mean.
  const mean = (a: Float64Array) => a.reduce((x, y) => x + y, 0) / a.length;
  const trimmedMean = (a: Float64Array) => {
    const sorted = a.slice().sort();
    const cut = Math.floor(sorted.length * 0.05);
    return mean(sorted.subarray(cut, sorted.length - cut));
  };
  const median = (a: Float64Array) => a.slice().sort()[a.length >> 1]!;
  const engine = trimmedMean(engineTimes);
  const bareAxios = trimmedMean(axiosTimes);
  const ratio = engine / bareAxios;
  const rssMb = process.resourceUsage().maxRSS / 1024;

  console.log(
    `http-transaction: engine ${engine.toFixed(3)} ms/call, axios ${bareAxios.toFixed(3)} ms/call, ratio ${ratio.toFixed(2)} (target <= ${TARGET.toFixed(2)}${ratio <= TARGET ? '' : ', MISSED'}); peak RSS ${Math.round(rssMb)} MB`,
  );
  console.log(
    `http-transaction: 5%-trimmed means above; plain means engine ${mean(engineTimes).toFixed(3)} / axios ${mean(axiosTimes).toFixed(3)} ms (ratio ${(mean(engineTimes) / mean(axiosTimes)).toFixed(2)}), medians ${median(engineTimes).toFixed(3)} / ${median(axiosTimes).toFixed(3)} ms (ratio ${(median(engineTimes) / median(axiosTimes)).toFixed(2)})`,
  );
  console.log(`http-transaction: ${calls} calls per side, alternating, in ${ROUNDS} rounds after ${WARMUP} warm-up calls each; ${body.length}-byte JSON over keep-alive`);

  await handle.close();
  agent.destroy();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

await main().catch((e: unknown) => {
  console.error('http-transaction: failed:', e);
  process.exitCode = 1;
});
