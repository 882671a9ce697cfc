import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { methods } from '../../src/contract/index.js';
import type { StudioService } from '../../src/service/studio-service.js';
import { recordingService, tempDir } from './helpers.js';

let service: StudioService;
let remove: () => Promise<void>;
let dir: string;

const VALID = [
  '# routes of the shop',
  'routes:',
  '  - method: get',
  '    path: /users/{id}',
  '    target: { sequence: greet }',
  '    response: { emptyStatus: 404 }',
  '  - method: POST',
  '    path: /users',
  '    target: { sequence: greet }',
  '    response: { status: 201 }',
  '',
].join('\n');

const get = async () => methods['mappings.get'].result.parse(await service['mappings.get']({ project: dir }));
const save = async (text: string) => methods['mappings.save'].result.parse(await service['mappings.save']({ project: dir, text }));

beforeAll(async () => {
  const t = await tempDir();
  dir = t.dir;
  remove = t.remove;
  await mkdir(join(dir, 'sequences'), { recursive: true });
  await writeFile(join(dir, 'trellis.yaml'), 'name: shop\nformatVersion: 1\n');
  await writeFile(join(dir, 'sequences', 'greet.yaml'), 'name: greet\nsteps:\n  - id: o\n    kind: output\n    props: { value: hi }\n');
  ({ service } = recordingService());
  await service['project.open']({ dir });
});

afterAll(async () => {
  await service.dispose();
  await remove();
});

describe('mappings.get and mappings.save', () => {
  it('gives an empty text, no routes and the default base path when the project has no mappings.yaml', async () => {
    expect(await get()).toEqual({ text: '', routes: [], problems: [], basePath: '/shop' });
  });

  it('saves a valid text as written (comments kept) and lists its routes under the base path', async () => {
    const state = await save(VALID);
    expect(await readFile(join(dir, 'mappings.yaml'), 'utf8')).toBe(VALID);
    expect(state.problems).toEqual([]);
    expect(state.routes).toEqual([
      { method: 'GET', path: '/users/{id}', fullPath: '/shop/users/{id}', target: { sequence: 'greet' }, status: 200, emptyStatus: 404, line: 3 },
      { method: 'POST', path: '/users', fullPath: '/shop/users', target: { sequence: 'greet' }, status: 201, line: 7 },
    ]);
    expect(await get()).toEqual(state);
  });

  it('serves at the root when basePath is /', async () => {
    const state = await save(`basePath: /\n${VALID}`);
    expect(state.basePath).toBe('/');
    expect(state.routes.map((r) => r.fullPath)).toEqual(['/users/{id}', '/users']);
  });

  it('refuses invalid YAML with its line and column, and leaves the file as it was', async () => {
    const before = await readFile(join(dir, 'mappings.yaml'), 'utf8');
    const bad = 'routes:\n  - method: GET\n    path: [/users\n';
    await expect(service['mappings.save']({ project: dir, text: bad })).rejects.toMatchObject({ code: 'INVALID_PROJECT', message: expect.stringMatching(/^not saved: mappings\.yaml:\d+:\d+: YAML syntax/) });
    expect(await readFile(join(dir, 'mappings.yaml'), 'utf8')).toBe(before);
  });

  it('refuses schema errors naming the line and column of the bad value', async () => {
    const bad = 'routes:\n  - method: FETCH\n    path: /users\n    target: { sequence: greet }\n';
    const error = await service['mappings.save']({ project: dir, text: bad }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'INVALID_PROJECT' });
    expect((error as Error).message).toMatch(/^not saved: mappings\.yaml:2:13: /);
    expect((error as Error).message).toContain('GET');
    const noSlash = await service['mappings.save']({ project: dir, text: 'routes:\n  - method: GET\n    path: users\n    target: { sequence: greet }\n' }).catch((e: unknown) => e);
    expect((noSlash as Error).message).toMatch(/^not saved: mappings\.yaml:3:11: .*must start with \//);
  });

  it('saves a route whose target does not exist and reports it at the target', async () => {
    const text = 'routes:\n  - method: GET\n    path: /orders\n    target: { sequence: listOrders }\n';
    const state = await save(text);
    expect(await readFile(join(dir, 'mappings.yaml'), 'utf8')).toBe(text);
    expect(state.routes).toHaveLength(1);
    expect(state.problems).toEqual([
      { file: 'mappings.yaml', line: 4, col: 13, severity: 'error', message: expect.stringContaining('project shop has no sequence "listOrders"') },
    ]);
    expect((await get()).problems).toEqual(state.problems);
  });

  it('lists problems of a broken file on disk instead of failing', async () => {
    await writeFile(join(dir, 'mappings.yaml'), 'routes:\n  - method: GET\n    path: /a\n    target: { sequence: greet }\n    colour: red\n');
    const state = await get();
    expect(state.routes).toEqual([]);
    expect(state.problems[0]).toMatchObject({ line: 5, severity: 'error' });
  });

  it('removes mappings.yaml when saved empty', async () => {
    expect(await save('  \n')).toEqual({ text: '', routes: [], problems: [], basePath: '/shop' });
    await expect(stat(join(dir, 'mappings.yaml'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
