import { describe, expect, it } from 'vitest';
import { humanize } from '../../renderer/features/editors/schema-form/humanize.js';
import { assignIssues, issuesFromDetails } from '../../renderer/features/editors/schema-form/issues.js';
import type { JsonSchema, ObjectModel, UnionModel } from '../../renderer/features/editors/schema-form/schema.js';
import { buildFieldModel, collectFieldPaths, getAt, jsonEqual, pathKey, setAt, setKey, switchUnionBranch, unionBranch } from '../../renderer/features/editors/schema-form/schema.js';
import { envReferences, isEnvReference, isSecretField, isSecretKey } from '../../renderer/features/editors/schema-form/secrets.js';
import { parseJsonText, parseNumberText, pickError, placeholderFor, rowsToRecord, validateValue } from '../../renderer/features/editors/schema-form/validate.js';

/** What the engine sends for the HTTP connector's config (z.toJSONSchema, io: input), abridged. */
const httpConfig: JsonSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  properties: {
    host: { type: 'string', minLength: 1, description: 'Server address' },
    https: { default: false, description: 'Use https instead of http', type: 'boolean' },
    port: { type: 'integer', minimum: 1, maximum: 65535, description: 'TCP port' },
    basePath: { default: '', type: 'string', description: 'Path prefix' },
    headers: { default: {}, type: 'object', propertyNames: { type: 'string' }, additionalProperties: { type: 'string' } },
    timeoutMs: { default: 30000, type: 'integer', exclusiveMinimum: 0, maximum: 9007199254740991 },
    auth: {
      default: { type: 'none' },
      description: 'How requests authenticate',
      oneOf: [
        { type: 'object', properties: { type: { type: 'string', const: 'none' } }, required: ['type'], additionalProperties: false, description: 'None' },
        {
          type: 'object',
          properties: { type: { type: 'string', const: 'basic' }, username: { type: 'string' }, password: { type: 'string' } },
          required: ['type', 'username', 'password'],
          additionalProperties: false,
          description: 'Basic',
        },
        {
          type: 'object',
          properties: { type: { type: 'string', const: 'bearer', description: 'Bearer token' }, token: { type: 'string', minLength: 1 } },
          required: ['type', 'token'],
          additionalProperties: false,
          description: 'Bearer token',
        },
        {
          type: 'object',
          properties: {
            type: { type: 'string', const: 'apiKey' },
            name: { type: 'string', minLength: 1 },
            value: { type: 'string' },
            in: { default: 'header', type: 'string', enum: ['header', 'query'] },
          },
          required: ['type', 'name', 'value'],
          additionalProperties: false,
          description: 'API key',
        },
      ],
    },
    tls: {
      default: {},
      type: 'object',
      properties: { rejectUnauthorized: { default: true, type: 'boolean' }, caFile: { type: 'string', minLength: 1 } },
      additionalProperties: false,
    },
  },
  required: ['host'],
  additionalProperties: false,
};

function field(model: ObjectModel, key: string) {
  const f = model.fields.find((x) => x.key === key);
  if (!f) throw new Error(`no field ${key}`);
  return f;
}

describe('humanize', () => {
  it('turns keys into labels', () => {
    expect(humanize('basePath')).toBe('Base path');
    expect(humanize('timeoutMs')).toBe('Timeout (ms)');
    expect(humanize('maxResponseBytes')).toBe('Max response bytes');
    expect(humanize('caFile')).toBe('CA file');
    expect(humanize('https')).toBe('HTTPS');
    expect(humanize('rejectUnauthorized')).toBe('Reject unauthorized');
    expect(humanize('host')).toBe('Host');
    expect(humanize('api_key')).toBe('API key');
    expect(humanize('contentType')).toBe('Content type');
    expect(humanize('baseURL')).toBe('Base URL');
    expect(humanize('keepAlive')).toBe('Keep alive');
  });
});

