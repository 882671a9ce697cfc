import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { methods } from '../../src/contract/index.js';
import { listFolder } from '../../src/service/fs-browse.js';
import { StudioService } from '../../src/service/studio-service.js';
import { tempDir } from './helpers.js';

/* fs.list in file mode: the file picker of the Import REST WS reference wizard chooses a spec file. */
describe('fs.list with files', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    tmp = await tempDir();
    for (const d of ['specs', 'proj', '.hidden-dir']) await mkdir(join(tmp.dir, d));
    await writeFile(join(tmp.dir, 'proj/trellis.yaml'), 'name: proj\nformatVersion: 1\n');
    await writeFile(join(tmp.dir, 'petstore.yaml'), 'openapi: 3.0.0\n');
    await writeFile(join(tmp.dir, 'Uber.JSON'), '{"swagger":"2.0"}');
    await writeFile(join(tmp.dir, 'api10.yml'), 'a: 1\n');
    await writeFile(join(tmp.dir, 'api9.yml'), 'a: 1\n');
    await writeFile(join(tmp.dir, 'notes.txt'), 'not a spec');
    await writeFile(join(tmp.dir, '.secret.json'), '{}');
    await symlink(join(tmp.dir, 'petstore.yaml'), join(tmp.dir, 'linked.yaml'));
    await symlink(join(tmp.dir, 'nowhere.yaml'), join(tmp.dir, 'broken.yaml'));
    await symlink(join(tmp.dir, 'specs'), join(tmp.dir, 'specs-link'));
  });
  afterAll(() => tmp.remove());

  it('lists folders only by default, as before', async () => {
    const l = await listFolder(tmp.dir);
    expect(l.entries.map((e) => e.name)).toEqual(['proj', 'specs', 'specs-link']);
    expect(l.entries.every((e) => e.isDir && e.size === undefined)).toBe(true);
  });

  it('lists files after the folders, sorted, with their size, hidden ones and broken links left out', async () => {
    const l = await listFolder(tmp.dir, { files: true });
    expect(l.entries.map((e) => e.name)).toEqual(['proj', 'specs', 'specs-link', 'api9.yml', 'api10.yml', 'linked.yaml', 'notes.txt', 'petstore.yaml', 'Uber.JSON']);
    expect(l.entries.find((e) => e.name === 'petstore.yaml')).toEqual({ name: 'petstore.yaml', path: join(tmp.dir, 'petstore.yaml'), isDir: false, isProject: false, size: 15 });
    expect(l.entries.find((e) => e.name === 'proj')).toMatchObject({ isDir: true, isProject: true });
    expect(l.entries.find((e) => e.name === 'linked.yaml')).toMatchObject({ isDir: false, size: 15 });
  });

  it('keeps only the files with one of the extensions (case-insensitive, with or without the dot)', async () => {
    const l = await listFolder(tmp.dir, { files: true, extensions: ['.json', 'yaml', '.YML'] });
    expect(l.entries.filter((e) => !e.isDir).map((e) => e.name)).toEqual(['api9.yml', 'api10.yml', 'linked.yaml', 'petstore.yaml', 'Uber.JSON']);
    expect(l.entries.filter((e) => e.isDir).map((e) => e.name)).toEqual(['proj', 'specs', 'specs-link']);
  });

  it('ignores extensions without files', async () => {
    const l = await listFolder(tmp.dir, { extensions: ['.json'] });
    expect(l.entries.every((e) => e.isDir)).toBe(true);
  });

  it('takes files and extensions as optional params of the contract', () => {
    const parsed = methods['fs.list'].params.parse({ dir: tmp.dir, files: true, extensions: ['.json'] });
    expect(parsed).toEqual({ dir: tmp.dir, files: true, extensions: ['.json'] });
    expect(methods['fs.list'].params.parse({})).toEqual({});
    expect(methods['fs.list'].result.parse({ dir: '/', parent: null, home: '/', separator: '/', isProject: false, entries: [{ name: 'a.json', path: '/a.json', isDir: false, isProject: false, size: 2 }] }).entries[0]!.size).toBe(2);
  });

  it('answers fs.list with files through the service', async () => {
    const service = new StudioService({ logSpec: 'silent' });
    try {
      const l = await service['fs.list']({ dir: tmp.dir, files: true, extensions: ['.json', '.yaml', '.yml'] });
      expect(l.entries.filter((e) => !e.isDir).map((e) => e.name)).toEqual(['api9.yml', 'api10.yml', 'linked.yaml', 'petstore.yaml', 'Uber.JSON']);
    } finally {
      await service.dispose();
    }
  });
});
