import { describe, expect, it } from 'vitest';
import { executeSequence } from '../../src/engine/sequence/index.js';
import { js, options, project, run, seq, src, value } from './helpers.js';

describe('if / elseIf / else', () => {
  const chain = (n: number) =>
    run(
      [
        {
          id: 'out',
          kind: 'jsonArray',
          steps: [
            { id: 'a', kind: 'if', props: { condition: js('n < 0') }, steps: [value('neg', undefined, 'negative')] },
            { id: 'b', kind: 'elseIf', props: { condition: js('n === 0') }, steps: [value('zero', undefined, 'zero')] },
            { id: 'c', kind: 'elseIf', props: { condition: src('variables', '$.n') }, steps: [value('pos', undefined, 'positive')] },
            { id: 'd', kind: 'else', steps: [value('other', undefined, 'other')] },
          ],
        },
      ],
      { n },
    );

  it('runs exactly one branch of the chain', async () => {
    expect(await chain(-3)).toEqual(['negative']);
    expect(await chain(0)).toEqual(['zero']);
    expect(await chain(5)).toEqual(['positive']);
  });

  it('takes conditions from constants and sources by truthiness', async () => {
    const out = await run([
      {
        id: 'o',
        kind: 'jsonObject',
        steps: [
          { id: 'f', kind: 'if', props: { condition: 0 }, steps: [value('x', 'x', 1)] },
          { id: 'e', kind: 'else', steps: [value('y', 'y', 2)] },
          { id: 't', kind: 'if', props: { condition: 'yes' }, steps: [value('z', 'z', 3)] },
        ],
      },
    ]);
    expect(out).toEqual({ y: 2, z: 3 });
  });

  it('keeps a nested chain from disturbing the outer one', async () => {
    const out = await run([
      {
        id: 'o',
        kind: 'jsonArray',
        steps: [
          {
            id: 'outer',
            kind: 'if',
            props: { condition: true },
            steps: [
              { id: 'inner', kind: 'if', props: { condition: false }, steps: [value('i1', undefined, 'inner-if')] },
              { id: 'innerElse', kind: 'else', steps: [value('i2', undefined, 'inner-else')] },
            ],
          },
          { id: 'outerElse', kind: 'else', steps: [value('o2', undefined, 'outer-else')] },
        ],
      },
    ]);
    expect(out).toEqual(['inner-else']);
  });
});

describe('iterate', () => {
  it('goes over a source array with item and index', async () => {
    const out = await run(
      [
        {
          id: 'list',
          kind: 'jsonArray',
          steps: [
            {
              id: 'each',
              kind: 'iterate',
              props: { over: src('variables', '$.items') },
              steps: [
                {
                  id: 'row',
                  kind: 'jsonObject',
                  steps: [value('n', 'name', src('each', '$.item.name')), value('i', 'index', src('each', '$.index')), value('u', 'upper', js('item.name.toUpperCase() + index'))],
                },
              ],
            },
          ],
        },
      ],
      { items: [{ name: 'a' }, { name: 'b' }] },
    );
    expect(out).toEqual([
      { name: 'a', index: 0, upper: 'A0' },
      { name: 'b', index: 1, upper: 'B1' },
    ]);
  });

  it('makes N passes with times, one pass over a single value, none over null, and stops at maxItems', async () => {
    const collect = (props: Record<string, unknown>) => run([{ id: 'l', kind: 'jsonArray', steps: [{ id: 'it', kind: 'iterate', props, steps: [value('v', undefined, src('it', '$.item'))] }] }], { x: null, one: { k: 1 } });
    expect(await collect({ times: 3 })).toEqual([0, 1, 2]);
    expect(await collect({ over: src('variables', '$.one') })).toEqual([{ k: 1 }]);
    expect(await collect({ over: src('variables', '$.x') })).toEqual([]);
    expect(await collect({ over: [5, 6, 7, 8], maxItems: 2 })).toEqual([5, 6]);
  });

  it('outputs {count} after the loop', async () => {
    const out = await run([{ id: 'it', kind: 'iterate', props: { times: 4 } }, { id: 'o', kind: 'output', props: { value: src('it') } }]);
    expect(out).toEqual({ count: 4 });
  });
});

