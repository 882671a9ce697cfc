import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportBundle } from '../../src/bundle/index.js';
import { createDispatcher, type Dispatcher } from '../../src/service/dispatch.js';
import { uploadBundle } from '../../src/service/bundle-upload.js';
import type { StudioService } from '../../src/service/studio-service.js';
import { startRuntime, type Runtime } from '../../src/runtime/server.js';
import { logSink, writeProject } from '../runtime/helpers.js';
import { sendJson, startServer, type TestServer } from '../helpers/http-server.js';
import { recordingService, tempDir, type Recorded } from './helpers.js';

/** Project > Export bundle… and Project > Deploy to server… against a real runtime with its admin API on 127.0.0.1. */

const TOKEN = 'deploy-token-for-tests';
let tmp: Awaited<ReturnType<typeof tempDir>>;
let upstream: TestServer;
let runtime: Runtime;
let closedRuntimeUrl: string;
let service: StudioService;
let events: Recorded[];
let api: Dispatcher;
let dir: string;

async function rpc(method: string, params: unknown): Promise<any> {
  const r = await api.dispatch(method, params);
  if (!r.ok) throw Object.assign(new Error(r.error.message), r.error);
  return r.result;
}

const progress = (taskId: string) => events.filter((e) => e.name === 'task.progress' && e.payload.taskId === taskId).map((e) => e.payload);

beforeAll(async () => {
  tmp = await tempDir('trellis-deploy-');
  upstream = await startServer({ 'GET /price': (req, res) => sendJson(res, 200, { sku: req.query.get('sku'), price: 12.5 }) });
  dir = await writeProject(
    {
      'trellis.yaml': { name: 'shop', formatVersion: 1 },
      'connectors/catalog.yaml': { name: 'catalog', kind: 'http', config: { host: upstream.host }, transactions: [{ name: 'price', path: '/price', variables: [{ name: 'sku', type: 'string' }] }] },
      'sequences/quote.yaml': {
        name: 'quote',
        variables: [{ name: 'sku', type: 'string', required: true }],
        steps: [
          { id: 'p', kind: 'callTransaction', props: { transaction: 'catalog.price', variables: { sku: { source: { from: 'variables', path: '$.sku' } } } } },
          { id: 'out', kind: 'output', props: { value: { source: { from: 'p', path: '$' } } } },
        ],
      },
      'mappings.yaml': { routes: [{ method: 'GET', path: '/quotes/{sku}', target: { sequence: 'quote' } }] },
      '.env': 'CATALOG_TOKEN=never-exported\n',
    },
    join(tmp.dir, 'shop'),
  );
  runtime = await startRuntime({ sources: [], adminToken: TOKEN, logSpec: 'silent', logDestination: logSink().stream, sessionStore: 'memory' });
  const closed = await startRuntime({ sources: [], logSpec: 'silent', logDestination: logSink().stream, sessionStore: 'memory' });
  closedRuntimeUrl = closed.url;
  await closed.close();
  ({ service, events } = recordingService());
  api = createDispatcher(service);
  await rpc('project.open', { dir });
}, 30_000);

afterAll(async () => {
  await service?.dispose();
  await runtime?.close();
  await upstream?.close();
  await tmp?.remove();
});

describe('bundle.export', () => {
  it('writes <project>/../<name>-<version>.trellis by default, with progress, and says what it wrote', async () => {
    const info = await rpc('bundle.info', { project: dir });
    expect(info).toMatchObject({ name: 'shop', dirty: false });
    expect(info.file).toBe(join(dirname(dir), `shop-${info.version}.trellis`));
    const result = await rpc('bundle.export', { project: dir, taskId: 'export-1' });
    expect(result).toMatchObject({ file: info.file, name: 'shop', version: info.version, files: 4, env: [], skipped: [] });
    const bytes = await readFile(result.file);
    expect(result.bytes).toBe(bytes.length);
    expect(result.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(bytes.includes(Buffer.from('never-exported'))).toBe(false);
    const phases = progress('export-1').map((p) => p.phase);
    expect(phases).toEqual(expect.arrayContaining(['check', 'copy', 'archive']));
    expect(progress('export-1').find((p) => p.phase === 'copy' && p.done === 4)).toMatchObject({ total: 4 });
  });

  it('writes to a chosen file, adding .trellis, and refuses a file inside the project', async () => {
    const out = join(tmp.dir, 'out', 'release');
    const result = await rpc('bundle.export', { project: dir, output: out });
    expect(result.file).toBe(`${out}.trellis`);
    expect((await stat(result.file)).size).toBe(result.bytes);
    await expect(rpc('bundle.export', { project: dir, output: join(dir, 'files', 'x.trellis') })).rejects.toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringMatching(/inside the project folder: choose a folder outside/) });
  });

  it('with unsaved edits: refuses by default, naming the two ways out; unsaved: "saved" exports the disk version', async () => {
    await rpc('object.update', { project: dir, ref: { type: 'sequence', sequence: 'quote' }, value: { name: 'quote', description: 'unsaved', variables: [{ name: 'sku', type: 'string', required: true }], steps: [] } });
    try {
      expect((await rpc('bundle.info', { project: dir })).dirty).toBe(true);
      await expect(rpc('bundle.export', { project: dir })).rejects.toMatchObject({ code: 'UNSAVED', message: expect.stringMatching(/unsaved edits: save it first \(Ctrl\+S\), or export the version saved on disk/) });
      const saved = await rpc('bundle.export', { project: dir, unsaved: 'saved', output: join(tmp.dir, 'disk.trellis') });
      const again = await exportBundle(dir, join(tmp.dir, 'again.trellis'));
      expect(saved.version).toBe(again.manifest.version);
    } finally {
      await rpc('project.undo', { project: dir });
    }
  });
});

