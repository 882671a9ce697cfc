import { describe, expect, it } from 'vitest';
import type { ObjectRef, ProjectState } from '../../src/contract/index.js';
import { buildUpdateValue, editorSpec, findObject, refKey, refName, toDraft, validateName, variableFormSchema } from '../../renderer/features/editors/property-model.js';
import type { KindsList } from '../../renderer/features/editors/types.js';
import type { JsonSchema, ObjectModel } from '../../renderer/features/editors/schema-form/schema.js';
import { buildFieldModel } from '../../renderer/features/editors/schema-form/schema.js';

const project = {
  dir: '/p/shop',
  name: 'shop',
  formatVersion: 1,
  description: 'Orders',
  connectors: [
    {
      name: 'catalog',
      kind: 'http',
      config: { host: 'api.example.com', https: true },
      transactions: [{ name: 'getProduct', method: 'GET', path: '/products/{id}', variables: [{ name: 'id', type: 'integer', required: true }] }],
    },
  ],
  sequences: [{ name: 'card', variables: [{ name: 'id' }], steps: [{ id: 'a', kind: 'jsonObject', steps: [{ id: 'b', kind: 'jsonValue', props: { key: 'k' } }] }] }],
} as unknown as ProjectState['project'];

const variableSchema: JsonSchema = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    type: { default: 'string', type: 'string', enum: ['string', 'integer', 'number', 'boolean', 'json', 'file'] },
    required: { type: 'boolean' },
    default: { $ref: '#/$defs/__schema0' },
    multivalued: { type: 'boolean' },
    secret: { type: 'boolean' },
    enum: { type: 'array', items: { $ref: '#/$defs/__schema0' } },
  },
  required: ['name'],
  additionalProperties: false,
  $defs: { __schema0: { anyOf: [{ type: 'null' }, { type: 'string' }, { type: 'number' }] } },
};

const kinds: KindsList = {
  connectors: [
    {
      kind: 'http',
      title: 'HTTP connector',
      description: 'REST and HTTP APIs',
      transactionTypes: ['json', 'xml'],
      configSchema: { type: 'object', properties: { host: { type: 'string' } }, required: ['host'], additionalProperties: false },
      transactionSchema: {
        type: 'object',
        properties: { name: { type: 'string' }, variables: { type: 'array' }, method: { type: 'string', enum: ['GET', 'POST'] }, path: { type: 'string' } },
        additionalProperties: {},
      },
    },
  ],
  variableSchema,
};

describe('findObject', () => {
  it('finds every kind of object', () => {
    expect(findObject(project, { type: 'project' })?.name).toBe('shop');
    expect(findObject(project, { type: 'connector', connector: 'catalog' })?.kind).toBe('http');
    expect(findObject(project, { type: 'transaction', connector: 'catalog', transaction: 'getProduct' })?.path).toBe('/products/{id}');
    expect(findObject(project, { type: 'variable', connector: 'catalog', transaction: 'getProduct', variable: 'id' })?.type).toBe('integer');
    expect(findObject(project, { type: 'sequence', sequence: 'card' })?.name).toBe('card');
    expect(findObject(project, { type: 'sequenceVariable', sequence: 'card', variable: 'id' })?.name).toBe('id');
    expect(findObject(project, { type: 'step', sequence: 'card', step: 'b' })?.kind).toBe('jsonValue');
    expect(findObject(project, { type: 'connector', connector: 'nope' })).toBeUndefined();
  });

  it('keys and names refs', () => {
    expect(refKey({ type: 'connector', connector: 'a' })).toBe(refKey({ connector: 'a', type: 'connector' } as ObjectRef));
    expect(refKey(null)).toBe('');
    expect(refName({ type: 'step', sequence: 's', step: 'x' })).toBe('x');
    expect(refName({ type: 'project' })).toBeUndefined();
  });
});

