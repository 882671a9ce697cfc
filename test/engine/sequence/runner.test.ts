import { describe, expect, it } from 'vitest';
import { executeSequence } from '../../../src/engine/sequence/index.js';
import type { TraceEvent } from '../../../src/engine/trace.js';
import { js, options, project, run, seq, src, value } from '../../steps/helpers.js';

describe('trace events', () => {
  it('emit start/end per step with outputs, and error events with the failing path up the tree', async () => {
    const events: TraceEvent[] = [];
    const s = seq('main', [{ id: 'outer', kind: 'if', props: { condition: true }, steps: [{ id: 'v', kind: 'setVariable', props: { name: 'x', value: 1 } }, { id: 'bad', kind: 'throw', props: { code: 'E1', message: 'nope' } }] }]);
    await expect(executeSequence(project([s]), 'main', {}, options({ onTrace: (e) => events.push(e) }))).rejects.toMatchObject({ code: 'E1' });
    expect(events.map((e) => `${e.step}:${e.phase}`)).toEqual([':start', 'outer:start', 'outer/v:start', 'outer/v:end', 'outer/bad:start', 'outer/bad:error', 'outer:error', ':error']);
    expect(events[3]!.output).toBe(1);
    for (const e of events.filter((e) => e.phase === 'error')) expect(e.error).toMatchObject({ code: 'E1', path: 'sequences/main/outer/bad' });
  });
});

describe('cancellation and deadline', () => {
  it('cancels a waiting step quickly', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    const t = performance.now();
    await expect(run([{ id: 'z', kind: 'sleep', props: { ms: 5000 } }], {}, { signal: controller.signal })).rejects.toMatchObject({ code: 'CANCELLED', path: 'sequences/main/z' });
    expect(performance.now() - t).toBeLessThan(1000);
  });

  it('cancels a long synchronous loop (it yields to the event loop now and then)', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const t = performance.now();
    await expect(run([{ id: 'w', kind: 'while', props: { condition: true, maxIterations: 1e9 }, steps: [{ id: 'v', kind: 'setVariable', props: { name: 'x', value: 1 } }] }], {}, { signal: controller.signal })).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(performance.now() - t).toBeLessThan(1000);
  });

  it('stops at the deadline: while waiting, in a synchronous loop, and inside a script', async () => {
    await expect(run([{ id: 'z', kind: 'sleep', props: { ms: 5000 } }], {}, { timeoutMs: 50 })).rejects.toMatchObject({ code: 'TIMEOUT', path: 'sequences/main/z' });
    const t = performance.now();
    await expect(run([{ id: 'w', kind: 'while', props: { condition: true, maxIterations: 1e9 } }], {}, { timeoutMs: 80 })).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(performance.now() - t).toBeLessThan(1000);
    await expect(run([{ id: 'spin', kind: 'js', props: { code: 'while (true) {}' } }], {}, { timeoutMs: 100, scriptLimits: { timeoutMs: 5000 } })).rejects.toMatchObject({ code: 'TIMEOUT', path: 'sequences/main/spin' });
  });

  it('maxSteps stops a runaway execution', async () => {
    const body = [{ id: 'c', kind: 'comment' }];
    await expect(run([{ id: 'w', kind: 'while', props: { condition: true, maxIterations: 1e9 }, steps: body }], {}, { maxSteps: 1000 })).rejects.toMatchObject({ code: 'STEP_LIMIT', path: 'sequences/main/w/c' });
  });

  it('a try does not swallow cancellation', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const steps = [{ id: 't', kind: 'try', steps: [{ id: 'z', kind: 'sleep', props: { ms: 2000 } }, { id: 'c', kind: 'catch', steps: [{ id: 'o', kind: 'output', props: { value: 'caught' } }] }] }];
    await expect(run(steps, {}, { signal: controller.signal })).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});

describe('refusing broken sequences', () => {
  it('lists every problem with its step path and runs nothing', async () => {
    const s = seq('main', [
      { id: 'a', kind: 'nope' },
      { id: 'b', kind: 'output', props: { value: src('later') } },
      { id: 'later', kind: 'comment' },
    ]);
    const error = await executeSequence(project([s]), 'main', {}, options()).catch((e) => e);
    expect(error.code).toBe('INVALID_SEQUENCE');
    expect(error.message).toContain('a: unknown step kind "nope"');
    expect(error.message).toContain('b: props.value.source: "later" has not run before this step');
    expect(error.details).toHaveLength(2);
  });
});

describe('values', () => {
  it('templates rebuild objects and arrays that hold sources and expressions', async () => {
    const out = await run([{ id: 'o', kind: 'output', props: { value: { a: [src('variables', '$.x'), js('x + 1'), 'k'], b: { c: src('variables', '$.missing') } } } }], { x: 1 });
    expect(out).toEqual({ a: [1, 2, 'k'], b: {} });
  });

  it('constants are shared across executions but frozen, so outputs never alias mutable state', async () => {
    const s = seq('main', [{ id: 'o', kind: 'jsonObject', steps: [value('list', 'list', [1, 2])] }]);
    const p = project([s]);
    const a = (await executeSequence(p, 'main', {}, options())).output as { list: number[] };
    expect(Object.isFrozen(a.list)).toBe(true);
  });
});
