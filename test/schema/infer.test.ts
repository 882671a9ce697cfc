import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Json } from '../../src/model/index.js';
import { xmlToJson } from '../../src/connectors/http/xml-to-json.js';
import { detectFormat, inferFromSamples, inferSchema, mergeSchemas, type JSONSchema } from '../../src/schema/index.js';

const corpus = join(import.meta.dirname, '../../../shared/corpus/samples');
const json = (name: string) => JSON.parse(readFileSync(join(corpus, 'json', name), 'utf8')) as Json;
const xml = (name: string) => xmlToJson(readFileSync(join(corpus, 'xml', name), 'utf8'));
const prop = (s: JSONSchema | undefined, ...keys: string[]) => keys.reduce<JSONSchema | undefined>((x, k) => (k === '[]' ? x?.items : x?.properties?.[k]), s);

describe('inferSchema on real samples', () => {
  it('GitHub events: heterogeneous payloads give optional fields, nulls give type arrays, dates and URIs get formats', () => {
    const s = inferSchema(json('github-events.json'));
    expect(s.type).toBe('array');
    const event = s.items!;
    expect(event.required).toEqual(expect.arrayContaining(['id', 'type', 'actor', 'repo', 'payload', 'public', 'created_at']));
    expect(prop(event, 'created_at')).toEqual({ type: 'string', format: 'date-time' });
    expect(prop(event, 'actor', 'url')).toEqual({ type: 'string', format: 'uri' });
    const payload = prop(event, 'payload')!;
    expect(payload.required ?? []).toEqual([]); // no key is in every event type's payload
    expect(Object.keys(payload.properties!)).toEqual(expect.arrayContaining(['commits', 'ref', 'forkee', 'issue']));
    expect(prop(payload, 'ref')!.type).toEqual(['string', 'null']);
    expect(prop(payload, 'commits', '[]', 'author', 'email')).toEqual({ type: 'string', format: 'email' });
    expect(prop(event, 'org')).toBeDefined();
    expect(event.required).not.toContain('org');
  });

  it('Twitter statuses: deep nesting, always-empty arrays, big ids, non-ISO dates get no format', () => {
    const status = inferSchema(json('twitter-statuses.json')).items!;
    expect(prop(status, 'id')).toEqual({ type: 'integer' }); // ids above 2^53 lose precision in JSON.parse; still integers
    expect(prop(status, 'created_at')).toEqual({ type: 'string' }); // "Mon Sep 24 03:35:21 +0000 2012"
    expect(prop(status, 'entities', 'hashtags')).toEqual({ type: 'array' }); // empty in every sample: items unknown
    expect(prop(status, 'entities', 'user_mentions', '[]', 'indices')).toEqual({ type: 'array', items: { type: 'integer' } });
    expect(prop(status, 'in_reply_to_status_id')).toEqual({ type: 'null' });
    expect(prop(status, 'retweeted_status', 'user', 'screen_name')).toEqual({ type: 'string' });
    expect(prop(status, 'entities', 'urls')!.items?.required).toEqual(['url', 'expanded_url', 'display_url', 'indices']); // one status has none: still required in the others
  });

  it('Google distance matrix (arrays of arrays of objects) and Jenkins ([{}])', () => {
    const maps = inferSchema(json('google-maps-distance-matrix.json'));
    expect(prop(maps, 'rows', '[]', 'elements', '[]', 'distance', 'value')).toEqual({ type: 'integer' });
    expect(prop(maps, 'destination_addresses')).toEqual({ type: 'array', items: { type: 'string' } });
    const jenkins = inferSchema(json('jenkins-apache-builds.json'));
    expect(prop(jenkins, 'assignedLabels')).toEqual({ type: 'array', items: { type: 'object', properties: {} } });
    expect(prop(jenkins, 'jobs', '[]')).toEqual({ type: 'object', properties: { name: { type: 'string' }, url: { type: 'string', format: 'uri' }, color: { type: 'string' } }, required: ['name', 'url', 'color'] });
  });

  it('XML samples converted to JSON: repeated elements are arrays, attributes are @ keys, text stays string', () => {
    const sap = inferSchema(xml('soap-sap-storedata-response.xml'));
    expect(JSON.stringify(sap)).toContain('"item"');
    const person = inferSchema(xml('fast-xml-parser-sample.xml'));
    expect(JSON.stringify(person)).toContain('"type":"array"');
    const netsuite = inferSchema(xml('soap-netsuite-login-response.xml'));
    expect(JSON.stringify(netsuite)).toContain('"@isSuccess":{"type":"string"}');
  });
});

describe('mergeSchemas', () => {
  it('optional fields, nulls and mixed types', () => {
    const merged = inferFromSamples([{ id: 1, name: 'a', tag: null }, { id: 2.5, name: null, extra: true }, { id: 3, name: 'c', tag: 'x' }] as Json[]);
    expect(merged).toEqual({
      type: 'object',
      properties: { id: { type: 'number' }, name: { type: ['string', 'null'] }, tag: { type: ['string', 'null'] }, extra: { type: 'boolean' } },
      required: ['id', 'name'],
    });
    expect(inferSchema([1, 'a', { k: 1 }, [true], null])).toEqual({
      type: 'array',
      items: { type: ['object', 'array', 'string', 'integer', 'null'], properties: { k: { type: 'integer' } }, required: ['k'], items: { type: 'boolean' } },
    });
  });

  it('keeps a format only when every sample has it; empty arrays and {} are neutral', () => {
    expect(inferSchema(['2024-01-02T03:04:05Z', '2024-02-03T00:00:00+01:00'])).toEqual({ type: 'array', items: { type: 'string', format: 'date-time' } });
    expect(inferSchema(['2024-01-02T03:04:05Z', 'soon'])).toEqual({ type: 'array', items: { type: 'string' } });
    expect(mergeSchemas(inferSchema({ xs: [] }), inferSchema({ xs: [1] }))).toEqual({ type: 'object', properties: { xs: { type: 'array', items: { type: 'integer' } } }, required: ['xs'] });
    expect(mergeSchemas({}, { type: 'string' })).toEqual({ type: 'string' });
  });

  it('keeps stored annotations, drops constraints the new data may break, and joins anyOf branches', () => {
    const stored: JSONSchema = { type: 'object', description: 'A product', properties: { state: { type: 'string', enum: ['a', 'b'], description: 'state' } }, required: ['state'] };
    expect(mergeSchemas(stored, inferSchema({ state: 'c' }))).toEqual({ type: 'object', description: 'A product', properties: { state: { type: 'string', description: 'state' } }, required: ['state'] });
    const merged = mergeSchemas({ anyOf: [{ type: 'object', properties: { a: { type: 'integer' } }, required: ['a'] }, { type: 'string' }] }, inferSchema({ a: 1, b: 2 }));
    expect(merged).toEqual({ anyOf: [{ type: 'object', properties: { a: { type: 'integer' }, b: { type: 'integer' } }, required: ['a'] }, { type: 'string' }] });
  });
});

describe('formats are detected conservatively', () => {
  it.each([
    ['2024-02-29T10:00:00Z', 'date-time'],
    ['2024-02-29', 'date'],
    ['https://api.example.com/v1/x?y=1', 'uri'],
    ['ann@example.org', 'email'],
    ['2023-02-29', undefined],
    ['2024-01-01 10:00', undefined],
    ['www.example.com', undefined],
    ['ann@localhost', undefined],
    ['12345678', undefined],
  ])('%s → %s', (text, format) => expect(detectFormat(text)).toBe(format));
});
