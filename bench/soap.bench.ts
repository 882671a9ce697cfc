/**
 * SOAP transaction overhead: the same operation (the corpus StockQuote's GetLastTradePrice, document/literal
 * SOAP 1.1) called through a Trellis SOAP transaction (imported with importWsdl, executed by the engine with
 * its connection pool) and through a bare `soap` client, against one `soap` server on 127.0.0.1, in one run.
 * Both sides use keep-alive agents. Calls alternate one by one, so machine drift hits both alike.
 *
 *   node bin/run-ts.mjs bench/soap.bench.ts      (BENCH_N=2000 calls per side by default, at most 20000)
 *
 * Not a test: it prints and exits 0 whatever the ratio.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import axios from 'axios';
import { createClientAsync, listen } from 'soap';
import { envFrom } from '../src/engine/env.js';
import { executeTransaction } from '../src/engine/execute-transaction.js';
import { ConnectionPool } from '../src/engine/pool.js';
import type { Connector } from '../src/model/index.js';
import { createProject, loadProject } from '../src/project/index.js';
import { importWsdl } from '../src/wsdl/import.js';

const N = Math.min(20_000, Math.max(10, Number(process.env.BENCH_N) || 2000));
const ROUNDS = 4;
const WARMUP = Math.min(300, N);
const TARGET = 1.2;
const WSDL = resolve(import.meta.dirname, '../../shared/corpus/wsdl/stockquote/stockquote.wsdl');

type Loose = Record<string, any>;

async function main(): Promise<void> {
  const server = http.createServer((_req, res) => res.writeHead(404).end());
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/stockquote`;
  await new Promise<void>((ready, fail) => {
    listen(server, {
      path: '/stockquote',
      xml: readFileSync(WSDL, 'utf8'),
      callback: (err: unknown) => (err ? fail(err) : ready()),
      services: { StockQuoteService: { StockQuotePort: { GetLastTradePrice: (args: Loose) => ({ price: args.tickerSymbol === 'IBM' ? 139.5 : 1.25, tax: 0.2, other: 7 }) } } },
    });
  });

  const dir = await mkdtemp(join(tmpdir(), 'trellis-bench-soap-'));
  await createProject(dir, { name: 'bench' });
  await importWsdl(dir, WSDL, { connectorName: 'stock' });
  const project = (await loadProject(dir)).project;
  const c = project.connectors[0]!;
  project.connectors[0] = { ...c, config: { ...c.config, endpoint } } as Connector;
  const pool = new ConnectionPool();
  const env = envFrom({});

  const agent = new http.Agent({ keepAlive: true });
  const client = await createClientAsync(WSDL, { endpoint, request: axios.create({ httpAgent: agent }) as never });

  const trellisCall = async () => {
    const r = await executeTransaction(project, 'stock.GetLastTradePrice', { tickerSymbol: 'IBM' }, { env, pool });
    if ((r.data as Loose)?.TradePrice?.price !== '139.5') throw new Error(`trellis: unexpected ${JSON.stringify(r.data)}`);
  };
  const bareCall = async () => {
    const [r] = await (client as Loose).GetLastTradePriceAsync({ tickerSymbol: 'IBM' });
    if (Number(r?.price) !== 139.5) throw new Error(`soap: unexpected ${JSON.stringify(r)}`);
  };
  const timed = async (call: () => Promise<void>): Promise<number> => {
    const started = performance.now();
    await call();
    return performance.now() - started;
  };
  for (let i = 0; i < WARMUP; i++) {
    await trellisCall();
    await bareCall();
  }

  const perRound = Math.ceil(N / ROUNDS);
  const calls = perRound * ROUNDS;
  const trellisTimes = new Float64Array(calls);
  const bareTimes = new Float64Array(calls);
  let k = 0;
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < perRound; i++, k++) {
      if ((i + round) % 2 === 0) {
        trellisTimes[k] = await timed(trellisCall);
        bareTimes[k] = await timed(bareCall);
      } else {
        bareTimes[k] = await timed(bareCall);
        trellisTimes[k] = await timed(trellisCall);
      }
    }
  }
  // 5%-trimmed means: on a shared machine a few calls stall when the process is descheduled
  const mean = (a: Float64Array) => a.reduce((x, y) => x + y, 0) / a.length;
  const trimmed = (a: Float64Array) => {
    const s = a.slice().sort();
    const cut = Math.floor(s.length * 0.05);
    return mean(s.subarray(cut, s.length - cut));
  };
  const median = (a: Float64Array) => a.slice().sort()[a.length >> 1]!;
  const trellis = trimmed(trellisTimes);
  const bare = trimmed(bareTimes);
  const ratio = trellis / bare;
  console.log(`soap: trellis ${trellis.toFixed(3)} ms/call, bare soap client ${bare.toFixed(3)} ms/call, ratio ${ratio.toFixed(2)} (target <= ${TARGET.toFixed(2)}${ratio <= TARGET ? '' : ', MISSED'})`);
  console.log(`soap: medians ${median(trellisTimes).toFixed(3)} / ${median(bareTimes).toFixed(3)} ms (ratio ${(median(trellisTimes) / median(bareTimes)).toFixed(2)}); ${calls} calls per side, alternating, after ${WARMUP} warm-up calls each`);

  await pool.dispose();
  agent.destroy();
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
  await rm(dir, { recursive: true, force: true });
}

await main().catch((e: unknown) => {
  console.error('soap: failed:', e);
  process.exitCode = 1;
});
