import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeSequence } from '../../src/engine/sequence/index.js';
import type { Project } from '../../src/model/index.js';
import { options, seq, src } from './helpers.js';

let dir: string;
let rows = 0;
const MB = 1024 * 1024;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trellis-bigcsv-'));
  await mkdir(join(dir, 'files'));
  const out = createWriteStream(join(dir, 'files', 'big.csv'));
  out.write('id,name,amount\n');
  let written = 0;
  while (written < 50 * MB) {
    let chunk = '';
    for (let i = 0; i < 5000; i++, rows++) chunk += `${rows},"Name ${rows % 101}, ""quoted""",${rows % 1000}.5\n`;
    written += chunk.length;
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}, 60_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('a 50 MB CSV through an Iterate', () => {
  it('is streamed row by row with bounded memory', async () => {
    const project: Project = {
      dir,
      name: 'big',
      formatVersion: 1,
      connectors: [],
      sequences: [
        seq('scan', [
          { id: 'csv', kind: 'readCsv', props: { file: 'big.csv' } },
          {
            id: 'each',
            kind: 'iterate',
            props: { over: src('csv') },
            steps: [{ id: 'last', kind: 'setVariable', props: { name: 'last', value: src('each', '$.item') } }],
          },
          { id: 'o', kind: 'output', props: { value: { count: src('each', '$.count'), last: src('variables', '$.last') } } },
        ]),
      ],
    };
    const before = process.memoryUsage.rss();
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 10);
    try {
      const { output } = await executeSequence(project, 'scan', {}, options({ timeoutMs: 120_000 }));
      expect(output).toEqual({ count: rows, last: { id: rows - 1, name: `Name ${(rows - 1) % 101}, "quoted"`, amount: ((rows - 1) % 1000) + 0.5 } });
    } finally {
      clearInterval(sampler);
    }
    // held whole, 50 MB of CSV is several hundred MB of row objects; streamed, the growth is a few chunks plus GC slack
    expect((peak - before) / MB).toBeLessThan(100);
  }, 120_000);
});
