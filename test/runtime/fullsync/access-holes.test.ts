import { createHash } from 'node:crypto';
import http from 'node:http';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../../src/runtime/server.js';
import { call, removeDir, serve, writeProject } from '../helpers.js';
import { device, fullsyncProject, remote, SECRET, token } from './fixture.js';

// Security review of the FullSync endpoint: each case is a way one caller could reach another's documents, or
// take the runtime down, through a route the replication protocol offers.

let dir = '';
let runtime: Runtime;
let url = '';
const tokens: Record<string, string> = {};
const as = (who: string) => ({ authorization: `Bearer ${tokens[who]}` });
const aliceCheckpoint = `_local/${Buffer.from('u:alice').toString('base64url')}~chk`;
let a1rev = '';

beforeAll(async () => {
  // JWT auth and anonymous replication side by side: the widest set of callers
  dir = await writeProject(fullsyncProject('holes', { anonymous: true }));
  runtime = await serve([dir], { env: { JWT_SECRET: SECRET } });
  url = `${runtime.url}/fullsync/holes/notes`;
  tokens.alice = await token('alice');
  tokens.carol = await token('carol');
  const a1 = await call(`${url}/a1`, { method: 'PUT', headers: as('alice'), json: { text: 'alice secret' } });
  expect(a1.status).toBe(201);
  a1rev = (a1.body as { rev: string }).rev;
  const chk = await call(`${url}/_local/chk`, { method: 'PUT', headers: as('alice'), json: { session_id: 'alice-session-xyz', history: [] } });
  expect(chk.status).toBe(201);
}, 60_000);

afterAll(async () => {
  await runtime?.close();
  await removeDir(dir);
}, 60_000);

