/**
 * Runtime throughput (issue 6): W1/W2/W3 served by
 *   (a) `trellis serve` of a project (bench/runtime/workloads.ts),
 *   (b) a hand-written fastify route doing the same with the same HTTP client (bench/runtime/baseline.ts),
 *   (c) the equivalent Node-RED 4.1.15 flow (bench/runtime/node-red.ts; installed under bench/peers on first run),
 * each loaded by autocannon at 50 connections.
 *
 *   node bin/run-ts.mjs bench/runtime.bench.ts     (or `npm run bench runtime`)
 *   BENCH_SECONDS   seconds per measured run (default 10, as the issue says); a 1 s warm-up precedes each
 *   BENCH_ROUNDS    runs per case and implementation, the median counts (default 1)
 *   BENCH_ONLY      e.g. W3 or W2,W3: the workloads to run
 *   BENCH_PEER=0    leaves out (c)
 *   BENCH_LOG       Trellis's log level (default warn: no per-request log line, like (b) and (c))
 *   BENCH_PROFILE   a folder: (a) runs with --cpu-prof and writes its profile there
 *   BENCH_TRELLIS   another checkout's bin/trellis.mjs to run as (a), to compare two versions of the engine
 *
 * Every server under test runs in its own process pinned to CPU 1 (`taskset -c 1`); this process (autocannon and
 * the upstream) is pinned to CPU 0. Prints req/s (the mean over the run at 50 connections, i.e. the throughput at
 * saturation), p99 latency, RSS after the run, and the ratios a/b and a/c against the targets (a/b >= 0.8 and
 * a/c >= 2 on W2 and W3). On a shared machine the CPU a server gets varies from one run to the next, so it also
 * prints requests per CPU second of the server (its user + system time from /proc during the run) and the ratios
 * of those: what each would serve on a core of its own, steadier than req/s when other work competes.
 * Not a test: it prints and exits 0 whatever the ratios.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ensureNodeRed, nodeRedArgs, writeNodeRedUserDir } from './runtime/node-red.js';
import { startBenchUpstream, WORKLOADS, writeBenchProject, type Workload } from './runtime/workloads.js';

interface CannonResult {
  requests: { average: number; max: number; total: number };
  latency: { p99: number; average: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
type Cannon = (opts: { url: string; connections: number; duration: number; pipelining?: number }) => Promise<CannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Cannon;

const SECONDS = Math.max(1, Number(process.env.BENCH_SECONDS) || 10);
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS) || 1);
const ONLY = (process.env.BENCH_ONLY ?? '').toUpperCase().split(',').filter(Boolean);
const CONNECTIONS = 50;
const repo = resolve(import.meta.dirname, '..');
const taskset = existsSync('/usr/bin/taskset') ? '/usr/bin/taskset' : undefined;
const CLOCK_TICKS = clockTicks();
const work = mkdtempSync(join(tmpdir(), 'trellis-bench-runtime-'));

interface Server {
  name: string;
  url: string;
  child: ChildProcess;
  /** where its stdout and stderr go (warnings of cancelled calls when autocannon stops mid-request, say) */
  log: string;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

/**
 * Spawns a server pinned to CPU 1 and resolves once `ready` answers (or, without a probe, with the first
 * http://... it prints). Its output goes to a log file in the work folder.
 */
