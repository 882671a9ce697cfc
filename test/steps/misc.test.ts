import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { envFrom } from '../../src/engine/env.js';
import type { Json, Step } from '../../src/model/index.js';
import type { ResponseDraft } from '../../src/steps/io.js';
import { js, run, src } from './helpers.js';

const one = (kind: string, props: Record<string, unknown>): Step[] => [{ id: 's', kind, props }, { id: 'o', kind: 'output', props: { value: src('s') } }];

describe('XML steps', () => {
  it('xmlElement nests elements and attributes through loops; its output is the XML text', async () => {
    const out = await run(
      [
        {
          id: 'order',
          kind: 'xmlElement',
          props: { name: 'order', attributes: { id: src('variables', '$.id') } },
          steps: [
            {
              id: 'each',
              kind: 'iterate',
              props: { over: src('variables', '$.lines') },
              steps: [{ id: 'line', kind: 'xmlElement', props: { name: 'line', text: js('item.sku') }, steps: [{ id: 'q', kind: 'xmlAttribute', props: { name: 'qty', value: js('item.qty') } }] }],
            },
          ],
        },
        { id: 'o', kind: 'output', props: { value: src('order') } },
      ],
      { id: '"A&1"', lines: [{ sku: 'x<1', qty: 2 }, { sku: 'y', qty: 1 }] },
    );
    expect(out).toBe('<order id="A&amp;1"><line qty="2">x&lt;1</line><line qty="1">y</line></order>');
  });

  it('xmlAttribute outside an element is refused by the check; bad names are refused at run time', async () => {
    await expect(run(one('xmlAttribute', { name: 'a', value: 1 }))).rejects.toThrow(/must be inside an XML Element/);
    await expect(run(one('xmlElement', { name: 'bad name' }))).rejects.toThrow(/not a valid XML name/);
  });

  it('jsonToXml and xmlToJson round trip; a DOCTYPE is refused', async () => {
    const xml = await run(one('jsonToXml', { value: { item: [{ '@id': '1', name: 'a' }, { '@id': '2', name: 'b' }] }, root: 'items' }));
    expect(xml).toBe('<?xml version="1.0" encoding="UTF-8"?><items><item id="1"><name>a</name></item><item id="2"><name>b</name></item></items>');
    expect(await run(one('xmlToJson', { xml }))).toEqual({ items: { item: [{ '@id': '1', name: 'a' }, { '@id': '2', name: 'b' }] } });
    await expect(run(one('xmlToJson', { xml: '<!DOCTYPE a SYSTEM "http://x/evil.dtd"><a/>' }))).rejects.toThrow(/DOCTYPE or ENTITY declaration is refused/);
    await expect(run(one('xmlToJson', { xml: '<a><b></a>' }))).rejects.toThrow(/not well-formed XML at line 1/);
    await expect(run(one('jsonToXml', { value: { a: 1, b: 2 } }))).rejects.toThrow(/single top-level key/);
  });

  it('transform reshapes with JSONata; a broken expression is reported with its position', async () => {
    const out = await run(one('transform', { value: src('variables', '$.order'), expression: '{"total": $sum(lines.(price * qty)), "skus": lines.sku, "who": $who}', bindings: { who: 'ann' } }), {
      order: { lines: [{ sku: 'a', price: 2, qty: 3 }, { sku: 'b', price: 1, qty: 1 }] },
    });
    expect(out).toEqual({ total: 7, skus: ['a', 'b'], who: 'ann' });
    await expect(run(one('transform', { value: 1, expression: '{"a": ' }))).rejects.toThrow(/JSONata does not parse at position/);
  });
});

