import { describe, expect, it } from 'vitest';
import type { Connector, Project } from '../../src/model/index.js';
import { deriveSequenceOutputSchema, deriveStepSchemas, inferSchema, sourceTree, type SourceNode } from '../../src/schema/index.js';
import { js, seq, src } from '../steps/helpers.js';

const catalog: Connector = { name: 'catalog', kind: 'http', config: {}, transactions: [{ name: 'list', variables: [] }] };
const txSchemas = {
  'catalog.list': inferSchema({ total: 2, items: [{ id: 1, name: 'a', price: 1.5 }, { id: 2, name: 'b', price: 2, promo: true }] }),
};

const listing = seq(
  'listing',
  [
    { id: 'list', kind: 'callTransaction', props: { transaction: 'catalog.list' } },
    {
      id: 'doc',
      kind: 'jsonObject',
      steps: [
        { id: 'count', kind: 'jsonValue', props: { key: 'count', value: src('list', '$.total') } },
        {
          id: 'rows',
          kind: 'jsonArray',
          steps: [
            {
              id: 'each',
              kind: 'iterate',
              props: { over: src('list', '$.items') },
              steps: [
                { id: 'label', kind: 'js', props: { code: 'return item.name' } },
                {
                  id: 'row',
                  kind: 'jsonObject',
                  steps: [
                    { id: 'name', kind: 'jsonValue', props: { value: src('each', '$.item.name') } },
                    { id: 'cheap', kind: 'if', props: { condition: js('item.price < 2') }, steps: [{ id: 'flag', kind: 'jsonValue', props: { key: 'cheap', value: true } }] },
                  ],
                },
              ],
            },
          ],
        },
        { id: 'names', kind: 'jsonValue', props: { key: 'names', value: src('list', '$.items[*].name') } },
      ],
    },
  ],
  [{ name: 'q', type: 'string', required: true, description: 'search text' }, { name: 'ids', type: 'integer', multivalued: true }],
);
const caller = seq('caller', [{ id: 'sub', kind: 'callSequence', props: { sequence: 'listing' } }, { id: 'o', kind: 'output', props: { value: src('sub', '$.rows') } }]);
const project: Project = { dir: '/tmp', name: 'shop', formatVersion: 1, connectors: [catalog], sequences: [listing, caller] };

describe('deriveStepSchemas', () => {
  const schemas = deriveStepSchemas(project, listing, txSchemas);

  it('call transaction → its stored schema; iterate → item/index/count with the item schema', () => {
    expect(schemas.list).toBe(txSchemas['catalog.list']);
    expect(schemas.each!.properties!.item).toEqual(txSchemas['catalog.list'].properties!.items!.items);
    expect(schemas.each!.properties!.index).toEqual({ type: 'integer' });
  });

  it('builders → what their children build (keys default to ids; keys behind flow containers are optional)', () => {
    expect(schemas.row).toEqual({ type: 'object', properties: { name: { type: 'string' }, cheap: { type: 'boolean' } }, required: ['name'] });
    expect(schemas.rows).toEqual({ type: 'array', items: schemas.row });
    expect(schemas.doc).toEqual({
      type: 'object',
      properties: { count: { type: 'integer' }, rows: schemas.rows, names: { type: 'array', items: { type: 'string' } } },
      required: ['count', 'rows', 'names'],
    });
    expect(schemas.label).toEqual({});
  });

  it('a sequence output: the last top-level builder, an output step, or what a called sequence returns', () => {
    expect(deriveSequenceOutputSchema(project, listing, txSchemas)).toEqual(schemas.doc);
    const callerSchemas = deriveStepSchemas(project, caller, txSchemas);
    expect(callerSchemas.sub).toEqual(schemas.doc);
    expect(deriveSequenceOutputSchema(project, caller, txSchemas)).toEqual(schemas.rows);
  });

  it('recursion and unknown transactions give {}', () => {
    const loop = seq('loop', [{ id: 'again', kind: 'callSequence', props: { sequence: 'loop' } }, { id: 'x', kind: 'callTransaction', props: { transaction: 'catalog.nope' } }]);
    expect(deriveStepSchemas({ ...project, sequences: [loop] }, loop, txSchemas)).toEqual({ again: {}, x: {} });
  });
});

describe('sourceTree', () => {
  const schemas = deriveStepSchemas(project, listing, txSchemas);
  const labels = (nodes: SourceNode[]) => nodes.map((n) => n.label);
  const find = (nodes: SourceNode[], ...path: string[]): SourceNode => path.reduce<SourceNode>((n, l) => n.children.find((c) => c.label === l)!, { children: nodes } as SourceNode);

  it('lists variables and the steps that ran before, with JSONPath paths, types and samples', () => {
    const tree = sourceTree(project, listing, 'name', schemas, { list: { total: 2, items: [{ id: 1, name: 'a', price: 1.5 }] }, variables: { q: 'tea' }, each: { item: { id: 1, name: 'a' }, index: 0, count: 0 } });
    expect(labels(tree)).toEqual(['variables', 'list', 'count', 'each', 'label']);
    expect(find(tree, 'variables', 'q')).toMatchObject({ from: 'variables', path: '$.q', type: 'string', sample: 'tea' });
    expect(find(tree, 'variables', 'ids')).toMatchObject({ path: '$.ids', type: 'array' });
    expect(find(tree, 'list', 'items', '[*]', 'price')).toMatchObject({ from: 'list', path: '$.items[*].price', type: 'number', sample: 1.5 });
    expect(find(tree, 'each', 'item', 'name')).toMatchObject({ from: 'each', path: '$.item.name', type: 'string', sample: 'a' });
    expect(find(tree, 'each', 'index')).toMatchObject({ path: '$.index', type: 'integer' });
    expect(find(tree, 'list', 'meta', 'status')).toMatchObject({ from: 'list', path: '$.status', meta: true, type: 'integer' });
  });

  it('after a loop shows only its count; a builder after it is readable; steps inside are readable from later steps', () => {
    const tree = sourceTree(project, listing, 'names', schemas);
    expect(labels(tree)).toEqual(['variables', 'list', 'count', 'rows', 'each', 'label', 'row', 'name', 'cheap', 'flag']);
    expect(labels(find(tree, 'each').children)).toEqual(['count']);
    expect(find(tree, 'rows', '[*]', 'cheap')).toMatchObject({ from: 'rows', path: '$[*].cheap', type: 'boolean' });
    expect(find(tree, 'doc')).toBeUndefined(); // the enclosing builder has no output yet
  });

  it('quotes keys that are not identifiers and refuses unknown steps', () => {
    const s = seq('odd', [{ id: 'a', kind: 'output', props: { value: { 'odd key': 1 } } }, { id: 'b', kind: 'comment' }]);
    const p = { ...project, sequences: [s] };
    expect(find(sourceTree(p, s, 'b', deriveStepSchemas(p, s, {})), 'a', 'odd key').path).toBe("$['odd key']");
    expect(() => sourceTree(p, s, 'zzz', {})).toThrow(/no step "zzz"/);
  });
});
