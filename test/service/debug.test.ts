import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { debugSnapshotSchema, type DebugSnapshotDto, type ExecutionResult } from '../../src/contract/index.js';
import { createDispatcher, type Dispatcher } from '../../src/service/dispatch.js';
import type { StudioService } from '../../src/service/studio-service.js';
import { sendJson, startServer, type TestServer } from '../helpers/http-server.js';
import { recordingService, tempDir, waitFor, type Recorded } from './helpers.js';

// A debug session driven only through the contract (the dispatcher every transport uses), against a real
// HTTP upstream: pause at a breakpoint, step over, step into a called sequence, step out, continue, stop,
// conditional breakpoints, and the deadline that does not count the time paused.

const CONNECTOR = (port: number) => `name: catalog
kind: http
config: { host: 127.0.0.1, https: false, port: ${port} }
transactions:
  - name: getProduct
    type: json
    method: GET
    path: /products/{id}
    variables:
      - { name: id, type: integer, required: true }
`;

const MAIN = `name: main
variables:
  - { name: id, type: integer, default: 7 }
steps:
  - { id: product, kind: callTransaction, props: { transaction: catalog.getProduct, variables: { id: { source: { from: variables, path: "$.id" } } } } }
  - id: lines
    kind: iterate
    props: { over: [1, 2, 3] }
    steps:
      - { id: line, kind: js, props: { code: "return item * 10" } }
  - id: card
    kind: jsonObject
    steps:
      - { id: title, kind: jsonValue, props: { key: title, value: { source: { from: product, path: "$.name" } } } }
  - { id: detail, kind: callSequence, props: { sequence: detail, variables: { id: { source: { from: variables, path: "$.id" } } } } }
  - { id: after, kind: js, props: { code: "return steps.detail.total + 1" } }
  - { id: out, kind: output, props: { value: { title: { source: { from: card, path: "$.title" } }, total: { source: { from: after, path: "$" } } } } }
`;

const DETAIL = `name: detail
variables:
  - { name: id, type: integer, required: true }
steps:
  - { id: twice, kind: setVariable, props: { name: total, value: { js: "id * 2" } } }
  - id: result
    kind: jsonObject
    steps:
      - { id: total, kind: jsonValue, props: { key: total, value: { source: { from: variables, path: "$.total" } } } }
`;

// Two branches that both reach a breakpoint: one pause at a time, the other waits for the resume.
const PAR = `name: par
steps:
  - id: both
    kind: parallel
    steps:
      - { id: left, kind: js, props: { code: "return 'L'" } }
      - { id: right, kind: js, props: { code: "return 'R'" } }
  - { id: out, kind: output, props: { value: { l: { source: { from: left, path: "$" } }, r: { source: { from: right, path: "$" } } } } }
`;

const SECRET = `name: secretive
variables:
  - { name: token, type: string, secret: true, default: s3cr3t-token }
steps:
  - { id: header, kind: js, props: { code: "return 'Bearer ' + token" } }
  - { id: end, kind: output, props: { value: { source: { from: header, path: "$" } } } }
`;

const BIG = `name: big
steps:
  - { id: long, kind: js, props: { code: "return { text: 'x'.repeat(100000), list: Array.from({ length: 1000 }, (_, i) => i) }" } }
  - { id: end, kind: output, props: { value: 1 } }
`;

let tmp: Awaited<ReturnType<typeof tempDir>>;
let server: TestServer;
let service: StudioService;
let events: Recorded[];
let api: Dispatcher;
let dir: string;

async function call(method: string, params: Record<string, unknown>): Promise<any> {
  const r = await api.dispatch(method, params);
  if (!r.ok) throw Object.assign(new Error(r.error.message), { code: r.error.code });
  return r.result;
}

