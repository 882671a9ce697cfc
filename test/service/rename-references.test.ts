import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadProject } from '../../src/project/index.js';
import type { StudioService } from '../../src/service/studio-service.js';
import { recordingService, tempDir } from './helpers.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let service: StudioService;
let dir: string;

const CONNECTOR = `name: crm
kind: http
config:
  host: api.example.com
transactions:
  - { name: getUser, method: GET, path: "/users/{id}", variables: [{ name: id, type: integer }] }
  - { name: listUsers, method: GET, path: /users }
`;

// callTransaction steps at the top and deep inside containers, and one that calls another connector's
// transaction of the same name, which no rename of crm may touch.
const MAIN = `name: main
steps:
  - { id: first, kind: callTransaction, props: { transaction: crm.getUser, variables: { id: 1 } } }
  - id: loop
    kind: iterate
    props: { over: [1, 2] }
    steps:
      - id: card
        kind: jsonObject
        steps:
          - { id: deep, kind: callTransaction, props: { transaction: crm.getUser } }
          - { id: all, kind: callTransaction, props: { transaction: crm.listUsers } }
          - { id: other, kind: callTransaction, props: { transaction: billing.getUser } }
  - id: wrap
    kind: jsonObject
    steps:
      - { id: sub, kind: callSequence, props: { sequence: helper } }
`;

const HELPER = `name: helper
steps:
  - { id: out, kind: output, props: { value: 1 } }
`;

const BILLING = `name: billing
kind: http
config:
  host: billing.example.com
transactions:
  - { name: getUser, method: GET, path: /u }
`;

const MAPPINGS = `# routes of the shop
basePath: /shop
routes:
  - method: GET
    path: /users/{id}
    target: { transaction: crm.getUser } # the user card
  - method: GET
    path: /users
    target: { transaction: crm.listUsers }
  - method: GET
    path: /help
    target: { sequence: helper }
  - method: GET
    path: /bill
    target: { transaction: billing.getUser }
`;

const files: Record<string, string> = {
  'trellis.yaml': 'name: shop\nformatVersion: 1\n',
  'connectors/crm.yaml': CONNECTOR,
  'connectors/billing.yaml': BILLING,
  'sequences/main.yaml': MAIN,
  'sequences/helper.yaml': HELPER,
  'mappings.yaml': MAPPINGS,
  'tests/user.yaml': 'target: crm.getUser\ncases:\n  - name: one\n    variables: { id: 1 }\n',
  'tests/help.yaml': 'target: helper\ncases:\n  - name: one\n',
  'tests/bill.yaml': 'target: billing.getUser\ncases:\n  - name: one\n',
  'schemas/crm.getUser.json': '{"type":"object","title":"user"}\n',
  'schemas/crm.listUsers.json': '{"type":"array"}\n',
  'schemas/helper.json': '{"type":"integer"}\n',
  'schemas/billing.getUser.json': '{"type":"object","title":"bill"}\n',
};

beforeEach(async () => {
  tmp = await tempDir('trellis-rename-');
  dir = join(tmp.dir, 'shop');
  for (const [file, text] of Object.entries(files)) {
    await mkdir(join(dir, file, '..'), { recursive: true });
    await writeFile(join(dir, file), text);
  }
  ({ service } = recordingService());
  await service['project.open']({ dir });
});

afterEach(async () => {
  await service.dispose();
  await tmp.remove();
});

const read = (file: string) => readFile(join(dir, file), 'utf8');
const schemaNames = async () => (await readdir(join(dir, 'schemas'))).filter((n) => !n.startsWith('.')).sort();

/** Every callTransaction / callSequence target of a sequence, by step id. */
function calls(state: { project: { sequences: Array<Record<string, any>> } }, sequence = 'main'): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (steps: any[]) => {
    for (const s of steps) {
      if (s.kind === 'callTransaction') out[s.id] = s.props.transaction;
      if (s.kind === 'callSequence') out[s.id] = s.props.sequence;
      walk(s.steps ?? []);
    }
  };
  walk(state.project.sequences.find((s) => s.name === sequence)!.steps);
  return out;
}

const tx = (connector: string, transaction: string) => ({ type: 'transaction' as const, connector, transaction });

