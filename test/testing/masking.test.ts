import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StudioService } from '../../src/service/studio-service.js';
import type { TestServer } from '../helpers/http-server.js';
import { startBackend, writeProject } from './fixture.js';

/**
 * Values of variables marked `secret` never show: every log line (engine, connector, the Log step), the
 * trace events, error messages, the execution history and test reports show *** instead.
 */
const SECRET = 'wrong-token-99';
const SEQ_SECRET = 'p4ssw0rd-xyz';

const LEAK = `name: leak
variables:
  - { name: password, type: string, secret: true }
steps:
  - id: say
    kind: log
    props: { level: warn, message: { js: "'logging in with ' + password" }, data: { source: { from: variables, path: $ } } }
  - id: echo
    kind: js
    props: { code: "return { seen: password }" }
  - id: boom
    kind: js
    props: { code: "throw new Error('rejected ' + password)" }
`;

let server: TestServer;
let dir = '';
let service: StudioService;
const events: Array<{ name: string; payload: unknown }> = [];

beforeAll(async () => {
  server = await startBackend();
  dir = await writeProject(server, {
    'sequences/leak.yaml': LEAK,
    'tests/secure.yaml': `target: api.secure\ncases:\n  - name: wrong token\n    variables: { token: ${SECRET} }\n    expect:\n      status: 200\n      assertions:\n        - { path: "$", equals: "${SECRET}" }\n`,
  });
  service = new StudioService({ logSpec: 'trace' });
  service.onEvent((name, payload) => events.push({ name, payload }));
  await service['project.open']({ dir });
});

afterAll(async () => {
  await service.dispose();
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

describe('secret masking, end to end through the studio service', () => {
  it('a transaction: the connector log (its URL), the trace and the history show *** where the secret was', async () => {
    events.length = 0;
    const result = await service['transaction.execute']({ project: dir, target: 'api.secure', variables: { token: SECRET } });
    expect(result.ok).toBe(true);
    // the backend did get the real value
    expect(server.last()?.url).toBe(`/secure?token=${SECRET}`);
    const logs = events.filter((e) => e.name === 'log.entry').map((e) => JSON.stringify(e.payload));
    const httpLine = logs.find((l) => l.includes('http call'));
    expect(httpLine).toContain('/secure?token=***');
    expect(logs.join('\n')).not.toContain(SECRET);
    expect(JSON.stringify(events.filter((e) => e.name === 'run.event'))).not.toContain(SECRET);

    const entry = await service['history.get']({ project: dir, id: result.runId });
    expect(entry.variables).toEqual({ token: '***' });
    // the backend echoed the secret in its answer: the history's copy hides it too
    expect(entry.output?.text).toContain('refused token ***');
    expect(JSON.stringify(entry)).not.toContain(SECRET);
    expect(JSON.stringify(await service['history.list']({ project: dir }))).not.toContain(SECRET);
  });

  it('a sequence: the Log step, step outputs in the trace, the error message and the history', async () => {
    events.length = 0;
    const result = await service['sequence.execute']({ project: dir, sequence: 'leak', variables: { password: SEQ_SECRET } });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.message).toContain('rejected ***');
    expect(result.error.message).not.toContain(SEQ_SECRET);
    const logs = events.filter((e) => e.name === 'log.entry').map((e) => e.payload as { message: string; data?: unknown });
    const said = logs.find((l) => l.message.startsWith('logging in with'));
    expect(said?.message).toBe('logging in with ***');
    expect(JSON.stringify(said?.data)).toContain('"password":"***"');
    const trace = events.filter((e) => e.name === 'run.event').map((e) => e.payload as { step: string; output?: unknown; error?: { message: string } });
    expect(trace.find((t) => t.step === 'echo' && t.output)?.output).toEqual({ seen: '***' });
    expect(trace.find((t) => t.step === 'boom' && t.error)?.error?.message).toContain('rejected ***');
    const all = JSON.stringify(events);
    expect(all).not.toContain(SEQ_SECRET);
    const entry = await service['history.get']({ project: dir, id: result.runId });
    expect(JSON.stringify(entry)).not.toContain(SEQ_SECRET);
    expect(entry.error?.message).toContain('rejected ***');
  });

  it('a test report: inputs, expected and actual values', async () => {
    const report = await service['tests.run']({ project: dir });
    expect(report.failed).toBe(1);
    const c = report.cases[0]!;
    expect(c.variables).toEqual({ token: '***' });
    expect(c.checks.find((x) => x.check === 'status')).toMatchObject({ ok: false, expected: 200, actual: 500 });
    expect(JSON.stringify(report)).not.toContain(SECRET);
    expect(JSON.stringify(report)).toContain('refused token ***');
  });

  it('"Create test case from this execution" writes no secret into the project: the case reads it from ${env:…}', async () => {
    const result = await service['transaction.execute']({ project: dir, target: 'api.secure', variables: { token: 'open-sesame-42' } });
    const created = await service['tests.createFromExecution']({ project: dir, runId: result.runId, file: 'secure-ok', name: 'admin' });
    const text = await readFile(join(dir, created.file), 'utf8');
    expect(text).not.toContain('open-sesame-42');
    expect(text).toContain('variables: { token: "${env:TOKEN}" }');
    expect(created.notes[0]).toContain('token is secret');
    process.env.TOKEN = 'open-sesame-42';
    try {
      const report = await service['tests.run']({ project: dir, file: 'tests/secure-ok.yaml' });
      expect(report.cases.map((r) => [r.name, r.ok])).toEqual([['admin', true]]);
      expect(JSON.stringify(report)).not.toContain('open-sesame-42');
    } finally {
      delete process.env.TOKEN;
    }
  });
});
