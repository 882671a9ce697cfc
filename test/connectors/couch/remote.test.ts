import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isCouchHandle } from '../../../src/connectors/couch.connector.js';
import { envFrom } from '../../../src/engine/env.js';
import { executeTransaction } from '../../../src/engine/execute-transaction.js';
import { silentLogger } from '../../../src/engine/logger.js';
import { ConnectionPool } from '../../../src/engine/pool.js';
import type { Project } from '../../../src/model/index.js';
import { loadProject } from '../../../src/project/index.js';
import { couchProject, writeProject } from './helpers.js';

const repo = resolve(import.meta.dirname, '../../..');
let peer: ChildProcess;
let peerUrl = '';
let storeDir = '';
let dir = '';
let project: Project;
const pool = new ConnectionPool();
const env = envFrom({});

/** A CouchDB-compatible server (express-pouchdb) in its own process, on 127.0.0.1. */
function startPeer(folder: string): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(repo, 'test/helpers/express-pouchdb-server.mjs'), folder], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /listening (\d+)/.exec(out);
      if (m) done({ child, port: Number(m[1]) });
    });
    child.stderr!.on('data', (d) => (out += d));
    child.on('exit', (code) => fail(new Error(`express-pouchdb exited with ${code}: ${out}`)));
  });
}

beforeAll(async () => {
  storeDir = mkdtempSync(join(tmpdir(), 'trellis-couch-peer-'));
  const started = await startPeer(storeDir);
  peer = started.child;
  peerUrl = `http://127.0.0.1:${started.port}`;
  await fetch(`${peerUrl}/notes`, { method: 'PUT' });
  dir = writeProject(couchProject('remote', `  url: ${peerUrl}\n`));
  project = (await loadProject(dir)).project;
}, 60_000);

afterAll(async () => {
  await pool.dispose();
  peer?.removeAllListeners('exit');
  peer?.kill();
  rmSync(dir, { recursive: true, force: true });
  rmSync(storeDir, { recursive: true, force: true });
});

const run = async (target: string, vars: Record<string, unknown> = {}) => (await executeTransaction(project, `docs.${target}`, vars, { pool, env })).data as any;

describe('couch connector against a CouchDB-compatible server (url set)', () => {
  it('reads and writes documents on the server with the same policies', async () => {
    await run('put', { doc: { _id: 'r1', title: 'remote', tags: ['a'], meta: { x: 1 } } });
    await run('putMerge', { doc: { _id: 'r1', meta: { y: 2 } } });
    expect(await run('get', { docid: 'r1' })).toMatchObject({ title: 'remote', meta: { x: 1, y: 2 } });
    const onServer = await (await fetch(`${peerUrl}/notes/r1`)).json();
    expect(onServer.meta).toEqual({ x: 1, y: 2 });
    const bulk = await run('bulk', { docs: [{ _id: 'r1', title: 'remote', tags: ['a'], meta: { x: 1, y: 2 } }, { _id: 'r2', title: 'two', tags: ['a', 'b'] }] });
    expect(bulk[0].unchanged).toBe(true);
    expect(bulk[1].ok).toBe(true);
  });

  it('syncs the view files as design documents and queries them on the server', async () => {
    const connector = project.connectors[0]!;
    const handle = await pool.get(dir, connector, env, silentLogger);
    if (!isCouchHandle(handle)) throw new Error('not a couch handle');
    expect(await handle.syncDesignDocuments()).toEqual(['_design/notes']);
    expect(await handle.syncDesignDocuments()).toEqual([]); // unchanged: nothing written
    const design = await (await fetch(`${peerUrl}/notes/_design/notes`)).json();
    expect(Object.keys(design.views).sort()).toEqual(['byTag', 'countByTag', 'lengths']);
    const byTag = await run('byTag', { key: '"a"' });
    expect(byTag.rows.map((r: any) => r.id)).toEqual(['r1', 'r2']);
    expect((await run('countByTag', { group_level: 1 })).rows).toEqual([
      { key: ['a'], value: 2 },
      { key: ['b'], value: 1 },
    ]);
  });

  it('a server that is down is a clear connection error', async () => {
    const down = writeProject(couchProject('down', '  url: http://127.0.0.1:1\n'));
    try {
      const p = (await loadProject(down)).project;
      await expect(executeTransaction(p, 'docs.get', { docid: 'x' }, { pool, env })).rejects.toMatchObject({ code: expect.stringMatching(/CONNECTION_REFUSED|NETWORK/) });
    } finally {
      rmSync(down, { recursive: true, force: true });
    }
  });
});
