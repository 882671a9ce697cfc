import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../../src/runtime/server.js';
import { call, removeDir, serve, writeProject } from '../helpers.js';
import { device, fullsyncProject, remote, SECRET, token } from './fixture.js';

let dir = '';
let runtime: Runtime;
let url = '';

beforeAll(async () => {
  dir = await writeProject(fullsyncProject('att'));
  runtime = await serve([dir], { env: { JWT_SECRET: SECRET } });
  url = `${runtime.url}/fullsync/att/notes`;
});

afterAll(async () => {
  await runtime.close();
  await removeDir(dir);
});

describe('FullSync attachments', () => {
  it('a document pushed with an attachment comes back to another device of the same user, and its bytes by URL', async () => {
    const alice = await token('alice');
    const phone = device('att-phone');
    const photo = Buffer.from('not really a jpeg \u0000\u0001\u0002', 'binary');
    await phone.put({ _id: 'p1', title: 'holiday', _attachments: { 'photo.jpg': { content_type: 'image/jpeg', data: photo.toString('base64') } } });
    await phone.sync(remote(url, alice));

    const tablet = device('att-tablet');
    await tablet.replicate.from(remote(url, alice));
    const back = await tablet.getAttachment('p1', 'photo.jpg');
    expect(Buffer.compare(Buffer.from(back as unknown as ArrayBuffer), photo)).toBe(0);

    const res = await fetch(`${url}/p1/photo.jpg`, { headers: { authorization: `Bearer ${alice}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.compare(Buffer.from(await res.arrayBuffer()), photo)).toBe(0);
  });

  it("another user gets 404 for the attachment, as for the document; an unknown attachment is 404 too", async () => {
    const bob = await token('bob');
    const res = await call(`${url}/p1/photo.jpg`, { headers: { authorization: `Bearer ${bob}` } });
    expect(res.status).toBe(404);
    expect(res.text).not.toContain('jpeg');
    const missing = await call(`${url}/p1/nope.png`, { headers: { authorization: `Bearer ${await token('alice')}` } });
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ error: 'not_found' });
  });
});