describe('misc steps', () => {
  it('hash gives digests and an HMAC with a key from the environment or a source, never a constant', async () => {
    expect(await run(one('hash', { value: 'abc' }))).toBe(createHash('sha256').update('abc').digest('hex'));
    expect(await run(one('hash', { value: { a: 1 }, algorithm: 'sha512', encoding: 'base64' }))).toBe(createHash('sha512').update('{"a":1}').digest('base64'));
    const env = envFrom({ SIGNING_KEY: 's3cret' });
    expect(await run(one('hash', { value: 'payload', key: '${env:SIGNING_KEY}' }), {}, { env })).toBe(createHmac('sha256', 's3cret').update('payload').digest('hex'));
    await expect(run(one('hash', { value: 'x', key: 'plain-secret' }))).rejects.toThrow(/write the HMAC key as \$\{env:NAME\}/);
    expect(await run(one('hash', { value: 'payload', key: src('variables', '$.k') }), { k: 'from-a-source' }, {}, [{ name: 'k', type: 'string', secret: true }])).toBe(createHmac('sha256', 'from-a-source').update('payload').digest('hex'));
    await expect(run(one('hash', { value: 'x', key: '${env:MISSING_KEY}' }))).rejects.toThrow(/MISSING_KEY is not set/);
  });

  it('dateTime: now from the clock, parse, format and add in time zones', async () => {
    const clock = { io: { now: () => Date.UTC(2024, 2, 30, 23, 30) } };
    expect(await run(one('dateTime', {}), {}, clock)).toBe('2024-03-30T23:30:00.000Z');
    expect(await run(one('dateTime', { timeZone: 'Europe/Paris' }), {}, clock)).toBe('2024-03-31T00:30:00.000+01:00');
    // a day across the spring DST change stays a calendar day in Paris: 23 hours of real time
    expect(await run(one('dateTime', { operation: 'add', value: '2024-03-30T12:00:00', timeZone: 'Europe/Paris', add: { days: 1 } }))).toBe('2024-03-31T12:00:00.000+02:00');
    expect(await run(one('dateTime', { operation: 'add', value: '2024-01-31T00:00:00Z', add: { months: 1 }, format: 'yyyy-MM-dd' }))).toBe('2024-02-29');
    expect(await run(one('dateTime', { operation: 'parse', value: '05/07/2024 14:30', inputFormat: 'dd/MM/yyyy HH:mm', timeZone: 'America/New_York', format: 'epoch' }))).toBe(Date.UTC(2024, 6, 5, 18, 30));
    expect(await run(one('dateTime', { operation: 'format', value: 0, format: "dd.MM.yyyy 'at' HH:mm XXX", timeZone: 'Asia/Kolkata' }))).toBe('01.01.1970 at 05:30 +05:30');
    await expect(run(one('dateTime', { operation: 'parse', value: '2024-02-30' }))).rejects.toThrow(/not a real date/);
    await expect(run(one('dateTime', { timeZone: 'Mars/Olympus' }))).rejects.toThrow(/unknown time zone "Mars\/Olympus"/);
  });

  it('sort is stable, by key or value, nulls last; filter keeps what the condition accepts', async () => {
    const people = [{ n: 'c', age: 30 }, { n: 'a', age: null }, { n: 'b', age: 25 }, { n: 'd', age: 30 }];
    expect(await run(one('sort', { value: src('variables', '$.people'), by: 'age' }), { people })).toEqual([people[2], people[0], people[3], people[1]]);
    expect(await run(one('sort', { value: src('variables', '$.people'), by: 'age', order: 'desc' }), { people })).toEqual([people[0], people[3], people[2], people[1]]);
    expect(await run(one('sort', { value: [3, 1, 2] }))).toEqual([1, 2, 3]);
    expect(await run(one('filter', { value: src('variables', '$.people'), condition: js('item.age >= 30 && index > 0') }), { people })).toEqual([people[3]]);
    await expect(run(one('sort', { value: 'abc' }))).rejects.toThrow(/must be an array to sort/);
  });

  it('uuid makes distinct v4 ids', async () => {
    const a = (await run(one('uuid', {}))) as string;
    const b = (await run(one('uuid', {}))) as string;
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a).not.toBe(b);
  });
});