describe('object.rename keeps references consistent', () => {
  it('renames a transaction in nested call steps, and in mappings, tests and schemas when saved; undo and redo follow', async () => {
    const before = calls(await service['project.get']({ project: dir }));
    const { state } = await service['object.rename']({ project: dir, ref: tx('crm', 'getUser'), name: 'fetchUser' });
    expect(calls(state)).toEqual({ ...before, first: 'crm.fetchUser', deep: 'crm.fetchUser' });
    expect(calls(state).other).toBe('billing.getUser');
    // Nothing on disk moves before the save.
    expect(await read('mappings.yaml')).toBe(MAPPINGS);
    expect(await schemaNames()).toContain('crm.getUser.json');
    // The stored schema still answers under the new name.
    expect((await service['schema.get']({ project: dir, owner: 'crm.fetchUser' })).schema).toEqual({ type: 'object', title: 'user' });

    const undone = await service['project.undo']({ project: dir });
    expect(calls(undone)).toEqual(before);
    const redone = await service['project.redo']({ project: dir });
    expect(calls(redone).deep).toBe('crm.fetchUser');

    await service['project.save']({ project: dir });
    const mappings = await read('mappings.yaml');
    expect(mappings).toContain('# routes of the shop');
    expect(mappings).toContain('# the user card');
    expect(mappings).toMatch(/transaction: crm\.fetchUser/);
    expect(mappings).toMatch(/transaction: crm\.listUsers/);
    expect(mappings).toMatch(/transaction: billing\.getUser/);
    expect(await read('tests/user.yaml')).toMatch(/^target: crm\.fetchUser$/m);
    expect(await read('tests/bill.yaml')).toMatch(/^target: billing\.getUser$/m);
    expect(await schemaNames()).toEqual(['billing.getUser.json', 'crm.fetchUser.json', 'crm.listUsers.json', 'helper.json']);
    expect(JSON.parse(await read('schemas/crm.fetchUser.json'))).toEqual({ type: 'object', title: 'user' });
    const loaded = await loadProject(dir);
    expect(loaded.problems).toEqual([]);
    expect(calls({ project: loaded.project as any }).deep).toBe('crm.fetchUser');
    expect((await service['project.get']({ project: dir })).dirty).toBe(false);

    // Undo after the save, then save: the files take the old name back.
    await service['project.undo']({ project: dir });
    await service['project.save']({ project: dir });
    expect(await read('mappings.yaml')).toMatch(/transaction: crm\.getUser/);
    expect(await read('tests/user.yaml')).toMatch(/^target: crm\.getUser$/m);
    expect(await schemaNames()).toEqual(['billing.getUser.json', 'crm.getUser.json', 'crm.listUsers.json', 'helper.json']);
    expect(calls({ project: (await loadProject(dir)).project as any }).first).toBe('crm.getUser');
  });

  it('renames a connector: every <connector>.* reference and schema file, other connectors untouched', async () => {
    const { state } = await service['object.rename']({ project: dir, ref: { type: 'connector', connector: 'crm' }, name: 'people' });
    expect(calls(state)).toMatchObject({ first: 'people.getUser', deep: 'people.getUser', all: 'people.listUsers', other: 'billing.getUser' });
    // An unrelated edit after the rename keeps it pending for the save.
    await service['object.update']({ project: dir, ref: { type: 'sequence', sequence: 'helper' }, value: { name: 'helper', description: 'helps', steps: [{ id: 'out', kind: 'output', props: { value: 1 } }] } });
    await service['project.save']({ project: dir });
    const mappings = await read('mappings.yaml');
    expect(mappings).toMatch(/transaction: people\.getUser/);
    expect(mappings).toMatch(/transaction: people\.listUsers/);
    expect(mappings).toMatch(/transaction: billing\.getUser/);
    expect(mappings).not.toMatch(/crm\./);
    expect(await read('tests/user.yaml')).toMatch(/^target: people\.getUser$/m);
    expect(await schemaNames()).toEqual(['billing.getUser.json', 'helper.json', 'people.getUser.json', 'people.listUsers.json']);
    expect(await readdir(join(dir, 'connectors'))).toEqual(expect.arrayContaining(['people.yaml', 'billing.yaml']));
    expect(await readdir(join(dir, 'connectors'))).not.toContain('crm.yaml');
    expect((await loadProject(dir)).problems).toEqual([]);
  });

  it('renames a sequence: callSequence steps, mapping and test targets and schemas/<sequence>.json, one undo reverting all', async () => {
    const { state } = await service['object.rename']({ project: dir, ref: { type: 'sequence', sequence: 'helper' }, name: 'assist' });
    expect(calls(state).sub).toBe('assist');
    await service['project.save']({ project: dir });
    expect(await read('mappings.yaml')).toMatch(/sequence: assist/);
    expect(await read('tests/help.yaml')).toMatch(/^target: assist$/m);
    expect(await schemaNames()).toContain('assist.json');
    expect(await schemaNames()).not.toContain('helper.json');
    expect(await readdir(join(dir, 'sequences'))).toEqual(['assist.yaml', 'main.yaml']);

    // Two renames in a row, then both undone: one undo per rename, and the save restores the original files.
    await service['object.rename']({ project: dir, ref: tx('crm', 'listUsers'), name: 'allUsers' });
    await service['project.undo']({ project: dir });
    const back = await service['project.undo']({ project: dir });
    expect(calls(back)).toMatchObject({ sub: 'helper', all: 'crm.listUsers' });
    await service['project.save']({ project: dir });
    expect(await read('mappings.yaml')).toBe(MAPPINGS);
    expect(await read('tests/help.yaml')).toMatch(/^target: helper$/m);
    expect(await schemaNames()).toEqual(['billing.getUser.json', 'crm.getUser.json', 'crm.listUsers.json', 'helper.json']);
  });

  it('a rename to a name taken is refused and changes nothing', async () => {
    await expect(service['object.rename']({ project: dir, ref: tx('crm', 'getUser'), name: 'listUsers' })).rejects.toThrow(/already has a transaction named "listUsers"/);
    await service['project.save']({ project: dir });
    expect(await read('mappings.yaml')).toBe(MAPPINGS);
  });
});
