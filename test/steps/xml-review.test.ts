import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeSequence } from '../../src/engine/sequence/index.js';
import type { Json, Project, Step } from '../../src/model/index.js';
import { options, run as runWith, seq, src } from './helpers.js';

// Security review of the XML steps: no entity is expanded or fetched, and depth is bounded with a clear error.
let dir: string;
const proj = (steps: Step[]): Project => ({ dir, name: 'xml', formatVersion: 1, connectors: [], sequences: [seq('main', steps)] });
const run = async (steps: Step[]): Promise<Json> => (await executeSequence(proj(steps), 'main', {}, options({}))).output;
const one = (kind: string, props: Record<string, unknown>): Step[] => [{ id: 's', kind, props }, { id: 'o', kind: 'output', props: { value: src('s') } }];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trellis-xml-review-'));
  await writeFile(join(dir, 'secret.txt'), 'TOP-SECRET');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('XML steps', () => {
  it('deeply nested XML is refused with an error naming the step (it was a bare parser error)', async () => {
    const deep = `${'<a>'.repeat(5000)}x${'</a>'.repeat(5000)}`;
    await expect(run(one('xmlToJson', { xml: deep }))).rejects.toMatchObject({ code: 'BAD_RESPONSE', message: expect.stringMatching(/Maximum nested tags/) });
  });

  it('deeply nested JSON written as XML is refused clearly, not with a stack overflow', async () => {
    // as a request body would bring it: a json variable
    let value: Json = 'x';
    for (let i = 0; i < 20_000; i++) value = { a: value };
    await expect(runWith(one('jsonToXml', { value: src('variables', '$.v'), root: 'r' }), { v: value }, {}, [{ name: 'v', type: 'json' }])).rejects.toMatchObject({ code: 'BAD_VARIABLE', message: expect.stringContaining('nested more than') });
    let fine: Json = 'x';
    for (let i = 0; i < 50; i++) fine = { a: fine };
    expect(await run(one('jsonToXml', { value: fine, root: 'r' }))).toContain('<a><a>');
  });

  it('external entities and entity bombs never expand (sound before the review)', async () => {
    const xxe = `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file://${join(dir, 'secret.txt')}">]><r>&x;</r>`;
    const lol = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><r>&c;</r>';
    for (const xml of [xxe, lol, xxe.replace('DOCTYPE', 'doctype')]) await expect(run(one('xmlToJson', { xml }))).rejects.toMatchObject({ code: 'BAD_RESPONSE', message: expect.stringContaining('DOCTYPE') });
  });
});
