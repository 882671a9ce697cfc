import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Connector, Project, Sequence } from '../../src/model/index.js';
import {
  connectorToYaml,
  projectFileToYaml,
  saveConnector,
  saveProject,
  saveSequence,
  sequenceToYaml,
} from '../../src/project/index.js';
import { FIXTURES, tempDir, loadFormat } from './helpers/temp.js';

const SHOP_FILES = ['trellis.yaml', 'connectors/catalog.yaml', 'sequences/productCard.yaml'];

const read = (dir: string, file: string) => readFile(join(dir, file), 'utf8');
const withoutComments = (text: string) => text.replace(/ +#.*$/gm, '');

describe('the DESIGN.md example project (test/fixtures/projects/shop)', () => {
  it('loads without problems into the model the design describes', async () => {
    const { project, problems } = await loadFormat(join(FIXTURES, 'shop'));
    expect(problems).toEqual([]);
    expect(project).toMatchObject({ name: 'shop', formatVersion: 1, description: 'Orders and catalogue services' });
    const [catalog] = project.connectors;
    expect(catalog).toMatchObject({ name: 'catalog', kind: 'http', config: { auth: { type: 'bearer', token: '${env:CATALOG_TOKEN}' } } });
    expect(catalog!.transactions[0]).toEqual({
      name: 'getProduct',
      type: 'json',
      method: 'GET',
      path: '/products/{id}',
      variables: [
        { name: 'id', type: 'integer', required: true },
        { name: 'fields', type: 'string', multivalued: true, in: 'query' },
      ],
    });
    const [card] = project.sequences;
    expect(card!.steps.map((s) => s.id)).toEqual(['product', 'card', 'out']);
    expect(card!.steps[1]!.steps!.map((s) => s.id)).toEqual(['title', 'price']);
  });

  it('is saved back byte for byte, comments and their alignment included', async () => {
    const dir = await tempDir('shop');
    const before = await Promise.all(SHOP_FILES.map((f) => read(dir, f)));
    const mtimes = await Promise.all(SHOP_FILES.map(async (f) => (await stat(join(dir, f))).mtimeMs));
    await saveProject((await loadFormat(dir)).project);
    expect(await Promise.all(SHOP_FILES.map((f) => read(dir, f)))).toEqual(before);
    // Unchanged files are not even rewritten, so watchers and editors are not disturbed.
    expect(await Promise.all(SHOP_FILES.map(async (f) => (await stat(join(dir, f))).mtimeMs))).toEqual(mtimes);
  });

  it('keeps comments and hand-made layout when the model changes', async () => {
    const dir = await tempDir('shop');
    const { project } = await loadFormat(dir);
    const catalog = project.connectors[0]!;
    catalog.config.port = 8443;
    catalog.transactions[0]!.variables[1]!.description = 'fields to return';
    catalog.transactions.push({ name: 'listProducts', type: 'json', method: 'GET', path: '/products', variables: [] });
    const card = project.sequences[0]!;
    card.steps[1]!.steps!.pop();
    await saveProject(project);

    expect(await read(dir, 'connectors/catalog.yaml')).toBe(
      (await read(FIXTURES, 'shop/connectors/catalog.yaml'))
        .replace('port: 443', 'port: 8443')
        .replace('multivalued: true, in: query }', 'multivalued: true, description: fields to return, in: query }')
        .concat('  - name: listProducts\n    type: json\n    method: GET\n    path: /products\n'),
    );
    const sequence = await read(dir, 'sequences/productCard.yaml');
    expect(sequence).toContain('  - id: product                       # unique in the sequence; sources name it\n');
    expect(sequence).not.toContain('id: price');
    const reloaded = await loadFormat(dir);
    expect(reloaded.problems).toEqual([]);
    expect(reloaded.project).toEqual(project);
  });

  it('writes the canonical form of the examples when no file exists yet', async () => {
    const { project } = await loadFormat(join(FIXTURES, 'shop'));
    expect(projectFileToYaml(project)).toBe(await read(FIXTURES, 'shop/trellis.yaml'));
    expect(connectorToYaml(project.connectors[0]!)).toBe(withoutComments(await read(FIXTURES, 'shop/connectors/catalog.yaml')));
    // Steps in block style, short property values in flow style.
    expect(sequenceToYaml(project.sequences[0]!)).toBe(
      [
        'name: productCard',
        'exposed: true',
        'variables:',
        '  - { name: id, type: integer, required: true }',
        'steps:',
        '  - id: product',
        '    kind: callTransaction',
        '    props:',
        '      transaction: catalog.getProduct',
        '      variables: { id: { source: { from: variables, path: $.id } } }',
        '  - id: card',
        '    kind: jsonObject',
        '    steps:',
        '      - id: title',
        '        kind: jsonValue',
        '        props:',
        '          key: title',
        '          value: { source: { from: product, path: $.name } }',
        '      - id: price',
        '        kind: jsonValue',
        '        props:',
        '          key: price',
        '          value: { js: steps.product.price * 1.2 }',
        '  - id: out',
        '    kind: output',
        '    props:',
        '      value: { source: { from: card, path: $ } }',
        '',
      ].join('\n'),
    );
    const dir = await tempDir();
    await saveProject({ ...project, dir });
    const again = await loadFormat(dir);
    expect(again.problems).toEqual([]);
    expect(again.project).toEqual({ ...project, dir });
  });
});

const connector = (over: Partial<Connector> = {}): Connector => ({ name: 'api', kind: 'http', config: {}, transactions: [], ...over });

describe('saving', () => {
  it('gives byte-identical files when the same model is saved twice', async () => {
    const dir = await tempDir('shop');
    const { project } = await loadFormat(dir);
    project.sequences[0]!.description = 'a card\nover two lines';
    project.connectors[0]!.transactions[0]!.headers = { Accept: 'application/json' };
    await saveProject(project);
    const first = await Promise.all(SHOP_FILES.map((f) => read(dir, f)));
    await saveProject(project);
    expect(await Promise.all(SHOP_FILES.map((f) => read(dir, f)))).toEqual(first);

    const fresh = await tempDir();
    await saveProject({ ...project, dir: fresh });
    const canonical = await Promise.all(SHOP_FILES.map((f) => read(fresh, f)));
    await saveProject({ ...project, dir: fresh });
    expect(await Promise.all(SHOP_FILES.map((f) => read(fresh, f)))).toEqual(canonical);
  });

  it('keeps a header comment, unknown-to-the-model blank lines and CRLF line ends', async () => {
    const dir = await tempDir();
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(dir, 'trellis.yaml'), '# Shop project\r\nname: shop\r\nformatVersion: 1\r\n\r\ndescription: old # keep short\r\n');
    const { project } = await loadFormat(dir);
    await saveProject({ ...project, description: 'new' });
    expect(await read(dir, 'trellis.yaml')).toBe('# Shop project\r\nname: shop\r\nformatVersion: 1\r\n\r\ndescription: new # keep short\r\n');
  });

  it('writes keys in a fixed order and keeps unknown transaction keys in theirs', async () => {
    const dir = await tempDir();
    const c = {
      transactions: [
        {
          variables: [{ description: 'the id', in: 'path', required: true, type: 'integer', name: 'id' }],
          body: { template: { id: '{id}', tags: ['a', 'b'] }, encoding: 'json' },
          headers: { Accept: 'application/json', 'X-Trace': 'on' },
          path: '/items/{id}',
          method: 'PUT',
          description: 'Replaces an item',
          type: 'json',
          name: 'putItem',
          exposed: false,
        },
      ],
      config: { host: 'example.com' },
      description: 'Items',
      kind: 'http',
      name: 'items',
    } as Connector;
    await saveConnector(dir, c);
    expect(await read(dir, 'connectors/items.yaml')).toBe(
      [
        'name: items',
        'kind: http',
        'description: Items',
        'config:',
        '  host: example.com',
        'transactions:',
        '  - name: putItem',
        '    type: json',
        '    description: Replaces an item',
        '    method: PUT',
        '    path: /items/{id}',
        '    exposed: false',
        '    body: { template: { id: "{id}", tags: [ a, b ] }, encoding: json }',
        '    headers: { Accept: application/json, X-Trace: on }',
        '    variables:',
        '      - { name: id, type: integer, required: true, description: the id, in: path }',
        '',
      ].join('\n'),
    );
    const { project, problems } = await loadFormat(await withProjectFile(dir));
    expect(problems).toEqual([]);
    expect(project.connectors).toEqual([c]);
  });

  it('writes long or structured variables in block style and multi-line text as a literal block', async () => {
    const dir = await tempDir();
    const s: Sequence = {
      name: 'report',
      exposed: false,
      variables: [
        { name: 'format', type: 'string', enum: ['csv', 'json'] },
        { name: 'note', type: 'string', description: 'a description long enough to push this variable past one hundred columns' },
      ],
      steps: [{ id: 'run', kind: 'js', props: { code: 'const a = 1;\nreturn a + 1;\n' } }],
    };
    await saveSequence(dir, s);
    expect(await read(dir, 'sequences/report.yaml')).toBe(
      [
        'name: report',
        'exposed: false',
        'variables:',
        '  - name: format',
        '    type: string',
        '    enum: [ csv, json ]',
        '  - name: note',
        '    type: string',
        '    description: a description long enough to push this variable past one hundred columns',
        'steps:',
        '  - id: run',
        '    kind: js',
        '    props:',
        '      code: |',
        '        const a = 1;',
        '        return a + 1;',
        '',
      ].join('\n'),
    );
    expect((await loadFormat(await withProjectFile(dir))).project.sequences).toEqual([s]);
  });

  it('round-trips strings that look like other types or need quoting', async () => {
    const dir = await tempDir();
    const tricky = ['true', 'null', '123', '0x1F', '', ' padded ', 'a: b', '# not a comment', '- item', '{x}', "it's", 'say "hi"', 'tab\there', 'ünïcødé ✓', '~', '2024-01-01'];
    const c = connector({ config: Object.fromEntries(tricky.map((t, i) => [`k${i}`, t])), transactions: [{ name: 't', description: tricky.join(' | '), variables: [] }] });
    await saveConnector(dir, c);
    const first = await read(dir, 'connectors/api.yaml');
    c.config.k0 = 'false';
    await saveConnector(dir, c);
    const { project, problems } = await loadFormat(await withProjectFile(dir));
    expect(problems).toEqual([]);
    expect(project.connectors).toEqual([c]);
    expect(first).not.toBe(await read(dir, 'connectors/api.yaml'));
  });

  it('deletes the files of removed objects but never a malformed file', async () => {
    const dir = await tempDir('shop');
    await saveConnector(dir, connector({ name: 'old' }));
    await saveSequence(dir, { name: 'gone', exposed: true, variables: [], steps: [] });
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(dir, 'connectors/broken.yaml'), 'name: broken\nkind: [http\n');
    await writeFile(join(dir, 'connectors/notes.txt'), 'keep me');
    const { project } = await loadFormat(dir);
    expect(project.connectors.map((c) => c.name)).toEqual(['catalog', 'old']);
    project.connectors = project.connectors.filter((c) => c.name !== 'old');
    project.sequences = project.sequences.filter((s) => s.name !== 'gone');
    await saveProject(project);
    expect((await readdir(join(dir, 'connectors'))).sort()).toEqual(['broken.yaml', 'catalog.yaml', 'notes.txt']);
    expect(await readdir(join(dir, 'sequences'))).toEqual(['productCard.yaml']);
  });

  it('refuses to write an invalid model, and writes nothing of it', async () => {
    const dir = await tempDir('shop');
    const { project } = await loadFormat(dir);
    project.description = 'changed';
    project.connectors[0]!.transactions[0]!.variables[0]!.type = 'int' as never;
    await expect(saveProject(project)).rejects.toThrow(
      'cannot save connectors/catalog.yaml: transactions[0].variables[0].type: expected one of string, integer, number, boolean, json, file, got "int"',
    );
    expect(await read(dir, 'trellis.yaml')).not.toContain('changed');
    await expect(saveConnector(dir, connector({ name: '../escape' }))).rejects.toThrow(/not a valid name/);
    const twins: Project = { ...project, connectors: [connector({ name: 'api' }), connector({ name: 'API' })] };
    await expect(saveProject(twins)).rejects.toThrow(/would be the same file/);
  });
});

/** Makes a folder holding only object files loadable as a project. */
async function withProjectFile(dir: string): Promise<string> {
  const { writeFile } = await import('node:fs/promises');
  await writeFile(join(dir, 'trellis.yaml'), 'name: test\nformatVersion: 1\n');
  return dir;
}
