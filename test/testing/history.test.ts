import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HISTORY_SIZE, KEPT_OUTPUT_CHARS, KEPT_TRACE_OUTPUT_CHARS } from '../../src/service/history.js';
import { StudioService } from '../../src/service/studio-service.js';
import { sendJson, startServer, type TestServer } from '../helpers/http-server.js';
import { writeProject } from './fixture.js';

let server: TestServer;
let dir = '';
let service: StudioService;
const big = 'x'.repeat(KEPT_OUTPUT_CHARS * 2);

beforeAll(async () => {
  server = await startServer({
    '/items/big': (_req, res) => sendJson(res, 200, { id: 0, name: big, tags: [] }),
    '*': (req, res) => {
      const id = req.path.split('/').pop();
      sendJson(res, 200, { id: Number(id), name: `item ${id}`, tags: [] });
    },
  });
  dir = await writeProject(server);
  service = new StudioService({ logSpec: 'silent' });
  await service['project.open']({ dir });
});

afterAll(async () => {
  await service.dispose();
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

describe('execution history', () => {
  it('keeps inputs, output, trace and duration of each execution, newest first', async () => {
    const tx = await service['transaction.execute']({ project: dir, target: 'api.getItem', variables: { id: '5' } });
    const seq = await service['sequence.execute']({ project: dir, sequence: 'itemCard', variables: { id: '6' } });
    const { entries } = await service['history.list']({ project: dir });
    expect(entries.slice(0, 2).map((e) => [e.id, e.kind, e.target, e.ok, e.variables])).toEqual([
      [seq.runId, 'sequence', 'itemCard', true, { id: '6' }],
      [tx.runId, 'transaction', 'api.getItem', true, { id: '5' }],
    ]);
    expect(entries[1]!.status).toBe(200);
    expect(entries[0]!.ms).toBeGreaterThan(0);
    expect(Date.parse(entries[0]!.startedAt)).toBeGreaterThan(Date.now() - 60_000);

    const full = await service['history.get']({ project: dir, id: seq.runId });
    expect(JSON.parse(full.output!.text)).toEqual({ title: 'item 6', id: 6 });
    expect(full.output!.truncated).toBe(false);
    expect(full.trace.map((e) => `${e.step || '(sequence)'} ${e.phase}`)).toEqual(
      expect.arrayContaining(['(sequence) start', 'item start', 'item end', 'card end', '(sequence) end']),
    );
    expect(full.traceTruncated).toBe(false);
  });

  it('cuts large values and marks them: the output and step outputs in the trace', async () => {
    const tx = await service['transaction.execute']({ project: dir, target: 'api.getItem', variables: { id: 'big' } });
    const entry = await service['history.get']({ project: dir, id: tx.runId });
    expect(entry.output!.truncated).toBe(true);
    expect(entry.output!.text.length).toBe(KEPT_OUTPUT_CHARS);
    expect(entry.output!.totalChars).toBeGreaterThan(KEPT_OUTPUT_CHARS * 2);

    const seq = await service['sequence.execute']({ project: dir, sequence: 'itemCard', variables: { id: 'big' } });
    const traced = await service['history.get']({ project: dir, id: seq.runId });
    const item = traced.trace.find((e) => e.step === 'item' && e.phase === 'end')!;
    expect(item.output).toMatchObject({ $truncated: true });
    expect((item.output as { preview: string }).preview.length).toBe(KEPT_TRACE_OUTPUT_CHARS);
  });

  it('re-runs an execution with the same inputs; a failed one is kept with its error', async () => {
    const first = await service['transaction.execute']({ project: dir, target: 'api.getItem', variables: { id: '42' } });
    const before = server.requests.length;
    const again = await service['history.rerun']({ project: dir, id: first.runId });
    expect(again.ok && JSON.parse(again.body.text)).toEqual({ id: 42, name: 'item 42', tags: [] });
    expect(server.requests.at(-1)?.path).toBe('/items/42');
    expect(server.requests.length).toBe(before + 1);
    expect((await service['history.list']({ project: dir })).entries[0]!.id).toBe(again.runId);

    const failed = await service['transaction.execute']({ project: dir, target: 'api.getItem', variables: {} });
    const entry = await service['history.get']({ project: dir, id: failed.runId });
    expect(entry.ok).toBe(false);
    expect(entry.error).toMatchObject({ code: 'BAD_VARIABLE', message: expect.stringContaining('variable "id" is required') });
    await expect(service['history.get']({ project: dir, id: 'run-nope' })).rejects.toThrow('is not in the history of this project');
  });

  it(`keeps the last ${HISTORY_SIZE} executions per project`, async () => {
    const ids: string[] = [];
    for (let i = 0; i < HISTORY_SIZE + 5; i++) ids.push((await service['transaction.execute']({ project: dir, target: 'api.getItem', variables: { id: String(i) } })).runId);
    const { entries } = await service['history.list']({ project: dir });
    expect(entries).toHaveLength(HISTORY_SIZE);
    expect(entries[0]!.id).toBe(ids.at(-1));
    expect(entries.at(-1)!.id).toBe(ids[5]);
    await service['project.close']({ project: dir });
    await service['project.open']({ dir });
    expect((await service['history.list']({ project: dir })).entries).toEqual([]);
  }, 120_000);
});