describe('buildFieldModel', () => {
  const model = buildFieldModel(httpConfig, { asObject: true }) as ObjectModel;

  it('draws an object schema as fields in schema order', () => {
    expect(model.kind).toBe('object');
    expect(model.additional).toBe(false);
    expect(model.fields.map((f) => f.key)).toEqual(['host', 'https', 'port', 'basePath', 'headers', 'timeoutMs', 'auth', 'tls']);
  });

  it('maps scalars with labels, help, required and defaults', () => {
    expect(field(model, 'host')).toMatchObject({ kind: 'string', label: 'Host', required: true, minLength: 1, description: 'Server address' });
    expect(field(model, 'https')).toMatchObject({ kind: 'boolean', label: 'HTTPS', default: false, required: false });
    expect(field(model, 'port')).toMatchObject({ kind: 'number', integer: true, minimum: 1, maximum: 65535 });
    expect(field(model, 'basePath')).toMatchObject({ kind: 'string', label: 'Base path', default: '' });
    // zod's MAX_SAFE_INTEGER is no real maximum; exclusiveMinimum is kept
    expect(field(model, 'timeoutMs')).toMatchObject({ kind: 'number', label: 'Timeout (ms)', exclusiveMinimum: 0, maximum: undefined, default: 30000 });
  });

  it('draws string records as key/value tables', () => {
    expect(field(model, 'headers')).toMatchObject({ kind: 'record', value: { kind: 'string' } });
  });

  it('draws discriminated unions as a choice plus the branch fields', () => {
    const auth = field(model, 'auth') as UnionModel;
    expect(auth.kind).toBe('union');
    expect(auth.discriminator).toBe('type');
    expect(auth.options.map((o) => [o.value, o.label])).toEqual([
      ['none', 'None'],
      ['basic', 'Basic'],
      ['bearer', 'Bearer token'],
      ['apiKey', 'API key'],
    ]);
    expect(auth.options[1]!.model.fields.map((f) => f.key)).toEqual(['username', 'password']);
    expect(auth.options[3]!.model.fields.find((f) => f.key === 'in')).toMatchObject({ kind: 'enum', options: [{ value: 'header' }, { value: 'query' }] });
    expect(unionBranch(auth, undefined)?.value).toBe('none'); // from the default
    expect(unionBranch(auth, { type: 'bearer', token: 'x' })?.value).toBe('bearer');
    expect(switchUnionBranch(auth, { type: 'basic', username: 'u', password: 'p' }, 'bearer')).toEqual({ type: 'bearer' });
    expect(switchUnionBranch(auth, { type: 'bearer', token: 't' }, 'apiKey')).toEqual({ type: 'apiKey' });
  });

  it('draws nested objects as fieldsets', () => {
    const tls = field(model, 'tls') as ObjectModel;
    expect(tls.kind).toBe('object');
    expect(tls.required).toBe(false);
    expect(tls.fields.map((f) => f.kind)).toEqual(['boolean', 'string']);
    expect(tls.fields[1]!.label).toBe('CA file');
  });

  it('follows $ref and falls back to JSON for recursive any-JSON unions', () => {
    const schema: JsonSchema = {
      type: 'object',
      properties: { default: { $ref: '#/$defs/json' }, tags: { type: 'array', items: { type: 'string' } }, list: { type: 'array', items: { type: 'object', properties: { a: { type: 'string' } } } } },
      $defs: {
        json: { anyOf: [{ type: 'null' }, { type: 'boolean' }, { type: 'number' }, { type: 'string' }, { type: 'array', items: { $ref: '#/$defs/json' } }, { type: 'object', additionalProperties: { $ref: '#/$defs/json' } }] },
      },
    };
    const m = buildFieldModel(schema) as ObjectModel;
    expect(field(m, 'default').kind).toBe('json');
    expect(field(m, 'tags')).toMatchObject({ kind: 'array', item: { kind: 'string' } });
    expect(field(m, 'list').kind).toBe('json');
  });

  it('reads nullable types, const unions as enums, allOf and unknown shapes', () => {
    const m = buildFieldModel({
      type: 'object',
      properties: {
        a: { type: ['string', 'null'] },
        b: { anyOf: [{ type: 'integer', minimum: 0 }, { type: 'null' }], description: 'B' },
        c: { oneOf: [{ const: 'x', title: 'Ex' }, { const: 'y' }] },
        d: { allOf: [{ type: 'object', properties: { p: { type: 'string' } } }, { properties: { q: { type: 'boolean' } }, required: ['q'] }] },
        e: {},
        f: { type: ['string', 'number'] },
      },
    }) as ObjectModel;
    expect(field(m, 'a')).toMatchObject({ kind: 'string', nullable: true });
    expect(field(m, 'b')).toMatchObject({ kind: 'number', integer: true, minimum: 0, nullable: true, description: 'B' });
    expect(field(m, 'c')).toMatchObject({ kind: 'enum', options: [{ value: 'x', label: 'Ex' }, { value: 'y', label: 'y' }] });
    const d = field(m, 'd') as ObjectModel;
    expect(d.fields.map((f) => [f.key, f.required])).toEqual([
      ['p', false],
      ['q', true],
    ]);
    expect(field(m, 'e').kind).toBe('json');
    expect(field(m, 'f').kind).toBe('json');
  });

  it('omits keys and keeps open objects open', () => {
    const m = buildFieldModel({ type: 'object', properties: { name: { type: 'string' }, variables: { type: 'array' }, path: { type: 'string' } }, additionalProperties: {} }, { omit: ['name', 'variables'] }) as ObjectModel;
    expect(m.fields.map((f) => f.key)).toEqual(['path']);
    expect(m.additional).toBe(true);
    expect(buildFieldModel({ type: 'object', additionalProperties: true }).kind).toBe('json');
    expect(buildFieldModel({ type: 'object', additionalProperties: true }, { asObject: true }).kind).toBe('object');
  });
});