describe('bundle.deploy', () => {
  it('uploads to the admin API, which then serves the mapped route', async () => {
    const result = await rpc('bundle.deploy', { project: dir, url: runtime.url, token: TOKEN, taskId: 'deploy-1' });
    expect(result).toMatchObject({ deployed: 'shop', replaced: null, server: runtime.url, sequences: ['quote'], mappings: 1, mappingBase: '/shop', openapi: `${runtime.url}/projects/shop/openapi.json`, missingEnv: [] });
    expect(progress('deploy-1').map((p) => p.phase)).toEqual(expect.arrayContaining(['check', 'copy', 'archive', 'upload', 'deploy']));
    const quote = await fetch(`${runtime.url}/shop/quotes/A-1`);
    expect(quote.status).toBe(200);
    expect(await quote.json()).toEqual({ sku: 'A-1', price: 12.5 });
    // deploying again replaces the version in place
    const again = await rpc('bundle.deploy', { project: dir, url: `${runtime.url}/admin/bundles`, token: TOKEN });
    expect(again.replaced).toBe(result.version);
  });

  it('a wrong token is a clear 401 error naming the token', async () => {
    await expect(rpc('bundle.deploy', { project: dir, url: runtime.url, token: 'wrong' })).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
      message: `${runtime.url} refused the admin token (401): check the token, it is the runtime's TRELLIS_ADMIN_TOKEN`,
    });
  });

  it('an unreachable server and a runtime without admin API say so', async () => {
    await expect(rpc('bundle.deploy', { project: dir, url: closedRuntimeUrl, token: TOKEN })).rejects.toMatchObject({ code: 'CONNECTION_REFUSED', message: expect.stringMatching(/cannot reach http:\/\/127\.0\.0\.1:\d+: the connection was refused/) });
    await expect(rpc('bundle.deploy', { project: dir, url: upstream.url, token: TOKEN })).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/has no admin API \(404 on \/admin\/bundles\): start the runtime with TRELLIS_ADMIN_TOKEN/) });
    await expect(rpc('bundle.deploy', { project: dir, url: 'ftp://x', token: TOKEN })).rejects.toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringMatching(/must start with http:\/\/ or https:\/\//) });
    await expect(rpc('bundle.deploy', { project: dir, url: runtime.url, token: '' })).rejects.toMatchObject({ code: 'BAD_PARAMS' });
  });

  it("a tampered bundle is refused with the server's reason, and the deployed version keeps serving", async () => {
    const exported = await rpc('bundle.export', { project: dir, output: join(tmp.dir, 'tamper.trellis') });
    const bytes = await readFile(exported.file);
    bytes[bytes.length - 30] = bytes[bytes.length - 30]! ^ 0xff;
    await expect(uploadBundle({ url: runtime.url, token: TOKEN, bytes })).rejects.toMatchObject({ code: 'INVALID_BUNDLE', message: expect.stringMatching(new RegExp(`^${runtime.url.replace(/[.:/]/g, '\\$&')} refused the bundle: the uploaded bundle (is refused|is not a Trellis bundle)`)) });
    expect((await fetch(`${runtime.url}/shop/quotes/B-2`)).status).toBe(200);
  });

  it('never writes the token into the project', async () => {
    const { files } = await import('../../src/bundle/index.js').then((m) => m.bundleFiles(dir));
    for (const f of [...files, '.env']) expect(await readFile(join(dir, f), 'utf8')).not.toContain(TOKEN);
  });
});
