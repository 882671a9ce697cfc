import { describe, expect, it } from 'vitest';
import { compilePath, PathSyntaxError } from '../../../src/engine/sources.js';
import { run, src } from '../../steps/helpers.js';

const data = {
  store: {
    book: [
      { title: 'A', price: 8, tags: ['x'] },
      { title: 'B', price: 12 },
      { title: 'C', price: 30, tags: [] },
    ],
    'odd key': { 'it\'s': 1 },
  },
};

const read = (path: string) => run([{ id: 'o', kind: 'output', props: { value: src('variables', path) } }], { data }).then((o) => o);

describe('JSONPath sources (RFC 9535, json-p3)', () => {
  it('a singular path (names and indexes only) gives one value', async () => {
    expect(await read('$.data.store.book[1].title')).toBe('B');
    expect(await read('$.data.store.book[-1].price')).toBe(30);
    expect(await read("$.data.store['odd key']['it\\'s']")).toBe(1);
    expect(await read('$.data.store.book[0]')).toEqual({ title: 'A', price: 8, tags: ['x'] });
  });

  it('a singular path that matches nothing gives nothing (null once output)', async () => {
    expect(await read('$.data.store.nope.deeper')).toBeNull();
    expect(await read('$.data.store.book[9]')).toBeNull();
    expect(await read('$.data.store.book.title')).toBeNull(); // a name on an array selects nothing
  });

  it('wildcards, slices, filters, unions and descendants always give an array, even of one match', async () => {
    expect(await read('$.data.store.book[*].title')).toEqual(['A', 'B', 'C']);
    expect(await read('$.data.store.book[?@.price > 10].title')).toEqual(['B', 'C']);
    expect(await read('$.data.store.book[?@.price > 20].title')).toEqual(['C']);
    expect(await read('$.data.store.book[?@.price > 100].title')).toEqual([]);
    expect(await read('$.data.store.book[0:2].price')).toEqual([8, 12]);
    expect(await read("$.data.store.book[0]['title','price']")).toEqual(['A', 8]);
    expect(await read('$..tags[*]')).toEqual(['x']);
  });

  it('compiles each path once and reports syntax errors', () => {
    expect(compilePath('$.a.b')).toBe(compilePath('$.a.b'));
    expect(compilePath('$.a.b').singular).toBe(true);
    expect(compilePath('$.a[*]').singular).toBe(false);
    expect(() => compilePath('$.a[')).toThrow(PathSyntaxError);
    expect(() => compilePath('$.a[')).toThrow(/invalid JSONPath "\$\.a\["/);
    expect(() => compilePath('/a/[')).toThrow(/invalid XPath/);
    expect(compilePath('').text).toBe('$');
  });
});

describe('other roots', () => {
  it('session data is a source', async () => {
    expect(await run([{ id: 'o', kind: 'output', props: { value: src('session', '$.user.name') } }], {}, { session: { user: { name: 'ann' } } })).toBe('ann');
  });

  it('item and index of the current pass, and outputs of earlier steps inside the pass', async () => {
    const out = await run([
      {
        id: 'l',
        kind: 'jsonArray',
        steps: [
          {
            id: 'it',
            kind: 'iterate',
            props: { over: [{ n: 1 }, { n: 2 }] },
            steps: [
              { id: 'double', kind: 'js', props: { code: 'return item.n * 2' } },
              { id: 'v', kind: 'jsonValue', props: { value: { n: src('it', '$.item.n'), i: src('it', '$.index'), d: src('double') } } },
            ],
          },
        ],
      },
    ]);
    expect(out).toEqual([
      { n: 1, i: 0, d: 2 },
      { n: 2, i: 1, d: 4 },
    ]);
  });
});