describe('validateValue', () => {
  const model = buildFieldModel(httpConfig) as ObjectModel;
  it('checks required, lengths, ranges, enums', () => {
    expect(validateValue(field(model, 'host'), undefined)).toBe('Required');
    expect(validateValue(field(model, 'host'), '')).toBe('Required');
    expect(validateValue(field(model, 'host'), 'api.example.com')).toBeUndefined();
    expect(validateValue(field(model, 'port'), 0)).toBe('At least 1');
    expect(validateValue(field(model, 'port'), 70000)).toBe('At most 65535');
    expect(validateValue(field(model, 'port'), 1.5)).toBe('Enter a whole number');
    expect(validateValue(field(model, 'port'), undefined)).toBeUndefined();
    expect(validateValue(field(model, 'timeoutMs'), 0)).toBe('Greater than 0');
    expect(validateValue({ kind: 'enum', key: 'm', label: 'M', hasDefault: false, required: false, readOnly: false, nullable: false, options: [{ value: 'GET', label: 'GET' }] }, 'PUT')).toBe('Choose one of GET');
    expect(validateValue({ kind: 'string', key: 's', label: 'S', hasDefault: false, required: false, readOnly: false, nullable: false, multiline: false, pattern: '^[a-z]+$' }, 'A1')).toBe('Must match ^[a-z]+$');
  });

  it('parses number and JSON text without losing it', () => {
    expect(parseNumberText('', true)).toEqual({});
    expect(parseNumberText(' 42 ', true)).toEqual({ value: 42 });
    expect(parseNumberText('4.5', true).error).toBe('Enter a whole number');
    expect(parseNumberText('4.5', false)).toEqual({ value: 4.5 });
    expect(parseNumberText('12a', false).error).toBe('Enter a number');
    expect(parseJsonText('{"a":1}')).toEqual({ value: { a: 1 } });
    expect(parseJsonText('')).toEqual({});
    expect(parseJsonText('{a').error).toMatch(/^Invalid JSON/);
  });

  it('prefers "Required" for empty fields, else the engine message', () => {
    expect(pickError('expected string, received undefined', 'Required', undefined)).toBe('Required');
    expect(pickError('host is a server address without protocol', 'other', 'http://a')).toBe('host is a server address without protocol');
    expect(pickError(undefined, 'At least 1', 0)).toBe('At least 1');
  });

  it('shows defaults as placeholders', () => {
    expect(placeholderFor(field(model, 'timeoutMs'))).toBe('30000');
    expect(placeholderFor(field(model, 'basePath'))).toBeUndefined();
    expect(placeholderFor(field(model, 'https'))).toBe('false');
  });

  it('turns table rows into a record, flagging duplicates and nameless values', () => {
    expect(rowsToRecord([['Accept', 'application/json'], ['', ''], ['X-A', '1']])).toEqual({ value: { Accept: 'application/json', 'X-A': '1' }, errors: [undefined, undefined, undefined] });
    const r = rowsToRecord([['A', '1'], ['A', '2'], ['', 'x']]);
    expect(r.value).toEqual({ A: '1' });
    expect(r.errors[1]).toMatch(/already set/);
    expect(r.errors[2]).toBe('Enter a name');
  });
});

