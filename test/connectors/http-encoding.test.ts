import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import iconv from 'iconv-lite';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { send, startServer, type TestServer } from '../helpers/http-server.js';
import { closeAll, openHttp, run, tx } from './http-harness.js';

const doc = { items: Array.from({ length: 200 }, (_, i) => ({ id: i, name: `item ${i}`, note: 'ünïcødé ✓' })) };
const docText = JSON.stringify(doc);
const MB = 1024 * 1024;

let server: TestServer;

beforeAll(async () => {
  const json = { 'content-type': 'application/json' };
  server = await startServer({
    '/gzip': (req, res) => send(res, 200, gzipSync(docText), { ...json, 'content-encoding': 'gzip', 'x-accept-encoding': String(req.headers['accept-encoding']) }),
    '/deflate': (_req, res) => send(res, 200, deflateSync(docText), { ...json, 'content-encoding': 'deflate' }),
    '/br': (_req, res) => send(res, 200, brotliCompressSync(docText), { ...json, 'content-encoding': 'br' }),
    '/latin1': (_req, res) => send(res, 200, iconv.encode('café crème à 3 €', 'latin1'), { 'content-type': 'text/plain; charset=ISO-8859-1' }),
    '/cp1252': (_req, res) => send(res, 200, iconv.encode('{"price":"3 €","name":"Müller"}', 'windows-1252'), { 'content-type': 'application/json; charset=windows-1252' }),
    '/sjis': (_req, res) => send(res, 200, iconv.encode('<r><名前>日本語のテキスト</名前></r>', 'Shift_JIS'), { 'content-type': 'application/xml; charset=Shift_JIS' }),
    '/xml-prolog': (_req, res) =>
      send(res, 200, iconv.encode('<?xml version="1.0" encoding="ISO-8859-1"?><r>Ça coûte 5 F</r>', 'latin1'), { 'content-type': 'application/xml' }),
    '/bom': (_req, res) => send(res, 200, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"ok":true}')]), json),
    '/unknown-charset': (_req, res) => send(res, 200, 'plain', { 'content-type': 'text/plain; charset=x-martian' }),
    '/fifty': (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      const chunk = Buffer.alloc(MB, 0x61);
      let sent = 0;
      const pump = () => {
        while (sent < 50) {
          sent++;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      pump();
    },
  });
});
afterAll(() => server.close());
afterEach(closeAll);

const base = () => ({ host: server.host });

describe('compressed responses', () => {
  for (const encoding of ['gzip', 'deflate', 'br']) {
    it(`${encoding} is decompressed; bytes counts the decompressed body`, async () => {
      const h = await openHttp(base());
      const r = await run(h, tx({ path: `/${encoding}` }));
      expect(r.data).toEqual(doc);
      expect(r.meta.bytes).toBe(Buffer.byteLength(docText));
    });
  }

  it('offers gzip, deflate and br', async () => {
    const h = await openHttp(base());
    const r = await run(h, tx({ path: '/gzip' }));
    expect(r.meta.headers!['x-accept-encoding']).toMatch(/gzip.*deflate.*br/);
  });
});

describe('charsets', () => {
  it('ISO-8859-1 text', async () => {
    const h = await openHttp(base());
    const r = await run(h, tx({ path: '/latin1', type: 'text' }));
    // ISO-8859-1 has no euro sign: iconv-lite encoded it as '?'
    expect(r.data).toBe('café crème à 3 ?');
  });

  it('windows-1252 JSON', async () => {
    const h = await openHttp(base());
    const r = await run(h, tx({ path: '/cp1252' }));
    expect(r.data).toEqual({ price: '3 €', name: 'Müller' });
  });

  it('Shift_JIS XML', async () => {
    const h = await openHttp(base());
    const r = await run(h, tx({ path: '/sjis', type: 'xml' }));
    expect(r.data).toEqual({ r: { 名前: '日本語のテキスト' } });
    expect(r.xml).toBe('<r><名前>日本語のテキスト</名前></r>');
  });

  it('XML without a header charset uses the encoding of its declaration', async () => {
    const h = await openHttp(base());
    const r = await run(h, tx({ path: '/xml-prolog', type: 'xml' }));
    expect(r.data).toEqual({ r: 'Ça coûte 5 F' });
  });

  it('a UTF-8 byte order mark is dropped', async () => {
    const h = await openHttp(base());
    expect((await run(h, tx({ path: '/bom' }))).data).toEqual({ ok: true });
  });

  it('an unknown charset falls back to UTF-8', async () => {
    const h = await openHttp(base());
    expect((await run(h, tx({ path: '/unknown-charset', type: 'text' }))).data).toBe('plain');
  });
});

describe('large bodies', () => {
  it('reads a 50 MB streamed body', async () => {
    const h = await openHttp(base());
    const r = await run(h, tx({ path: '/fifty', type: 'binary' }));
    expect(r.meta.bytes).toBe(50 * MB);
    const data = r.data as { base64: string; bytes: number; contentType: string };
    expect(data.bytes).toBe(50 * MB);
    expect(data.contentType).toBe('application/octet-stream');
    expect(data.base64.length).toBe(Math.ceil((50 * MB) / 3) * 4);
    expect(data.base64.startsWith('YWFh')).toBe(true);
  }, 60_000);

  it('reads a 50 MB streamed body as text', async () => {
    const h = await openHttp(base());
    const r = await run(h, tx({ path: '/fifty', type: 'text' }));
    expect(r.meta.bytes).toBe(50 * MB);
    expect((r.data as string).length).toBe(50 * MB);
  }, 60_000);
});
