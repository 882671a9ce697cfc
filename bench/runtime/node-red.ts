/**
 * (c) of the runtime benchmark: W1–W3 as Node-RED flows (HTTP In → HTTP Request / Function → HTTP Response), on
 * node-red 4.1.15 installed only for benchmarks under bench/peers (never by the root `npm ci`).
 *
 * Node-RED runs with no editor and no admin API (httpAdminRoot: false), on 127.0.0.1, logging warnings only; the
 * HTTP Request nodes keep their connections alive ("persist"), as (a) and (b) do.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { FIELDS, TOTAL_JS } from './workloads.js';

export const PEERS_DIR = resolve(import.meta.dirname, '../peers');
export const NODE_RED_MAIN = join(PEERS_DIR, 'node_modules/node-red/red.js');

/**
 * Makes sure Node-RED is installed under bench/peers, installing it (npm ci from bench/peers/package-lock.json)
 * when it is missing. Returns undefined when it is there, else why (c) cannot run.
 */
export function ensureNodeRed(log: (line: string) => void): string | undefined {
  if (existsSync(NODE_RED_MAIN)) return undefined;
  if (process.env.BENCH_NO_INSTALL === '1') return `${NODE_RED_MAIN} is missing and BENCH_NO_INSTALL=1 (install it with: npm ci --prefix bench/peers --no-audit --no-fund --ignore-scripts)`;
  const lock = existsSync(join(PEERS_DIR, 'package-lock.json'));
  const args = [lock ? 'ci' : 'install', '--prefix', PEERS_DIR, '--no-audit', '--no-fund', '--ignore-scripts'];
  log(`node-red is not installed under bench/peers: running npm ${args.join(' ')} (once; about 300 packages)`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, args, { stdio: ['ignore', 'inherit', 'inherit'], timeout: 10 * 60_000 });
  if (r.error) return `npm could not run (${r.error.message})`;
  if (r.status !== 0) return `npm ${args[0]} --prefix bench/peers failed with exit code ${r.status ?? r.signal}`;
  if (!existsSync(NODE_RED_MAIN)) return `npm ${args[0]} finished but ${NODE_RED_MAIN} is still missing`;
  return undefined;
}

type FlowNode = Record<string, unknown> & { id: string; type: string };

/** The flows of W1–W3 (Node-RED's flows.json), calling the upstream at `upstreamHost`. */
export function benchFlows(upstreamHost: string): FlowNode[] {
  const z = 'bench';
  // Node-RED tells flow nodes from config nodes by their canvas position: every node here needs x and y
  let y = 0;
  const at = () => ({ x: 200, y: (y += 40) });
  const httpIn = (id: string, url: string, next: string): FlowNode => ({ id, type: 'http in', z, ...at(), name: url, url, method: 'get', upload: false, wires: [[next]] });
  const fn = (id: string, func: string, next: string): FlowNode => ({ id, type: 'function', z, ...at(), name: id, func, outputs: 1, timeout: 0, noerr: 0, initialize: '', finalize: '', libs: [], wires: [[next]] });
  const request = (id: string, next: string): FlowNode => ({
    id,
    type: 'http request',
    z,
    ...at(),
    name: id,
    method: 'GET',
    ret: 'obj',
    paytoqs: 'ignore',
    url: '',
    tls: '',
    persist: true,
    proxy: '',
    insecureHTTPParser: false,
    authType: '',
    senderr: false,
    headers: [],
    wires: [[next]],
  });
  const response = (id: string): FlowNode => ({ id, type: 'http response', z, ...at(), name: id, statusCode: '', headers: {}, wires: [] });
  const base = `http://${upstreamHost}`;
  // what the HTTP Request node leaves on msg (the upstream's headers and status) must not become the answer's
  const clean = 'delete msg.headers; delete msg.statusCode; delete msg.responseUrl; delete msg.redirectList; delete msg.retry;';
  return [
    { id: z, type: 'tab', label: 'trellis bench', disabled: false, info: '' },
    // W1: a small JSON from the query
    httpIn('w1in', '/w1', 'w1fn'),
    fn('w1fn', "const q = msg.req.query;\nif (!q.name) { msg.statusCode = 400; msg.payload = { error: 'name is required' }; return msg; }\nmsg.payload = { name: q.name, n: q.n === undefined ? 1 : parseInt(q.n, 10), kind: 'greeting' };\nreturn msg;", 'w1out'),
    response('w1out'),
    // W2: one upstream call, 20 mapped fields
    httpIn('w2in', '/w2', 'w2url'),
    fn('w2url', `msg.url = ${JSON.stringify(`${base}/doc?id=`)} + parseInt(msg.req.query.id, 10);\nreturn msg;`, 'w2req'),
    request('w2req', 'w2map'),
    fn('w2map', `const d = msg.payload, out = {};\nfor (const f of ${JSON.stringify(FIELDS)}) out[f] = d[f];\n${clean}\nmsg.payload = out;\nreturn msg;`, 'w2out'),
    response('w2out'),
    // W3: two upstream calls, the list of 100 items mapped, a total computed in JavaScript
    httpIn('w3in', '/w3', 'w3url1'),
    fn('w3url1', `msg.url = ${JSON.stringify(`${base}/doc`)};\nreturn msg;`, 'w3req1'),
    request('w3req1', 'w3url2'),
    fn('w3url2', `msg.doc = msg.payload;\nmsg.url = ${JSON.stringify(`${base}/items`)};\nreturn msg;`, 'w3req2'),
    request('w3req2', 'w3map'),
    fn(
      'w3map',
      `const items = msg.payload.items;\nconst list = items.map((i) => ({ id: i.id, name: i.name }));\nconst steps = { items: msg.payload };\nconst total = (() => { ${TOTAL_JS} })();\n${clean}\nmsg.payload = { title: msg.doc.name, total, list };\ndelete msg.doc;\nreturn msg;`,
      'w3out',
    ),
    response('w3out'),
  ];
}

/** Writes Node-RED's user directory (settings.js, flows.json) for a server on 127.0.0.1:`port`. */
export function writeNodeRedUserDir(dir: string, upstreamHost: string, port: number): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'flows.json'), JSON.stringify(benchFlows(upstreamHost), null, 1));
  const settings = {
    uiHost: '127.0.0.1',
    uiPort: port,
    flowFile: 'flows.json',
    credentialSecret: false,
    // no editor, no admin API: nothing to authenticate, only the flows' HTTP endpoints are served
    httpAdminRoot: false,
    httpNodeRoot: '/',
    disableEditor: true,
    logging: { console: { level: 'warn', metrics: false, audit: false } },
    telemetry: { enabled: false },
    diagnostics: { enabled: false },
    runtimeState: { enabled: false },
    externalModules: { autoInstall: false, palette: { allowInstall: false }, modules: { allowInstall: false } },
    functionExternalModules: false,
  };
  writeFileSync(join(dir, 'settings.js'), `module.exports = ${JSON.stringify(settings, null, 2)};\n`);
}

/** The command line of the Node-RED server (no npx: the installed red.js, with its user dir and port). */
export function nodeRedArgs(userDir: string, port: number): string[] {
  return [NODE_RED_MAIN, '--userDir', userDir, '--settings', join(userDir, 'settings.js'), '--port', String(port)];
}
