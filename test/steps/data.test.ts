import { Writable } from 'node:stream';
import pino from 'pino';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { stepKinds } from '../../src/steps/index.js';
import { js, run, src, value } from './helpers.js';

describe('the registry', () => {
  it('holds every kind of the brief, each documented, with a form schema', () => {
    const ids = stepKinds().map((k) => k.kind);
    for (const id of ['callTransaction', 'callSequence', 'if', 'elseIf', 'else', 'while', 'iterate', 'break', 'continue', 'try', 'catch', 'finally', 'parallel', 'return', 'js', 'setVariable', 'jsonObject', 'jsonArray', 'jsonValue', 'output', 'log', 'sleep', 'throw', 'comment'])
      expect(ids).toContain(id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const k of stepKinds()) {
      expect(k.title && k.description && k.icon, k.kind).toBeTruthy();
      expect(['call', 'flow', 'data', 'file', 'session', 'misc']).toContain(k.category);
      const form = z.toJSONSchema(k.props, { io: 'input' }) as { type?: string };
      expect(form.type, k.kind).toBe('object');
    }
  });

  it('gives defaults from the zod schema (failOnErrorStatus on)', () => {
    const call = stepKinds().find((k) => k.kind === 'callTransaction')!;
    expect(call.props.parse({ transaction: 'a.b' })).toEqual({ transaction: 'a.b', variables: {}, inheritVariables: false, failOnErrorStatus: true });
  });
});

describe('js and setVariable', () => {
  it('a js step returns a value from a function body, with variables in scope by name', async () => {
    const out = await run([{ id: 'sum', kind: 'js', props: { code: 'let s = 0; for (const x of xs) s += x; return { s, n: variables.xs.length }' } }, { id: 'o', kind: 'output', props: { value: src('sum') } }], { xs: [1, 2, 3] });
    expect(out).toEqual({ s: 6, n: 3 });
  });

  it('setVariable creates and changes variables that later sources and scripts read', async () => {
    const out = await run(
      [
        { id: 'a', kind: 'setVariable', props: { name: 'total', value: 10 } },
        { id: 'b', kind: 'setVariable', props: { name: 'total', value: js('total + base') } },
        { id: 'o', kind: 'output', props: { value: { total: src('variables', '$.total'), twice: js('total * 2') } } },
      ],
      { base: 5 },
    );
    expect(out).toEqual({ total: 15, twice: 30 });
  });

  it('sources are read-only inside scripts', async () => {
    await expect(run([{ id: 'x', kind: 'js', props: { code: 'steps; variables.obj.a = 2; return 1' } }], { obj: { a: 1 } })).rejects.toMatchObject({ code: 'SCRIPT_ERROR', path: 'sequences/main/x' });
  });
});

describe('JSON builders', () => {
  it('compose by nesting through flow containers; keys default to step ids', async () => {
    const out = await run(
      [
        {
          id: 'doc',
          kind: 'jsonObject',
          steps: [
            value('title', undefined, 'Orders'),
            { id: 'when', kind: 'if', props: { condition: true }, steps: [value('flag', 'flagged', true)] },
            {
              id: 'lines',
              kind: 'jsonArray',
              steps: [
                {
                  id: 'each',
                  kind: 'iterate',
                  props: { over: src('variables', '$.orders') },
                  steps: [
                    { id: 'line', kind: 'jsonObject', steps: [value('ref', 'ref', src('each', '$.item.id')), { id: 'tags', kind: 'jsonArray', steps: [value('t1', undefined, 'x'), value('t2', undefined, js('item.id * 2'))] }] },
                  ],
                },
              ],
            },
            { id: 'meta', kind: 'jsonObject', props: { key: js('"m" + "eta2"') }, steps: [value('n', 'count', js('orders.length'))] },
          ],
        },
      ],
      { orders: [{ id: 1 }, { id: 2 }] },
    );
    expect(out).toEqual({
      title: 'Orders',
      flagged: true,
      lines: [
        { ref: 1, tags: ['x', 2] },
        { ref: 2, tags: ['x', 4] },
      ],
      meta2: { count: 2 },
    });
  });

  it('a builder outputs what it built; the sequence returns the last top-level builder without an output step', async () => {
    const out = await run([
      { id: 'first', kind: 'jsonObject', steps: [value('a', 'a', 1)] },
      { id: 'second', kind: 'jsonArray', steps: [value('b', undefined, src('first', '$.a'))] },
    ]);
    expect(out).toEqual([1]);
  });

  it('a value that reads nothing is null; a sequence with no output and no builder returns null', async () => {
    expect(await run([{ id: 'o', kind: 'jsonObject', steps: [value('v', 'missing', src('variables', '$.nope'))] }])).toEqual({ missing: null });
    expect(await run([{ id: 'c', kind: 'comment', props: { text: 'hello' } }])).toBeNull();
  });
});

describe('output, log, sleep, throw, comment', () => {
  it('output: the last one to run wins over built JSON', async () => {
    expect(await run([{ id: 'o1', kind: 'output', props: { value: 1 } }, { id: 'b', kind: 'jsonObject' }, { id: 'o2', kind: 'output', props: { value: { x: js('1 + 1') } } }])).toEqual({ x: 2 });
  });

  it('log writes a pino line with sequence, step, category and data', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _enc, cb) => (lines.push(String(chunk)), cb()) });
    const logger = pino({ level: 'debug' }, sink);
    const out = await run([{ id: 'note', kind: 'log', props: { level: 'warn', category: 'billing', message: js('`total ${n}`'), data: { n: src('variables', '$.n') } } }], { n: 3 }, { logger });
    expect(out).toBeNull();
    const entry = JSON.parse(lines[0]!);
    expect(entry).toMatchObject({ level: 40, msg: 'total 3', sequence: 'main', step: 'note', logCategory: 'billing', data: { n: 3 } });
  });

  it('sleep waits; throw fails with its code and message', async () => {
    const t = performance.now();
    await run([{ id: 'z', kind: 'sleep', props: { ms: 50 } }]);
    expect(performance.now() - t).toBeGreaterThanOrEqual(45);
    await expect(run([{ id: 'x', kind: 'throw', props: { code: 'NOT_FOUND', message: js('"no " + what') } }], { what: 'user' }, {}, [{ name: 'what' }])).rejects.toMatchObject({ code: 'NOT_FOUND', path: 'sequences/main/x', message: 'sequence main, step x: no user' });
  });

  it('disabled steps are skipped', async () => {
    expect(await run([{ id: 'o', kind: 'output', props: { value: 1 } }, { id: 'o2', kind: 'output', disabled: true, props: { value: 2 } }])).toBe(1);
  });
});
