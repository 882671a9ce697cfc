import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// `trellis debug` driven through stdin, as a script or a test would: one JSON line per pause, then the output.

const repo = resolve(import.meta.dirname, '../..');

function debug(args: string[], input: string): Promise<{ code: number; lines: any[]; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(repo, 'bin/trellis.mjs'), 'debug', ...args], { env: { ...process.env, TRELLIS_LOG: 'silent' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', fail);
    child.on('close', (code) => done({ code: code ?? -1, lines: stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l)), stderr }));
    child.stdin.end(input);
  });
}

let dir = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trellis-cli-debug-'));
  await mkdir(join(dir, 'sequences'), { recursive: true });
  await writeFile(join(dir, 'trellis.yaml'), 'name: dbg\nformatVersion: 1\n');
  await writeFile(
    join(dir, 'sequences/sum.yaml'),
    `name: sum
variables:
  - { name: n, type: integer, default: 3 }
steps:
  - id: loop
    kind: iterate
    props: { times: { js: "n" } }
    steps:
      - { id: square, kind: js, props: { code: "return index * index" } }
  - { id: twice, kind: callSequence, props: { sequence: double, variables: { x: { source: { from: square, path: "$" } } } } }
  - { id: out, kind: output, props: { value: { source: { from: twice, path: "$" } } } }
`,
  );
  await writeFile(
    join(dir, 'sequences/double.yaml'),
    `name: double
variables:
  - { name: x, type: integer, required: true }
steps:
  - { id: times2, kind: js, props: { code: "return x * 2" } }
  - { id: result, kind: output, props: { value: { source: { from: times2, path: "$" } } } }
`,
  );
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('trellis debug', () => {
  it('pauses at a conditional breakpoint, steps over, into a called sequence, and continues', async () => {
    const r = await debug([dir, 'sum', '--break', 'square:index === 2', '--break', 'twice'], 'n\ns\nc\n');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const pauses = r.lines.filter((l) => l.paused).map((l) => l.paused);
    expect(pauses.map((p) => `${p.sequence}:${p.step.id}:${p.reason}`)).toEqual(['sum:square:breakpoint', 'sum:twice:breakpoint', 'double:times2:step']);
    expect(pauses[0].loops).toEqual([{ step: 'loop', kind: 'iterate', item: 2, index: 2, count: 2 }]);
    expect(pauses[1].outputs.map((o: { step: string }) => o.step)).toEqual(['loop', 'square']);
    expect(pauses[2].variables).toEqual({ x: 4 });
    expect(pauses[2].callStack).toEqual([
      { sequence: 'sum', step: 'twice' },
      { sequence: 'double', step: 'times2' },
    ]);
    expect(r.lines.at(-1)).toEqual({ output: 8 });
  });

  it('stops on q, and explains a command it does not know', async () => {
    const r = await debug([dir, 'sum', '--stop-on-entry', '--var', 'n=2'], 'jump\nq\n');
    expect(r.lines[0].paused.step.id).toBe('loop');
    expect(r.stderr).toContain('"jump" is not a command');
    expect(r.stderr).toContain('the execution was cancelled');
    expect(r.code).toBe(1);
  });
});
