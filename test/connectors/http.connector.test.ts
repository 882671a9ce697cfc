import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { connectorKind } from '../../src/connectors/index.js';
import { httpConnector } from '../../src/connectors/http.connector.js';
import { envFrom } from '../../src/engine/env.js';
import { silentLogger } from '../../src/engine/logger.js';
import { send, sendJson, startServer, type TestServer } from '../helpers/http-server.js';
import { closeAll, failure, openHttp, run, tx } from './http-harness.js';

let server: TestServer;

beforeAll(async () => {
  server = await startServer({
    'GET /users/1': (_req, res) => sendJson(res, 200, { id: 1, name: 'Ada', tags: ['a', 'b'] }, { 'x-trace': 'abc', 'set-cookie': ['a=1', 'b=2'] }),
    '/echo': (req, res) =>
      sendJson(res, 200, {
        method: req.method,
        url: req.url,
        path: req.path,
        query: [...req.query.entries()],
        headers: req.headers,
        body: req.text,
      }),
    '/xml': (_req, res) =>
      send(
        res,
        200,
        '<?xml version="1.0"?><s:catalog xmlns:s="urn:shop" version="2"><s:item id="1"><name>Pen</name><code>007</code><price currency="EUR">1.50</price></s:item><s:item id="2"><name>Ink</name><code>008</code><price currency="USD">3</price><note/></s:item></s:catalog>',
        { 'content-type': 'application/xml' },
      ),
    '/text': (_req, res) => send(res, 200, 'héllo\nworld', { 'content-type': 'text/plain; charset=utf-8' }),
    '/binary': (_req, res) => send(res, 200, Buffer.from([0, 1, 2, 253, 254, 255]), { 'content-type': 'image/png' }),
    '/empty': (_req, res) => send(res, 204),
    '/json-as-xml': (_req, res) => send(res, 200, '<r><a>1</a></r>', { 'content-type': 'text/xml; charset=utf-8' }),
    '/xml-as-json': (_req, res) => sendJson(res, 200, { a: 1 }),
  });
});
afterAll(() => server.close());
afterEach(closeAll);

const base = () => ({ host: server.host });
type Echo = { method: string; url: string; path: string; query: [string, string][]; headers: Record<string, string>; body: string };

describe('http connector kind', () => {
  it('is registered and describes itself', () => {
    expect(connectorKind('http')).toBe(httpConnector);
    expect(httpConnector.transactionTypes).toEqual(['json', 'xml', 'text', 'binary']);
    expect(httpConnector.title).toBeTruthy();
    expect(httpConnector.description).toBeTruthy();
  });

  it('publishes JSON Schemas with defaults and descriptions for the property forms', () => {
    const config = z.toJSONSchema(httpConnector.config, { io: 'input' }) as any;
    expect(config.properties.host.description).toMatch(/no protocol/i);
    expect(config.properties.https.default).toBe(false);
    expect(config.properties.timeoutMs.default).toBe(30000);
    expect(config.properties.maxRedirects.default).toBe(5);
    expect(config.properties.keepAlive.default).toBe(true);
    expect(config.properties.auth.default).toEqual({ type: 'none' });
    expect(config.properties.tls.properties.rejectUnauthorized.default).toBe(true);
    expect(config.required).toEqual(['host']);
    const transaction = z.toJSONSchema(httpConnector.transaction, { io: 'input' }) as any;
    expect(transaction.properties.method.default).toBe('GET');
    expect(transaction.properties.type.enum).toEqual(['json', 'xml', 'text', 'binary']);
    expect(transaction.properties.body.description).toMatch(/JSON\.stringify/);
  });

  it('applies config defaults', () => {
    expect(httpConnector.config.parse({ host: 'api.example.com' })).toEqual({
      host: 'api.example.com',
      https: false,
      basePath: '',
      headers: {},
      timeoutMs: 30000,
      auth: { type: 'none' },
      tls: { rejectUnauthorized: true },
      maxRedirects: 5,
      keepAlive: true,
    });
  });

  it('rejects a host written with a protocol, saying what to write instead', () => {
    const r = httpConnector.config.safeParse({ host: 'https://api.example.com/v2' });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.message).toBe('host is a server address without protocol: write "api.example.com" and set https: true instead of "https://api.example.com/v2"');
    const path = httpConnector.config.safeParse({ host: 'api.example.com/v2' });
    expect(path.error!.issues[0]!.message).toContain('put "/v2" in basePath');
  });

  it('reports invalid settings at open as INVALID_CONFIG naming the key', async () => {
    const e = await failure(openHttp({ host: 'http://x' }));
    expect(e.code).toBe('INVALID_CONFIG');
    expect(e.message).toMatch(/^http connector: host: host is a server address without protocol/);
    const auth = await failure(openHttp({ host: 'x', auth: { type: 'bearer' } as never }));
    expect(auth.code).toBe('INVALID_CONFIG');
    expect(auth.message).toContain('auth.token');
  });

  it('names the connector in messages when open() is given its name', async () => {
    const options = { projectDir: '.', logger: silentLogger, name: 'catalog' };
    const e = await failure(httpConnector.open({ host: 'x', auth: { type: 'bearer', token: '${env:NOPE}' } } as never, envFrom({}), options));
    expect(e.code).toBe('MISSING_SECRET');
    expect(e.message).toMatch(/^connector catalog: environment variable NOPE is not set/);
  });

  it('implies a required string path variable for each undeclared {name} of the path', () => {
    const vars = httpConnector.impliedVariables!(tx({ path: '/shops/{shop}/items/{id}', variables: [{ name: 'id', type: 'integer' }] }));
    expect(vars).toEqual([{ name: 'shop', type: 'string', required: true, in: 'path' }]);
  });

  it('keeps unknown transaction keys (loose) and fills defaults', () => {
    const parsed = httpConnector.transaction.parse({ name: 'getUser', path: '/users/{id}', extra: 1 });
    expect(parsed).toMatchObject({ name: 'getUser', type: 'json', method: 'GET', headers: {}, variables: [], extra: 1 });
  });
});

