import { describe, expect, it } from 'vitest';
import { charsetOf, decodeText } from '../../src/connectors/http/charset.js';
import { locateJsonError } from '../../src/connectors/http/json-error.js';
import { buildRequest, compileTransaction } from '../../src/connectors/http/request.js';
import { cookiePair, headerValue, pathValue, queryFields, type WireSpec } from '../../src/connectors/http/serialize.js';
import { compileTemplate, renderTemplate } from '../../src/connectors/http/template.js';

describe('templates', () => {
  it('splits literals and placeholders, keeps unknown ones as written', () => {
    const t = compileTemplate('/a/{x}/b/{y.z}{x}');
    expect(t.names).toEqual(['x', 'y.z']);
    expect(renderTemplate(t, (n) => (n === 'x' ? 'X' : undefined))).toBe('/a/X/b/{y.z}X');
    expect(compileTemplate('{"a": {}, "b": { "c": 1 }}').names).toEqual([]);
  });
});

describe('request building', () => {
  const defaults = { origin: 'http://h:1', basePath: '/api', headers: { 'X-A': '1' } };

  it('joins origin, basePath, path and query; masks secret query values in the display URL', () => {
    const c = compileTransaction(
      { name: 't', path: 'items/{id}', variables: [{ name: 'id' }, { name: 'token', secret: true }, { name: 'q' }] },
      defaults,
    );
    const r = buildRequest(c, { id: 'é/1', token: 'abc', q: 'x' });
    expect(r.url).toBe('http://h:1/api/items/%C3%A9%2F1?token=abc&q=x');
    expect(r.displayUrl).toBe('http://h:1/api/items/%C3%A9%2F1?token=***&q=x');
    expect(r.headers).toEqual({ Accept: 'application/json, */*;q=0.8', 'X-A': '1' });
    expect(r.data).toBeUndefined();
  });

  it('an empty path is the basePath, or /', () => {
    expect(buildRequest(compileTransaction({ name: 't' }, defaults), {}).url).toBe('http://h:1/api');
    expect(buildRequest(compileTransaction({ name: 't' }, { ...defaults, basePath: '' }), {}).url).toBe('http://h:1/');
  });

  it('refuses mixing in: form and in: body variables, and in: path without a placeholder', () => {
    expect(() => compileTransaction({ name: 't', variables: [{ name: 'a', in: 'form' }, { name: 'b', in: 'body' }] }, defaults)).toThrow(/mix in: form and in: body/);
    expect(() => compileTransaction({ name: 't', path: '/x', variables: [{ name: 'a', in: 'path' }] }, defaults)).toThrow(/variable a is in: path but the path "\/x" has no \{a\}/);
  });

  it('refuses line breaks in header values', () => {
    const c = compileTransaction({ name: 't', variables: [{ name: 'X-H', in: 'header' }] }, defaults);
    expect(() => buildRequest(c, { 'X-H': 'a\r\nInjected: 1' })).toThrow(/line break/);
  });

  it('a json variable that is not multivalued goes to the query as JSON text', () => {
    const c = compileTransaction({ name: 't', variables: [{ name: 'ids', type: 'json' }] }, defaults);
    expect(buildRequest(c, { ids: [1, 2] }).url).toBe(`http://h:1/api?ids=${encodeURIComponent('[1,2]')}`);
  });
});

describe('JSON error location', () => {
  it('names line and column', () => {
    expect(locateJsonError('{"a": 1,\n "b": tru }', 'x').message).toBe("Unexpected token 'tru' at line 2 column 7");
    expect(locateJsonError('<html>', 'x').message).toBe("Unexpected token '<' at line 1 column 1");
    expect(locateJsonError('{"a":1,}', 'x').message).toBe("Expected double-quoted property name, found '}' at line 1 column 8");
    expect(locateJsonError('[1, 2', 'x').message).toBe('Unexpected end of JSON input at line 1 column 6');
    expect(locateJsonError('{"a":1} x', 'x').message).toBe("Unexpected non-whitespace character 'x' after JSON at line 1 column 9");
    expect(locateJsonError('"abc', 'x').message).toBe('Unterminated string at line 1 column 5');
  });
});

describe('charsets', () => {
  it('reads the charset parameter', () => {
    expect(charsetOf('text/html; charset="Shift_JIS"')).toBe('shift_jis');
    expect(charsetOf('application/json')).toBeUndefined();
  });

  it('detects UTF-16 by its byte order mark', () => {
    const body = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"a":"é"}', 'utf16le')]);
    expect(decodeText(body, 'application/json').text).toBe('{"a":"é"}');
  });
});

