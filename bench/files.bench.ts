// Reading a large CSV through an Iterate (Read CSV streamed as the Iterate's `over`): rows per second and the
// peak RSS of the process running the sequence (a child process, so the generator's memory does not count).
// The acceptance bar: a 500 MB file read with the process under 200 MB RSS.
// Run: node bin/run-ts.mjs bench/files.bench.ts [sizeMB]   (default 500; the file goes to a temp dir, removed after)
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Project } from '../src/model/index.js';
import { envFrom } from '../src/engine/env.js';
import { ConnectionPool } from '../src/engine/pool.js';
import { executeSequence } from '../src/engine/sequence/index.js';

const LIMIT_MB = 200;
const src = (from: string, path: string) => ({ source: { from, path } });

/** Writes about `mb` megabytes of CSV: an id, a quoted name with a comma, an amount, a flag. */
async function generate(file: string, mb: number): Promise<number> {
  const out = createWriteStream(file);
  out.write('id,name,amount,active,note\n');
  const target = mb * 1024 * 1024;
  let written = 0;
  let rows = 0;
  while (written < target) {
    let chunk = '';
    for (let i = 0; i < 10_000; i++, rows++) chunk += `${rows},"Customer ${rows % 997}, Inc.",${(rows % 10_000) / 100},${rows % 3 === 0},plain note text here\n`;
    written += Buffer.byteLength(chunk);
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return rows;
}

/** The child: runs the sequence over the file and reports rows, time and peak RSS. */
async function child(dir: string): Promise<void> {
  const baseline = process.memoryUsage.rss();
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20);
  const project: Project = {
    dir,
    name: 'bench',
    formatVersion: 1,
    connectors: [],
    sequences: [
      {
        name: 'scan',
        exposed: true,
        variables: [],
        steps: [
          { id: 'csv', kind: 'readCsv', props: { file: 'big.csv' } },
          { id: 'each', kind: 'iterate', props: { over: src('csv', '$') }, steps: [{ id: 'amount', kind: 'setVariable', props: { name: 'last', value: src('each', '$.item.amount') } }] },
          { id: 'out', kind: 'output', props: { value: src('each', '$.count') } },
        ],
      },
    ],
  };
  const started = performance.now();
  const result = await executeSequence(project, 'scan', {}, { env: envFrom({}), pool: new ConnectionPool(), timeoutMs: 30 * 60_000, maxSteps: Number.MAX_SAFE_INTEGER });
  const ms = performance.now() - started;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage.rss());
  console.log(JSON.stringify({ rows: result.output, ms, peakRss: peak, baseline }));
}

async function main(): Promise<void> {
  if (process.argv[2] === '--child') return child(process.argv[3]!);
  const mb = Number(process.argv[2] ?? 500);
  const dir = await mkdtemp(join(tmpdir(), 'trellis-bench-files-'));
  try {
    await mkdir(join(dir, 'files'));
    const file = join(dir, 'files', 'big.csv');
    const t0 = performance.now();
    const rows = await generate(file, mb);
    const size = (await stat(file)).size;
    console.log(`generated ${(size / 1048576).toFixed(0)} MB, ${rows.toLocaleString('en')} rows in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const r = spawnSync(process.execPath, [resolve(import.meta.dirname, '../bin/run-ts.mjs'), import.meta.filename, '--child', dir], { encoding: 'utf8', maxBuffer: 1 << 20 });
    if (r.status !== 0) throw new Error(`the child failed (${r.status ?? r.signal}): ${r.stderr}`);
    const report = JSON.parse(r.stdout.trim().split('\n').pop()!) as { rows: number; ms: number; peakRss: number; baseline: number };
    const peakMb = report.peakRss / 1048576;
    console.log(`read ${report.rows.toLocaleString('en')} rows through an Iterate in ${(report.ms / 1000).toFixed(1)} s`);
    console.log(`rows/s: ${Math.round(report.rows / (report.ms / 1000)).toLocaleString('en')}   MB/s: ${(size / 1048576 / (report.ms / 1000)).toFixed(1)}`);
    console.log(`peak RSS of the sequence process: ${peakMb.toFixed(0)} MB (${(report.baseline / 1048576).toFixed(0)} MB before the run; bar: under ${LIMIT_MB} MB) ${peakMb < LIMIT_MB ? 'OK' : 'OVER'}`);
    if (report.rows !== rows) console.log(`MISMATCH: ${rows} rows written, ${report.rows} read`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
