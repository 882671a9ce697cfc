import { mkdtemp, mkdir, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeSequence } from '../../src/engine/sequence/index.js';
import type { Json, Project, Step } from '../../src/model/index.js';
import { options, seq, src } from './helpers.js';

// Security review of the file steps: paths that are odd rather than plainly outside files/.
let dir: string;
let outside: string;
const proj = (steps: Step[]): Project => ({ dir, name: 'files', formatVersion: 1, connectors: [], sequences: [seq('main', steps)] });
const run = async (steps: Step[]): Promise<Json> => (await executeSequence(proj(steps), 'main', {}, options({}))).output;
const one = (kind: string, props: Record<string, unknown>): Step[] => [{ id: 's', kind, props }, { id: 'o', kind: 'output', props: { value: src('s') } }];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trellis-files-review-'));
  outside = await mkdtemp(join(tmpdir(), 'trellis-outside-review-'));
  await mkdir(join(dir, 'files', 'data'), { recursive: true });
  await writeFile(join(dir, 'files', 'data', 'doc.json'), '{"a": 1}');
  // two links back to files/ itself: a recursive walk that follows them would list 2^depth paths
  await symlink(join(dir, 'files'), join(dir, 'files', 'data', 'up1'));
  await symlink('..', join(dir, 'files', 'data', 'up2'));
  // a dangling link whose target would be created outside
  await symlink(join(outside, 'created.json'), join(dir, 'files', 'dangling.json'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

describe('file steps confinement, odd paths', () => {
  it('a recursive listFiles does not walk symbolic-link cycles back into files/', async () => {
    const listed = (await run(one('listFiles', { folder: '.', recursive: true }))) as Array<{ path: string }>;
    const paths = listed.map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['data', 'data/doc.json', 'data/up1', 'data/up2']));
    expect(paths.length).toBeLessThan(20);
  }, 60_000);

  it('a path longer than the system allows is refused as a file access error without the server path', async () => {
    const long = `${'deep/'.repeat(1000)}x.json`;
    for (const steps of [one('readJson', { file: long }), one('writeJson', { file: long, value: 1 })]) {
      const failed = await run(steps).then(() => undefined, (e: Error & { code?: string }) => e);
      expect(failed).toMatchObject({ code: 'FILE_ACCESS', message: expect.stringContaining('too long') });
      expect(failed!.message).not.toContain(dir);
    }
  });

  it('writing to a dangling symbolic link never creates its outside target (sound before the review)', async () => {
    await expect(run(one('writeJson', { file: 'dangling.json', value: { x: 1 } }))).rejects.toMatchObject({ code: 'FILE_ACCESS' });
    await expect(run(one('writeJson', { file: 'dangling.json', value: { x: 1 }, mode: 'append' }))).rejects.toMatchObject({ code: 'FILE_ACCESS' });
    expect(await readdir(outside)).toEqual([]);
  });

  it('Windows separators, drive letters and UNC paths are refused (sound before the review)', async () => {
    for (const file of ['data\\..\\..\\x.json', 'C:\\x.json', 'c:x.json', '\\\\server\\share\\x.json', 'data/./../../x.json'])
      await expect(run(one('readJson', { file }))).rejects.toMatchObject({ code: 'FILE_ACCESS' });
  });
});