describe('OpenAPI serialization', () => {
  const spec = (fields: Partial<WireSpec>): WireSpec => ({ wire: 'v', type: 'json', multivalued: false, allowReserved: false, ...fields });
  const arr = [3, 4, 5];
  const obj = { role: 'admin', id: 7 };

  it('path: simple, label, matrix, exploded or not', () => {
    expect([5, arr, obj].map((v) => pathValue(spec({ style: 'simple' }), v))).toEqual(['5', '3,4,5', 'role,admin,id,7']);
    expect(pathValue(spec({ style: 'simple', explode: true }), obj)).toBe('role=admin,id=7');
    expect([5, arr, obj].map((v) => pathValue(spec({ style: 'label' }), v))).toEqual(['.5', '.3,4,5', '.role,admin,id,7']);
    expect([arr, obj].map((v) => pathValue(spec({ style: 'label', explode: true }), v))).toEqual(['.3.4.5', '.role=admin.id=7']);
    expect([5, arr, obj].map((v) => pathValue(spec({ style: 'matrix' }), v))).toEqual([';v=5', ';v=3,4,5', ';v=role,admin,id,7']);
    expect([arr, obj].map((v) => pathValue(spec({ style: 'matrix', explode: true }), v))).toEqual([';v=3;v=4;v=5', ';role=admin;id=7']);
    expect(pathValue(spec({ style: 'simple' }), 'a/b c')).toBe('a%2Fb%20c');
  });

  it('query: form, spaceDelimited, pipeDelimited, tabDelimited, deepObject, allowReserved', () => {
    expect(queryFields(spec({ style: 'form' }), arr)).toEqual(['v=3', 'v=4', 'v=5']);
    expect(queryFields(spec({ style: 'form' }), obj)).toEqual(['role=admin', 'id=7']);
    expect(queryFields(spec({ explode: false }), arr)).toEqual(['v=3,4,5']);
    expect(queryFields(spec({ explode: false }), obj)).toEqual(['v=role,admin,id,7']);
    expect(queryFields(spec({ style: 'spaceDelimited', explode: false }), arr)).toEqual(['v=3%204%205']);
    expect(queryFields(spec({ style: 'pipeDelimited', explode: false }), arr)).toEqual(['v=3%7C4%7C5']);
    expect(queryFields(spec({ style: 'tabDelimited', explode: false }), arr)).toEqual(['v=3%094%095']); // Swagger 2 tsv
    expect(queryFields(spec({ style: 'deepObject' }), obj)).toEqual(['v[role]=admin', 'v[id]=7']);
    expect(queryFields(spec({ style: 'form', allowReserved: true }), 'a/b?c=d')).toEqual(['v=a/b?c=d']);
    expect(queryFields(spec({ style: 'form' }), 'a/b?c=d')).toEqual(['v=a%2Fb%3Fc%3Dd']);
  });

  it('header simple and cookie form', () => {
    expect(headerValue(spec({ style: 'simple' }), arr)).toBe('3,4,5');
    expect(headerValue(spec({ style: 'simple', explode: true }), obj)).toBe('role=admin,id=7');
    expect(cookiePair(spec({ style: 'form', explode: false }), arr)).toBe('v=3,4,5');
  });

  it('without style or explode, the Trellis defaults: arrays repeat, objects are JSON', () => {
    expect(queryFields(spec({ type: 'string' }), ['a', 'b'])).toEqual(['v=a', 'v=b']);
    expect(queryFields(spec({}), obj)).toEqual([`v=${encodeURIComponent('{"role":"admin","id":7}')}`]);
    expect(headerValue(spec({ type: 'string' }), ['a', 'b'])).toBe('a, b');
  });

  it('wireName renames a variable on the wire, in the path too', () => {
    const c = compileTransaction(
      {
        name: 't',
        path: '/items/{item-id}',
        variables: [
          { name: 'itemId', wireName: 'item-id' },
          { name: 'pageSize', wireName: 'page[size]', type: 'integer' },
          { name: 'filter', type: 'json', style: 'deepObject', explode: true },
          { name: 'requestId', wireName: 'X-Request-ID', in: 'header' },
        ],
      },
      { origin: 'http://h', basePath: '', headers: {} },
    );
    const r = buildRequest(c, { itemId: 'a b', pageSize: 20, filter: { status: 'open' }, requestId: 'r1' });
    expect(r.url).toBe('http://h/items/a%20b?page%5Bsize%5D=20&filter[status]=open');
    expect(r.headers['X-Request-ID']).toBe('r1');
  });
});
