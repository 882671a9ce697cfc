import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PouchDB } from '../../../src/connectors/couch/pouch.js';
import type { Runtime } from '../../../src/runtime/server.js';
import { call, removeDir, serve, writeProject } from '../helpers.js';
import { device, fullsyncProject, remote, SECRET, token } from './fixture.js';

let dir = '';
let runtime: Runtime;
let url = '';
const tokens: Record<string, string> = {};

beforeAll(async () => {
  dir = await writeProject(fullsyncProject('sync'));
  runtime = await serve([dir], { env: { JWT_SECRET: SECRET } });
  url = `${runtime.url}/fullsync/sync/notes`;
  tokens.alice = await token('alice', ['team']);
  tokens.bob = await token('bob', ['team']);
  tokens.carol = await token('carol');
});

afterAll(async () => {
  await runtime.close();
  await removeDir(dir);
});

const ids = async (db: PouchDB) => (await db.allDocs()).rows.map((r) => r.id).filter((id) => !id.startsWith('_design/')).sort();

describe('FullSync endpoint with an unmodified PouchDB client', () => {
  it('refuses anonymous replication unless the database allows it', async () => {
    const res = await call(url);
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ error: 'unauthorized' });
    const bad = await call(url, { headers: { authorization: 'Bearer nope' } });
    expect(bad.status).toBe(401);
  });

  it('two users push and pull both ways and each sees only its own documents (and shared channels)', async () => {
    const alice = device('alice');
    const bob = device('bob');
    await alice.bulkDocs([{ _id: 'a1', text: 'alice one' }, { _id: 'a2', text: 'alice two' }, { _id: 'shared', text: 'for the team', channels: ['team'] }]);
    await bob.bulkDocs([{ _id: 'b1', text: 'bob one' }]);
    await alice.sync(remote(url, tokens.alice));
    await bob.sync(remote(url, tokens.bob));
    expect(await ids(alice)).toEqual(['a1', 'a2', 'shared']);
    expect(await ids(bob)).toEqual(['b1', 'shared']);

    // the server stamped the owner: bob cannot take alice's document by replicating a change to it
    const stolen = await bob.get('shared');
    await bob.put({ ...stolen, text: 'bob edited the shared note' });
    await bob.sync(remote(url, tokens.bob));
    const seenByAlice = device('alice-2');
    await seenByAlice.replicate.from(remote(url, tokens.alice));
    expect((await seenByAlice.get('shared')).text).toBe('bob edited the shared note'); // the channel lets team members write it
    expect((await seenByAlice.get('shared')).trellis_owner).toBe('alice');

    // carol has no team role: nothing of theirs
    const carol = device('carol');
    await carol.replicate.from(remote(url, tokens.carol));
    expect(await ids(carol)).toEqual([]);

    // changes made on alice's device reach the server, then her second device, and never bob
    await alice.put({ ...(await alice.get('a1')), text: 'alice one, edited' });
    await alice.remove(await alice.get('a2'));
    await alice.sync(remote(url, tokens.alice));
    await seenByAlice.replicate.from(remote(url, tokens.alice));
    expect((await seenByAlice.get('a1')).text).toBe('alice one, edited');
    await expect(seenByAlice.get('a2')).rejects.toMatchObject({ status: 404 });
    await bob.replicate.from(remote(url, tokens.bob));
    expect(await ids(bob)).toEqual(['b1', 'shared']);
  });

  it('refuses writes to documents the user may not see, and hides them on every read route', async () => {
    const alice = remote(url, tokens.alice);
    const a1 = await alice.get('a1');
    const carol = remote(url, tokens.carol);
    // forged write with alice's current revision
    const forged = await call(`${url}/_bulk_docs`, { headers: { authorization: `Bearer ${tokens.carol}` }, json: { docs: [{ ...a1, text: 'carol was here' }] } });
    expect(forged.status).toBe(201);
    expect(forged.body[0]).toMatchObject({ id: 'a1', error: 'forbidden' });
    const put = await call(`${url}/a1`, { method: 'PUT', headers: { authorization: `Bearer ${tokens.carol}` }, json: { ...a1, text: 'again' } });
    expect(put.status).toBe(403);
    await expect(carol.get('a1')).rejects.toMatchObject({ status: 404 });
    const all = await call(`${url}/_all_docs?include_docs=true`, { headers: { authorization: `Bearer ${tokens.carol}` } });
    expect(all.body.rows).toEqual([]);
    const changes = await call(`${url}/_changes?include_docs=true`, { headers: { authorization: `Bearer ${tokens.carol}` } });
    expect(changes.body.results).toEqual([]);
    const bulkGet = await call(`${url}/_bulk_get?revs=true`, { headers: { authorization: `Bearer ${tokens.carol}` }, json: { docs: [{ id: 'a1', rev: a1._rev }] } });
    expect(JSON.stringify(bulkGet.body)).not.toContain('alice one');
    // a client cannot set the owner field itself
    const owned = await call(`${url}/c1`, { method: 'PUT', headers: { authorization: `Bearer ${tokens.carol}` }, json: { text: 'mine', trellis_owner: 'alice' } });
    expect(owned.status).toBe(201);
    expect((await carol.get('c1')).trellis_owner).toBe('carol');
    await expect(alice.get('c1')).rejects.toMatchObject({ status: 404 });
    expect((await alice.get('a1')).text).toBe('alice one, edited');
  });

  it('keeps checkpoints per user and answers 404 for unknown projects and databases', async () => {
    const local = await call(`${url}/_local/chk`, { method: 'PUT', headers: { authorization: `Bearer ${tokens.alice}` }, json: { last_seq: 5 } });
    expect(local.status).toBe(201);
    expect((await call(`${url}/_local/chk`, { headers: { authorization: `Bearer ${tokens.bob}` } })).status).toBe(404);
    expect((await call(`${url}/_local/chk`, { headers: { authorization: `Bearer ${tokens.alice}` } })).body.last_seq).toBe(5);
    expect((await call(`${runtime.url}/fullsync/nope/notes`)).status).toBe(404);
    expect((await call(`${runtime.url}/fullsync/sync/other`)).status).toBe(404);
  });

  it('a live pull receives a change made later (longpoll)', async () => {
    const alice = device('alice-live');
    const feed = alice.replicate.from(remote(url, tokens.alice), { live: true, retry: false } as never) as unknown as { cancel(): void; on(e: string, f: (x: unknown) => void): void };
    const got = new Promise<void>((done) => feed.on('change', async () => (await ids(alice)).includes('live1') && done()));
    await remote(url, tokens.alice).put({ _id: 'live1', text: 'pushed later' });
    await got;
    feed.cancel();
  });
});

describe('anonymous FullSync', () => {
  it('allows anonymous replication only where the connector says anonymous: true', async () => {
    const open = await writeProject(fullsyncProject('open', { anonymous: true, auth: false }));
    const rt = await serve([open]);
    try {
      const a = device('anon');
      await a.put({ _id: 'x', text: 'anonymous' });
      await a.sync(remote(`${rt.url}/fullsync/open/notes`));
      const b = device('anon-2');
      await b.replicate.from(remote(`${rt.url}/fullsync/open/notes`));
      expect(await ids(b)).toEqual(['x']);
    } finally {
      await rt.close();
      await removeDir(open);
    }
  });
});
