// FullSync replication speed: an unmodified PouchDB client (memory adapter) pulls 10,000 documents (a) from the
// Trellis runtime's /fullsync endpoint, with access control on (JWT user, every document checked), and (b) from a
// plain express-pouchdb server over the same LevelDB store, one server at a time (LevelDB allows one process).
// Each server runs in its own process; the client runs here. Target: a/b >= 0.8 (docs/s).
// Run: node bin/run-ts.mjs bench/fullsync.bench.ts   (BENCH_FULLSYNC_DOCS=N to change the count)
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SignJWT } from 'jose';
import { isCouchHandle } from '../src/connectors/couch.connector.js';
import { pouchDB } from '../src/connectors/couch/pouch.js';
import { envFrom } from '../src/engine/env.js';
import { silentLogger } from '../src/engine/logger.js';
import { ConnectionPool } from '../src/engine/pool.js';
import { loadProject } from '../src/project/index.js';

const repo = resolve(import.meta.dirname, '..');
const DOCS = Number(process.env.BENCH_FULLSYNC_DOCS ?? 10_000);
const RUNS = 3;
const SECRET = 'bench-secret-0123456789-abcdefgh';

function startChild(args: string[], ready: RegExp, env: Record<string, string> = {}): Promise<{ child: ChildProcess; match: RegExpExecArray }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, args, { env: { ...process.env, TRELLIS_LOG: 'silent', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const onData = (d: Buffer) => {
      out += d;
      const m = ready.exec(out);
      if (m) done({ child, match: m });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d) => (out += d));
    child.on('exit', (code) => fail(new Error(`${args.join(' ')} exited with ${code}: ${out.slice(-500)}`)));
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((done) => {
    child.removeAllListeners('exit');
    child.once('exit', () => done());
    child.kill('SIGTERM');
  });
}

async function pull(url: string, headers: Record<string, string>): Promise<number> {
  const PouchDB = pouchDB();
  const local = new PouchDB(`bench-device-${Math.random()}`, { adapter: 'memory' });
  const remote = new PouchDB(url, { adapter: 'http', fetch: (u: string, init: RequestInit) => fetch(u, { ...init, headers: { ...Object.fromEntries(new Headers(init.headers)), ...headers } }) });
  const started = performance.now();
  const result = (await local.replicate.from(remote, { batch_size: 100 })) as { docs_written: number };
  const ms = performance.now() - started;
  if (result.docs_written !== DOCS) throw new Error(`pulled ${result.docs_written} documents, expected ${DOCS}`);
  await local.destroy();
  return ms;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'trellis-bench-fullsync-'));
  try {
    await mkdir(join(dir, 'connectors'), { recursive: true });
    await writeFile(join(dir, 'trellis.yaml'), `name: bench\nformatVersion: 1\nruntime:\n  auth: { type: jwt, algorithm: HS256, secret: "\${env:JWT_SECRET}" }\n`);
    await writeFile(join(dir, 'connectors/notes.yaml'), 'name: notes\nkind: couch\nconfig: { database: notes, fullsync: true }\ntransactions:\n  - { name: bulk, operation: bulkPost }\n');
    // seed: documents owned by the user that pulls them (so access control checks every one and lets it through)
    const { project } = await loadProject(dir);
    const pool = new ConnectionPool();
    const handle = await pool.get(dir, project.connectors[0]!, envFrom({}), silentLogger);
    if (!isCouchHandle(handle)) throw new Error('not a couch handle');
    const tx = { name: 'bulk', operation: 'bulkPost', policy: 'none', updateOnlyIfChanged: false, variables: [] } as never;
    for (let i = 0; i < DOCS; i += 1000) {
      const docs = Array.from({ length: Math.min(1000, DOCS - i) }, (_, k) => ({ _id: `doc-${String(i + k).padStart(6, '0')}`, type: 'note', text: `note ${i + k}`, tags: ['a', 'b'], n: i + k }));
      await handle.operation(tx, { docs }, { authenticated: true, subject: 'bench', roles: [] });
    }
    await pool.dispose();

    const token = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('bench').setExpirationTime('1h').sign(new TextEncoder().encode(SECRET));
    const trellisMs: number[] = [];
    const plainMs: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const rt = await startChild([join(repo, 'bin/trellis.mjs'), 'serve', dir, '--port', '0'], /Trellis runtime: (http:\/\/\S+)/, { JWT_SECRET: SECRET });
      try {
        trellisMs.push(await pull(`${rt.match[1]}/fullsync/bench/notes`, { authorization: `Bearer ${token}` }));
      } finally {
        await stop(rt.child);
      }
      const peer = await startChild([join(repo, 'test/helpers/express-pouchdb-server.mjs'), join(dir, 'data/fullsync')], /listening (\d+)/);
      try {
        plainMs.push(await pull(`http://127.0.0.1:${peer.match[1]}/notes`, {}));
      } finally {
        await stop(peer.child);
      }
    }
    const a = DOCS / (median(trellisMs) / 1000);
    const b = DOCS / (median(plainMs) / 1000);
    console.log(`pull ${DOCS} documents, median of ${RUNS} runs each (server in its own process, client here):`);
    console.log(`  (a) Trellis /fullsync, access control on: ${Math.round(a)} docs/s (${trellisMs.map((m) => Math.round(m)).join(', ')} ms)`);
    console.log(`  (b) express-pouchdb, same store:          ${Math.round(b)} docs/s (${plainMs.map((m) => Math.round(m)).join(', ')} ms)`);
    console.log(`  a/b = ${(a / b).toFixed(2)} (target >= 0.8)`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
