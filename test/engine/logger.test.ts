import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Logs } from '../../src/engine/logger.js';

function capture(): { lines: Array<Record<string, unknown>>; stream: Writable } {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, stream };
}

describe('Logs', () => {
  it('gives each category its own level: TRELLIS_LOG over the project over the default', () => {
    const { lines, stream } = capture();
    const logs = new Logs({ spec: 'info,connector=debug', project: { transaction: 'error', project: 'debug' }, destination: stream });
    logs.get('connector').debug('connector detail');
    logs.get('engine').debug('engine detail (dropped: engine is at info)');
    logs.get('engine').info('engine info');
    logs.get('transaction').warn('dropped: the project sets transaction to error');
    logs.get('project').debug('project detail');
    expect(lines.map((l) => [l.category, l.msg])).toEqual([
      ['connector', 'connector detail'],
      ['engine', 'engine info'],
      ['project', 'project detail'],
    ]);
    expect(lines[0]).toHaveProperty('time');
  });

  it('reports an unknown level in TRELLIS_LOG instead of ignoring it', () => {
    const { lines, stream } = capture();
    new Logs({ spec: 'verbose', destination: stream });
    expect(lines[0]?.msg).toMatch(/unknown level "verbose"/);
  });
});