describe('while, break and continue', () => {
  it('loops while the condition holds, with index', async () => {
    const out = await run([{ id: 'l', kind: 'jsonArray', steps: [{ id: 'w', kind: 'while', props: { condition: js('index < 3') }, steps: [value('v', undefined, js('index * 10'))] }] }]);
    expect(out).toEqual([0, 10, 20]);
  });

  it('fails past maxIterations with LOOP_LIMIT', async () => {
    await expect(run([{ id: 'w', kind: 'while', props: { condition: true, maxIterations: 5 } }])).rejects.toMatchObject({ code: 'LOOP_LIMIT', path: 'sequences/main/w' });
  });

  it('break and continue act on the innermost loop of nested loops', async () => {
    const out = await run([
      {
        id: 'rows',
        kind: 'jsonArray',
        steps: [
          {
            id: 'i',
            kind: 'iterate',
            props: { times: 4 },
            steps: [
              { id: 'skipOdd', kind: 'if', props: { condition: js('index % 2 === 1') }, steps: [{ id: 'c1', kind: 'continue' }] },
              {
                id: 'row',
                kind: 'jsonArray',
                steps: [
                  {
                    id: 'j',
                    kind: 'iterate',
                    props: { times: 10 },
                    steps: [
                      { id: 'stop', kind: 'if', props: { condition: js('index > steps.i.index') }, steps: [{ id: 'b1', kind: 'break' }] },
                      value('cell', undefined, js('steps.i.index * 10 + index')),
                    ],
                  },
                ],
              },
            ],
          },
        ],
      },
    ]);
    expect(out).toEqual([[0], [20, 21, 22]]);
  });

  it('continue inside a jsonObject skips the item being built', async () => {
    const out = await run([
      {
        id: 'l',
        kind: 'jsonArray',
        steps: [
          {
            id: 'it',
            kind: 'iterate',
            props: { over: [1, 2, 3] },
            steps: [{ id: 'o', kind: 'jsonObject', steps: [value('v', 'v', src('it', '$.item')), { id: 'skip', kind: 'if', props: { condition: js('item === 2') }, steps: [{ id: 'c', kind: 'continue' }] }] }],
          },
        ],
      },
    ]);
    expect(out).toEqual([{ v: 1 }, { v: 3 }]);
  });
});

describe('return', () => {
  it('returns from inside an iterate inside an if, with a value', async () => {
    const out = await run([
      {
        id: 'check',
        kind: 'if',
        props: { condition: true },
        steps: [
          {
            id: 'it',
            kind: 'iterate',
            props: { over: [3, 7, 9] },
            steps: [{ id: 'found', kind: 'if', props: { condition: js('item > 5') }, steps: [{ id: 'r', kind: 'return', props: { value: js('({ first: item, at: index })') } }] }],
          },
        ],
      },
      { id: 'never', kind: 'output', props: { value: 'not reached' } },
    ]);
    expect(out).toEqual({ first: 7, at: 1 });
  });

  it('without a value keeps the output so far', async () => {
    const out = await run([{ id: 'o', kind: 'output', props: { value: 1 } }, { id: 'r', kind: 'return' }, { id: 'o2', kind: 'output', props: { value: 2 } }]);
    expect(out).toBe(1);
  });
});

