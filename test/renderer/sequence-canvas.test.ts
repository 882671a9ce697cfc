import { describe, expect, it } from 'vitest';
import type { SourceNodeDto } from '../../src/contract/index.js';
import type { Project, Sequence } from '../../src/model/index.js';
import { sourceTree, type JSONSchema } from '../../src/schema/index.js';
import { listStepKinds } from '../../src/service/kinds.js';
import type { JsonSchema } from '../../renderer/features/editors/schema-form/schema.js';
import { constantSchema, describeSource, initialProps, isDynamicRecordSchema, isDynamicSchema, memberPath, valueMode } from '../../renderer/features/editors/step-props/dynamic.js';
import { completionsAt } from '../../renderer/features/js-editor/js-completion.js';
import { LEAF_HEIGHT, START_ID, absoluteRect, layoutSequence } from '../../renderer/features/sequence-canvas/layout.js';
import { callStepFor, copyStep, indexSteps, insertTargetFor, newStepValue } from '../../renderer/features/sequence-canvas/step-model.js';
import { summarize } from '../../renderer/features/sequence-canvas/summary.js';
import { defaultExpanded, pickableProperties, sourceRows } from '../../renderer/features/source-picker/source-model.js';

/** The studio side of sequences, without a browser: the canvas layout and edits, property modes, picker rows, JS completions. */

const kinds = listStepKinds();
const kind = (k: string) => kinds.find((x) => x.kind === k)!;

const sequence: Sequence = {
  name: 'itemCards',
  exposed: true,
  variables: [{ name: 'id', type: 'integer' }],
  steps: [
    { id: 'list', kind: 'callTransaction', props: { transaction: 'catalog.listItems', variables: {} } },
    {
      id: 'cards',
      kind: 'jsonArray',
      steps: [
        {
          id: 'each',
          kind: 'iterate',
          props: { over: { source: { from: 'list', path: '$' } } },
          steps: [
            { id: 'one', kind: 'callTransaction', props: { transaction: 'catalog.getItem', variables: { id: { source: { from: 'each', path: '$.item.id' } } } } },
            { id: 'value', kind: 'jsonValue', props: { value: { source: { from: 'one', path: '$' } } } },
          ],
        },
      ],
    },
    { id: 'empty', kind: 'jsonObject', steps: [] },
  ],
};

const project: Project = {
  dir: '/p/shop',
  name: 'shop',
  formatVersion: 1,
  connectors: [
    {
      name: 'catalog',
      kind: 'http',
      config: {},
      transactions: [
        { name: 'listItems', variables: [] },
        { name: 'getItem', path: '/items/{id}', variables: [{ name: 'id', type: 'integer', required: true }, { name: 'lang', type: 'string', default: 'en' }] } as never,
      ],
    },
  ],
  sequences: [sequence],
};

describe('the canvas layout', () => {
  const { nodes, edges } = layoutSequence(sequence, kinds);
  const byId = new Map(nodes.map((n) => [n.id, n]));

  it('draws one node per step, containers as groups before their children', () => {
    expect(nodes.map((n) => n.id)).toEqual([START_ID, 'list', 'cards', 'each', 'one', 'value', 'empty']);
    expect(byId.get('cards')!.type).toBe('container');
    expect(byId.get('each')!.parentId).toBe('cards');
    expect(byId.get('one')!.parentId).toBe('each');
    expect(byId.get('one')!.type).toBe('step');
    expect(byId.get('one')!.data).toMatchObject({ path: 'cards/each/one', position: 1, siblings: 2 });
  });

  it('lays out top-down, a container around its children', () => {
    const r = (id: string) => absoluteRect(byId.get(id)!, byId);
    expect(r('list').y).toBeGreaterThan(r(START_ID).y);
    expect(r('cards').y).toBeGreaterThan(r('list').y + LEAF_HEIGHT);
    const each = r('each');
    for (const child of ['one', 'value']) {
      const c = r(child);
      expect(c.x).toBeGreaterThanOrEqual(each.x);
      expect(c.y).toBeGreaterThan(each.y);
      expect(c.x + c.width).toBeLessThanOrEqual(each.x + each.width);
      expect(c.y + c.height).toBeLessThanOrEqual(each.y + each.height);
    }
    expect(r('value').y).toBeGreaterThan(r('one').y);
  });

  it('links each step to the next sibling', () => {
    expect(edges.map((e) => `${e.source}>${e.target}`)).toEqual(expect.arrayContaining([`${START_ID}>list`, 'list>cards', 'cards>empty', 'one>value']));
    expect(edges).toHaveLength(4);
  });
});

