import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { httpConnector } from '../../src/connectors/http.connector.js';
import { HTTP_METHODS } from '../../src/connectors/http/config.js';
import { sendJson, startServer, type ReceivedRequest, type TestServer } from '../helpers/http-server.js';
import { closeAll, ctxFor, failure, openHttp, run, tx } from './http-harness.js';

// What the OpenAPI importer writes into transactions, executed against a real server that records what it got:
// body variables merged into a JSON object, multipart forms with file parts, raw file bodies, removed
// transactions, TRACE, and the transaction's own Accept header.

let server: TestServer;
let projectDir = '';
let outside = '';
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0xfe, 0x0d, 0x0a, 0x2d, 0x2d]);

beforeAll(async () => {
  server = await startServer({ '*': (req, res) => sendJson(res, 200, { ok: true, method: req.method }) });
  projectDir = await mkdtemp(join(tmpdir(), 'trellis-http-files-'));
  outside = await mkdtemp(join(tmpdir(), 'trellis-http-outside-'));
  await mkdir(join(projectDir, 'files', 'docs'), { recursive: true });
  await writeFile(join(projectDir, 'files', 'pic.png'), PNG);
  await writeFile(join(projectDir, 'files', 'docs', 'a.txt'), 'first file\r\n--not a boundary\n');
  await writeFile(join(projectDir, 'files', 'docs', 'b "quoted".csv'), 'x,y\n1,2\n');
  await writeFile(join(projectDir, 'secret.txt'), 'project secret');
  await writeFile(join(outside, 'passwd'), 'root:x:0:0');
  await symlink(join(outside, 'passwd'), join(projectDir, 'files', 'escape.txt'));
  await symlink(outside, join(projectDir, 'files', 'outdir'));
  await symlink(join(projectDir, 'files', 'pic.png'), join(projectDir, 'files', 'alias.png'));
});
afterAll(async () => {
  await server.close();
  await rm(projectDir, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});
afterEach(closeAll);

const base = () => ({ host: server.host });
const ctx = () => ({ ...ctxFor(), projectDir });

interface Part {
  headers: Record<string, string>;
  name?: string;
  filename?: string;
  type?: string;
  body: Buffer;
}

/** A small multipart/form-data parser: enough to check what the connector sent, byte for byte. */
function parseMultipart(req: ReceivedRequest): Part[] {
  const contentType = String(req.headers['content-type']);
  const m = /^multipart\/form-data; boundary=(?:"([^"]+)"|([^;\s]+))$/.exec(contentType);
  if (!m) throw new Error(`not multipart/form-data with a boundary: ${contentType}`);
  const boundary = m[1] ?? m[2]!;
  const body = req.body;
  const opening = Buffer.from(`--${boundary}\r\n`);
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  expect(body.subarray(0, opening.length).equals(opening)).toBe(true);
  expect(body.subarray(body.length - boundary.length - 6).toString()).toBe(`--${boundary}--\r\n`);
  const parts: Part[] = [];
  let at = opening.length;
  for (;;) {
    const headerEnd = body.indexOf('\r\n\r\n', at);
    const headers: Record<string, string> = {};
    for (const line of body.subarray(at, headerEnd).toString('utf8').split('\r\n')) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    const end = body.indexOf(delimiter, headerEnd + 4);
    const disposition = headers['content-disposition'] ?? '';
    parts.push({
      headers,
      name: /; name="([^"]*)"/.exec(disposition)?.[1],
      filename: /; filename="([^"]*)"/.exec(disposition)?.[1],
      type: headers['content-type'],
      body: body.subarray(headerEnd + 4, end),
    });
    const after = end + delimiter.length;
    if (body.subarray(after, after + 2).toString() === '--') break;
    at = after + 2; // CRLF
  }
  return parts;
}

