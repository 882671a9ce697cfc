import { appendFile, mkdir, mkdtemp, readFile, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { create, extract, list } from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportBundle, openBundle, TRELLIS_VERSION, type Manifest } from '../../src/bundle/index.js';
import { repo, writeProject } from '../runtime/helpers.js';

let work: string;
let project: string;

const projectFiles = {
  'trellis.yaml': { name: 'shop', formatVersion: 1, runtime: { auth: { type: 'apiKey', keys: ['${env:SHOP_KEY}'] } } },
  'connectors/crm.yaml': { name: 'crm', kind: 'http', config: { host: '127.0.0.1:9', auth: { type: 'bearer', token: '${env:CRM_TOKEN}' } }, transactions: [{ name: 'get', path: '/x' }] },
  'sequences/hello.yaml': { name: 'hello', steps: [{ id: 'out', kind: 'output', props: { value: 'hi' } }] },
  'mappings.yaml': { routes: [{ method: 'GET', path: '/hello', target: { sequence: 'hello' } }] },
  'schemas/hello.json': { type: 'string' },
  'tests/hello.yaml': 'cases: []\n',
  'files/data.csv': 'a,b\n1,2\n',
  '.env': 'CRM_TOKEN=super-secret-value\n',
  '.git/config': '[core]\n',
  'connectors/.draft.yaml': 'name: draft\n',
  'notes.txt': 'not a project file\n',
};

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'trellis-bundle-test-'));
  project = await writeProject(projectFiles, join(work, 'shop'));
  await symlink('/etc/passwd', join(project, 'files', 'passwd'));
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** Unpacks a bundle, lets `change` edit the folder, packs it again (manifest untouched). */
async function repack(bundle: string, name: string, change: (dir: string) => Promise<void>, extraEntries: string[] = []): Promise<string> {
  const dir = await mkdtemp(join(work, 'repack-'));
  await extract({ file: bundle, cwd: dir });
  await change(dir);
  const names: string[] = [];
  await list({ file: bundle, onReadEntry: (e) => void names.push(e.path) });
  const out = join(work, name);
  const keep: string[] = [];
  for (const n of [...names, ...extraEntries]) {
    try {
      await readFile(join(dir, n));
      keep.push(n);
    } catch {}
  }
  await create({ gzip: true, file: out, cwd: dir, portable: true }, keep);
  return out;
}