/** The next debug.paused of a run after the `seen` events already looked at. */
async function pausedAfter(runId: string, seen: number): Promise<{ snapshot: DebugSnapshotDto; at: number }> {
  const at = await waitFor(
    () => {
      const i = events.findIndex((e, n) => n >= seen && e.name === 'debug.paused' && e.payload.runId === runId);
      return i >= 0 ? i + 1 : false;
    },
    15_000,
    `a pause of ${runId}`,
  );
  const snapshot = events[at - 1]!.payload.snapshot;
  expect(debugSnapshotSchema.safeParse(snapshot).success).toBe(true);
  return { snapshot, at };
}

const outputs = (s: DebugSnapshotDto) => Object.fromEntries(s.outputs.map((o) => [o.step, o.output]));

beforeAll(async () => {
  server = await startServer({ 'GET /products/7': (_req, res) => sendJson(res, 200, { id: 7, name: 'Teapot', price: 25 }) });
  tmp = await tempDir('trellis-debug-');
  dir = join(tmp.dir, 'shop');
  await mkdir(join(dir, 'connectors'), { recursive: true });
  await mkdir(join(dir, 'sequences'), { recursive: true });
  await writeFile(join(dir, 'trellis.yaml'), 'name: shop\nformatVersion: 1\n');
  await writeFile(join(dir, 'connectors', 'catalog.yaml'), CONNECTOR(server.port));
  for (const [name, text] of Object.entries({ main: MAIN, detail: DETAIL, big: BIG, par: PAR, secretive: SECRET })) await writeFile(join(dir, 'sequences', `${name}.yaml`), text);
  ({ service, events } = recordingService());
  api = createDispatcher(service);
  const state = await call('project.open', { dir });
  expect(state.problems).toEqual([]);
});

afterAll(async () => {
  await service.dispose();
  await server.close();
  await tmp.remove();
});