describe('canvas edits', () => {
  const index = indexSteps(sequence.steps);

  it('inserts into a selected container, after a selected step, or at the end', () => {
    expect(insertTargetFor(sequence, index, kinds, 'each')).toEqual({ parent: 'each', index: 2 });
    expect(insertTargetFor(sequence, index, kinds, 'each', true)).toEqual({ parent: 'cards', index: 1 });
    expect(insertTargetFor(sequence, index, kinds, 'one')).toEqual({ parent: 'each', index: 1 });
    expect(insertTargetFor(sequence, index, kinds, null)).toEqual({ parent: null, index: 3 });
  });

  it('maps a dropped call’s variables by name', () => {
    const call = callStepFor(project, sequence, { type: 'transaction', connector: 'catalog', transaction: 'getItem' }, new Set(index.byId.keys()));
    expect(call).toEqual({
      kind: 'callTransaction',
      id: 'getItem',
      props: { transaction: 'catalog.getItem', variables: { id: { source: { from: 'variables', path: '$.id' } }, lang: 'en' } },
    });
  });

  it('starts a palette kind with usable props', () => {
    expect(newStepValue(kind('iterate'), project, 'itemCards', new Set())).toEqual({ kind: 'iterate', id: 'iterate', props: {}, steps: [] });
    expect(newStepValue(kind('jsonValue'), project, 'itemCards', new Set(['jsonValue']))).toMatchObject({ id: 'jsonValue_2', props: { value: null } });
    expect(newStepValue(kind('if'), project, 'itemCards', new Set()).props).toEqual({ condition: { js: 'true' } });
    expect(newStepValue(kind('callTransaction'), project, 'itemCards', new Set()).props).toEqual({ transaction: 'catalog.listItems' });
    expect(initialProps(kind('js').propsSchema as JsonSchema)).toEqual({ code: 'return null;' });
  });

  it('copies a subtree under free ids, its inner sources following', () => {
    const copy = copyStep(index.byId.get('each')!.step, new Set(index.byId.keys()));
    expect(copy.id).toBe('each_2');
    expect(copy.steps!.map((s) => s.id)).toEqual(['one_2', 'value_2']);
    expect(copy.steps![0]!.props).toEqual({ transaction: 'catalog.getItem', variables: { id: { source: { from: 'each_2', path: '$.item.id' } } } });
    expect(copy.props).toEqual({ over: { source: { from: 'list', path: '$' } } });
  });

  it('summarizes a step on its node', () => {
    expect(summarize(index.byId.get('one')!.step, kind('callTransaction'))).toBe('catalog.getItem (id)');
    expect(summarize(index.byId.get('each')!.step, kind('iterate'))).toBe('over: ⇠ list');
  });
});

describe('property values', () => {
  const iterate = kind('iterate').propsSchema as JsonSchema;
  const call = kind('callTransaction').propsSchema as JsonSchema;

  it('finds the properties that take a constant, a source or an expression', () => {
    expect(isDynamicSchema(iterate.properties!.over)).toBe(true);
    expect(isDynamicSchema(iterate.properties!.maxItems)).toBe(false);
    expect(isDynamicRecordSchema(call.properties!.variables)).toBe(true);
    expect(constantSchema(iterate.properties!.times!, iterate)).toMatchObject({ type: 'integer', minimum: 0 });
  });

  it('tells the mode of a value and describes sources', () => {
    expect(valueMode({ source: { from: 'a', path: '$' } })).toBe('source');
    expect(valueMode({ js: 'x' })).toBe('js');
    expect(valueMode({ source: 1, other: 2 })).toBe('constant');
    expect(describeSource({ from: 'each', path: '$.item.id' })).toBe('each.item.id');
    expect(describeSource({ from: 'list', path: '$[0]' })).toBe('list[0]');
    expect(memberPath('$', 'odd-name')).toBe("$['odd-name']");
  });

  it('lists the properties a source can set, with a call’s variables', () => {
    const one = indexSteps(sequence.steps).byId.get('one')!.step;
    expect(pickableProperties(project, one, kind('callTransaction')).map((p) => p.label)).toEqual(['variables.id', 'variables.lang']);
  });
});

describe('the source picker and JS completions', () => {
  const schemas: Record<string, JSONSchema> = {
    list: { type: 'array', items: { type: 'object', properties: { id: { type: 'integer' }, name: { type: 'string' } } } },
    each: { type: 'object', properties: { item: { type: 'object', properties: { id: { type: 'integer' }, name: { type: 'string' } } }, index: { type: 'integer' }, count: { type: 'integer' } } },
    one: { type: 'object', properties: { price: { type: 'number' } } },
  };
  const tree = sourceTree(project, sequence, 'value', schemas, { list: [{ id: 1, name: 'Lamp' }] }) as SourceNodeDto[];

  it('opens two levels and the way to the current source', () => {
    const open = defaultExpanded(tree, 2);
    const rows = sourceRows(tree, open, '');
    expect(rows.map((r) => `${'  '.repeat(r.level - 1)}${r.node.label}`)).toEqual(expect.arrayContaining(['list', '  [*]', 'each', '  item', '    id']));
    expect(sourceRows(tree, new Set(), 'name').map((r) => r.node.label)).toEqual(['list', '[*]', 'name', 'each', 'item', 'name']);
  });

  it('completes variables, steps and the current item', () => {
    const labels = (text: string) => completionsAt(text, tree)?.map((c) => c.label);
    expect(labels('return ')).toEqual(expect.arrayContaining(['variables', 'id', 'steps', 'item', 'index']));
    expect(labels('return steps.')).toEqual(['list', 'each', 'one']);
    expect(labels('return steps.one.')).toEqual(['price']);
    expect(labels('return item.')).toEqual(['id', 'name']);
    expect(labels('return steps.list[0].')).toEqual(['id', 'name']);
    expect(completionsAt('return "item.', tree)).toBeNull();
  });
});