describe('session steps (engine)', () => {
  it('set, get, remove and clear the session the execution was given; `from: session` sees the changes', async () => {
    const session: Record<string, Json> = { kept: 1 };
    const out = await run(
      [
        { id: 'set', kind: 'sessionSet', props: { key: 'cart', value: [1, 2] } },
        { id: 'get', kind: 'sessionGet', props: { key: 'cart' } },
        { id: 'miss', kind: 'sessionGet', props: { key: 'none', default: 'd' } },
        { id: 'login', kind: 'setAuthenticatedUser', props: { name: 'ann', roles: ['admin'], attributes: { mail: 'a@x' } } },
        { id: 'who', kind: 'getAuthenticatedUser', props: {} },
        { id: 'rm', kind: 'sessionRemove', props: { key: 'kept' } },
        { id: 'o', kind: 'output', props: { value: { get: src('get'), miss: src('miss'), who: src('who'), rm: src('rm'), seen: src('session', '$.cart') } } },
      ],
      {},
      { session },
    );
    expect(out).toEqual({ get: [1, 2], miss: 'd', who: { name: 'ann', roles: ['admin'], mail: 'a@x', source: 'session' }, rm: true, seen: [1, 2] });
    expect(session).toEqual({ cart: [1, 2], '@user': { name: 'ann', roles: ['admin'], mail: 'a@x' } });
    expect(await run(one('sessionClear', {}), {}, { session })).toBe(1);
    expect(session).toEqual({ '@user': { name: 'ann', roles: ['admin'], mail: 'a@x' } });
    expect(await run(one('removeAuthenticatedUser', {}), {}, { session })).toBe(true);
    expect(await run(one('getAuthenticatedUser', {}), {}, { session })).toBeNull();
  });

  it('getAuthenticatedUser falls back to the caller the auth identified; without a session, session steps fail clearly', async () => {
    expect(await run(one('getAuthenticatedUser', {}), {}, { io: { caller: { authenticated: true, subject: 'svc', roles: ['r'] } } })).toEqual({ name: 'svc', roles: ['r'], source: 'auth' });
    await expect(run(one('sessionSet', { key: 'a', value: 1 }))).rejects.toMatchObject({ code: 'NO_SESSION', message: expect.stringMatching(/set stateful: true on sequence main/) });
  });
});

describe('request and response steps (engine)', () => {
  it('read request headers and fill the response draft', async () => {
    const response: ResponseDraft = { headers: {} };
    const io = { request: { method: 'GET', url: '/x', headers: { 'x-tenant': 'acme', accept: ['a', 'b'] } }, response };
    const out = await run(
      [
        { id: 't', kind: 'getRequestHeader', props: { name: 'X-Tenant' } },
        { id: 'a', kind: 'getRequestHeader', props: { name: 'accept' } },
        { id: 'm', kind: 'getRequestHeader', props: { name: 'x-missing', default: 'none' } },
        { id: 'h', kind: 'setResponseHeader', props: { name: 'Cache-Control', value: 'no-store' } },
        { id: 's', kind: 'setResponseStatus', props: { status: 201 } },
        { id: 'o', kind: 'output', props: { value: [src('t'), src('a'), src('m')] } },
      ],
      {},
      { io },
    );
    expect(out).toEqual(['acme', 'a, b', 'none']);
    expect(response).toEqual({ status: 201, headers: { 'Cache-Control': 'no-store' } });
  });

  it('refuses header injection, hop-by-hop headers and bad statuses', async () => {
    const io = { response: { headers: {} } };
    await expect(run(one('setResponseHeader', { name: 'X-A', value: 'ok\r\nSet-Cookie: evil=1' }), {}, { io })).rejects.toThrow(/control character \(CR, LF or NUL\)/);
    await expect(run(one('setResponseHeader', { name: 'X-A', value: js("'a\\nb'") }), {}, { io })).rejects.toThrow(/header injection/);
    await expect(run(one('setResponseHeader', { name: 'Transfer-Encoding', value: 'chunked' }), {}, { io })).rejects.toThrow(/managed by the server/);
    await expect(run(one('setResponseHeader', { name: 'Bad Name', value: 'x' }), {}, { io })).rejects.toThrow(/not a valid header name/);
    await expect(run(one('setResponseStatus', { status: js('99') }), {}, { io })).rejects.toThrow(/between 200 and 599/);
    expect(io.response.headers).toEqual({});
  });
});
