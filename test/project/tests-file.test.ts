import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadProject } from '../../src/project/index.js';
import { loadTests, saveTestCase } from '../../src/project/tests.js';

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trellis-testfile-'));
  await writeFile(join(dir, 'trellis.yaml'), 'name: p\nformatVersion: 1\n');
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('tests/<name>.yaml on disk', () => {
  it('writes the issue shape, adds cases, replaces a case of the same name, and reads them back', async () => {
    const one = { name: 'seven', variables: { id: 7 }, stubs: false, expect: { status: 200, assertions: [{ path: '$.name', equals: 'item 7' }] } };
    expect(await saveTestCase(dir, 'items', 'api.getItem', one)).toEqual({ file: 'tests/items.yaml', replaced: false });
    expect(await readFile(join(dir, 'tests/items.yaml'), 'utf8')).toBe(
      'target: api.getItem\ncases:\n  - name: seven\n    variables: { id: 7 }\n    stubs: false\n    expect:\n      status: 200\n      assertions:\n        - { path: $.name, equals: item 7 }\n',
    );
    await saveTestCase(dir, 'items', 'api.getItem', { name: 'eight', variables: { id: 8 } });
    expect((await saveTestCase(dir, 'items', 'api.getItem', { ...one, expect: { status: 201 } })).replaced).toBe(true);
    const { suites, problems } = await loadTests(dir);
    expect(problems).toEqual([]);
    expect(suites[0]!.cases).toEqual([{ ...one, expect: { status: 201 } }, { name: 'eight', variables: { id: 8 } }]);
  });

  it('refuses to add to a file of another target or a malformed one, naming it', async () => {
    await saveTestCase(dir, 'items', 'api.getItem', { name: 'a' });
    await expect(saveTestCase(dir, 'items', 'api.other', { name: 'b' })).rejects.toThrow('tests/items.yaml tests api.getItem, not api.other');
    await writeFile(join(dir, 'tests/bad.yaml'), 'target: x\ncases: 3\n');
    await expect(saveTestCase(dir, 'bad', 'x', { name: 'b' })).rejects.toThrow(/tests\/bad\.yaml:2:8: cases: expected a list/);
  });

  it('a malformed test file never stops the project from loading', async () => {
    await mkdir(join(dir, 'tests'));
    await writeFile(join(dir, 'tests/broken.yaml'), 'target: [');
    const { problems } = await loadProject(dir);
    expect(problems).toEqual([]);
    expect((await loadTests(dir)).problems[0]).toMatchObject({ file: 'tests/broken.yaml', line: 1, severity: 'error' });
  });
});
