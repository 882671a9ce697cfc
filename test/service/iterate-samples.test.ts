import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StudioService } from '../../src/service/studio-service.js';
import { recordingService, tempDir } from './helpers.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let service: StudioService;
let dir: string;

const SEQUENCE = `name: listing
variables:
  - { name: items, type: json }
steps:
  - id: each
    kind: iterate
    props: { over: { source: { from: variables, path: "$.items" } } }
    steps:
      - id: row
        kind: jsonObject
        steps:
          - { id: name, kind: jsonValue, props: { key: name, value: { source: { from: each, path: "$.item.name" } } } }
  - { id: out, kind: output, props: { value: 1 } }
`;

beforeEach(async () => {
  tmp = await tempDir('trellis-iterate-samples-');
  dir = join(tmp.dir, 'shop');
  await mkdir(join(dir, 'sequences'), { recursive: true });
  await writeFile(join(dir, 'trellis.yaml'), 'name: shop\nformatVersion: 1\n');
  await writeFile(join(dir, 'sequences/listing.yaml'), SEQUENCE);
  ({ service } = recordingService());
  await service['project.open']({ dir });
});

afterEach(async () => {
  await service.dispose();
  await tmp.remove();
});

const node = (tree: any[], ...labels: string[]): any => labels.reduce((nodes: any, label) => (Array.isArray(nodes) ? nodes : nodes.children).find((n: any) => n.label === label), tree);

describe('sequence.sources: samples under an Iterate', () => {
  it('shows the last pass of the last run under item, index and count inside the loop, and the final count after it', async () => {
    const items = [
      { name: 'teapot', price: 30 },
      { name: 'kettle', price: 45 },
    ];
    const r = await service['sequence.execute']({ project: dir, sequence: 'listing', variables: { items } });
    expect(r.ok).toBe(true);

    const inside = (await service['sequence.sources']({ project: dir, sequence: 'listing', step: 'name' })).tree;
    expect(node(inside, 'each', 'item', 'name')).toMatchObject({ from: 'each', path: '$.item.name', sample: 'kettle' });
    expect(node(inside, 'each', 'item', 'price')).toMatchObject({ path: '$.item.price', sample: 45 });
    expect(node(inside, 'each', 'index')).toMatchObject({ sample: 1 });

    const after = (await service['sequence.sources']({ project: dir, sequence: 'listing', step: 'out' })).tree;
    expect(node(after, 'each').children.map((n: any) => n.label)).toEqual(['count']);
    expect(node(after, 'each', 'count')).toMatchObject({ sample: 2 });
  });

  it('scalar items show as the sample of item itself', async () => {
    await service['sequence.execute']({ project: dir, sequence: 'listing', variables: { items: ['a', 'b', 'c'] } });
    const inside = (await service['sequence.sources']({ project: dir, sequence: 'listing', step: 'row' })).tree;
    expect(node(inside, 'each', 'item')).toMatchObject({ sample: 'c' });
  });
});