describe('body variables', () => {
  const petTx = tx({
    name: 'addPet',
    path: '/pets',
    method: 'POST',
    contentType: 'application/json',
    variables: [
      { name: 'body', type: 'json', in: 'body' },
      { name: 'name', in: 'body' },
      { name: 'pet_type', in: 'body', wireName: 'pet-type' },
      { name: 'age', type: 'integer', in: 'body' },
    ],
  });

  it('body together with other body variables: the keys of the others are set on the value of body', async () => {
    const h = await openHttp(base());
    const whole = { name: 'Rex', status: 'sold', tags: ['a'] };
    await run(h, petTx, { body: whole, name: 'Tom', pet_type: 'cat' }, ctx());
    const r = server.last()!;
    expect(r.headers['content-type']).toBe('application/json');
    expect(JSON.parse(r.text)).toEqual({ name: 'Tom', status: 'sold', tags: ['a'], 'pet-type': 'cat' });
    expect(whole).toEqual({ name: 'Rex', status: 'sold', tags: ['a'] }); // the given value is not changed
  });

  it('body alone among the values set is sent as it is; body unset gives an object of the others', async () => {
    const h = await openHttp(base());
    await run(h, petTx, { body: { id: 1 } }, ctx());
    expect(JSON.parse(server.last()!.text)).toEqual({ id: 1 });
    await run(h, petTx, { name: 'Tom', age: 3 }, ctx());
    expect(JSON.parse(server.last()!.text)).toEqual({ name: 'Tom', age: 3 });
  });

  it('other body variables alone are keyed by wireName ?? name', async () => {
    const h = await openHttp(base());
    const t = tx({
      path: '/pets',
      method: 'POST',
      variables: [
        { name: 'pet_name', in: 'body', wireName: 'pet name' },
        { name: 'x_id', type: 'integer', in: 'body', wireName: 'x-id' },
        { name: 'plain', in: 'body' },
      ],
    });
    await run(h, t, { pet_name: 'Rex', x_id: 4, plain: 'p' }, ctx());
    expect(JSON.parse(server.last()!.text)).toEqual({ 'pet name': 'Rex', 'x-id': 4, plain: 'p' });
  });

  it('body that is not an object, with other body variables, is a BAD_VARIABLE naming it; nothing is sent', async () => {
    const h = await openHttp(base());
    const before = server.requests.length;
    for (const body of [[1, 2], 'text', 5]) {
      const e = await failure(run(h, petTx, { body, name: 'Tom' }, ctx()));
      expect(e.code).toBe('BAD_VARIABLE');
      expect(e.message).toMatch(/^transaction addPet: variable body must be a JSON object, since the other in: body variables \(name, pet_type, age\) are keys of it; got /);
    }
    expect(server.requests.length).toBe(before);
  });

  it('a lone body variable is still the whole body (an array here)', async () => {
    const h = await openHttp(base());
    await run(h, tx({ path: '/x', method: 'POST', variables: [{ name: 'body', type: 'json', in: 'body' }] }), { body: [1, 2] }, ctx());
    expect(server.last()!.text).toBe('[1,2]');
  });
});

