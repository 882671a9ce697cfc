import { describe, expect, it } from 'vitest';
import type { Json } from '../../../src/model/index.js';
import { loadQuickJS } from '../../../src/engine/sandbox/quickjs.js';
import { Sandbox, type SandboxHost } from '../../../src/engine/sandbox/sandbox.js';
import { executeSequence } from '../../../src/engine/sequence/index.js';
import { options, project, run, seq } from '../../steps/helpers.js';

const jsStep = (code: string, id = 'code') => ({ id, kind: 'js', props: { code } });

describe('sandbox limits', () => {
  it('while(true) fails with SCRIPT_TIMEOUT within its limit, naming the step, and the next execution works', async () => {
    const t = performance.now();
    const error = await run([jsStep('while (true) {}', 'spin')], {}, { scriptLimits: { timeoutMs: 200 } }).catch((e) => e);
    const ms = performance.now() - t;
    expect(error).toMatchObject({ code: 'SCRIPT_TIMEOUT', path: 'sequences/main/spin' });
    expect(error.message).toBe('sequence main, step spin: the script ran longer than its 200 ms time limit and was stopped');
    expect(ms).toBeGreaterThanOrEqual(190);
    expect(ms).toBeLessThan(1000);
    expect(await run([jsStep('return 6 * 7')])).toBeNull(); // no output step: the js step ran
    expect(await run([jsStep('return 6 * 7', 'x'), { id: 'o', kind: 'output', props: { value: { js: 'steps.x' } } }])).toBe(42);
  });

  it('the default limit is 1000 ms, and a sequence can set its own', async () => {
    const s = { ...seq('main', [jsStep('while (true) {}')]), limits: { scriptTimeoutMs: 100 } };
    const t = performance.now();
    await expect(executeSequence(project([s]), 'main', {}, options())).rejects.toMatchObject({ code: 'SCRIPT_TIMEOUT' });
    expect(performance.now() - t).toBeLessThan(800);
  });

  it('after a timeout caught by a try, the same execution gets a fresh context for the next script', async () => {
    const out = await run(
      [
        { id: 't', kind: 'try', steps: [jsStep('while (true) {}', 'spin'), { id: 'c', kind: 'catch' }] },
        jsStep('return typeof globalThis.leak + ":" + n', 'after'),
        { id: 'o', kind: 'output', props: { value: { js: 'steps.after' } } },
      ],
      { n: 5 },
      { scriptLimits: { timeoutMs: 100 } },
    );
    expect(out).toBe('undefined:5');
  });

  it('a huge allocation fails with SCRIPT_MEMORY and the process stays healthy', async () => {
    // one huge allocation, and many retained ones (QuickJS's own limit misses those in its WebAssembly
    // build: the engine meters heap growth instead, see quickjs.ts)
    for (const code of ['return "x".repeat(1e9).length', 'const a = []; for (;;) a.push("y".repeat(1 << 20) + a.length)', 'const a = []; for (;;) a.push("z".repeat(1 << 20))']) {
      const error = await run([jsStep(code, 'hog')]).catch((e) => e);
      expect(error, code).toMatchObject({ code: 'SCRIPT_MEMORY', path: 'sequences/main/hog' });
      expect(error.message).toContain('32 MB memory limit');
    }
    // growth one small object at a time is caught too (a 4 MB limit keeps the test quick: QuickJS allocates slowly;
    // a generous time limit so a loaded machine still reaches the memory limit first)
    const gradual = await run([jsStep('const a = []; for (let i = 0; ; i++) a.push({ i, s: "item " + i })', 'hog')], {}, { scriptLimits: { memoryBytes: 4 * 1048576, timeoutMs: 60_000 }, timeoutMs: 120_000 }).catch((e) => e);
    expect(gradual).toMatchObject({ code: 'SCRIPT_MEMORY' });
    expect(await run([jsStep('return [1, 2, 3].map((x) => x * 2)', 'ok'), { id: 'o', kind: 'output', props: { value: { js: 'steps.ok' } } }])).toEqual([2, 4, 6]);
  });

  it('a runaway recursion is a script error, not a crash', async () => {
    await expect(run([jsStep('function f(n) { return f(n + 1) + 1 } return f(0)')])).rejects.toMatchObject({ code: 'SCRIPT_ERROR', message: expect.stringContaining('stack overflow') });
    expect(await run([{ id: 'o', kind: 'output', props: { value: { js: '1 + 1' } } }])).toBe(2);
  });
});

