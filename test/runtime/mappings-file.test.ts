import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mappingsFileSchema } from '../../src/model/index.js';
import { readMappings, writeMappings } from '../../src/project/mappings.js';
import { removeDir, writeProject } from './helpers.js';

let dir: string;

beforeAll(async () => {
  dir = await writeProject({ 'trellis.yaml': { name: 'm', formatVersion: 1 } });
});

afterAll(async () => {
  await removeDir(dir);
});

describe('mappings.yaml', () => {
  it('no file: no mappings, no problems', async () => {
    expect(await readMappings(dir)).toEqual({ mappings: undefined, problems: [] });
  });

  it('writes in a stable order and reads back the same model', async () => {
    const model = mappingsFileSchema.parse({
      basePath: '/api',
      routes: [{ response: { status: 201 }, target: { sequence: 'create' }, path: '/users', method: 'post' }],
    });
    await writeMappings(dir, model);
    const text = await readFile(join(dir, 'mappings.yaml'), 'utf8');
    expect(text).toBe('basePath: /api\nroutes:\n  - method: POST\n    path: /users\n    target:\n      sequence: create\n    response:\n      status: 201\n');
    const back = await readMappings(dir);
    expect(back.problems).toEqual([]);
    expect(back.mappings).toEqual(model);
  });

  it('reports each problem with its line: bad paths, unknown keys, path params that do not exist, duplicates', async () => {
    await writeProject(
      {
        'mappings.yaml': [
          'routes:',
          '  - method: GET',
          '    path: /users/{id}',
          '    target: { sequence: a }',
          '    params: { userId: { from: path } }',
          '  - method: GET',
          '    path: /users/{name}',
          '    target: { sequence: b }',
          '  - method: GET',
          '    path: /../etc',
          '    target: { sequence: c }',
          '    respons: {}',
          '',
        ].join('\n'),
      },
      dir,
    );
    const { mappings, problems } = await readMappings(dir);
    expect(mappings).toBeUndefined();
    const lines = problems.map((p) => `${p.line}: ${p.message}`);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^10: routes\[2\]\.path: "\/\.\.\/etc" must not hold \. or \.\. segments/),
        expect.stringMatching(/^12: routes\[2\]: unknown key "respons" \(did you mean "response"\?\)/),
      ]),
    );
    await writeProject(
      { 'mappings.yaml': 'routes:\n  - { method: GET, path: "/users/{id}", target: { sequence: a }, params: { userId: { from: path } } }\n  - { method: GET, path: "/users/{name}", target: { sequence: b } }\n' },
      dir,
    );
    const second = await readMappings(dir);
    expect(second.problems.map((p) => p.message)).toEqual([
      'routes[0].params.userId: from: path, but /users/{id} has no {userId}',
      'routes[1]: GET /users/{name} overlaps routes[0] (/users/{id})',
    ]);
    expect(second.problems.map((p) => p.line)).toEqual([2, 3]);
  });
});
