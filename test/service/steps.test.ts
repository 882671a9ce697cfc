import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { methods } from '../../src/contract/index.js';
import type { StudioService } from '../../src/service/studio-service.js';
import { stepKinds } from '../../src/steps/index.js';
import { recordingService, tempDir, type Recorded } from './helpers.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let service: StudioService;
let events: Recorded[];
let dir: string;

const seq = { type: 'sequence' as const, sequence: 'card' };
const step = (id: string) => ({ type: 'step' as const, sequence: 'card', step: id });

beforeEach(async () => {
  tmp = await tempDir();
  ({ service, events } = recordingService());
  dir = join(tmp.dir, 'shop');
  await service['project.create']({ dir });
  await service['object.create']({ project: dir, parent: { type: 'project' }, objectType: 'sequence', value: { name: 'card', variables: [{ name: 'id', type: 'integer' }] } });
});

afterEach(async () => {
  await service.dispose();
  await tmp.remove();
});

async function tree(): Promise<unknown[]> {
  const s = (await service['project.get']({ project: dir })).project.sequences[0] as any;
  const shape = (steps: any[]): unknown[] => steps.map((x) => (x.steps ? [x.id, shape(x.steps)] : x.id));
  return shape(s.steps);
}

const create = (parent: any, value: Record<string, unknown>, index?: number) =>
  service['object.create']({ project: dir, parent, objectType: 'step', value, ...(index === undefined ? {} : { index }) });

describe('steps.list', () => {
  it('lists every registered kind with the JSON Schema of its props, in the contract shape', async () => {
    const { steps } = await service['steps.list']({});
    expect(steps.map((s) => s.kind)).toEqual(stepKinds().map((k) => k.kind));
    expect(methods['steps.list'].result.safeParse({ steps }).success).toBe(true);
    const call = steps.find((s) => s.kind === 'callTransaction')!;
    expect(call).toMatchObject({ title: 'Call Transaction', category: 'call', container: false, icon: expect.any(String), description: expect.stringContaining('transaction') });
    const props = (call.propsSchema as any).properties;
    expect(props.transaction.type).toBe('string');
    // io: input: a prop with a default is not required of the form
    expect((call.propsSchema as any).required).toEqual(['transaction']);
    expect(steps.find((s) => s.kind === 'iterate')!.container).toBe(true);
    expect((await service['steps.list']({})).steps).toBe(steps); // converted once
  });
});