async function startServer(name: string, args: string[], env: Record<string, string>, probe?: { url: string; timeoutMs: number }): Promise<Server> {
  const [cmd, argv] = taskset ? [taskset, ['-c', '1', process.execPath, ...args]] : [process.execPath, args];
  const child = spawn(cmd, argv, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = join(work, `${name}.log`);
  const file = createWriteStream(log);
  child.stderr!.pipe(file);
  let out = '';
  const exited = new Promise<never>((_, fail) =>
    child.once('exit', (code, signal) => fail(new Error(`${name} exited with ${code ?? signal} before it was ready: ${out.slice(-2000)}${tail(log)}`))),
  );
  const started = new Promise<string>((done) => {
    child.stdout!.on('data', (d) => {
      if (out.length < 100_000) out += d;
      const m = /(http:\/\/[\d.:]+)/.exec(out);
      if (m && !probe) done(m[1]!);
    });
  });
  const ready = probe ? waitFor(probe.url, probe.timeoutMs).then(() => new URL(probe.url).origin) : started;
  let url: string;
  try {
    url = await Promise.race([ready, exited]);
  } catch (e) {
    // a server that never became ready must not outlive the benchmark
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    throw e;
  }
  child.stdout!.pipe(file);
  return { name, url, child, log };
}

function tail(file: string): string {
  try {
    const text = readFileSync(file, 'utf8');
    return text ? `\n--- ${file}:\n${text.slice(-2000)}` : '';
  } catch {
    return '';
  }
}

async function waitFor(url: string, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < end) {
    try {
      const r = await fetch(url);
      if (r.ok) return;
      last = `status ${r.status}`;
    } catch (e) {
      last = (e as Error).message;
    }
    await new Promise((done) => setTimeout(done, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms (${last})`);
}

/** CPU seconds (user + system, all threads) the process has used so far. */
function cpuSeconds(pid: number): number {
  // /proc/<pid>/stat: the command may hold spaces, so count fields after its closing parenthesis
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

function rssMb(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

async function stop(server: Server | undefined): Promise<void> {
  if (!server || server.child.exitCode !== null || server.child.signalCode !== null) return;
  await new Promise<void>((done) => {
    const force = setTimeout(() => server.child.kill('SIGKILL'), 10_000);
    server.child.once('exit', () => (clearTimeout(force), done()));
    server.child.kill('SIGTERM');
  });
}

function clockTicks(): number {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
}

interface Measure {
  rps: number;
  /** requests per CPU second of the server: what it would serve on a core of its own (shared machines vary) */
  perCpu: number;
  p99: number;
  rss: number;
  peak: number;
  bad: number;
}

async function measure(url: string, server: Server): Promise<Measure> {
  await autocannon({ url, connections: CONNECTIONS, duration: 1 }); // warm-up (JIT, pools, keep-alive sockets)
  const cpu = cpuSeconds(server.child.pid!);
  const r = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS });
  const used = cpuSeconds(server.child.pid!) - cpu;
  const mem = rssMb(server.child.pid!);
  return { rps: r.requests.average, perCpu: used > 0 ? r.requests.total / used : 0, p99: r.latency.p99, bad: r.non2xx + r.errors + r.timeouts, ...mem };
}

function median(runs: Measure[]): Measure {
  const sorted = [...runs].sort((x, y) => x.rps - y.rps);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

async function answer(url: string): Promise<string> {
  const r = await fetch(url);
  return `${r.status} ${JSON.stringify(await r.json())}`;
}

const fmt = (m: Measure) => `${m.rps.toFixed(0).padStart(6)} req/s  ${m.perCpu.toFixed(0).padStart(6)} req/CPU-s  p99 ${String(m.p99).padStart(4)} ms  RSS ${m.rss.toFixed(0).padStart(3)} MB (peak ${m.peak.toFixed(0)})${m.bad ? `  ${m.bad} failed` : ''}`;

function ratioLine(w: Workload, label: string, x: Measure, y: Measure, target: number): string {
  const ratio = x.rps / y.rps;
  const judged = w.name === 'W1' ? '' : ratio >= target ? `  (target >= ${target}: met)` : `  (target >= ${target}: NOT met)`;
  return `${w.name} ${label} = ${ratio.toFixed(2)}${judged}; per CPU second ${(x.perCpu / y.perCpu).toFixed(2)}`;
}

async function main(): Promise<void> {
  if (taskset) execFileSync(taskset, ['-pc', '0', String(process.pid)], { stdio: 'ignore' });
  const workloads = WORKLOADS.filter((w) => ONLY.length === 0 || ONLY.includes(w.name));
  const upstream = await startBenchUpstream();
  const project = join(work, 'project');
  writeBenchProject(project, upstream.host);
  let peerSkipped: string | undefined = process.env.BENCH_PEER === '0' ? 'BENCH_PEER=0' : undefined;
  if (!peerSkipped) peerSkipped = ensureNodeRed((line) => console.log(line));

  const servers: Server[] = [];
  try {
    const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir', resolve(process.env.BENCH_PROFILE)] : [];
    const a = await startServer('trellis', [...profile, process.env.BENCH_TRELLIS ? resolve(process.env.BENCH_TRELLIS) : join(repo, 'bin/trellis.mjs'), 'serve', project, '--port', '0'], { TRELLIS_LOG: process.env.BENCH_LOG ?? 'warn' });
    servers.push(a);
    const b = await startServer('fastify', [join(repo, 'bin/run-ts.mjs'), join(repo, 'bench/runtime/baseline.ts'), upstream.host], {});
    servers.push(b);
    let c: Server | undefined;
    if (!peerSkipped) {
      try {
        const port = await freePort();
        const userDir = join(work, 'node-red');
        writeNodeRedUserDir(userDir, upstream.host, port);
        c = await startServer('node-red', nodeRedArgs(userDir, port), { NODE_ENV: 'production' }, { url: `http://127.0.0.1:${port}${WORKLOADS[0]!.plain}`, timeoutMs: 60_000 });
        servers.push(c);
      } catch (e) {
        peerSkipped = `Node-RED did not start: ${(e as Error).message}`;
      }
    }

    const load = loadavg().map((x) => x.toFixed(2)).join(' ');
    console.log(
      `runtime bench: ${ROUNDS > 1 ? `median of ${ROUNDS} runs` : 'one run'} of ${SECONDS} s per case and implementation (after 1 s of warm-up), ${CONNECTIONS} connections; ` +
        `servers ${taskset ? 'pinned to CPU 1, load and upstream to CPU 0' : 'not pinned (no taskset)'}; Trellis log level ${process.env.BENCH_LOG ?? 'warn'}; load average ${load}`,
    );
    if (peerSkipped) console.log(`(c) node-red: skipped, ${peerSkipped}`);

    for (const w of workloads) {
      const urls = { a: a.url + w.trellis, b: b.url + w.plain, c: c ? c.url + w.plain : undefined };
      const expected = await answer(urls.b);
      for (const [label, url] of [['a', urls.a], ['c', urls.c]] as const) {
        if (url && (await answer(url)) !== expected) console.log(`${w.name}: WARNING: (${label}) answers differently from (b): ${(await answer(url)).slice(0, 300)}`);
      }
      const runs: Record<'a' | 'b' | 'c', Measure[]> = { a: [], b: [], c: [] };
      for (let round = 0; round < ROUNDS; round++) {
        runs.a.push(await measure(urls.a, a));
        runs.b.push(await measure(urls.b, b));
        if (c && urls.c) runs.c.push(await measure(urls.c, c));
      }
      const ma = median(runs.a);
      const mb = median(runs.b);
      console.log(`${w.name} ${w.title}`);
      console.log(`${w.name} (a) trellis   ${fmt(ma)}`);
      console.log(`${w.name} (b) fastify   ${fmt(mb)}`);
      if (runs.c.length) console.log(`${w.name} (c) node-red  ${fmt(median(runs.c))}`);
      console.log(ratioLine(w, 'a/b', ma, mb, 0.8));
      if (runs.c.length) console.log(ratioLine(w, 'a/c', ma, median(runs.c), 2));
      if (ROUNDS > 1) console.log(`${w.name} runs (req/s): a ${runs.a.map((m) => m.rps.toFixed(0)).join(' ')}; b ${runs.b.map((m) => m.rps.toFixed(0)).join(' ')}${runs.c.length ? `; c ${runs.c.map((m) => m.rps.toFixed(0)).join(' ')}` : ''}`);
    }
    console.log(`load average at the end: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  } finally {
    for (const s of servers) await stop(s);
    await upstream.close();
    if (process.env.BENCH_KEEP === '1') console.log(`work folder kept: ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
}

await main();
