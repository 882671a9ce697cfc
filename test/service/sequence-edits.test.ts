import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StudioService } from '../../src/service/studio-service.js';
import { recordingService, tempDir } from './helpers.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let service: StudioService;
let dir: string;

const seq = { type: 'sequence' as const, sequence: 'card' };
const step = (id: string) => ({ type: 'step' as const, sequence: 'card', step: id });

beforeEach(async () => {
  tmp = await tempDir();
  ({ service } = recordingService());
  dir = join(tmp.dir, 'shop');
  await service['project.create']({ dir });
  await service['object.create']({
    project: dir,
    parent: { type: 'project' },
    objectType: 'sequence',
    value: {
      name: 'card',
      steps: [
        { id: 'product', kind: 'callTransaction', props: { transaction: 'rest.get' } },
        { id: 'out', kind: 'jsonObject', steps: [{ id: 'title', kind: 'jsonValue', props: { key: 'title' } }] },
      ],
    },
  });
});

afterEach(async () => {
  await service.dispose();
  await tmp.remove();
});

async function sequence(): Promise<any> {
  return (await service['project.get']({ project: dir })).project.sequences[0];
}

describe('StudioService: sequences, their variables and steps', () => {
  it('edits sequence variables with the same rules as transaction variables', async () => {
    await service['object.create']({ project: dir, parent: seq, objectType: 'sequenceVariable', value: { name: 'id', type: 'integer', required: true } });
    await expect(service['object.create']({ project: dir, parent: seq, objectType: 'sequenceVariable', value: { name: 'id' } })).rejects.toThrow(
      'shop/sequences/card/variables/id: name: sequence card already has a variable named "id"',
    );
    const r = await service['object.rename']({ project: dir, ref: { type: 'sequenceVariable', sequence: 'card', variable: 'id' }, name: 'productId' });
    expect(r.ref).toEqual({ type: 'sequenceVariable', sequence: 'card', variable: 'productId' });
    expect((await sequence()).variables).toEqual([{ name: 'productId', type: 'integer', required: true }]);
  });

  it('renames, duplicates (with fresh ids), moves, updates and deletes steps, nested ones included', async () => {
    await service['object.rename']({ project: dir, ref: step('title'), name: 'heading' });
    await expect(service['object.rename']({ project: dir, ref: step('heading'), name: 'product' })).rejects.toThrow(/already has a step named "product"/);
    await expect(service['object.rename']({ project: dir, ref: step('heading'), name: 'bad-id' })).rejects.toThrow(/id: a step id/);
    const copy = await service['object.duplicate']({ project: dir, ref: step('out') });
    expect(copy.ref).toEqual(step('out_2'));
    const s = await sequence();
    expect(s.steps.map((x: any) => x.id)).toEqual(['product', 'out', 'out_2']);
    expect(s.steps[2].steps[0].id).toBe('heading_2');

    await service['object.move']({ project: dir, ref: step('out_2'), index: 0 });
    await service['object.update']({ project: dir, ref: step('out'), value: { kind: 'jsonArray' } });
    await service['object.delete']({ project: dir, ref: step('heading_2') });
    const after = await sequence();
    expect(after.steps.map((x: any) => [x.id, x.kind, x.steps?.map((c: any) => c.id)])).toEqual([
      ['out_2', 'jsonObject', []],
      ['product', 'callTransaction', undefined],
      ['out', 'jsonArray', ['heading']],
    ]);
  });

  it('keeps connectors and sequences in file-name order, as loading does', async () => {
    for (const name of ['zeta', 'alpha']) await service['object.create']({ project: dir, parent: { type: 'project' }, objectType: 'sequence', value: { name } });
    expect((await service['project.get']({ project: dir })).project.sequences.map((x) => x.name)).toEqual(['alpha', 'card', 'zeta']);
    await expect(service['object.move']({ project: dir, ref: seq, index: 0 })).rejects.toThrow(/sequences are listed by name/);
    await service['object.rename']({ project: dir, ref: { type: 'sequence', sequence: 'alpha' }, name: 'omega' });
    expect((await service['project.get']({ project: dir })).project.sequences.map((x) => x.name)).toEqual(['card', 'omega', 'zeta']);
  });

  it('edits the project settings but not its name through object.update', async () => {
    const s = await service['object.update']({ project: dir, ref: { type: 'project' }, value: { description: 'Cards', environments: { dev: { HOST: 'localhost' } } } });
    expect(s.project).toMatchObject({ name: 'shop', description: 'Cards', environments: { dev: { HOST: 'localhost' } } });
    await expect(service['object.update']({ project: dir, ref: { type: 'project' }, value: { colour: 'red' } })).rejects.toThrow(/shop: .*colour/);
    const renamed = await service['object.rename']({ project: dir, ref: { type: 'project' }, name: 'cards' });
    expect(renamed.state.project.name).toBe('cards');
  });
});