describe('multipart/form-data', () => {
  const upload = (fields: Record<string, unknown> = {}) =>
    tx({
      name: 'upload',
      path: '/upload',
      method: 'POST',
      contentType: 'multipart/form-data',
      variables: [
        { name: 'orderId', type: 'integer', in: 'form' },
        { name: 'note', in: 'form' },
        { name: 'documentFile', type: 'file', in: 'form' },
        { name: 'image', type: 'file', in: 'form', contentType: 'image/png' },
        { name: 'meta', type: 'json', in: 'form' },
        { name: 'x_tags', in: 'form', multivalued: true, wireName: 'x-tags' },
        { name: 'xml', in: 'form', contentType: 'application/xml' },
        { name: 'unset', in: 'form' },
      ],
      ...fields,
    });

  it('sends text, file, JSON and typed parts with a boundary the client chose', async () => {
    const h = await openHttp(base());
    await run(
      h,
      upload(),
      { orderId: 12, note: 'héllo\r\nworld', documentFile: 'docs/a.txt', image: 'pic.png', meta: { a: [1] }, x_tags: ['t1', 't2'], xml: '<a/>' },
      ctx(),
    );
    const r = server.last()!;
    expect(r.method).toBe('POST');
    expect(r.headers['content-type']).toMatch(/^multipart\/form-data; boundary=[-_.\w]{10,70}$/);
    expect(Number(r.headers['content-length'])).toBe(r.body.length);
    const parts = parseMultipart(r);
    expect(parts.map((p) => p.name)).toEqual(['orderId', 'note', 'documentFile', 'image', 'meta', 'x-tags', 'x-tags', 'xml']);
    const [orderId, note, doc, image, meta, tag1, tag2, xml] = parts as [Part, Part, Part, Part, Part, Part, Part, Part];
    expect(orderId).toMatchObject({ filename: undefined, type: undefined });
    expect(orderId.body.toString()).toBe('12');
    expect(note.body.toString()).toBe('héllo\r\nworld');
    expect(doc).toMatchObject({ filename: 'a.txt', type: 'application/octet-stream' });
    expect(doc.body.toString()).toBe('first file\r\n--not a boundary\n');
    expect(image).toMatchObject({ filename: 'pic.png', type: 'image/png' });
    expect(image.body.equals(PNG)).toBe(true);
    expect(meta).toMatchObject({ filename: undefined, type: 'application/json' });
    expect(JSON.parse(meta.body.toString())).toEqual({ a: [1] });
    expect([tag1.body.toString(), tag2.body.toString()]).toEqual(['t1', 't2']);
    expect(xml).toMatchObject({ filename: undefined, type: 'application/xml' });
    expect(xml.body.toString()).toBe('<a/>');
  });

  it('a multivalued file variable sends one file part per file; explode: false joins text values', async () => {
    const h = await openHttp(base());
    const t = tx({
      path: '/upload',
      method: 'PUT',
      contentType: 'multipart/form-data',
      variables: [
        { name: 'filename', type: 'file', in: 'form', multivalued: true },
        { name: 'ids', type: 'integer', in: 'form', multivalued: true, style: 'form', explode: false },
        { name: 'words', in: 'form', multivalued: true, style: 'pipeDelimited', explode: false },
      ],
    });
    await run(h, t, { filename: ['docs/a.txt', 'docs/b "quoted".csv'], ids: [1, 2, 3], words: ['a', 'b'] }, ctx());
    const parts = parseMultipart(server.last()!);
    expect(parts.map((p) => [p.name, p.filename])).toEqual([
      ['filename', 'a.txt'],
      ['filename', 'b %22quoted%22.csv'],
      ['ids', undefined],
      ['words', undefined],
    ]);
    expect(parts[1]!.body.toString()).toBe('x,y\n1,2\n');
    expect(parts[2]!.body.toString()).toBe('1,2,3');
    expect(parts[3]!.body.toString()).toBe('a|b');
  });

  it('a Content-Type: multipart/form-data header (no boundary) also means multipart; the client writes the boundary', async () => {
    const h = await openHttp(base());
    const t = tx({ path: '/upload', method: 'POST', headers: { 'content-type': 'multipart/form-data' }, variables: [{ name: 'a', in: 'form' }] });
    await run(h, t, { a: '1' }, ctx());
    const r = server.last()!;
    expect(r.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(parseMultipart(r).map((p) => [p.name, p.body.toString()])).toEqual([['a', '1']]);
  });

  it('without a multipart content type, form variables stay urlencoded', async () => {
    const h = await openHttp(base());
    await run(h, tx({ path: '/f', method: 'POST', contentType: 'application/x-www-form-urlencoded', variables: [{ name: 'a', in: 'form' }] }), { a: 'x y' }, ctx());
    expect(server.last()!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(server.last()!.text).toBe('a=x%20y');
  });

  it('a symbolic link inside files/ to a file inside files/ is fine; the filename is the name given', async () => {
    const h = await openHttp(base());
    await run(h, upload(), { image: 'alias.png' }, ctx());
    const [part] = parseMultipart(server.last()!);
    expect(part).toMatchObject({ name: 'image', filename: 'alias.png', type: 'image/png' });
    expect(part!.body.equals(PNG)).toBe(true);
  });

  it.each([
    ['../secret.txt', /"\.\.\/secret\.txt" leaves the project's files\/ folder/],
    ['docs/../../secret.txt', /leaves the project's files\/ folder/],
    ['/etc/passwd', /"\/etc\/passwd" is an absolute path; give a path relative to the project's files\/ folder/],
    ['C:\\Windows\\win.ini', /is an absolute path/],
    ['escape.txt', /"escape\.txt" leads outside the project's files\/ folder through a symbolic link/],
    ['outdir/passwd', /leads outside the project's files\/ folder through a symbolic link/],
    ['missing.bin', /"missing\.bin" does not exist in the project's files\/ folder/],
    ['docs', /"docs" is not a file/],
    ['', /expected a path relative to the project's files\/ folder/],
  ])('refuses file path %j with BAD_VARIABLE naming the variable; nothing is sent', async (path, message) => {
    const h = await openHttp(base());
    const before = server.requests.length;
    const e = await failure(run(h, upload(), { orderId: 1, documentFile: path }, ctx()));
    expect(e.code).toBe('BAD_VARIABLE');
    expect(e.message).toMatch(/^transaction upload: file variable documentFile: /);
    expect(e.message).toMatch(message);
    expect(server.requests.length).toBe(before);
  });
});

describe('raw file body', () => {
  it('a lone body variable of type file sends the bytes of the file with the transaction content type', async () => {
    const h = await openHttp(base());
    const t = tx({ path: '/anything/image-png', method: 'POST', contentType: 'image/png', variables: [{ name: 'body', type: 'file', in: 'body' }] });
    await run(h, t, { body: 'pic.png' }, ctx());
    const r = server.last()!;
    expect(r.headers['content-type']).toBe('image/png');
    expect(r.headers['content-length']).toBe(String(PNG.length));
    expect(r.body.equals(PNG)).toBe(true);
  });

  it('without a content type: the variable contentType, else application/octet-stream', async () => {
    const h = await openHttp(base());
    await run(h, tx({ path: '/raw', method: 'PUT', variables: [{ name: 'body', type: 'file', in: 'body' }] }), { body: 'docs/a.txt' }, ctx());
    expect(server.last()!.headers['content-type']).toBe('application/octet-stream');
    expect(server.last()!.text).toBe('first file\r\n--not a boundary\n');
    await run(h, tx({ path: '/raw', method: 'PUT', variables: [{ name: 'body', type: 'file', in: 'body', contentType: 'text/csv' }] }), { body: 'docs/b "quoted".csv' }, ctx());
    expect(server.last()!.headers['content-type']).toBe('text/csv');
  });

  it('unset: no body; outside files/: refused like a file part', async () => {
    const h = await openHttp(base());
    const t = tx({ name: 'putRaw', path: '/raw', method: 'PUT', contentType: 'application/octet-stream', variables: [{ name: 'body', type: 'file', in: 'body' }] });
    await run(h, t, {}, ctx());
    expect(server.last()!.body.length).toBe(0);
    const e = await failure(run(h, t, { body: '../secret.txt' }, ctx()));
    expect(e.code).toBe('BAD_VARIABLE');
    expect(e.message).toMatch(/^transaction putRaw: file variable body: "\.\.\/secret\.txt" leaves the project's files\/ folder/);
  });

  it('files resolve against the project folder of the execution context', async () => {
    const h = await openHttp(base());
    const e = await failure(run(h, tx({ path: '/raw', method: 'PUT', variables: [{ name: 'body', type: 'file', in: 'body' }] }), { body: 'pic.png' }, ctxFor()));
    expect(e.code).toBe('BAD_VARIABLE');
    expect(e.message).toContain(join(process.cwd(), 'files', 'pic.png'));
  });
});

describe('transactions marked removed by a re-import', () => {
  it('do not execute: INVALID_CONFIG saying what to do; nothing is sent', async () => {
    const h = await openHttp(base());
    const before = server.requests.length;
    const e = await failure(run(h, tx({ name: 'deleteProduct', path: '/p', method: 'DELETE', removed: true }), {}, ctx()));
    expect(e.code).toBe('INVALID_CONFIG');
    expect(e.message).toBe('transaction deleteProduct was removed from its OpenAPI description on re-import; delete it or clear "removed"');
    expect(server.requests.length).toBe(before);
    await run(h, tx({ name: 'deleteProduct', path: '/p', method: 'DELETE', removed: false }), {}, ctx());
    expect(server.last()!.method).toBe('DELETE');
  });

  it('summary, tags, deprecated and removed are described transaction keys', () => {
    const schema = z.toJSONSchema(httpConnector.transaction, { io: 'input' }) as { properties: Record<string, { description?: string; enum?: string[] }> };
    for (const key of ['summary', 'tags', 'deprecated', 'removed']) expect(schema.properties[key]?.description, key).toBeTruthy();
    expect(schema.properties.removed!.description).toMatch(/re-import/);
    expect(schema.properties.method!.enum).toContain('TRACE');
    const parsed = httpConnector.transaction.parse({ name: 't', summary: 'S', tags: ['a'], deprecated: true, removed: false });
    expect(parsed).toMatchObject({ summary: 'S', tags: ['a'], deprecated: true, removed: false });
    expect(httpConnector.transaction.safeParse({ name: 't', tags: 'a' }).success).toBe(false);
  });
});

describe('methods and headers', () => {
  it('sends TRACE', async () => {
    expect(HTTP_METHODS).toContain('TRACE');
    const h = await openHttp(base());
    const result = await run(h, tx({ path: '/trace/{id}', method: 'TRACE', variables: [{ name: 'q' }] }), { id: 'a', q: 'b' }, ctx());
    expect(server.last()).toMatchObject({ method: 'TRACE', url: '/trace/a?q=b' });
    expect(result.data).toEqual({ ok: true, method: 'TRACE' });
  });

  it("the transaction's Accept header wins over the type default and the connector's, whatever the letter case", async () => {
    const h = await openHttp(base());
    await run(h, tx({ path: '/a', headers: { Accept: 'application/vnd.api+json' } }), {}, ctx());
    expect(server.last()!.headers.accept).toBe('application/vnd.api+json');
    const h2 = await openHttp({ ...base(), headers: { ACCEPT: 'text/html' } });
    await run(h2, tx({ path: '/a' }), {}, ctx());
    expect(server.last()!.headers.accept).toBe('text/html');
    await run(h2, tx({ path: '/a', type: 'xml', headers: { accept: 'application/problem+xml' } }), {}, ctx());
    expect(server.last()!.headers.accept).toBe('application/problem+xml');
    await run(h2, tx({ path: '/a', type: 'binary', headers: { Accept: 'image/png' } }), {}, ctx());
    expect(server.last()!.headers.accept).toBe('image/png');
  });
});