describe('trellis export', () => {
  let bundle: string;
  let manifest: Manifest;

  it('writes manifest.json and the project files, never .env, dotfiles or symlinks', async () => {
    bundle = join(work, 'shop.trellis');
    const result = await exportBundle(project, bundle, { version: '1.2.3', now: new Date('2026-01-02T03:04:05Z') });
    manifest = result.manifest;
    expect(manifest).toMatchObject({ bundleFormat: 1, name: 'shop', version: '1.2.3', formatVersion: 1, createdAt: '2026-01-02T03:04:05.000Z', trellis: TRELLIS_VERSION });
    expect(manifest.env).toEqual(['CRM_TOKEN', 'SHOP_KEY']);
    expect(Object.keys(manifest.files).sort()).toEqual(['connectors/crm.yaml', 'files/data.csv', 'mappings.yaml', 'schemas/hello.json', 'sequences/hello.yaml', 'tests/hello.yaml', 'trellis.yaml']);
    expect(result.skipped).toEqual([{ path: 'files/passwd', reason: expect.stringMatching(/symbolic link/) }]);
    const names: string[] = [];
    await list({ file: bundle, onReadEntry: (e) => void names.push(e.path) });
    expect(names[0]).toBe('manifest.json');
    expect(names.some((n) => n.includes('.env') || n.startsWith('.') || n.includes('/.'))).toBe(false);
    const raw = readFileSync(bundle);
    expect(raw.includes(Buffer.from('super-secret-value'))).toBe(false);
  });

  it('the same content exported twice gets the same default version', async () => {
    const a = await exportBundle(project, join(work, 'a.trellis'));
    const b = await exportBundle(project, join(work, 'b.trellis'));
    expect(a.manifest.version).toMatch(/^[0-9a-f]{12}$/);
    expect(b.manifest.version).toBe(a.manifest.version);
  });

  it('opens and verifies its own bundle', async () => {
    const opened = await openBundle(bundle);
    try {
      expect(opened.manifest).toEqual(manifest);
      expect(await readFile(join(opened.dir, 'files/data.csv'), 'utf8')).toBe('a,b\n1,2\n');
    } finally {
      await opened.dispose();
    }
  });

  it('refuses a connector holding a literal secret, naming the file and the key', async () => {
    const leaky = await writeProject({ ...projectFiles, 'connectors/crm.yaml': { name: 'crm', kind: 'http', config: { host: 'h', auth: { type: 'bearer', token: 'abc123' } } } }, join(work, 'leaky'));
    await expect(exportBundle(leaky, join(work, 'leaky.trellis'))).rejects.toThrow(/connectors\/crm.yaml: config.auth.token holds a literal secret; write it as \$\{env:NAME\}/);
    const header = await writeProject({ ...projectFiles, 'connectors/crm.yaml': { name: 'crm', kind: 'http', config: { host: 'h', headers: { Authorization: 'Basic dXNlcjpwYXNz' } } } }, join(work, 'leaky2'));
    await expect(exportBundle(header, join(work, 'leaky2.trellis'))).rejects.toThrow(/config.headers.Authorization holds a literal credential header/);
    const pg = await writeProject({ ...projectFiles, 'connectors/crm.yaml': { name: 'crm', kind: 'sql', config: { driver: 'postgres', url: 'postgres://app:pw@db/shop' } } }, join(work, 'leaky3'));
    await expect(exportBundle(pg, join(work, 'leaky3.trellis'))).rejects.toThrow(/config.url holds a URL with a literal password/);
    await expect(readFile(join(work, 'leaky.trellis'))).rejects.toThrow();
  });

  it('refuses a project with errors', async () => {
    const broken = await writeProject({ ...projectFiles, 'sequences/bad.yaml': 'name: bad\nsteps: [ {' }, join(work, 'broken'));
    await expect(exportBundle(broken, join(work, 'broken.trellis'))).rejects.toThrow(/cannot export shop: fix (this problem|these \d+ problems) first: sequences\/bad.yaml:\d+:\d+: YAML syntax/);
  });

  describe('loading refuses', () => {
    it('a file changed after export, naming it', async () => {
      const tampered = await repack(bundle, 'tampered.trellis', (dir) => appendFile(join(dir, 'sequences/hello.yaml'), '# changed\n'));
      await expect(openBundle(tampered)).rejects.toThrow(/sequences\/hello.yaml does not match its SHA-256 in manifest.json/);
    });

    it('an extra file and a missing file', async () => {
      const extra = await repack(bundle, 'extra.trellis', (dir) => writeFile(join(dir, 'sequences/evil.yaml'), 'name: evil\n'), ['sequences/evil.yaml']);
      await expect(openBundle(extra)).rejects.toThrow(/sequences\/evil.yaml is in the archive but not in manifest.json/);
      const missing = await repack(bundle, 'missing.trellis', (dir) => unlink(join(dir, 'files/data.csv')));
      await expect(openBundle(missing)).rejects.toThrow(/files\/data.csv is listed in manifest.json but missing/);
    });

    it('a file that is not a bundle', async () => {
      const text = join(work, 'text.trellis');
      await writeFile(text, 'hello');
      await expect(openBundle(text)).rejects.toThrow(/is not a Trellis bundle/);
      const gz = join(work, 'junk.trellis');
      await writeFile(gz, Buffer.from([0x1f, 0x8b, 1, 2, 3, 4, 5]));
      await expect(openBundle(gz)).rejects.toThrow(/is not a Trellis bundle/);
      const noManifest = join(work, 'plain.tar.gz');
      await create({ gzip: true, file: noManifest, cwd: project }, ['trellis.yaml']);
      await expect(openBundle(noManifest)).rejects.toThrow(/is not a Trellis bundle: it has no manifest.json/);
    });

    it('entries that climb out, are absolute, hidden or symbolic links — and writes nothing outside', async () => {
      const stage = await mkdtemp(join(work, 'evil-'));
      const inner = join(stage, 'inner');
      await mkdir(inner);
      await writeFile(join(stage, 'escape.txt'), 'out');
      await writeFile(join(inner, 'manifest.json'), '{}');
      const climb = join(work, 'climb.trellis');
      await create({ gzip: true, file: climb, cwd: inner, preservePaths: true }, ['manifest.json', '../escape.txt']);
      const outside = join(tmpdir(), 'escape.txt');
      const before = await readFile(outside).then(() => true, () => false);
      await expect(openBundle(climb)).rejects.toThrow(/"..\/escape.txt" is a . or .. segment/);
      if (!before) await expect(readFile(outside)).rejects.toThrow();
      await symlink('/etc/passwd', join(inner, 'link'));
      const linked = join(work, 'link.trellis');
      await create({ gzip: true, file: linked, cwd: inner }, ['manifest.json', 'link']);
      await expect(openBundle(linked)).rejects.toThrow(/"link" is a SymbolicLink entry/);
      await writeFile(join(inner, '.env'), 'X=1');
      const hidden = join(work, 'hidden.trellis');
      await create({ gzip: true, file: hidden, cwd: inner }, ['manifest.json', '.env']);
      await expect(openBundle(hidden)).rejects.toThrow(/"\.env" is a hidden file/);
    });
  });
});

it('TRELLIS_VERSION follows package.json', () => {
  const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { version: string };
  expect(TRELLIS_VERSION).toBe(pkg.version);
});
