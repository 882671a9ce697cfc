import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import * as YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseCore, parseSpecText, parseSpecTextSliced, SLICED_FROM, type YamlModule } from '../../src/openapi/parse.js';
import { TimeSlicer } from '../../src/openapi/slice.js';
import type { ImportWarning } from '../../src/openapi/types.js';
import { ParsePool } from '../../src/openapi/parse-pool.js';
import { openapiDir } from './helpers.js';

// parseCore reads the plain subset of YAML straight from yaml's syntax tree and hands everything else to
// yaml's full parser. The two must agree: on every YAML file of the corpus and on the edge cases below.
const fullOnly: YamlModule = {
  ...YAML,
  Parser: class {
    *parse(): Generator<YAML.CST.Token> {
      yield { type: 'error', offset: 0, source: '', message: 'fast path off' };
    }
  } as unknown as typeof YAML.Parser,
};

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...yamlFiles(p));
    else if (/\.ya?ml$/.test(e.name)) out.push(p);
  }
  return out;
}

function same(text: string): void {
  const fast = parseCore(text, YAML);
  const full = parseCore(text, fullOnly);
  expect(!!fast.error, `error for ${JSON.stringify(text)}`).toBe(!!full.error);
  expect(isDeepStrictEqual(fast.value, full.value), `value for ${JSON.stringify(text)}`).toBe(true);
}

describe('YAML parsing', () => {
  it('the fast path and yaml agree on every YAML file of the corpus', { timeout: 60_000 }, () => {
    const files = yamlFiles(openapiDir);
    expect(files.length).toBeGreaterThan(2900);
    const differ: string[] = [];
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      const fast = parseCore(text, YAML);
      const full = parseCore(text, fullOnly);
      if (!isDeepStrictEqual(fast.value, full.value) || !!fast.error !== !!full.error) differ.push(f);
    }
    expect(differ).toEqual([]);
  });

  it('and on edge cases: scalars of the core schema, flow collections, folding, what it leaves to yaml', () => {
    const cases = [
      'a: [1, 2,]',
      'a: {x: 1, y: 2,}',
      'a: []\nb: {}',
      '[1, 2]',
      'a:\n  - \n  - b',
      'a: |\n  x\n  y\n',
      'a: >-\n  x\n  y\n\n  z\n',
      'a: "x\\ty\\u00e9"',
      "a: 'it''s'",
      'a: x\n  y\n  z',
      '200: ok\n"201": ok',
      'a: 0o17\nb: 0x1F\nc: 1e3\nd: .5\ne: -.inf\ng: 012\nh: +12\ni: 1_000\nj: 1.\nk: +.5e-3\nl: 0x',
      'a: ~\nb: Null\nc:\nd: TRUE\ne: yes\nf: on',
      '# c\n---\na: 1 # x\n...\n',
      'a: &x 1\nb: *x',
      '<<: {a: 1}\nb: 2',
      '? a\n: 1',
      'a: !!str 1',
      'a: [x: 1]',
      'a: {b}',
      '1.5: x',
      'true: x',
      'a: b: c',
      '- a\n- b: 1\n  c: 2\n- - x\n  - y',
      'key with spaces: v\n"quoted key": v',
      'a: "multi\n  line"',
      'a: 12345678901234567890',
      'a:\n\tb: 1',
      'a: 1\n---\nb: 2',
      'a: [1, 2',
      '',
    ];
    for (const c of cases) same(c);
  });

  it('duplicate keys: the last wins, reported with the line', () => {
    const out = parseCore('a: 1\nb: 2\na: 3\n', YAML);
    expect(out.value).toEqual({ a: 3, b: 2 });
    expect(out.duplicates?.[0]).toMatchObject({ line: 3, col: 1 });
  });

  it('parsing in time slices gives the same values, warnings and errors, and gives the event loop turns', async () => {
    const big = [join(openapiDir, 'docker-engine-v2.yaml'), join(openapiDir, 'digitalocean-v3.0/DigitalOcean-public.v2.yaml'), join(openapiDir, 'digitalocean-v3.0/resources/gen-ai/definitions.yml')];
    for (const file of big) {
      const text = readFileSync(file, 'utf8');
      expect(text.length).toBeGreaterThan(SLICED_FROM);
      let turns = 0;
      let counting = true;
      const count = (): void => {
        turns++;
        if (counting) setImmediate(count);
      };
      setImmediate(count);
      const value = await parseSpecTextSliced(text, file, [], new TimeSlicer(undefined, 2));
      counting = false;
      expect(isDeepStrictEqual(value, parseSpecText(text, file, []))).toBe(true);
      expect(turns, file).toBeGreaterThan(3);
    }
    // big, with a duplicate key, then with a syntax error: the same warning and the same error
    const filler = Array.from({ length: 3000 }, (_, i) => `k${i}: value ${i}`).join('\n');
    const duplicated = `${filler}\nk5: again\n`;
    const w1: ImportWarning[] = [];
    const w2: ImportWarning[] = [];
    expect(await parseSpecTextSliced(duplicated, 'd.yaml', w1, new TimeSlicer())).toEqual(parseSpecText(duplicated, 'd.yaml', w2));
    expect(w1).toEqual(w2);
    expect(w1).toHaveLength(1);
    const broken = `${filler}\nbad: [1, 2\n`;
    const error = (() => {
      try {
        parseSpecText(broken, 'b.yaml', []);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toMatchObject({ code: 'INVALID_SPEC' });
    await expect(parseSpecTextSliced(broken, 'b.yaml', [], new TimeSlicer())).rejects.toEqual(error);
  });

  it('the worker pool gives the same values and errors', async () => {
    const pool = new ParsePool(2);
    try {
      const file = join(openapiDir, 'docker-engine-v2.yaml');
      const text = readFileSync(file, 'utf8');
      const [a, b, c, d] = await Promise.all([pool.parse(text), pool.parseFile(file), pool.parse('a: [\n'), pool.parseFile(join(openapiDir, 'nope.yaml'))]);
      const expected = parseCore(text, YAML).value;
      expect(isDeepStrictEqual(a.value, expected)).toBe(true);
      expect(isDeepStrictEqual(b.value, expected)).toBe(true);
      expect(c.error?.line).toBe(2);
      expect(d.readError?.code).toBe('ENOENT');
    } finally {
      await pool.close();
    }
  });
});