describe('FullSync access holes', () => {
  it('a malformed _revs_diff is a 400 and the runtime keeps serving (PouchDB threw it outside its promise)', async () => {
    const bad = await call(`${url}/_revs_diff`, { headers: as('carol'), json: { a1: 'not-a-list' } });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: 'bad_request' });
    await new Promise((r) => setTimeout(r, 200));
    expect((await call(`${url}/a1`, { headers: as('alice') })).status).toBe(200);
  });

  it('never serves another user\'s raw _local checkpoint through the document routes', async () => {
    for (const headers of [{}, as('carol')]) {
      const got = await call(`${url}/${encodeURIComponent(aliceCheckpoint)}`, { headers });
      expect(got.status).toBe(404);
      const bulk = await call(`${url}/_bulk_get`, { headers, json: { docs: [{ id: aliceCheckpoint }] } });
      expect(bulk.status).toBe(200);
      expect(bulk.text).not.toContain('alice-session-xyz');
    }
    // the owner still reads it through _local
    expect((await call(`${url}/_local/chk`, { headers: as('alice') })).body).toMatchObject({ session_id: 'alice-session-xyz' });
  });

  it('_all_docs with keys answers a missing key and another user\'s document alike (it used to fail with 500)', async () => {
    for (const res of [
      await call(`${url}/_all_docs?include_docs=true`, { headers: as('carol'), json: { keys: ['a1', 'nope'] } }),
      await call(`${url}/_all_docs?keys=${encodeURIComponent('["a1","nope"]')}`, { headers: as('carol') }),
    ]) {
      expect(res.status).toBe(200);
      expect((res.body as { rows: unknown[] }).rows).toEqual([{ key: 'a1', error: 'not_found' }, { key: 'nope', error: 'not_found' }]);
    }
    const own = await call(`${url}/_all_docs`, { headers: as('alice'), json: { keys: ['a1', 'nope'] } });
    expect((own.body as { rows: unknown[] }).rows).toEqual([{ id: 'a1', key: 'a1', value: { rev: a1rev } }, { key: 'nope', error: 'not_found' }]);
  });

  it('_bulk_get entries without a string id are a 400, not a 500', async () => {
    const res = await call(`${url}/_bulk_get`, { headers: as('carol'), json: { docs: [null, 5, { id: 5 }] } });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'bad_request' });
  });

  it('authenticated callers without a subject cannot replicate (they would all share one owner)', async () => {
    const nosub = (roles: string[]) => new SignJWT({ roles }).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setExpirationTime('10m').sign(new TextEncoder().encode(SECRET));
    const first = await call(`${url}/n1`, { method: 'PUT', headers: { authorization: `Bearer ${await nosub(['x'])}` }, json: { text: 'service one' } });
    expect(first.status).toBe(403);
    expect(first.body).toMatchObject({ error: 'forbidden' });
    expect((await call(`${url}/_changes`, { headers: { authorization: `Bearer ${await nosub(['y'])}` } })).status).toBe(403);
  });

  it('hides another user\'s document on every read route and refuses every write route (sound before the review)', async () => {
    const carol = as('carol');
    expect((await call(`${url}/a1?open_revs=all`, { headers: carol })).body).toEqual([]);
    expect((await call(`${url}/a1?open_revs=${encodeURIComponent(JSON.stringify([a1rev]))}`, { headers: carol })).body).toEqual([]);
    expect((await call(`${url}/a1?rev=${a1rev}`, { headers: carol })).status).toBe(404);
    const changes = await call(`${url}/_changes?filter=_doc_ids&include_docs=true&style=all_docs`, { headers: carol, json: { doc_ids: ['a1'] } });
    expect((changes.body as { results: unknown[] }).results).toEqual([]);
    expect((await call(`${url}/a1?new_edits=false`, { method: 'PUT', headers: carol, json: { _rev: '2-abc', text: 'carol' } })).status).toBe(403);
    const replicated = await call(`${url}/_bulk_docs`, { headers: carol, json: { new_edits: false, docs: [{ _id: 'a1', _rev: '2-abcd', _revisions: { start: 2, ids: ['abcd', a1rev.split('-')[1]] }, text: 'carol' }] } });
    expect((replicated.body as unknown[])[0]).toMatchObject({ id: 'a1', error: 'forbidden' });
    const design = await call(`${url}/_bulk_docs`, { headers: carol, json: { docs: [{ _id: '_design/x', views: {} }] } });
    expect((design.body as unknown[])[0]).toMatchObject({ error: 'forbidden' });
    expect((await call(`${url}/_all_docs?include_docs=true`)).body).toMatchObject({ rows: [] });
    expect((await call(`${url}/a1`, { headers: as('alice') })).body).toMatchObject({ text: 'alice secret', trellis_owner: 'alice' });
  });

  it('a deleted document stays its owner\'s: no one else reads its tombstone or recreates it', async () => {
    const made = await call(`${url}/gone`, { method: 'PUT', headers: as('alice'), json: { text: 'soon deleted' } });
    const removed = await call(`${url}/gone?rev=${(made.body as { rev: string }).rev}`, { method: 'DELETE', headers: as('alice') });
    expect(removed.status).toBe(200);
    const tomb = (removed.body as { rev: string }).rev;
    expect((await call(`${url}/gone?rev=${tomb}`, { headers: as('carol') })).status).toBe(404);
    const changes = await call(`${url}/_changes?style=all_docs`, { headers: as('carol') });
    expect(changes.text).not.toContain('"gone"');
    for (const headers of [as('carol'), {}]) expect((await call(`${url}/gone`, { method: 'PUT', headers, json: { text: 'taken over' } })).status).toBe(403);
  });

  it('an attachment stub cannot borrow another user\'s attachment by its digest', async () => {
    const data = Buffer.from('alice attachment secret');
    await call(`${url}/withfile`, { method: 'PUT', headers: as('alice'), json: { _attachments: { 'f.txt': { content_type: 'text/plain', data: data.toString('base64') } } } });
    const digest = `md5-${createHash('md5').update(data).digest('base64')}`;
    const stub = await call(`${url}/borrow`, { method: 'PUT', headers: as('carol'), json: { _attachments: { 'f.txt': { stub: true, digest, content_type: 'text/plain', length: data.length } } } });
    expect(stub.status).toBe(403);
    expect((await call(`${url}/borrow?attachments=true`, { headers: as('carol') })).text).not.toContain(data.toString('base64'));
    // a stub of the document's own attachment (an edit that keeps it) still works
    const own = (await call(`${url}/withfile`, { headers: as('alice') })).body as Record<string, unknown>;
    const edited = await call(`${url}/withfile`, { method: 'PUT', headers: as('alice'), json: { ...own, note: 'edited' } });
    expect(edited.status).toBe(201);
    expect((await call(`${url}/withfile?attachments=true`, { headers: as('alice') })).text).toContain(data.toString('base64'));
  });

  it('an unmodified PouchDB still pushes documents with attachments, edits included', async () => {
    const phone = device('att');
    await phone.put({ _id: 'photo', _attachments: { 'p.txt': { content_type: 'text/plain', data: Buffer.from('pixels').toString('base64') } } } as never);
    await phone.replicate.to(remote(url, tokens.alice));
    await phone.put({ ...(await phone.get('photo')), caption: 'edited on the phone' });
    await phone.replicate.to(remote(url, tokens.alice));
    // an edit through the remote itself sends the attachment as a stub of the document's own attachment
    const server = remote(url, tokens.alice);
    await server.put({ ...(await server.get('photo')), caption: 'edited on the server copy' });
    const got = await call(`${url}/photo?attachments=true`, { headers: as('alice') });
    expect(got.body).toMatchObject({ caption: 'edited on the server copy', _attachments: { 'p.txt': { data: Buffer.from('pixels').toString('base64') } } });
  });

  it('refuses a caller without credentials before reading its (large) body', async () => {
    const closed = await writeProject(fullsyncProject('closed'));
    const rt = await serve([closed], { env: { JWT_SECRET: SECRET } });
    try {
      // 32 MB announced, 1 KB sent: the answer has to come without the rest
      const status = await new Promise<number>((done, fail) => {
        const req = http.request(`${rt.url}/fullsync/closed/notes/_bulk_docs`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(32 * 1024 * 1024) } }, (res) => {
          res.resume();
          done(res.statusCode ?? 0);
          req.destroy();
        });
        req.on('error', (e) => (req.destroyed ? undefined : fail(e)));
        req.write(`{"docs":[${' '.repeat(1024)}`);
        setTimeout(() => {
          req.destroy();
          done(-1);
        }, 20_000).unref();
      });
      expect(status).toBe(401);
    } finally {
      await rt.close();
      await removeDir(closed);
    }
  }, 60_000);

  it('malformed attachments or _revisions are per-document 400s and the runtime keeps serving (one used to end the process)', async () => {
    const res = await call(`${url}/_bulk_docs`, {
      headers: as('carol'),
      json: { docs: [{ _id: 'm1', _attachments: { f: { data: 5 } } }, { _id: 'm2', _attachments: { f: 5 } }, { _id: 'm3', _attachments: 'x' }, { _id: 'm4', _revisions: 'x' }] },
    });
    expect(res.status).toBe(201);
    expect((res.body as Array<{ error?: string }>).map((r) => r.error)).toEqual(['bad_request', 'bad_request', 'bad_request', 'bad_request']);
    await new Promise((r) => setTimeout(r, 200));
    expect((await call(`${url}/a1`, { headers: as('alice') })).status).toBe(200);
  });

  it('asking for the latest of an unknown revision is a not_found, and the runtime keeps serving (it used to end the process)', async () => {
    const bulk = await call(`${url}/_bulk_get?revs=true&latest=true`, { headers: as('alice'), json: { docs: [{ id: 'a1', rev: '9-unknown' }, { id: 'a1', rev: a1rev }] } });
    expect(bulk.status).toBe(200);
    const docs = (bulk.body as { results: Array<{ docs: Array<Record<string, { _rev?: string; error?: string }>> }> }).results.flatMap((r) => r.docs);
    expect(docs).toEqual(expect.arrayContaining([{ error: { id: 'a1', rev: '9-unknown', error: 'not_found', reason: 'missing' } }, { ok: expect.objectContaining({ _rev: a1rev }) }]));
    expect((await call(`${url}/a1?rev=9-unknown&latest=true`, { headers: as('alice') })).status).toBe(404);
    expect((await call(`${url}/a1?latest=true&open_revs=${encodeURIComponent('["9-unknown"]')}`, { headers: as('alice') })).body).toEqual([{ missing: '9-unknown' }]);
    await new Promise((r) => setTimeout(r, 200));
    expect((await call(`${url}/a1`, { headers: as('alice') })).status).toBe(200);
  });

  it('_bulk_get errors carry CouchDB\'s fields only, never a stack with the server\'s paths', async () => {
    const res = await call(`${url}/_bulk_get`, { headers: as('alice'), json: { docs: [{ id: 'a1', rev: 'not-a-rev' }] } });
    expect(res.status).toBe(200);
    expect(res.text).not.toContain('node_modules');
    expect(res.text).not.toContain('stack');
  });
});
