import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envFrom } from '../../../src/engine/env.js';
import { executeTransaction } from '../../../src/engine/execute-transaction.js';
import { ConnectionPool } from '../../../src/engine/pool.js';
import type { Connector, Project } from '../../../src/model/index.js';
import { createProject, loadProject } from '../../../src/project/index.js';
import { importWsdl } from '../../../src/wsdl/import.js';
import { RPC_WSDL } from './server.js';

/**
 * MTOM: a real HTTP server on 127.0.0.1 answers the corpus RpcExample's getFile (SOAP 1.2) the way MTOM
 * services do: multipart/related, the envelope in an application/xop+xml root part, the file's bytes in a
 * binary part the envelope includes with xop:Include. The connector gives the bytes back as base64.
 */

const FILE = Buffer.from(Array.from({ length: 300 }, (_, i) => i % 256)); // every byte value, not UTF-8
const BOUNDARY = 'MIMEBoundary_4f2c';
let server: Server;
let url = '';
let requests: Array<{ contentType: string; body: string }> = [];
let dir = '';
let project: Project;
const pool = new ConnectionPool();

function mtomResponse(partEncoding: 'binary' | 'base64', includeEnd: string): Buffer {
  const envelope =
    '<?xml version="1.0" encoding="UTF-8"?>' +
    '<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope" xmlns:xop="http://www.w3.org/2004/08/xop/include">' +
    '<soap:Body><tns:getFileResponse xmlns:tns="http://127.0.0.1/">' +
    `<base64EncodedBlobResult><xop:Include href="cid:file%40rpc.example"${includeEnd}</base64EncodedBlobResult>` +
    '<note>héllo</note>' +
    '</tns:getFileResponse></soap:Body></soap:Envelope>';
  const head = (lines: string[]) => Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
  return Buffer.concat([
    Buffer.from(`preamble\r\n--${BOUNDARY}\r\n`),
    head(['Content-Type: application/xop+xml; charset=UTF-8; type="application/soap+xml"', 'Content-Transfer-Encoding: 8bit', 'Content-ID: <root.message@rpc.example>']),
    Buffer.from(envelope, 'utf8'),
    Buffer.from(`\r\n--${BOUNDARY}\r\n`),
    head(['Content-Type: application/octet-stream', `Content-Transfer-Encoding: ${partEncoding}`, 'Content-ID: <file@rpc.example>']),
    partEncoding === 'base64' ? Buffer.from(FILE.toString('base64').replace(/(.{76})/g, '$1\r\n')) : FILE,
    Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
  ]);
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({ contentType: String(req.headers['content-type']), body: Buffer.concat(chunks).toString() });
      const encoding = req.url === '/mtom/base64' ? 'base64' : 'binary';
      const body = mtomResponse(encoding, req.url === '/mtom/base64' ? '></xop:Include>' : '/>');
      res.writeHead(200, { 'content-type': `multipart/related; type="application/xop+xml"; start="<root.message@rpc.example>"; start-info="application/soap+xml"; boundary="${BOUNDARY}"` });
      res.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dir = await mkdtemp(join(tmpdir(), 'trellis-mtom-'));
  await createProject(dir, { name: 'files' });
  await importWsdl(dir, RPC_WSDL, { connectorName: 'rpc' });
  project = (await loadProject(dir)).project;
  const rpc = project.connectors[0]!;
  project.connectors.push({ ...rpc, name: 'binary', config: { ...rpc.config, endpoint: `${url}/mtom/binary` } } as Connector);
  project.connectors.push({ ...rpc, name: 'base64', config: { ...rpc.config, endpoint: `${url}/mtom/base64` } } as Connector);
});

afterAll(async () => {
  await pool.dispose();
  await new Promise<void>((r) => server.close(() => r()));
  if (dir) await rm(dir, { recursive: true, force: true });
});

const run = (target: string) => executeTransaction(project, target, { params: { fileName: 'blob.bin' } }, { env: envFrom({}), pool });

describe('soap connector: MTOM/XOP responses', () => {
  it('inlines a binary attachment referenced by xop:Include as base64', async () => {
    requests = [];
    const r = await run('binary.getFile');
    expect(r.meta.status).toBe(200);
    const data = r.data as any;
    expect(Buffer.from(data.getFileResponse.base64EncodedBlobResult, 'base64').equals(FILE)).toBe(true);
    expect(data.getFileResponse.note).toBe('héllo');
    expect(r.xml).toContain(`<base64EncodedBlobResult>${FILE.toString('base64')}</base64EncodedBlobResult>`);
    expect(requests[0]!.contentType).toMatch(/^application\/soap\+xml/);
    expect(requests[0]!.body).toContain('blob.bin');
  });

  it('reads a part sent base64-encoded and an Include written with an end tag', async () => {
    const r = await run('base64.getFile');
    expect(Buffer.from((r.data as any).getFileResponse.base64EncodedBlobResult, 'base64').equals(FILE)).toBe(true);
  });
});