describe('object.create with objectType step', () => {
  it('derives free ids from the kind, inserts at index, nests under containers', async () => {
    const a = await create(seq, { kind: 'callTransaction', props: { transaction: 'rest.get' } });
    expect(a.ref).toEqual(step('callTransaction1'));
    await create(seq, { kind: 'callTransaction', props: { transaction: 'rest.get' } });
    const obj = await create(seq, { kind: 'jsonObject' }, 0);
    expect(obj.ref).toEqual(step('jsonObject1'));
    await create(obj.ref, { kind: 'jsonValue', id: 'title', props: { key: 'title', value: { source: { from: 'variables', path: '$.id' } } } });
    await create(obj.ref, { kind: 'jsonValue', props: { key: 'first' } }, 0);
    // a subtree at once (a paste, a palette template): children without ids get one too
    const loop = await create(seq, { kind: 'iterate', id: 'each', props: { times: 2 }, steps: [{ kind: 'log', props: { message: 'x' } }] }, 1);
    expect(loop.ref).toEqual(step('each'));
    expect(await tree()).toEqual([['jsonObject1', ['jsonValue1', 'title']], ['each', ['log1']], 'callTransaction1', 'callTransaction2']);
    expect(loop.state.dirty).toBe(true);
    expect(events.filter((e) => e.name === 'project.changed' && e.payload.reason === 'edit')).toHaveLength(7);
    await service['project.undo']({ project: dir });
    expect(await tree()).toEqual([['jsonObject1', ['jsonValue1', 'title']], 'callTransaction1', 'callTransaction2']);
  });

  it('refuses unknown kinds, invalid props (naming the field), taken ids and non-container parents', async () => {
    await expect(create(seq, { kind: 'teleport' })).rejects.toThrow(/shop\/sequences\/card: kind: unknown step kind "teleport" \(kinds: callTransaction, /);
    await expect(create(seq, { kind: 'callTransaction', id: 'call', props: { transaction: 'nodot' } })).rejects.toMatchObject({
      code: 'INVALID_CONFIG',
      message: 'shop/sequences/card/call: props.transaction: write the transaction as <connector>.<transaction>',
      details: [{ path: 'props.transaction', message: expect.any(String) }],
    });
    await expect(create(seq, { kind: 'sleep', props: { bogus: 1 } })).rejects.toThrow('shop/sequences/card/sleep1: props: Unrecognized key: "bogus"');
    await expect(create(seq, { kind: 'sleep', props: { ms: 'soon' } })).rejects.toThrow(/card\/sleep1: props\.ms: expected milliseconds/);
    await create(seq, { kind: 'log', id: 'note', props: { message: 'hi' } });
    await expect(create(seq, { kind: 'comment', id: 'note' })).rejects.toThrow('shop/sequences/card/note: id: sequence card already has a step named "note"');
    await expect(create(step('note'), { kind: 'comment' })).rejects.toThrow('shop/sequences/card/note: a log step holds no steps (it is not a container)');
    await expect(create(seq, { kind: 'if', props: { condition: true }, steps: [{ kind: 'comment', id: 'note' }] })).rejects.toThrow(/already has a step named "note"/);
    await expect(create(seq, { kind: 'log', id: 'x', props: { message: 'a' }, steps: [{ kind: 'comment', id: 'c' }] })).rejects.toThrow(
      'shop/sequences/card/x: steps: a log step holds no steps (it is not a container)',
    );
    await expect(create(seq, { kind: 'comment', id: 'bad id' })).rejects.toThrow(/id: a step id starts with a letter/);
    await expect(create({ type: 'sequence', sequence: 'nope' }, { kind: 'comment' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    // a step dropped from the palette starts without its required props: sequence.check reports them
    await create(seq, { kind: 'callTransaction' });
    expect(await tree()).toEqual(['note', 'callTransaction1']);
    const { problems } = await service['sequence.check']({ project: dir, sequence: 'card' });
    expect(problems).toEqual([{ stepPath: 'callTransaction1', message: expect.stringMatching(/^props\.transaction: /), property: 'props.transaction' }]);
  });
});

describe('object.create index', () => {
  it('places variables (and transactions) at index; connectors and sequences stay in file order', async () => {
    const add = (name: string, index?: number) =>
      service['object.create']({ project: dir, parent: seq, objectType: 'sequenceVariable', value: { name }, ...(index === undefined ? {} : { index }) });
    await add('b');
    await add('a', 0);
    await add('z', 99);
    const s = (await service['project.get']({ project: dir })).project.sequences[0] as any;
    expect(s.variables.map((v: any) => v.name)).toEqual(['a', 'id', 'b', 'z']);
    await service['object.create']({ project: dir, parent: { type: 'project' }, objectType: 'sequence', value: { name: 'zeta' }, index: 0 });
    expect((await service['project.get']({ project: dir })).project.sequences.map((x) => x.name)).toEqual(['card', 'zeta']);
  });
});

describe('step edits', () => {
  beforeEach(async () => {
    await create(seq, { kind: 'callTransaction', id: 'product', props: { transaction: 'rest.get', variables: { id: { source: { from: 'variables', path: '$.id' } } } } });
    await create(seq, {
      kind: 'jsonObject',
      id: 'card',
      steps: [
        { kind: 'jsonValue', id: 'title', props: { key: 'title', value: { source: { from: 'product', path: '$.name' } } } },
        { kind: 'if', id: 'check', props: { condition: true }, steps: [{ kind: 'jsonValue', id: 'price', props: { key: 'price', value: 1 } }] },
      ],
    });
    await create(seq, { kind: 'output', id: 'out', props: { value: { source: { from: 'card', path: '$' } } } });
  });

  it('moves a step with its subtree into another container or to the top level', async () => {
    await service['step.move']({ project: dir, sequence: 'card', step: 'check', parent: null, index: 0 });
    expect(await tree()).toEqual([['check', ['price']], 'product', ['card', ['title']], 'out']);
    const state = await service['step.move']({ project: dir, sequence: 'card', step: 'out', parent: 'check', index: 0 });
    expect(state.canUndo).toBe(true);
    await service['step.move']({ project: dir, sequence: 'card', step: 'product', parent: 'card', index: 99 });
    expect(await tree()).toEqual([['check', ['out', 'price']], ['card', ['title', 'product']]]);
    await service['project.undo']({ project: dir });
    expect(await tree()).toEqual([['check', ['out', 'price']], 'product', ['card', ['title']]]);
  });

  it('refuses to move a step into itself, its own steps, a non-container or an unknown step', async () => {
    const move = (stepId: string, parent: string | null) => service['step.move']({ project: dir, sequence: 'card', step: stepId, parent, index: 0 });
    await expect(move('card', 'card')).rejects.toThrow('shop/sequences/card/card: a step cannot move into itself or one of its own steps (card)');
    await expect(move('card', 'check')).rejects.toThrow(/cannot move into itself or one of its own steps \(check\)/);
    await expect(move('title', 'out')).rejects.toThrow('shop/sequences/card/title: cannot move into out: a output step holds no steps (it is not a container)');
    await expect(move('ghost', null)).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('no step "ghost"') });
    await expect(move('title', 'ghost')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await tree()).toEqual(['product', ['card', ['title', ['check', ['price']]]], 'out']);
  });

  it('renames (sources follow), updates (children kept, props checked), duplicates, deletes', async () => {
    const renamed = await service['object.rename']({ project: dir, ref: step('product'), name: 'item' });
    expect(renamed.ref).toEqual(step('item'));
    const s = renamed.state.project.sequences[0] as any;
    expect(s.steps[1].steps[0].props.value).toEqual({ source: { from: 'item', path: '$.name' } });

    await service['object.update']({ project: dir, ref: step('card'), value: { kind: 'jsonObject', description: 'the card', disabled: false } });
    expect(await tree()).toEqual(['item', ['card', ['title', ['check', ['price']]]], 'out']);
    await expect(service['object.update']({ project: dir, ref: step('title'), value: { kind: 'jsonValue', props: { key: 3 } } })).rejects.toThrow(/card\/title: props\.key: /);
    await expect(service['object.update']({ project: dir, ref: step('card'), value: { kind: 'log', props: { message: 'm' } } })).rejects.toThrow(
      'shop/sequences/card/card: steps: a log step holds no steps (it is not a container)',
    );

    const copy = await service['object.duplicate']({ project: dir, ref: step('check') });
    expect(copy.ref).toEqual(step('check_2'));
    await service['object.delete']({ project: dir, ref: step('card') });
    expect(await tree()).toEqual(['item', 'out']);
    expect((await service['sequence.check']({ project: dir, sequence: 'card' })).problems.some((p) => p.stepPath === 'out')).toBe(true);
  });
});