describe('editorSpec and buildUpdateValue', () => {
  it('draws a connector: general fields and its config from the kind schema', () => {
    const ref: ObjectRef = { type: 'connector', connector: 'catalog' };
    const draft = toDraft(ref, findObject(project, ref)!);
    const spec = editorSpec(ref, draft, kinds, project);
    expect(spec.typeTitle).toBe('HTTP connector');
    expect(spec.sections.map((s) => s.path)).toEqual([[], ['config']]);
    expect(spec.sections[1]!.schema).toBe(kinds.connectors[0]!.configSchema);
    // the update carries the current transactions and name, whatever the draft holds
    const edited = { ...draft, config: { host: 'b' }, transactions: [], name: 'renamed' };
    const value = buildUpdateValue(spec, ref, toDraft(ref, findObject(project, ref)!), edited);
    expect(value.config).toEqual({ host: 'b' });
    expect(value.name).toBe('catalog');
    expect((value.transactions as unknown[]).length).toBe(1);
  });

  it('draws a transaction from the transaction schema without name and variables', () => {
    const ref: ObjectRef = { type: 'transaction', connector: 'catalog', transaction: 'getProduct' };
    const draft = toDraft(ref, findObject(project, ref)!);
    const spec = editorSpec(ref, draft, kinds, project);
    const section = spec.sections[0]!;
    expect(section.omit).toEqual(['name', 'variables']);
    const model = buildFieldModel(section.schema, { omit: section.omit, asObject: true }) as ObjectModel;
    expect(model.fields.map((f) => f.key)).toEqual(['method', 'path']);
    const value = buildUpdateValue(spec, ref, draft, { ...draft, path: '/p/{id}', variables: [] });
    expect(value.variables).toEqual(draft.variables);
    expect(value.path).toBe('/p/{id}');
  });

  it('sends the project as its trellis.yaml keys', () => {
    const ref: ObjectRef = { type: 'project' };
    const draft = toDraft(ref, findObject(project, ref)!);
    expect(Object.keys(draft).sort()).toEqual(['description', 'formatVersion', 'name']);
    const spec = editorSpec(ref, draft, kinds, project);
    expect(buildUpdateValue(spec, ref, draft, { ...draft, description: undefined })).toEqual({ name: 'shop', formatVersion: 1 });
  });

  it('types a variable default by the variable type', () => {
    const integer = variableFormSchema(variableSchema, { name: 'id', type: 'integer' });
    expect(integer.properties!.default).toMatchObject({ type: 'integer' });
    expect(integer.properties!.enum).toMatchObject({ type: 'array', items: { type: 'integer' } });
    const multi = variableFormSchema(variableSchema, { name: 'tags', multivalued: true });
    expect(multi.properties!.default).toMatchObject({ type: 'array', items: { type: 'string' } });
    const json = variableFormSchema(variableSchema, { name: 'doc', type: 'json' });
    expect(buildFieldModel(json.properties!.default!).kind).toBe('json');
    const bool = buildFieldModel(variableFormSchema(variableSchema, { name: 'b', type: 'boolean' }), { omit: ['name'] }) as ObjectModel;
    expect(bool.fields.find((f) => f.key === 'default')?.kind).toBe('boolean');
  });

  it('draws steps by id and keeps their children', () => {
    const ref: ObjectRef = { type: 'step', sequence: 'card', step: 'a' };
    const draft = toDraft(ref, findObject(project, ref)!);
    const spec = editorSpec(ref, draft, kinds, project);
    expect(spec.nameKey).toBe('id');
    const value = buildUpdateValue(spec, ref, draft, { ...draft, description: 'd', steps: [] });
    expect(value).toMatchObject({ id: 'a', kind: 'jsonObject', description: 'd' });
    expect((value.steps as unknown[]).length).toBe(1);
  });

  it('falls back to JSON for unknown kinds', () => {
    const ref: ObjectRef = { type: 'connector', connector: 'catalog' };
    const spec = editorSpec(ref, { name: 'x', kind: 'ftp', config: { a: 1 } }, kinds, project);
    expect(spec.typeTitle).toBe('ftp connector');
    const model = buildFieldModel(spec.sections[1]!.schema, { asObject: true }) as ObjectModel;
    expect(model).toMatchObject({ kind: 'object', additional: true, fields: [] });
  });
});

describe('kinds not loaded yet', () => {
  it('draws an open object instead of the whole variable as JSON', () => {
    const ref: ObjectRef = { type: 'variable', connector: 'catalog', transaction: 'getProduct', variable: 'id' };
    const spec = editorSpec(ref, { name: 'id' }, { connectors: [], variableSchema: {} }, project);
    const model = buildFieldModel(spec.sections[0]!.schema, { omit: spec.sections[0]!.omit, asObject: true });
    expect(model.kind).toBe('object');
  });
});

describe('validateName', () => {
  it('uses the model rules', () => {
    expect(validateName({ type: 'connector', connector: 'a' }, 'good_name-1.x')).toBeUndefined();
    expect(validateName({ type: 'connector', connector: 'a' }, '')).toBe('a name cannot be empty');
    expect(validateName({ type: 'connector', connector: 'a' }, '1abc')).toMatch(/starts with a letter/);
    expect(validateName({ type: 'step', sequence: 's', step: 'a' }, 'a-b')).toMatch(/step id/);
    expect(validateName({ type: 'step', sequence: 's', step: 'a' }, 'a_b')).toBeUndefined();
  });
});