describe('secrets', () => {
  it('resolves ${env:NAME} at open', async () => {
    const h = await openHttp({ ...base(), auth: { type: 'bearer', token: '${env:TOKEN}' } }, { TOKEN: 's3cret' });
    const r = await run(h, tx({ path: '/echo' }));
    expect((r.data as Echo).headers.authorization).toBe('Bearer s3cret');
  });

  it('fails with MISSING_SECRET when a referenced variable is not set', async () => {
    const e = await failure(openHttp({ ...base(), auth: { type: 'basic', username: 'u', password: '${env:PASSWORD}' } }));
    expect(e.code).toBe('MISSING_SECRET');
    expect(e.message).toContain('environment variable PASSWORD is not set');
  });
});

describe('transaction types', () => {
  it('json: parses the body and fills meta', async () => {
    const h = await openHttp(base());
    const r = await run(h, tx({ path: '/users/1' }));
    expect(r.data).toEqual({ id: 1, name: 'Ada', tags: ['a', 'b'] });
    expect(r.xml).toBeUndefined();
    expect(r.meta).toMatchObject({
      status: 200,
      statusText: 'OK',
      contentType: 'application/json; charset=utf-8',
      url: `${server.url}/users/1`,
      method: 'GET',
      bytes: 38,
    });
    expect(r.meta.headers!['x-trace']).toBe('abc');
    expect(r.meta.headers!['set-cookie']).toBe('a=1, b=2');
    expect(Object.keys(r.meta.headers!).every((k) => k === k.toLowerCase())).toBe(true);
    expect(r.meta.ms).toBeGreaterThanOrEqual(0);
  });

  it('json: an empty body is null', async () => {
    const h = await openHttp(base());
    const r = await run(h, tx({ path: '/empty', method: 'DELETE' }));
    expect(r.data).toBeNull();
    expect(r.meta.status).toBe(204);
    const head = await run(h, tx({ path: '/echo', method: 'HEAD' }));
    expect(head.data).toBeNull();
    expect(head.meta.status).toBe(200);
  });

  it('json: an XML content type is read as XML, raw XML kept', async () => {
    const h = await openHttp(base());
    const r = await run(h, tx({ path: '/json-as-xml' }));
    expect(r.data).toEqual({ r: { a: '1' } });
    expect(r.xml).toBe('<r><a>1</a></r>');
  });

  it('xml: maps attributes, repeated elements, namespaces, keeps strings and the raw XML', async () => {
    const h = await openHttp(base());
    const r = await run(h, tx({ path: '/xml', type: 'xml' }));
    expect(r.data).toEqual({
      's:catalog': {
        '@xmlns:s': 'urn:shop',
        '@version': '2',
        's:item': [
          { '@id': '1', name: 'Pen', code: '007', price: { '@currency': 'EUR', '#text': '1.50' } },
          { '@id': '2', name: 'Ink', code: '008', price: { '@currency': 'USD', '#text': '3' }, note: '' },
        ],
      },
    });
    expect(r.xml).toMatch(/^<\?xml version="1.0"\?><s:catalog/);
  });

  it('xml: a JSON content type is read as JSON', async () => {
    const h = await openHttp(base());
    const r = await run(h, tx({ path: '/xml-as-json', type: 'xml' }));
    expect(r.data).toEqual({ a: 1 });
    expect(r.xml).toBeUndefined();
  });

  it('text: the decoded string', async () => {
    const h = await openHttp(base());
    const r = await run(h, tx({ path: '/text', type: 'text' }));
    expect(r.data).toBe('héllo\nworld');
    expect(r.meta.bytes).toBe(12);
  });

  it('binary: base64, content type and size', async () => {
    const h = await openHttp(base());
    const r = await run(h, tx({ path: '/binary', type: 'binary' }));
    expect(r.data).toEqual({ base64: Buffer.from([0, 1, 2, 253, 254, 255]).toString('base64'), contentType: 'image/png', bytes: 6 });
  });
});