describe('isolation', () => {
  it('has no require, process, fetch, fs or network', async () => {
    const out = await run([jsStep('return [typeof require, typeof process, typeof globalThis.fetch, typeof fetch, typeof XMLHttpRequest, typeof module, typeof Deno, typeof std, typeof os, typeof ArrayBuffer]', 'probe'), { id: 'o', kind: 'output', props: { value: { js: 'steps.probe' } } }]);
    expect(out).toEqual(Array(10).fill('undefined'));
    await expect(run([jsStep('return require("fs")')])).rejects.toMatchObject({ code: 'SCRIPT_ERROR', message: expect.stringContaining('ReferenceError') });
  });

  it('one execution cannot see what another left behind (fresh context per execution)', async () => {
    const s = seq('main', [jsStep('const seen = [globalThis.secret ?? null, [].evil ?? null]; globalThis.secret = "mine"; Array.prototype.evil = 1; return seen', 'x'), { id: 'o', kind: 'output', props: { value: { js: 'steps.x' } } }]);
    const p = project([s]);
    expect((await executeSequence(p, 'main', {}, options())).output).toEqual([null, null]);
    expect((await executeSequence(p, 'main', {}, options())).output).toEqual([null, null]);
  });

  it('executions running at the same time keep their own globals: one run never sees another run’s', async () => {
    // each run sets a global, waits while the other runs its scripts, then reads globals back: a shared or
    // reused context would show the other run's value or its extra global
    const s = seq(
      'main',
      [
        jsStep('globalThis.mine = variables.who; globalThis["seen_" + variables.who] = true; return 1', 'set'),
        { id: 'wait', kind: 'sleep', props: { ms: 30 } },
        jsStep('return [globalThis.mine, Object.keys(globalThis).filter((k) => k.startsWith("seen_")), [].leaked ?? null]', 'get'),
        jsStep('Array.prototype.leaked = variables.who; return 1', 'taint'),
        { id: 'o', kind: 'output', props: { value: { js: 'steps.get' } } },
      ],
      [{ name: 'who' }],
    );
    const p = project([s]);
    const names = ['ann', 'bob', 'cy', 'dee'];
    const outs = await Promise.all(names.map((who) => executeSequence(p, 'main', { who }, options()).then((r) => r.output)));
    expect(outs).toEqual(names.map((who) => [who, [`seen_${who}`], null]));
    // and one after them all sees nothing they left, prototypes included
    expect((await executeSequence(p, 'main', { who: 'eve' }, options())).output).toEqual(['eve', ['seen_eve'], null]);
  });

  it('syntax errors name the step; console.log reaches the logger', async () => {
    await expect(run([jsStep('return (', 'broken')])).rejects.toMatchObject({ code: 'SCRIPT_ERROR', path: 'sequences/main/broken', message: expect.stringContaining('does not compile') });
    const logged: unknown[] = [];
    const logger = { info: (o: unknown, m: string) => logged.push([o, m]), debug() {}, warn() {}, error() {}, trace() {} } as never;
    await run([jsStep('console.log("hello", { a: 1 }); return 1', 'talk')], {}, { logger });
    expect(logged).toEqual([[{ sequence: 'main', step: 'talk' }, 'hello {"a":1}']]);
  });
});

describe('data crossing the boundary', () => {
  function host(values: Record<string, Json>): SandboxHost & { reads: string[]; values: Record<string, Json> } {
    const h = {
      reads: [] as string[],
      values,
      variables: {},
      variablesVersion: 0,
      signal: undefined,
      deadline: Infinity,
      read(key: string) {
        h.reads.push(key);
        return h.values[key];
      },
      list: () => Object.keys(h.values).filter((k) => k.startsWith('s')).map((k) => k.slice(1)),
      log() {},
    };
    return h;
  }

  it('copies in only what the code reads, caches it, and re-reads what changed', async () => {
    const sandbox = new Sandbox(await loadQuickJS(), { timeoutMs: 1000, memoryBytes: 32 * 1024 * 1024 });
    const big = { rows: Array.from({ length: 1000 }, (_, i) => ({ i })) };
    const h = host({ sbig: big, ssmall: { n: 1 } });
    try {
      expect(sandbox.evaluate('steps.small.n + 1', false, h)).toBe(2);
      expect(h.reads).toEqual(['ssmall']);
      expect(sandbox.evaluate('steps.small.n + 2', false, h)).toBe(3);
      expect(h.reads.filter((k) => k === 'ssmall')).toHaveLength(2); // one staleness check, no second copy in
      h.values.ssmall = { n: 10 };
      expect(sandbox.evaluate('steps.small.n', false, h)).toBe(10);
      expect(h.reads).not.toContain('sbig');
      expect(sandbox.evaluate('Object.keys(steps).sort()', false, h)).toEqual(['big', 'small']);
      expect(sandbox.evaluate('const r = []; for (let i = 0; i < 3; i++) r.push(i); return r', true, h)).toEqual([0, 1, 2]);
      expect(sandbox.evaluate('undefined', false, h)).toBeUndefined();
    } finally {
      sandbox.dispose();
    }
  });
});