describe('secrets', () => {
  it('finds env references', () => {
    expect(envReferences('${env:CATALOG_TOKEN}')).toEqual(['CATALOG_TOKEN']);
    expect(envReferences('Bearer ${env:A} and ${env:B_2}')).toEqual(['A', 'B_2']);
    expect(envReferences('plain')).toEqual([]);
    expect(isEnvReference('${env:X}')).toBe(true);
    expect(isEnvReference('x${env:X}')).toBe(false);
  });

  it('knows secret fields by key, place and value', () => {
    expect(isSecretKey(['auth', 'password'])).toBe(true);
    expect(isSecretKey(['auth', 'token'])).toBe(true);
    expect(isSecretKey(['clientSecret'])).toBe(true);
    expect(isSecretKey(['auth', 'value'])).toBe(true);
    expect(isSecretKey(['config', 'auth', 'value'])).toBe(true);
    expect(isSecretKey(['value'])).toBe(false);
    expect(isSecretKey(['auth', 'username'])).toBe(false);
    expect(isSecretKey(['host'])).toBe(false);
    expect(isSecretKey(['maxTokens'])).toBe(false);
    expect(isSecretKey(['default'], { name: 'key', secret: true })).toBe(true);
    expect(isSecretKey(['default'], { name: 'id' })).toBe(false);
    expect(isSecretField(['host'], '${env:HOST}')).toBe(true);
    expect(isSecretField(['host'], 'api.example.com')).toBe(false);
  });
});

describe('paths and issues', () => {
  it('reads and writes values at paths', () => {
    const obj = { config: { host: 'a', auth: { type: 'none' } }, list: [1, 2] };
    expect(getAt(obj, ['config', 'auth', 'type'])).toBe('none');
    expect(getAt(obj, ['list', 1])).toBe(2);
    expect(getAt(obj, ['nope', 'x'])).toBeUndefined();
    expect(setAt(obj, ['config', 'port'], 8080)).toEqual({ config: { host: 'a', auth: { type: 'none' }, port: 8080 }, list: [1, 2] });
    expect(setAt(obj, ['config', 'host'], undefined)).toEqual({ config: { auth: { type: 'none' } }, list: [1, 2] });
    expect(setAt({}, ['a', 'b'], 1)).toEqual({ a: { b: 1 } });
    expect(Object.keys(setKey({ a: 1, b: 2 }, 'a', 3))).toEqual(['a', 'b']);
    expect(jsonEqual({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 })).toBe(true);
    expect(jsonEqual({ a: 1 }, { a: 1, b: undefined })).toBe(true);
    expect(jsonEqual({ a: 1 }, { a: 2 })).toBe(false);
  });

  it('reads issues from error details', () => {
    expect(issuesFromDetails([{ code: 'custom', path: ['config', 'host'], message: 'no protocol' }])).toEqual([{ path: ['config', 'host'], message: 'no protocol' }]);
    expect(issuesFromDetails({ issues: [{ path: 'config.headers.X', message: 'm' }] })).toEqual([{ path: ['config', 'headers', 'X'], message: 'm' }]);
    expect(issuesFromDetails([{ variable: 'id', message: 'bad' }])).toEqual([{ path: ['id'], message: 'bad' }]);
    expect(issuesFromDetails('nope')).toEqual([]);
  });

  it('matches issues to the deepest drawn field, with or without the section prefix', () => {
    const model = buildFieldModel(httpConfig) as ObjectModel;
    const value = { host: 'http://a', auth: { type: 'bearer', token: '' }, headers: { Accept: 'x' } };
    const drawn = collectFieldPaths(model, value, ['config'], new Set([pathKey(['config'])]));
    expect(drawn.has('config/host')).toBe(true);
    expect(drawn.has('config/auth/token')).toBe(true);
    expect(drawn.has('config/auth/password')).toBe(false);
    expect(drawn.has('config/headers/Accept')).toBe(true);
    const { byPath, general } = assignIssues(
      [
        { path: ['config', 'host'], message: 'write "a" and set https: false' },
        { path: ['auth', 'token'], message: 'the bearer token is empty' },
        { path: ['config', 'tls', 'caFile', 'deep'], message: 'deep' },
        { path: ['transactions', 0], message: 'elsewhere' },
        { path: [], message: 'whole' },
      ],
      drawn,
      [[], ['config']],
    );
    expect(byPath.get('config/host')).toBe('write "a" and set https: false');
    expect(byPath.get('config/auth/token')).toBe('the bearer token is empty');
    expect(byPath.get('config/tls/caFile')).toBe('deep');
    expect(general.map((g) => g.message)).toEqual(['elsewhere', 'whole']);
  });
});