describe('sequence.debug', () => {
  it('pauses at a breakpoint, steps over, into a called sequence, out of it, and continues to the end', async () => {
    expect(await call('debug.setBreakpoints', { project: dir, sequence: 'main', breakpoints: [{ step: 'card' }] })).toEqual({ breakpoints: [{ step: 'card' }] });
    const seen = events.length;
    const done: Promise<ExecutionResult> = call('sequence.debug', { project: dir, sequence: 'main', runId: 'dbg-1' });

    // at the breakpoint: the step about to run, and what ran before it
    let { snapshot, at } = await pausedAfter('dbg-1', seen);
    expect(snapshot).toMatchObject({ reason: 'breakpoint', sequence: 'main', step: { id: 'card', path: 'card', trace: 'card', kind: 'jsonObject' }, variables: { id: 7 } });
    expect(snapshot.callStack).toEqual([{ sequence: 'main', step: 'card' }]);
    expect(outputs(snapshot)).toEqual({ product: { id: 7, name: 'Teapot', price: 25 }, lines: { count: 3 }, line: 30 });
    expect(snapshot.session).toEqual({}); // the studio's session of the project: nothing stored in it yet
    expect(snapshot.truncated).toBe(false);

    // step over: the whole JSON Object (its child included) runs, the pause moves to the next sibling
    expect(await call('debug.command', { runId: 'dbg-1', command: 'stepOver' })).toEqual({ ok: true });
    expect(events.slice(at).some((e) => e.name === 'debug.resumed' && e.payload.runId === 'dbg-1' && e.payload.command === 'stepOver')).toBe(true);
    ({ snapshot, at } = await pausedAfter('dbg-1', at));
    expect(snapshot).toMatchObject({ reason: 'step', step: { id: 'detail', kind: 'callSequence' } });
    expect(outputs(snapshot)).toMatchObject({ card: { title: 'Teapot' }, title: 'Teapot' });

    // step into the called sequence: its first step, its own variables, a two-level call stack
    await call('debug.command', { runId: 'dbg-1', command: 'stepInto' });
    ({ snapshot, at } = await pausedAfter('dbg-1', at));
    expect(snapshot).toMatchObject({ reason: 'step', sequence: 'detail', step: { id: 'twice', trace: 'detail/twice' }, variables: { id: 7 }, outputs: [] });
    expect(snapshot.callStack).toEqual([
      { sequence: 'main', step: 'detail' },
      { sequence: 'detail', step: 'twice' },
    ]);

    // step over inside it, then step out: back in the caller, after the call, with its output
    await call('debug.command', { runId: 'dbg-1', command: 'stepOver' });
    ({ snapshot, at } = await pausedAfter('dbg-1', at));
    expect(snapshot).toMatchObject({ sequence: 'detail', step: { id: 'result' }, variables: { id: 7, total: 14 } });
    await call('debug.command', { runId: 'dbg-1', command: 'stepOut' });
    ({ snapshot, at } = await pausedAfter('dbg-1', at));
    expect(snapshot).toMatchObject({ sequence: 'main', step: { id: 'after' }, variables: { id: 7 } });
    expect(outputs(snapshot).detail).toEqual({ total: 14 });
    expect(snapshot.callStack).toEqual([{ sequence: 'main', step: 'after' }]);

    await call('debug.command', { runId: 'dbg-1', command: 'continue' });
    const result = await done;
    if (!result.ok) throw new Error(result.error.message);
    expect(JSON.parse(result.body.text)).toEqual({ title: 'Teapot', total: 15 });
    // no more pauses after continue, and the run is gone
    expect(events.slice(at).filter((e) => e.name === 'debug.paused')).toEqual([]);
    await expect(call('debug.command', { runId: 'dbg-1', command: 'continue' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('steps into containers and out of them, showing the current iterate item and index', async () => {
    const seen = events.length;
    const done: Promise<ExecutionResult> = call('sequence.debug', { project: dir, sequence: 'main', runId: 'dbg-2', breakpoints: [{ step: 'lines' }] });
    let { at } = await pausedAfter('dbg-2', seen);
    await call('debug.command', { runId: 'dbg-2', command: 'stepInto' });
    let snapshot: DebugSnapshotDto;
    ({ snapshot, at } = await pausedAfter('dbg-2', at));
    expect(snapshot).toMatchObject({ step: { id: 'line', path: 'lines/line' }, loops: [{ step: 'lines', kind: 'iterate', item: 1, index: 0 }] });
    // step over a loop's last child: the next pass
    await call('debug.command', { runId: 'dbg-2', command: 'stepOver' });
    ({ snapshot, at } = await pausedAfter('dbg-2', at));
    expect(snapshot).toMatchObject({ step: { id: 'line' }, loops: [{ item: 2, index: 1 }] });
    expect(outputs(snapshot).line).toBe(10);
    // step out of the loop: the step after it
    await call('debug.command', { runId: 'dbg-2', command: 'stepOut' });
    ({ snapshot } = await pausedAfter('dbg-2', at));
    expect(snapshot).toMatchObject({ step: { id: 'card' }, loops: [] });
    expect(outputs(snapshot).line).toBe(30);
    await call('debug.command', { runId: 'dbg-2', command: 'continue' });
    expect((await done).ok).toBe(true);
  });

  it('pauses at a conditional breakpoint only when its condition holds, and at one whose condition fails, with the error', async () => {
    // true on the second pass only
    let seen = events.length;
    let done: Promise<ExecutionResult> = call('sequence.debug', { project: dir, sequence: 'main', runId: 'cond-true', breakpoints: [{ step: 'line', condition: 'index === 1 && steps.product.price > 20' }] });
    const { snapshot } = await pausedAfter('cond-true', seen);
    expect(snapshot).toMatchObject({ reason: 'breakpoint', condition: 'index === 1 && steps.product.price > 20', step: { id: 'line' }, loops: [{ item: 2, index: 1 }] });
    await call('debug.command', { runId: 'cond-true', command: 'continue' });
    expect((await done).ok).toBe(true);
    expect(events.slice(seen).filter((e) => e.name === 'debug.paused' && e.payload.runId === 'cond-true')).toHaveLength(1);

    // never true: the run goes through without a pause
    seen = events.length;
    const through = await call('sequence.debug', { project: dir, sequence: 'main', runId: 'cond-false', breakpoints: [{ step: 'line', condition: 'index > 5' }] });
    expect(through.ok).toBe(true);
    expect(events.slice(seen).filter((e) => e.name === 'debug.paused')).toEqual([]);

    // a condition that throws pauses with the error, and the run is not harmed: stop cancels it
    seen = events.length;
    done = call('sequence.debug', { project: dir, sequence: 'main', runId: 'cond-error', breakpoints: [{ step: 'card', condition: 'nothing.here > 1' }] });
    const failed = await pausedAfter('cond-error', seen);
    expect(failed.snapshot).toMatchObject({ reason: 'condition-error', step: { id: 'card' }, condition: 'nothing.here > 1', conditionError: expect.stringMatching(/nothing/) });
    await call('debug.command', { runId: 'cond-error', command: 'stop' });
    expect(await done).toMatchObject({ ok: false, runId: 'cond-error', error: { code: 'CANCELLED' } });
    expect(events.slice(seen).some((e) => e.name === 'debug.resumed' && e.payload.command === 'stop')).toBe(true);
  });

  it('applies breakpoints set during the run and those of called sequences', async () => {
    await call('debug.setBreakpoints', { project: dir, sequence: 'detail', breakpoints: [{ step: 'total' }] });
    const seen = events.length;
    const done: Promise<ExecutionResult> = call('sequence.debug', { project: dir, sequence: 'main', runId: 'dbg-3', breakpoints: [{ step: 'product' }] });
    let { snapshot, at } = await pausedAfter('dbg-3', seen);
    expect(snapshot.step.id).toBe('product');
    expect(outputs(snapshot)).toEqual({});
    // while paused: a breakpoint on `after` instead of `product`
    await call('debug.setBreakpoints', { runId: 'dbg-3', project: dir, sequence: 'main', breakpoints: [{ step: 'after' }] });
    await call('debug.command', { runId: 'dbg-3', command: 'continue' });
    ({ snapshot, at } = await pausedAfter('dbg-3', at));
    expect(snapshot).toMatchObject({ sequence: 'detail', step: { id: 'total', path: 'result/total', trace: 'detail/result/total' } });
    await call('debug.command', { runId: 'dbg-3', command: 'continue' });
    ({ snapshot } = await pausedAfter('dbg-3', at));
    expect(snapshot.step.id).toBe('after');
    await call('debug.command', { runId: 'dbg-3', command: 'continue' });
    expect((await done).ok).toBe(true);
    await call('debug.setBreakpoints', { project: dir, sequence: 'detail', breakpoints: [] });
  });

  it('pauses before the first step with stopOnEntry, and then steps into containers', async () => {
    const seen = events.length;
    const done: Promise<ExecutionResult> = call('sequence.debug', { project: dir, sequence: 'main', runId: 'entry', breakpoints: [], stopOnEntry: true });
    let { snapshot, at } = await pausedAfter('entry', seen);
    expect(snapshot).toMatchObject({ reason: 'step', step: { id: 'product' }, outputs: [] });
    await call('debug.command', { runId: 'entry', command: 'stepOver' });
    ({ snapshot, at } = await pausedAfter('entry', at));
    expect(snapshot.step.id).toBe('lines');
    await call('debug.command', { runId: 'entry', command: 'stepInto' });
    ({ snapshot } = await pausedAfter('entry', at));
    expect(snapshot).toMatchObject({ step: { id: 'line' }, loops: [{ item: 1, index: 0 }] });
    await call('debug.command', { runId: 'entry', command: 'continue' });
    expect((await done).ok).toBe(true);
  });

  it('does not count the time paused against the deadline', async () => {
    const seen = events.length;
    const done: Promise<ExecutionResult> = call('sequence.debug', { project: dir, sequence: 'main', runId: 'late', timeoutMs: 400, breakpoints: [{ step: 'card' }] });
    await pausedAfter('late', seen);
    await new Promise((r) => setTimeout(r, 1200));
    await call('debug.command', { runId: 'late', command: 'continue' });
    const result = await done;
    expect(result).toMatchObject({ ok: true });
  });

  it('pauses parallel branches one at a time', async () => {
    const seen = events.length;
    const done: Promise<ExecutionResult> = call('sequence.debug', { project: dir, sequence: 'par', runId: 'par-1', breakpoints: [{ step: 'left' }, { step: 'right' }] });
    const first = await pausedAfter('par-1', seen);
    // the other branch waits: no second pause while the first is not resumed
    await new Promise((r) => setTimeout(r, 300));
    expect(events.slice(seen).filter((e) => e.name === 'debug.paused')).toHaveLength(1);
    await call('debug.command', { runId: 'par-1', command: 'continue' });
    const second = await pausedAfter('par-1', first.at);
    expect([first.snapshot.step.id, second.snapshot.step.id].sort()).toEqual(['left', 'right']);
    await call('debug.command', { runId: 'par-1', command: 'continue' });
    const result = await done;
    if (!result.ok) throw new Error(result.error.message);
    expect(JSON.parse(result.body.text)).toEqual({ l: 'L', r: 'R' });
  });

  it('masks the values of secret variables in snapshots', async () => {
    const seen = events.length;
    const done: Promise<ExecutionResult> = call('sequence.debug', { project: dir, sequence: 'secretive', runId: 'secret-1', breakpoints: [{ step: 'end' }] });
    const { snapshot } = await pausedAfter('secret-1', seen);
    expect(snapshot.variables).toEqual({ token: '***' });
    expect(outputs(snapshot)).toEqual({ header: 'Bearer ***' });
    expect(JSON.stringify(snapshot)).not.toContain('s3cr3t');
    await call('debug.command', { runId: 'secret-1', command: 'continue' });
    expect((await done).ok).toBe(true);
  });

  it('bounds large values and marks the cuts', async () => {
    const seen = events.length;
    const done: Promise<ExecutionResult> = call('sequence.debug', { project: dir, sequence: 'big', runId: 'big-1', breakpoints: [{ step: 'end' }] });
    const { snapshot } = await pausedAfter('big-1', seen);
    expect(snapshot.truncated).toBe(true);
    const long = outputs(snapshot).long as { text: string; list: unknown[] };
    expect(long.text).toMatch(/^x{2000}… \[truncated: 100000 chars\]$/);
    expect(long.list).toHaveLength(101);
    expect(long.list[100]).toBe('… [truncated: 900 more items, 1000 in all]');
    expect(JSON.stringify(snapshot).length).toBeLessThan(10_000);
    await call('debug.command', { runId: 'big-1', command: 'continue' });
    expect((await done).ok).toBe(true);
  });

  it('says clearly what is wrong with a breakpoint or a command', async () => {
    await expect(call('debug.setBreakpoints', { project: dir, sequence: 'main', breakpoints: [{ step: 'nope' }] })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'sequence main has no step "nope" to break at (breakpoints name step ids)',
    });
    await expect(call('debug.setBreakpoints', { project: dir, sequence: 'ghost', breakpoints: [] })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(call('debug.command', { runId: 'never', command: 'stepOver' })).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('no debug run never') });
    await expect(call('debug.command', { runId: 'x', command: 'jump' })).rejects.toMatchObject({ code: 'BAD_PARAMS' });
    // duplicates collapse to one breakpoint per step; blank conditions are none
    expect(await call('debug.setBreakpoints', { project: dir, sequence: 'main', breakpoints: [{ step: 'card', condition: ' ' }, { step: 'card', condition: ' index > 1 ' }, { step: 'out' }] })).toEqual({
      breakpoints: [{ step: 'card', condition: 'index > 1' }, { step: 'out' }],
    });
    await call('debug.setBreakpoints', { project: dir, sequence: 'main', breakpoints: [] });
  });
});
