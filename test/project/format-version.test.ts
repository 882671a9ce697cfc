import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FORMAT_VERSION, formatProblem } from '../../src/model/index.js';
import { MIGRATIONS, saveProject } from '../../src/project/index.js';
import { tempDir, writeFiles, yaml, loadFormat } from './helpers/temp.js';

const CONNECTOR = yaml`
  name: api
  kind: http
  transactions:
    - { name: ping }
`;

describe('formatVersion', () => {
  it('has one migration per version step, from 0 up to FORMAT_VERSION', () => {
    expect(MIGRATIONS.map((m) => [m.from, m.to])).toEqual(Array.from({ length: FORMAT_VERSION }, (_, i) => [i, i + 1]));
  });

  it.each([
    ['without formatVersion', 'name: old\n'],
    ['at formatVersion 0', 'name: old\nformatVersion: 0\n'],
  ])('migrates a project %s in memory and writes the current version on save', async (_, trellisYaml) => {
    const dir = await tempDir();
    await writeFiles(dir, { 'trellis.yaml': trellisYaml, 'connectors/api.yaml': CONNECTOR });
    const { project, problems } = await loadFormat(dir);
    expect(project).toMatchObject({ name: 'old', formatVersion: FORMAT_VERSION });
    expect(project.connectors.map((c) => c.name)).toEqual(['api']);
    expect(problems.map((p) => [p.severity, p.message])).toEqual([
      ['warning', `formatVersion 0 is older than this Trellis's (${FORMAT_VERSION}): the project was migrated in memory, and the next save writes formatVersion ${FORMAT_VERSION}`],
    ]);
    // Opening changed nothing on disk; saving does.
    expect(await readFile(join(dir, 'trellis.yaml'), 'utf8')).toBe(trellisYaml);
    await saveProject(project);
    expect(await readFile(join(dir, 'trellis.yaml'), 'utf8')).toBe(`name: old\nformatVersion: ${FORMAT_VERSION}\n`);
    expect((await loadFormat(dir)).problems).toEqual([]);
  });

  it('runs each migration on the raw files', async () => {
    const seen: unknown[] = [];
    const first = MIGRATIONS[0]!;
    const original = first.migrate;
    (first as { migrate: typeof original }).migrate = (raw) => {
      seen.push(raw);
      return original(raw);
    };
    try {
      const dir = await tempDir();
      await writeFiles(dir, { 'trellis.yaml': 'name: old\n', 'connectors/api.yaml': CONNECTOR, 'sequences/s.yaml': 'name: s\n' });
      await loadFormat(dir);
    } finally {
      (first as { migrate: typeof original }).migrate = original;
    }
    expect(seen).toEqual([{ project: { name: 'old' }, connectors: [{ name: 'api', kind: 'http', transactions: [{ name: 'ping' }] }], sequences: [{ name: 's' }] }]);
  });

  it('reads no object and refuses to save when a migration fails', async () => {
    const first = MIGRATIONS[0]! as { migrate: (typeof MIGRATIONS)[0]['migrate'] };
    const original = first.migrate;
    first.migrate = () => {
      throw new Error('boom');
    };
    try {
      const dir = await tempDir();
      await writeFiles(dir, { 'trellis.yaml': 'name: old\n', 'connectors/api.yaml': CONNECTOR });
      const { project, problems } = await loadFormat(dir);
      expect(project).toMatchObject({ formatVersion: 0, connectors: [] });
      expect(problems.filter((p) => p.severity === 'error').map(formatProblem)).toEqual([
        'trellis.yaml:0:0: cannot migrate from formatVersion 0: boom; the connectors and sequences were not read',
      ]);
      await expect(saveProject(project)).rejects.toThrow(/is in formatVersion 0, which was not migrated to 1/);
    } finally {
      first.migrate = original;
    }
  });

  it('refuses a newer format: says which version it supports, reads no object and refuses to save', async () => {
    const dir = await tempDir();
    const newer = FORMAT_VERSION + 1;
    await writeFiles(dir, { 'trellis.yaml': `name: future\nformatVersion: ${newer}\nwidgets: []\n`, 'connectors/api.yaml': CONNECTOR });
    const { project, problems } = await loadFormat(dir);
    expect(project).toMatchObject({ name: 'future', formatVersion: newer, connectors: [], sequences: [] });
    expect(problems.map(formatProblem)).toEqual([
      `trellis.yaml:2:16: formatVersion ${newer} is newer than this Trellis supports (formatVersion ${FORMAT_VERSION} and older): update Trellis to open this project. ` +
        'Its connectors and sequences were not read, and saving it is refused so that they are not overwritten.',
    ]);
    await expect(saveProject(project)).rejects.toThrow(/written by a newer Trellis/);
    expect(await readFile(join(dir, 'connectors/api.yaml'), 'utf8')).toBe(CONNECTOR);
  });

  it('reads a formatVersion that is not a number as the current one, with an error', async () => {
    const dir = await tempDir();
    await writeFiles(dir, { 'trellis.yaml': 'name: odd\nformatVersion: one\n', 'connectors/api.yaml': CONNECTOR });
    const { project, problems } = await loadFormat(dir);
    expect(project.connectors.map((c) => c.name)).toEqual(['api']);
    expect(problems.map(formatProblem)).toEqual([`trellis.yaml:2:16: formatVersion: expected a whole number such as ${FORMAT_VERSION}, got "one"; read as formatVersion ${FORMAT_VERSION}`]);
  });
});