describe('try / catch / finally', () => {
  it('catches an error, exposes it, and runs finally', async () => {
    const out = await run([
      {
        id: 'res',
        kind: 'jsonObject',
        steps: [
          {
            id: 'guard',
            kind: 'try',
            steps: [
              value('before', 'before', 1),
              { id: 'boom', kind: 'throw', props: { code: 'NOT_FOUND', message: 'no such product' } },
              value('after', 'after', 2),
              { id: 'failed', kind: 'catch', steps: [value('code', 'code', src('failed', '$.code')), value('msg', 'message', js('steps.failed.message'))] },
              { id: 'cleanup', kind: 'finally', steps: [value('done', 'done', true)] },
            ],
          },
        ],
      },
    ]);
    expect(out).toEqual({ before: 1, code: 'NOT_FOUND', message: 'no such product', done: true });
  });

  it('without catch, finally runs and the error goes on', async () => {
    const s = seq('main', [
      { id: 'guard', kind: 'try', steps: [{ id: 'boom', kind: 'throw', props: { message: 'bad' } }, { id: 'fin', kind: 'finally', steps: [{ id: 'mark', kind: 'setVariable', props: { name: 'x', value: 1 } }] }] },
    ]);
    const error = await executeSequence(project([s]), 'main', {}, options()).catch((e) => e);
    expect(error).toMatchObject({ code: 'THROWN', path: 'sequences/main/guard/boom' });
    expect(error.message).toContain('step guard/boom: bad');
  });

  it('an error raised in catch goes on after finally; finally runs on break too', async () => {
    await expect(
      run([{ id: 't', kind: 'try', steps: [{ id: 'a', kind: 'throw', props: { message: 'one' } }, { id: 'c', kind: 'catch', steps: [{ id: 'b', kind: 'throw', props: { message: 'two' } }] }] }]),
    ).rejects.toMatchObject({ path: 'sequences/main/t/c/b' });
    const out = await run([
      {
        id: 'l',
        kind: 'jsonArray',
        steps: [
          {
            id: 'it',
            kind: 'iterate',
            props: { times: 5 },
            steps: [{ id: 't', kind: 'try', steps: [{ id: 'stop', kind: 'if', props: { condition: js('index === 1') }, steps: [{ id: 'b', kind: 'break' }] }, { id: 'f', kind: 'finally', steps: [value('v', undefined, src('it', '$.index'))] }] }],
          },
        ],
      },
    ]);
    expect(out).toEqual([0, 1]);
  });

  it('iterate inside if inside try: an error in a pass is caught with the failing step path', async () => {
    const out = await run(
      [
        {
          id: 't',
          kind: 'try',
          steps: [
            { id: 'cond', kind: 'if', props: { condition: true }, steps: [{ id: 'it', kind: 'iterate', props: { over: src('variables', '$.xs') }, steps: [{ id: 'calc', kind: 'js', props: { code: 'if (item === 0) throw new Error("zero!"); return 10 / item' } }] }] },
            { id: 'c', kind: 'catch', steps: [{ id: 'o', kind: 'output', props: { value: src('c') } }] },
          ],
        },
      ],
      { xs: [1, 0] },
    );
    expect(out).toMatchObject({ code: 'SCRIPT_ERROR', path: 'sequences/main/t/cond/it/calc' });
    expect((out as { message: string }).message).toContain('Error: zero!');
  });
});

describe('parallel', () => {
  it('overlaps waiting branches and respects the limit', async () => {
    const branches = Array.from({ length: 4 }, (_, i) => ({ id: `s${i}`, kind: 'sleep', props: { ms: 100 } }));
    let t = performance.now();
    await run([{ id: 'p', kind: 'parallel', steps: branches }]);
    expect(performance.now() - t).toBeLessThan(300);
    t = performance.now();
    await run([{ id: 'p', kind: 'parallel', props: { limit: 2 }, steps: branches }]);
    const ms = performance.now() - t;
    expect(ms).toBeGreaterThanOrEqual(190);
    expect(ms).toBeLessThan(390);
  });

  it('later steps read every branch; the first error fails the step', async () => {
    const out = await run([
      { id: 'p', kind: 'parallel', steps: [{ id: 'a', kind: 'js', props: { code: 'return 1' } }, { id: 'b', kind: 'js', props: { code: 'return 2' } }] },
      { id: 'o', kind: 'output', props: { value: js('steps.a + steps.b') } },
    ]);
    expect(out).toBe(3);
    await expect(run([{ id: 'p', kind: 'parallel', steps: [{ id: 's', kind: 'sleep', props: { ms: 10 } }, { id: 'x', kind: 'throw', props: { message: 'no' } }] }])).rejects.toMatchObject({ path: 'sequences/main/p/x' });
  });
});
