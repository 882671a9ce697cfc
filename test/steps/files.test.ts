import { mkdtemp, mkdir, readFile, rm, symlink, writeFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeSequence } from '../../src/engine/sequence/index.js';
import type { Json, Project, Step } from '../../src/model/index.js';
import { deriveStepSchemas } from '../../src/schema/derive.js';
import { CsvParser, csvText } from '../../src/steps/csv.js';
import { options, seq, src } from './helpers.js';

let dir: string;
let outside: string;
const proj = (steps: Step[]): Project => ({ dir, name: 'files', formatVersion: 1, connectors: [], sequences: [seq('main', steps)] });
const run = async (steps: Step[], extra = {}): Promise<Json> => (await executeSequence(proj(steps), 'main', {}, options(extra))).output;
const one = (kind: string, props: Record<string, unknown>): Step[] => [{ id: 's', kind, props }, { id: 'o', kind: 'output', props: { value: src('s') } }];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trellis-files-'));
  outside = await mkdtemp(join(tmpdir(), 'trellis-outside-'));
  await mkdir(join(dir, 'files', 'data'), { recursive: true });
  await writeFile(join(outside, 'secret.json'), '{"secret": true}');
  await writeFile(join(dir, 'files', 'data', 'people.csv'), 'name,age,member,note\r\nAda,36,true,"likes ""quotes"", commas"\r\nBob,,false,"two\nlines"\r\n');
  await writeFile(join(dir, 'files', 'data', 'doc.json'), '{"a": [1, 2], "b": "x"}');
  await symlink(outside, join(dir, 'files', 'escape'));
  await symlink(join(outside, 'secret.json'), join(dir, 'files', 'secret-link.json'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

describe('the CSV parser', () => {
  it('parses RFC 4180 quoting across any chunk boundary', () => {
    const text = 'a;b;c\r\n"x;1";"he said ""hi""";\r\n"multi\r\nline";2;3\nlast;row;"end"';
    const whole = new CsvParser(';');
    const expected = [...whole.push(text), ...whole.end()];
    expect(expected).toEqual([
      ['a', 'b', 'c'],
      ['x;1', 'he said "hi"', ''],
      ['multi\r\nline', '2', '3'],
      ['last', 'row', 'end'],
    ]);
    for (let cut = 1; cut < text.length; cut++) {
      const p = new CsvParser(';');
      expect([...p.push(text.slice(0, cut)), ...p.push(text.slice(cut)), ...p.end()], `cut at ${cut}`).toEqual(expected);
    }
  });

  it('reports an unclosed quote and stray characters with the record number', () => {
    const p = new CsvParser(',');
    p.push('a,b\n"open');
    expect(() => p.end()).toThrow(/record 2: a quoted field is not closed/);
    expect(() => new CsvParser(',').push('a,"b"x\n')).toThrow(/record 1: unexpected "x" after the closing quote/);
    expect(() => new CsvParser('"')).toThrow(/delimiter/);
  });

  it('writes what it reads', () => {
    const rows = [{ a: 'x,y', b: 'q"q', c: 'multi\nline' }, { a: ' padded ', b: 1, c: null }];
    const p = new CsvParser(',');
    expect([...p.push(csvText(rows, ['a', 'b', 'c'], ',', true)), ...p.end()]).toEqual([
      ['a', 'b', 'c'],
      ['x,y', 'q"q', 'multi\nline'],
      [' padded ', '1', ''],
    ]);
  });
});

describe('file steps', () => {
  it('readCsv gives typed rows by header; header off gives arrays', async () => {
    expect(await run(one('readCsv', { file: 'data/people.csv' }))).toEqual([
      { name: 'Ada', age: 36, member: true, note: 'likes "quotes", commas' },
      { name: 'Bob', age: null, member: false, note: 'two\nlines' },
    ]);
    const arrays = (await run(one('readCsv', { file: 'data/people.csv', header: false, types: 'text' }))) as Json[];
    expect(arrays[0]).toEqual(['name', 'age', 'member', 'note']);
    expect(arrays).toHaveLength(3);
  });

  it('readCsv reads other encodings and delimiters, with a type per column', async () => {
    await writeFile(join(dir, 'files', 'data', 'latin.csv'), Buffer.from('ville\tcode\r\nMontréal\t007\r\n', 'latin1'));
    expect(await run(one('readCsv', { file: 'data/latin.csv', delimiter: '\t', encoding: 'latin1', types: { code: 'string' } }))).toEqual([{ ville: 'Montréal', code: '007' }]);
    await expect(run(one('readCsv', { file: 'data/latin.csv', encoding: 'klingon' }))).rejects.toThrow(/unknown encoding "klingon"/);
  });

  it('readCsv streamed through an Iterate reads row by row; its output is a small preview', async () => {
    const events: Array<{ step: string; phase: string; output?: unknown }> = [];
    const out = await run(
      [
        { id: 'csv', kind: 'readCsv', props: { file: 'data/people.csv', stream: 'always' } },
        { id: 'names', kind: 'jsonArray', steps: [{ id: 'each', kind: 'iterate', props: { over: src('csv') }, steps: [{ id: 'n', kind: 'jsonValue', props: { value: src('each', '$.item.name') } }] }] },
      ],
      { onTrace: (e: { step: string; phase: string; output?: unknown }) => events.push(e) },
    );
    expect(out).toEqual(['Ada', 'Bob']);
    const csvEnd = events.find((e) => e.step === 'csv' && e.phase === 'end')!;
    expect(JSON.parse(JSON.stringify(csvEnd.output))).toMatchObject({ file: 'data/people.csv', streamed: true, preview: [{ name: 'Ada' }, { name: 'Bob' }] });
  });

  it('readCsv derives its output schema from the sample file', () => {
    const p = proj([{ id: 'csv', kind: 'readCsv', props: { file: 'data/people.csv' } }]);
    expect(deriveStepSchemas(p, p.sequences[0]!, {}).csv).toEqual({
      type: 'array',
      items: {
        type: 'object',
        properties: { name: { type: 'string' }, age: { type: ['integer', 'null'] }, member: { type: ['boolean', 'null'] }, note: { type: 'string' } },
        required: ['name', 'age', 'member', 'note'],
      },
    });
  });

  it('readJson and readXml parse; a DOCTYPE is refused', async () => {
    expect(await run(one('readJson', { file: 'data/doc.json' }))).toEqual({ a: [1, 2], b: 'x' });
    await writeFile(join(dir, 'files', 'data', 'feed.xml'), '<?xml version="1.0"?><feed id="7"><item>a</item><item>b</item></feed>');
    expect(await run(one('readXml', { file: 'data/feed.xml' }))).toEqual({ feed: { '@id': '7', item: ['a', 'b'] } });
    await writeFile(join(dir, 'files', 'xxe.xml'), '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>');
    await expect(run(one('readXml', { file: 'xxe.xml' }))).rejects.toThrow(/DOCTYPE or ENTITY declaration is refused/);
    await expect(run(one('readJson', { file: 'nope.json' }))).rejects.toThrow(/cannot read files\/nope.json: it does not exist/);
  });

  it('writeJson overwrites atomically and appends into an array', async () => {
    expect(await run(one('writeJson', { file: 'out/a.json', value: { n: 1 } }))).toEqual({ file: 'out/a.json', bytes: expect.any(Number) });
    expect(JSON.parse(await readFile(join(dir, 'files', 'out', 'a.json'), 'utf8'))).toEqual({ n: 1 });
    await Promise.all([1, 2, 3, 4, 5].map((n) => run(one('writeJson', { file: 'out/log.json', value: { n }, mode: 'append' }))));
    const log = JSON.parse(await readFile(join(dir, 'files', 'out', 'log.json'), 'utf8')) as Array<{ n: number }>;
    expect(log.map((x) => x.n).sort()).toEqual([1, 2, 3, 4, 5]);
    await expect(run(one('writeJson', { file: 'out/a.json', value: 2, mode: 'append' }))).rejects.toThrow(/holds an object, not a JSON array/);
    expect((await readdir(join(dir, 'files', 'out'))).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('writeCsv overwrites and appends (header only once); writeXml writes JSON as XML', async () => {
    await run(one('writeCsv', { file: 'out/p.csv', value: [{ a: 1, b: 'x,y' }] }));
    await run(one('writeCsv', { file: 'out/p.csv', value: [{ a: 2, b: 'z' }], mode: 'append' }));
    expect(await readFile(join(dir, 'files', 'out', 'p.csv'), 'utf8')).toBe('a,b\r\n1,"x,y"\r\n2,z\r\n');
    await run(one('writeXml', { file: 'out/x.xml', value: { item: { '@id': 3, name: 'a<b' } }, root: 'items', pretty: false }));
    expect(await readFile(join(dir, 'files', 'out', 'x.xml'), 'utf8')).toBe('<?xml version="1.0" encoding="UTF-8"?><items><item id="3"><name>a&lt;b</name></item></items>\n');
  });

  it('listFiles, copyFile, moveFile, deleteFile', async () => {
    await run(one('copyFile', { from: 'data/doc.json', to: 'copy/doc.json' }));
    await expect(run(one('copyFile', { from: 'data/doc.json', to: 'copy/doc.json' }))).rejects.toThrow(/already exists \(set overwrite: true/);
    await run(one('moveFile', { from: 'copy/doc.json', to: 'copy/moved.json' }));
    const listed = (await run(one('listFiles', { folder: 'copy' }))) as Array<{ path: string }>;
    expect(listed.map((f) => f.path)).toEqual(['copy/moved.json']);
    const all = (await run(one('listFiles', { recursive: true, pattern: '*.json' }))) as Array<{ path: string }>;
    expect(all.map((f) => f.path)).toContain('data/doc.json');
    expect(all.map((f) => f.path).some((p) => p.includes('secret'))).toBe(false); // the symlinks out are not listed
    expect(await run(one('deleteFile', { file: 'copy/moved.json' }))).toEqual({ file: 'copy/moved.json', deleted: true });
    expect(await run(one('deleteFile', { file: 'copy/moved.json', missingOk: true }))).toEqual({ file: 'copy/moved.json', deleted: false });
    await expect(run(one('deleteFile', { file: 'copy' }))).rejects.toThrow(/is a folder/);
  });
});

describe('confinement to files/', () => {
  const attempts: Array<[string, Record<string, unknown>, RegExp]> = [
    ['readJson', { file: '../trellis.yaml' }, /contains "\.\.": paths cannot leave/],
    ['readJson', { file: 'data/../../x' }, /contains "\.\."/],
    ['readJson', { file: '/etc/passwd' }, /is absolute/],
    ['readJson', { file: 'data/doc.json\0.png' }, /contains a NUL byte/],
    ['readJson', { file: 'secret-link.json' }, /leads outside the project's files\/ folder through a symbolic link/],
    ['readJson', { file: 'escape/secret.json' }, /through a symbolic link/],
    ['writeJson', { file: 'escape/new.json', value: 1 }, /through a symbolic link/],
    ['writeCsv', { file: '..\\x.csv', value: [] }, /contains "\.\."/],
    ['copyFile', { from: 'data/doc.json', to: '../copied.json' }, /contains "\.\."/],
    ['moveFile', { from: 'escape/secret.json', to: 'here.json' }, /symbolic link/],
    ['deleteFile', { file: 'escape/secret.json' }, /symbolic link/],
    ['listFiles', { folder: 'escape' }, /symbolic link/],
  ];
  for (const [kind, props, message] of attempts)
    it(`${kind} ${JSON.stringify(props).replace(/\\u0000/g, '\\0')} is refused`, async () => {
      await expect(run(one(kind, props))).rejects.toMatchObject({ code: 'FILE_ACCESS', message: expect.stringMatching(message) });
    });

  it('left the outside untouched', async () => {
    expect(await readdir(outside)).toEqual(['secret.json']);
  });
});