describe('auth', () => {
  const echo = async (auth: unknown, t = tx({ path: '/echo' })) => {
    const h = await openHttp({ ...base(), auth: auth as never });
    return { result: await run(h, t), received: server.last()! };
  };

  it('none sends no Authorization', async () => {
    const { received } = await echo({ type: 'none' });
    expect(received.headers.authorization).toBeUndefined();
  });

  it('basic', async () => {
    const { received } = await echo({ type: 'basic', username: 'ada', password: 'pä:ss' });
    expect(received.headers.authorization).toBe(`Basic ${Buffer.from('ada:pä:ss').toString('base64')}`);
  });

  it('bearer', async () => {
    const { received } = await echo({ type: 'bearer', token: 'tok' });
    expect(received.headers.authorization).toBe('Bearer tok');
  });

  it('apiKey in a header', async () => {
    const { received } = await echo({ type: 'apiKey', name: 'X-API-Key', value: 'k1' });
    expect(received.headers['x-api-key']).toBe('k1');
  });

  it('apiKey in the query, masked in the result URL', async () => {
    const { result, received } = await echo(
      { type: 'apiKey', name: 'api_key', value: 'k&2', in: 'query' },
      tx({ path: '/echo', variables: [{ name: 'q', type: 'string' }] }),
    );
    expect(received.url).toBe('/echo?api_key=k%262');
    expect(result.meta.url).toBe(`${server.url}/echo?api_key=***`);
  });

  it('a transaction header overrides the connector one, whatever the letter case', async () => {
    const h = await openHttp({ ...base(), headers: { 'X-Env': 'prod', accept: 'text/plain' } });
    await run(h, tx({ path: '/echo', headers: { 'x-env': 'test' } }));
    expect(server.last()!.headers['x-env']).toBe('test');
    expect(server.last()!.headers.accept).toBe('text/plain');
  });
});

