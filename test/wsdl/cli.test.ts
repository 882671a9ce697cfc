import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORDERS_WSDL, startSoapPeer, type SoapPeer } from '../connectors/soap/server.js';

const repo = resolve(import.meta.dirname, '../..');

function trellis(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(repo, 'bin/trellis.mjs'), ...args], { env: { ...process.env, TRELLIS_LOG: 'silent' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', fail);
    child.on('close', (code) => done({ code: code ?? -1, stdout, stderr }));
  });
}

let peer: SoapPeer;
let dir = '';
let project = '';
let wsdl = '';

beforeAll(async () => {
  peer = await startSoapPeer();
  dir = await mkdtemp(join(tmpdir(), 'trellis-wsdl-cli-'));
  project = join(dir, 'shop');
  // the fixture with its addresses pointing at the test server
  wsdl = join(dir, 'orders.wsdl');
  await writeFile(wsdl, (await readFile(ORDERS_WSDL, 'utf8')).replaceAll('http://127.0.0.1:9/', peer.url('/')));
  expect((await trellis(['new', project])).code).toBe(0);
});

afterAll(async () => {
  await peer?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('trellis import wsdl, then trellis run', () => {
  it('imports with --json: connector, imported, skipped, warnings', async () => {
    const dry = await trellis(['import', 'wsdl', project, wsdl, '--dry-run', '--json']);
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({ connector: 'orders', imported: 3, dryRun: true, written: [] });
    const r = await trellis(['import', 'wsdl', project, wsdl, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ connector: 'orders', imported: 3, skipped: 0 });
    expect(out.warnings.map((w: { code: string }) => w.code)).toEqual(['binding-choice']);
    expect(out.warnings[0]).toMatchObject({ file: wsdl });
    const human = await trellis(['import', 'wsdl', project, wsdl]);
    expect(human.stdout).toMatch(/→ connector orders \(connectors\/orders\.yaml\)\n {2}operations: 3 imported, 0 skipped/);
  });

  it('runs an operation (exit 0), a fault (exit 2), an unreachable server (exit 1)', async () => {
    const ok = await trellis(['run', project, 'orders.GetOrder', '--var', 'orderId=7', '--var', 'AuthHeader={"user":"ada","tenant":"acme"}']);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).GetOrderResponse.order.item).toHaveLength(3);
    expect(peer.soapHeaders.at(-1)).toMatchObject({ AuthHeader: { user: 'ada', tenant: 'acme' } });

    const fault = await trellis(['run', project, 'orders.GetOrder', '--var', 'orderId=404', '--full']);
    expect(fault.code).toBe(2);
    expect(JSON.parse(fault.stdout)).toMatchObject({ data: { faultcode: 'soap:Client', faultstring: 'no order 404' }, meta: { status: 500 } });

    expect((await trellis(['import', 'wsdl', project, ORDERS_WSDL, '--connector', 'dead'])).code).toBe(0);
    const dead = await trellis(['run', project, 'dead.Ping', '--var', 'Ping=x']);
    expect(dead.code).toBe(1);
    expect(dead.stderr).toMatch(/^trellis: connection refused by 127\.0\.0\.1:9/);
  });

  it('imports the SOAP 1.2 binding with --binding soap12', async () => {
    const r = await trellis(['import', 'wsdl', project, wsdl, '--connector', 'orders12', '--binding', 'soap12', '--json']);
    expect(r.code).toBe(0);
    const ok = await trellis(['run', project, 'orders12.Ping', '--var', 'Ping=hi']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toEqual({ Pong: 'pong: hi' });
    expect(peer.received.at(-1)?.path).toBe('/orders/soap12');
  });

  it('an invalid WSDL: exit 1, one line naming file, line and reason, no stack trace', async () => {
    const broken = join(dir, 'broken.wsdl');
    await writeFile(broken, '<definitions xmlns="http://schemas.xmlsoap.org/wsdl/">\n  <message name="a">\n</definitions>\n');
    const r = await trellis(['import', 'wsdl', project, broken]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^trellis: .*broken\.wsdl:2:\d+: malformed XML: Opening and ending tag mismatch/);
    const binding = await trellis(['import', 'wsdl', project, wsdl, '--binding', 'soap13']);
    expect(binding).toMatchObject({ code: 1, stderr: 'trellis: --binding soap13: expected soap11 or soap12\n' });
  });
});
