import { it } from 'vitest';
import { call, removeDir, serve, writeProject } from '../helpers.js';
import { fullsyncProject, SECRET, token } from './fixture.js';
it('probe', async () => {
  const dir = await writeProject(fullsyncProject('fz'));
  const rt = await serve([dir], { env: { JWT_SECRET: SECRET } });
  const url = `${rt.url}/fullsync/fz/notes`;
  const c = { authorization: `Bearer ${await token('carol')}` };
  await call(`${url}/d1`, { method: 'PUT', headers: c, json: { x: 1 } });
  const probes: Array<[string, string, RequestInit & { json?: unknown }]> = [
    ['changes doc_ids bad', `${url}/_changes?filter=_doc_ids`, { headers: c, json: { doc_ids: [1, {}, null] } }],
    ['changes doc_ids str', `${url}/_changes?filter=_doc_ids&doc_ids=5`, { headers: c }],
    ['revisions bad', `${url}/_bulk_docs`, { headers: c, json: { new_edits: false, docs: [{ _id: 'r1', _rev: '1-a', _revisions: 'x' }] } }],
    ['revisions bad2', `${url}/_bulk_docs`, { headers: c, json: { new_edits: false, docs: [{ _id: 'r2', _rev: '1-a', _revisions: { start: 'a', ids: 5 } }] } }],
    ['rev bad', `${url}/_bulk_docs`, { headers: c, json: { new_edits: false, docs: [{ _id: 'r3', _rev: 5 }] } }],
    ['rev missing nef', `${url}/_bulk_docs`, { headers: c, json: { new_edits: false, docs: [{ _id: 'r4' }] } }],
    ['att bad', `${url}/_bulk_docs`, { headers: c, json: { docs: [{ _id: 'r5', _attachments: { f: 5 } }] } }],
    ['att bad2', `${url}/_bulk_docs`, { headers: c, json: { docs: [{ _id: 'r6', _attachments: { f: { data: 5 } } }] } }],
    ['att bad3', `${url}/_bulk_docs`, { headers: c, json: { docs: [{ _id: 'r7', _attachments: 'x' }] } }],
    ['att bad4', `${url}/_bulk_docs`, { headers: c, json: { docs: [{ _id: 'r8', _attachments: { f: { data: '!!!notbase64', content_type: 'x' } } }] } }],
    ['deleted weird', `${url}/_bulk_docs`, { headers: c, json: { docs: [{ _id: 'r9', _deleted: 'yes' }] } }],
    ['open_revs 5', `${url}/d1?open_revs=5`, { headers: c }],
    ['open_revs objs', `${url}/d1?open_revs=${encodeURIComponent('[{},1]')}`, { headers: c }],
    ['rev weird', `${url}/d1?rev=${encodeURIComponent('{}')}`, { headers: c }],
    ['bulk_get rev num', `${url}/_bulk_get`, { headers: c, json: { docs: [{ id: 'd1', rev: 5 }, { id: 'd1', atts_since: 'x' }] } }],
    ['bulk_get revs_info', `${url}/_bulk_get?revs=true&latest=true`, { headers: c, json: { docs: [{ id: 'd1', rev: '9-zz' }] } }],
    ['all_docs startkey obj', `${url}/_all_docs?startkey=${encodeURIComponent('{"a":1}')}&limit=-1&skip=abc`, { headers: c }],
    ['local bad body', `${url}/_local/z`, { method: 'PUT', headers: c, json: [1, 2] }],
    ['local bad body2', `${url}/_local/z`, { method: 'PUT', headers: c, json: { _rev: 5 } }],
    ['local delete bad rev', `${url}/_local/z?rev=xyz`, { method: 'DELETE', headers: c }],
    ['put array', `${url}/d2`, { method: 'PUT', headers: c, json: [1] }],
    ['put id weird', `${url}/${encodeURIComponent('\u0000')}`, { method: 'PUT', headers: c, json: { a: 1 } }],
    ['changes since arr', `${url}/_changes?since=${encodeURIComponent('[1,2]')}&feed=longpoll&timeout=1`, { headers: c }],
    ['changes limit huge', `${url}/_changes?limit=1e400`, { headers: c }],
    ['bulk_docs non-json', `${url}/_bulk_docs`, { method: 'POST', headers: { ...c, 'content-type': 'application/json' }, body: '{"docs":' }],
    ['revs_diff many', `${url}/_revs_diff`, { headers: c, json: { d1: [5] } }],
  ];
  for (const [name, u, init] of probes) {
    const r = await call(u, init);
    console.log(name, r.status, r.text.slice(0, 160));
  }
  await new Promise((r) => setTimeout(r, 500));
  console.log('alive', (await call(`${url}/d1`, { headers: c })).status);
  await rt.close(); await removeDir(dir);
}, 60000);
