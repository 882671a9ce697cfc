import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StudioService } from '../../src/service/studio-service.js';
import { txs, recordingService, tempDir, waitFor, type Recorded } from './helpers.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let service: StudioService;
let events: Recorded[];
let dir: string;

beforeEach(async () => {
  tmp = await tempDir();
  ({ service, events } = recordingService());
  dir = join(tmp.dir, 'shop');
  await service['project.create']({ dir, rest: { connector: 'rest', host: 'api.example.com', https: false } });
});

afterEach(async () => {
  await service.dispose();
  await tmp.remove();
});

const diskEvents = () => events.filter((e) => e.name === 'project.changed' && e.payload.reason === 'disk');
const settle = () => new Promise((r) => setTimeout(r, 400));

describe('StudioService: files changed on disk', () => {
  it('reloads a clean project when a file is edited outside the studio', async () => {
    const file = join(dir, 'connectors/rest.yaml');
    await writeFile(file, (await readFile(file, 'utf8')).replace('api.example.com', 'changed.example.com'));
    await waitFor(() => diskEvents().length > 0, 5000, 'a disk event');
    expect(diskEvents()[0]!.payload).toMatchObject({ project: dir, dirty: false });
    expect(diskEvents()[0]!.payload.conflict).toBeUndefined();
    const state = await service['project.get']({ project: dir });
    expect((state.project.connectors[0]!.config as { host: string }).host).toBe('changed.example.com');
  });

  it('picks up a connector file added by hand, and reports a malformed one as a problem', async () => {
    await writeFile(join(dir, 'connectors/extra.yaml'), 'name: extra\nkind: http\nconfig:\n  host: extra.example.com\n');
    await waitFor(() => diskEvents().length > 0, 5000, 'a disk event');
    await service.idle();
    expect((await service['project.get']({ project: dir })).project.connectors.map((c) => c.name)).toEqual(['extra', 'rest']);
    await writeFile(join(dir, 'connectors/extra.yaml'), 'name: extra\nkind: [http\n');
    await waitFor(() => diskEvents().length > 1, 5000, 'a second disk event');
    await service.idle();
    const state = await service['project.get']({ project: dir });
    expect(state.project.connectors.map((c) => c.name)).toEqual(['rest']);
    expect(state.problems[0]).toMatchObject({ file: 'connectors/extra.yaml', severity: 'error' });
  });

  it('keeps unsaved edits when files change on disk, and says so with conflict: true', async () => {
    await service['object.create']({ project: dir, parent: { type: 'connector', connector: 'rest' }, objectType: 'transaction', value: { name: 'mine' } });
    await writeFile(join(dir, 'trellis.yaml'), 'name: shop\nformatVersion: 1\ndescription: edited by hand\n');
    await waitFor(() => diskEvents().length > 0, 5000, 'a disk event');
    expect(diskEvents()[0]!.payload).toMatchObject({ dirty: true, conflict: true });
    const state = await service['project.get']({ project: dir });
    expect(state.dirty).toBe(true);
    expect(txs(state).map((t) => t.name)).toEqual(['mine']);
    expect(state.problems).toContainEqual(expect.objectContaining({ file: 'trellis.yaml', severity: 'warning', message: expect.stringContaining('unsaved edits') }));
  });

  it('does not mistake its own saves for outside changes', async () => {
    await service['object.create']({ project: dir, parent: { type: 'connector', connector: 'rest' }, objectType: 'transaction', value: { name: 'mine' } });
    await service['project.save']({ project: dir });
    await service['object.create']({ project: dir, parent: { type: 'project' }, objectType: 'sequence', value: { name: 'seq' } });
    await service['project.save']({ project: dir });
    await settle();
    await service.idle();
    expect(diskEvents()).toEqual([]);
  });

  it('stops watching a closed project', async () => {
    await service['project.close']({ project: dir });
    await writeFile(join(dir, 'trellis.yaml'), 'name: shop\nformatVersion: 1\ndescription: later\n');
    await settle();
    expect(diskEvents()).toEqual([]);
  });
});