describe('variables', () => {
  it('encodes path values and joins basePath', async () => {
    const h = await openHttp({ ...base(), basePath: '/echo/' });
    const t = tx({ path: '/items/{id}/{name}', variables: [{ name: 'id', type: 'integer' }] });
    await run(h, t, { id: 42, name: 'a b/c?d' });
    expect(server.last()!.url).toBe('/echo/items/42/a%20b%2Fc%3Fd');
  });

  it('puts undeclared path names (implied variables) in the path, others in the query by default', async () => {
    const h = await openHttp({ ...base() });
    await run(h, tx({ path: '/echo', variables: [{ name: 'q', type: 'string' }, { name: 'n', type: 'integer' }, { name: 'flag', type: 'boolean' }] }), {
      q: 'x y&z',
      n: 3,
      flag: false,
    });
    expect(server.last()!.url).toBe('/echo?q=x%20y%26z&n=3&flag=false');
  });

  it('repeats multivalued query variables, omits unset ones, applies defaults', async () => {
    const h = await openHttp(base());
    const t = tx({
      path: '/echo?fixed=1',
      variables: [
        { name: 'tag', type: 'string', multivalued: true },
        { name: 'unset', type: 'string' },
        { name: 'limit', type: 'integer', default: 10 },
        { name: 'filter', type: 'json', in: 'query' },
      ],
    });
    await run(h, t, { tag: ['a', 'b c'], filter: { x: [1] } });
    expect(server.last()!.url).toBe(`/echo?fixed=1&tag=a&tag=b%20c&limit=10&filter=${encodeURIComponent('{"x":[1]}')}`);
  });

  it('sends header and cookie variables', async () => {
    const h = await openHttp(base());
    const t = tx({
      path: '/echo',
      headers: { Cookie: 'session=s1', 'X-Request': 'req-{rid}' },
      variables: [
        { name: 'X-Tenant', in: 'header' },
        { name: 'X-List', in: 'header', multivalued: true },
        { name: 'rid', type: 'integer' },
        { name: 'a', in: 'cookie' },
        { name: 'c', in: 'cookie' },
      ],
    });
    await run(h, t, { 'X-Tenant': 't1', 'X-List': ['1', '2'], rid: 7, a: 'b', c: 'd e' });
    const received = server.last()!;
    expect(received.headers['x-tenant']).toBe('t1');
    expect(received.headers['x-list']).toBe('1, 2');
    expect(received.headers['x-request']).toBe('req-7');
    expect(received.headers.cookie).toBe('session=s1; a=b; c=d%20e');
    expect(received.url).toBe('/echo'); // rid is consumed by the header template, not sent as query
  });

  it('sends in: body variables as one JSON object', async () => {
    const h = await openHttp(base());
    const t = tx({
      path: '/echo',
      method: 'POST',
      variables: [
        { name: 'name', in: 'body' },
        { name: 'age', type: 'integer', in: 'body' },
        { name: 'meta', type: 'json', in: 'body' },
        { name: 'unset', in: 'body' },
      ],
    });
    await run(h, t, { name: 'Ada', age: 36, meta: { a: [1, null] } });
    const received = server.last()!;
    expect(received.method).toBe('POST');
    expect(received.headers['content-type']).toBe('application/json');
    expect(JSON.parse(received.text)).toEqual({ name: 'Ada', age: 36, meta: { a: [1, null] } });
  });

  it('sends a single json variable named body as the body itself', async () => {
    const h = await openHttp(base());
    await run(h, tx({ path: '/echo', method: 'PUT', variables: [{ name: 'body', type: 'json', in: 'body' }] }), { body: [1, { a: 'x' }] });
    expect(server.last()!.text).toBe('[1,{"a":"x"}]');
    expect(server.last()!.headers['content-type']).toBe('application/json');
  });

  it('sends in: form variables urlencoded, repeating arrays', async () => {
    const h = await openHttp(base());
    const t = tx({ path: '/echo', method: 'POST', variables: [{ name: 'user', in: 'form' }, { name: 'role', in: 'form', multivalued: true }] });
    await run(h, t, { user: 'a b&c', role: ['x', 'y'] });
    expect(server.last()!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(server.last()!.text).toBe('user=a%20b%26c&role=x&role=y');
  });

  it('fills a JSON body template with JSON-encoded values', async () => {
    const h = await openHttp(base());
    const t = tx({
      path: '/echo',
      method: 'POST',
      body: '{"name": {name}, "age": {age}, "tags": {tags}, "missing": {missing}, "literal": "{notAVariable}"}',
      variables: [{ name: 'name' }, { name: 'age', type: 'integer' }, { name: 'tags', multivalued: true }, { name: 'missing' }],
    });
    await run(h, t, { name: 'He said "hi"', age: 3, tags: ['a'] });
    const received = server.last()!;
    expect(JSON.parse(received.text)).toEqual({ name: 'He said "hi"', age: 3, tags: ['a'], missing: null, literal: '{notAVariable}' });
    expect(received.url).toBe('/echo'); // template variables are not repeated in the query
  });

  it('fills an XML body template with escaped values', async () => {
    const h = await openHttp(base());
    const t = tx({ path: '/echo', method: 'POST', type: 'xml', body: '<q><name>{name}</name></q>', variables: [{ name: 'name' }] });
    await run(h, t, { name: 'a<b & "c"' });
    expect(server.last()!.text).toBe('<q><name>a&lt;b &amp; &quot;c&quot;</name></q>');
    expect(server.last()!.headers['content-type']).toBe('application/xml');
  });

  it('honours a contentType override', async () => {
    const h = await openHttp(base());
    await run(h, tx({ path: '/echo', method: 'POST', body: 'plain {x}', contentType: 'text/csv', variables: [{ name: 'x' }] }), { x: 'v' });
    expect(server.last()!.headers['content-type']).toBe('text/csv');
    expect(server.last()!.text).toBe('plain v');
  });

  it('fails with BAD_VARIABLE when a path variable has no value', async () => {
    const h = await openHttp(base());
    const e = await failure(run(h, tx({ name: 'getItem', path: '/items/{id}' }), {}));
    expect(e.code).toBe('BAD_VARIABLE');
    expect(e.message).toBe('transaction getItem: path variable id has no value (path /items/{id})');
  });

  it('rejects an invalid transaction as INVALID_CONFIG', async () => {
    const h = await openHttp(base());
    const e = await failure(run(h, tx({ name: 'bad', method: 'FETCH' as never })));
    expect(e.code).toBe('INVALID_CONFIG');
    expect(e.message).toMatch(/^transaction bad: method: /);
  });

  it('reuses the compiled transaction across calls', async () => {
    const h = await openHttp(base());
    const t = tx({ path: '/echo/{id}', variables: [{ name: 'id' }] });
    await run(h, t, { id: 'a' });
    await run(h, t, { id: 'b' });
    expect(server.requests.slice(-2).map((r) => r.path)).toEqual(['/echo/a', '/echo/b']);
  });
});
