import { mkdir, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listFolder } from '../../src/service/fs-browse.js';
import { listKinds } from '../../src/service/kinds.js';
import { logEventStream, toLogEntry } from '../../src/service/logs.js';
import { Logs } from '../../src/engine/logger.js';
import type { LogEntry } from '../../src/contract/index.js';
import { recordingService, tempDir } from './helpers.js';

describe('kinds.list', () => {
  it('describes the http connector with JSON Schemas of its config and transactions', () => {
    const { connectors, variableSchema } = listKinds();
    const http = connectors.find((k) => k.kind === 'http')!;
    expect(http.transactionTypes).toEqual(['json', 'xml', 'text', 'binary']);
    const props = (http.configSchema as any).properties;
    expect(props.host).toMatchObject({ type: 'string', description: expect.stringContaining('No protocol') });
    expect(props.https).toMatchObject({ type: 'boolean', default: false });
    // io: 'input': fields with defaults are not required of the person filling the form
    expect((http.configSchema as any).required).toEqual(['host']);
    expect((http.transactionSchema as any).properties.method.enum).toContain('GET');
    expect((variableSchema as any).properties.type.enum).toContain('integer');
  });
});

describe('fs.list', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    tmp = await tempDir();
    for (const d of ['beta', 'Alpha', '.hidden', 'proj', 'item10', 'item9']) await mkdir(join(tmp.dir, d));
    await writeFile(join(tmp.dir, 'proj/trellis.yaml'), 'name: proj\nformatVersion: 1\n');
    await writeFile(join(tmp.dir, 'file.txt'), 'not a folder');
  });
  afterAll(() => tmp.remove());

  it('lists sub-folders only, sorted, projects marked, hidden ones left out', async () => {
    const l = await listFolder(tmp.dir);
    expect(l.entries.map((e) => e.name)).toEqual(['Alpha', 'beta', 'item9', 'item10', 'proj']);
    expect(l.entries.find((e) => e.name === 'proj')).toMatchObject({ isProject: true, isDir: true, path: join(tmp.dir, 'proj') });
    expect(l).toMatchObject({ dir: tmp.dir, home: homedir(), isProject: false });
    expect((await listFolder(join(tmp.dir, 'proj'))).isProject).toBe(true);
    expect((await listFolder('/')).parent).toBeNull();
  });

  it('starts at home and names a missing folder', async () => {
    expect((await listFolder(undefined)).dir).toBe(homedir());
    await expect(listFolder(join(tmp.dir, 'nope'))).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('does not exist') });
    await expect(listFolder(join(tmp.dir, 'file.txt'))).rejects.toMatchObject({ message: expect.stringContaining('is not a folder') });
  });
});

describe('logs', () => {
  it('turns pino lines into log.entry events', () => {
    const entries: LogEntry[] = [];
    const logs = new Logs({ spec: 'info', destination: logEventStream((e) => entries.push(e)) });
    logs.get('connector').info({ url: 'http://x' }, 'GET http://x');
    logs.get('connector').debug('hidden');
    expect(entries).toEqual([{ time: expect.any(String), level: 'info', category: 'connector', message: 'GET http://x', data: { url: 'http://x' } }]);
    expect(toLogEntry('not json').message).toBe('not json');
  });

  it('emits the service logs as events', async () => {
    const { service, events } = recordingService();
    (service.logger as any).level = 'info';
    service.logger.info('hello');
    expect(events).toContainEqual({ name: 'log.entry', payload: expect.objectContaining({ category: 'studio', message: 'hello', level: 'info' }) });
    await service.dispose();
  });
});
