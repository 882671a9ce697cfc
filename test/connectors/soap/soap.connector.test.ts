import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envFrom } from '../../../src/engine/env.js';
import { executeTransaction } from '../../../src/engine/execute-transaction.js';
import { ConnectionPool } from '../../../src/engine/pool.js';
import { executeSequence } from '../../../src/engine/sequence/index.js';
import { sequenceSchema, type Connector, type Project } from '../../../src/model/index.js';
import { createProject, loadProject } from '../../../src/project/index.js';
import { importWsdl } from '../../../src/wsdl/import.js';
import { BASIC, ORDERS_WSDL, RPC_WSDL, startSoapPeer, STOCKQUOTE_WSDL, WSS, type SoapPeer } from './server.js';

let peer: SoapPeer;
let dir = '';
let project: Project;
const pool = new ConnectionPool();
const env = envFrom({ ORDERS_PASSWORD: BASIC.password, WSS_PASSWORD: WSS.password, WRONG: 'nope' });

/** A copy of an imported connector under another name with other settings (endpoint, binding, auth...). */
function variant(base: string, name: string, config: Record<string, unknown>): void {
  const c = project.connectors.find((x) => x.name === base)!;
  project.connectors.push({ ...c, name, config: { ...c.config, ...config } } as Connector);
}

const run = (target: string, vars: Record<string, unknown> = {}, timeoutMs?: number) => executeTransaction(project, target, vars, { env, pool, timeoutMs });
const post = (path: string) => peer.received.filter((r) => r.path === path).at(-1)!;

beforeAll(async () => {
  peer = await startSoapPeer();
  dir = await mkdtemp(join(tmpdir(), 'trellis-soap-'));
  await createProject(dir, { name: 'shop' });
  await importWsdl(dir, ORDERS_WSDL, { connectorName: 'orders' });
  await importWsdl(dir, STOCKQUOTE_WSDL, { connectorName: 'stock' });
  await importWsdl(dir, RPC_WSDL, { connectorName: 'rpc' });
  project = (await loadProject(dir)).project;
  variant('orders', 'orders11', { endpoint: peer.url('/orders/soap11') });
  variant('orders', 'orders12', { endpoint: peer.url('/orders/soap12'), binding: 'soap12', port: 'OrdersSoap12' });
  variant('orders', 'basic', { endpoint: peer.url('/secure/soap11'), auth: { type: 'basic', username: BASIC.user, password: '${env:ORDERS_PASSWORD}' } });
  variant('orders', 'basicWrong', { endpoint: peer.url('/secure/soap11'), auth: { type: 'basic', username: BASIC.user, password: '${env:WRONG}' } });
  variant('orders', 'wssText', { endpoint: peer.url('/wss/soap11'), auth: { type: 'wsSecurity', username: WSS.user, password: '${env:WSS_PASSWORD}' } });
  variant('orders', 'wssDigest', { endpoint: peer.url('/wss/soap11'), auth: { type: 'wsSecurity', username: WSS.user, password: '${env:WSS_PASSWORD}', passwordType: 'PasswordDigest' } });
  variant('orders', 'wssWrong', { endpoint: peer.url('/wss/soap11'), auth: { type: 'wsSecurity', username: WSS.user, password: '${env:WRONG}' } });
  variant('orders', 'slow', { endpoint: peer.url('/slow'), timeoutMs: 300 });
  variant('orders', 'nowhere', { endpoint: peer.url('/nothing') });
  variant('stock', 'stock1', { endpoint: peer.url('/stockquote') });
  variant('rpc', 'rpc1', { endpoint: peer.url('/rpc') });
  variant('stock', 'stockWss', { endpoint: peer.url('/wss/stockquote'), auth: { type: 'wsSecurity', username: WSS.user, password: '${env:WSS_PASSWORD}', passwordType: 'PasswordDigest' } });
  variant('stock', 'stockWssWrong', { endpoint: peer.url('/wss/stockquote'), auth: { type: 'wsSecurity', username: WSS.user, password: '${env:WRONG}' } });
  variant('stock', 'stockUrl', { wsdl: peer.url('/stockquote?wsdl'), endpoint: peer.url('/stockquote') });
  variant('stock', 'wsdlDown', { wsdl: 'http://127.0.0.1:9/stockquote?wsdl' });
  variant('stock', 'wsdlMissing', { wsdl: 'nowhere/stock.wsdl' });
});

afterAll(async () => {
  await pool.dispose();
  await peer?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('soap connector: calls through imported transactions', () => {
  it('sends simple inputs and a SOAP header, reads nested and repeated elements, keeps the XML', async () => {
    const r = await run('orders11.GetOrder', { orderId: '7', AuthHeader: { user: 'ada', tenant: 'acme' } });
    expect(r.meta.status).toBe(200);
    const order = (r.data as any).GetOrderResponse.order;
    expect(order['@currency']).toBe('EUR');
    expect(order.id).toBe('7');
    expect(order.customer).toEqual({ name: 'Ada Lovelace', email: 'ada@example.com' });
    expect(order.item).toHaveLength(3);
    expect(order.item[2]).toEqual({ '@lineNo': '3', sku: 'SKU-3', qty: '4', price: '9.90' });
    expect(r.xml).toContain('GetOrderResponse');
    expect(peer.soapHeaders.at(-1)).toMatchObject({ AuthHeader: { user: 'ada', tenant: 'acme' } });
    const sent = post('/orders/soap11');
    expect(sent.headers['content-type']).toMatch(/^text\/xml/);
    expect(sent.headers.soapaction).toBe('"urn:trellis:orders/GetOrder"');
    expect(sent.body).toContain('<orderId>7</orderId>');
  });

  it('makes an element the WSDL lets repeat an array even with one item', async () => {
    const r = await run('orders11.GetOrder', { orderId: 1 });
    expect((r.data as any).GetOrderResponse.order.item).toEqual([{ '@lineNo': '1', sku: 'SKU-1', qty: '2', price: '9.90' }]);
  });

  it('sends multivalued and complex (json) inputs', async () => {
    const r = await run('orders11.FindOrders', { status: ['OPEN', 'SHIPPED'], customer: { name: 'Grace', email: 'g@example.com' } });
    const orders = (r.data as any).FindOrdersResponse.order;
    expect(orders.map((o: any) => o.status)).toEqual(['OPEN', 'SHIPPED']);
    expect(orders[0].customer).toEqual({ name: 'Grace', email: 'g@example.com' });
    expect(post('/orders/soap11').body).toMatch(/<status>OPEN<\/status><status>SHIPPED<\/status>/);
  });

  it('sends an input element of simple type as its value', async () => {
    const r = await run('orders11.Ping', { Ping: 'hello' });
    expect(r.data).toEqual({ Pong: 'pong: hello' });
  });

  it('turns a SOAP 1.1 fault into a result with status 500 and faultcode, faultstring, detail', async () => {
    const r = await run('orders11.GetOrder', { orderId: 404 });
    expect(r.meta.status).toBe(500);
    expect(r.data).toEqual({ faultcode: 'soap:Client', faultstring: 'no order 404', detail: { OrderFault: { code: '404', reason: 'missing' } } });
    expect(r.xml).toContain('Fault');
  });

  it('speaks SOAP 1.2 on the soap12 binding, faults included', async () => {
    const ok = await run('orders12.GetOrder', { orderId: 2 });
    expect((ok.data as any).GetOrderResponse.order.id).toBe('2');
    const sent = post('/orders/soap12');
    expect(sent.headers['content-type']).toMatch(/^application\/soap\+xml;.*action="urn:trellis:orders\/GetOrder"/);
    expect(sent.body).toContain('http://www.w3.org/2003/05/soap-envelope');
    const fault = await run('orders12.GetOrder', { orderId: 404 });
    expect(fault.meta.status).toBe(500);
    expect(fault.data).toMatchObject({ faultcode: 'soap:Sender', subcode: 'tns:NotFound', faultstring: 'no order 404', detail: { OrderFault: { code: '404' } } });
  });

  it('sends HTTP basic credentials from ${env:NAME}; a refusal is a 401 result', async () => {
    expect((await run('basic.GetOrder', { orderId: 3 })).meta.status).toBe(200);
    expect(post('/secure/soap11').headers.authorization).toBe(`Basic ${Buffer.from(`${BASIC.user}:${BASIC.password}`).toString('base64')}`);
    const refused = await run('basicWrong.GetOrder', { orderId: 3 });
    expect(refused.meta.status).toBe(401);
  });

  it('sends a WS-Security UsernameToken (text and digest) that the server checks', async () => {
    expect((await run('wssText.GetOrder', { orderId: 5 })).meta.status).toBe(200);
    expect(post('/wss/soap11').body).toContain('#PasswordText');
    expect((await run('wssDigest.GetOrder', { orderId: 5 })).meta.status).toBe(200);
    expect(post('/wss/soap11').body).toContain('#PasswordDigest');
    expect(post('/wss/soap11').body).not.toContain(WSS.password);
    const refused = await run('wssWrong.GetOrder', { orderId: 5 });
    expect(refused.meta.status).toBe(500);
    expect((refused.data as any).faultstring).toBe('Invalid username or password');
  });

  it('calls the corpus StockQuote (document/literal SOAP 1.1), one-way operation included', async () => {
    const r = await run('stock1.GetLastTradePrice', { tickerSymbol: 'IBM' });
    expect(r.data).toEqual({ TradePrice: { price: '139.5', tax: '0.2', other: '7' } });
    const oneWay = await run('stock1.SetTradePrice', { tickerSymbol: 'IBM', price: 140 });
    expect(oneWay.meta.status).toBeLessThan(400);
    expect(oneWay.data).toBeNull();
  });

  it('reads a WSDL given by URL', async () => {
    const r = await run('stockUrl.GetLastTradePrice', { tickerSymbol: 'XYZ' });
    expect(r.data).toEqual({ TradePrice: { price: '1.25', tax: '0.2', other: '7' } });
  });

  it('calls the corpus RpcExample (rpc SOAP 1.2) with a complex part', async () => {
    const r = await run('rpc1.getFile', { params: { fileName: 'a.txt' } });
    expect(r.meta.status).toBe(200);
    expect(Buffer.from((r.data as any).getFileResponse.base64EncodedBlobResult, 'base64').toString()).toBe('content of a.txt');
    expect(post('/rpc').headers['content-type']).toMatch(/^application\/soap\+xml/);
  });

  it('turns faults of the corpus services into results: StockQuote (SOAP 1.1) and RpcExample (SOAP 1.2)', async () => {
    const stock = await run('stock1.GetLastTradePrice', { tickerSymbol: 'NONE' });
    expect(stock.meta.status).toBe(500);
    expect(stock.data).toEqual({ faultcode: 'soap:Client', faultstring: 'unknown ticker NONE', detail: { TickerFault: { symbol: 'NONE' } } });
    expect(stock.xml).toContain('unknown ticker NONE');
    const rpc = await run('rpc1.getFile', { params: { fileName: 'missing.txt' } });
    expect(rpc.meta.status).toBe(500);
    expect(rpc.data).toMatchObject({ faultcode: 'soap:Sender', faultstring: 'no file missing.txt', detail: { FileFault: { fileName: 'missing.txt' } } });
  });

  it('reads the repeated elements of the corpus RpcExample (SOAP-encoded array) as an array', async () => {
    const r = await run('rpc1.listFiles', {});
    expect(r.meta.status).toBe(200);
    expect((r.data as any).listFilesResponse.result.files).toEqual(['a.txt', 'b.txt']);
  });

  it('calls the corpus StockQuote behind WS-Security: the server checks the token, a wrong password is its fault', async () => {
    const ok = await run('stockWss.GetLastTradePrice', { tickerSymbol: 'IBM' });
    expect(ok.data).toEqual({ TradePrice: { price: '139.5', tax: '0.2', other: '7' } });
    expect(post('/wss/stockquote').body).toContain('#PasswordDigest');
    expect(post('/wss/stockquote').body).not.toContain(WSS.password);
    const refused = await run('stockWssWrong.GetLastTradePrice', { tickerSymbol: 'IBM' });
    expect(refused.meta.status).toBe(500);
    expect((refused.data as any).faultstring).toBe('Invalid username or password');
  });
});

describe('soap connector: in a sequence', () => {
  it('a sequence reads a SOAP result with JSONPath and with XPath', async () => {
    project.sequences.push(
      sequenceSchema.parse({
        name: 'orderCard',
        variables: [{ name: 'id', type: 'integer', required: true }],
        steps: [
          { id: 'order', kind: 'callTransaction', props: { transaction: 'orders11.GetOrder', variables: { orderId: { source: { from: 'variables', path: '$.id' } } } } },
          {
            id: 'card',
            kind: 'jsonObject',
            steps: [
              { id: 'customer', kind: 'jsonValue', props: { key: 'customer', value: { source: { from: 'order', path: '$.GetOrderResponse.order.customer.name' } } } },
              { id: 'skus', kind: 'jsonValue', props: { key: 'skus', value: { source: { from: 'order', path: '$.GetOrderResponse.order.item[*].sku' } } } },
              { id: 'currency', kind: 'jsonValue', props: { key: 'currency', value: { source: { from: 'order', path: "string(//*[local-name()='order']/@currency)" } } } },
              { id: 'lines', kind: 'jsonValue', props: { key: 'lines', value: { source: { from: 'order', path: "count(//*[local-name()='item'])" } } } },
            ],
          },
          { id: 'out', kind: 'output', props: { value: { source: { from: 'card', path: '$' } } } },
        ],
      }),
    );
    const result = await executeSequence(project, 'orderCard', { id: 8 }, { env, pool });
    expect(result.output).toEqual({ customer: 'Ada Lovelace', skus: ['SKU-1', 'SKU-2', 'SKU-3'], currency: 'EUR', lines: 3 });
  });
});

describe('soap connector: failures', () => {
  it('without an endpoint override, calls the address of the WSDL: connection refused is an error', async () => {
    await expect(run('orders.Ping', { Ping: 'x' })).rejects.toMatchObject({ code: 'CONNECTION_REFUSED' });
  });

  it('a WSDL that cannot be fetched or found is an error naming it', async () => {
    await expect(run('wsdlDown.GetLastTradePrice', { tickerSymbol: 'X' })).rejects.toMatchObject({ code: 'CONNECTION_REFUSED', message: expect.stringMatching(/cannot fetch the WSDL: connection refused by 127\.0\.0\.1:9/) });
    await expect(run('wsdlMissing.GetLastTradePrice', { tickerSymbol: 'X' })).rejects.toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringMatching(/nowhere\/stock\.wsdl does not exist/) });
  });

  it('gives up after timeoutMs', async () => {
    await expect(run('slow.Ping', { Ping: 'x' })).rejects.toMatchObject({ code: 'TIMEOUT' });
  });

  it('reads an HTTP error page without an envelope as a result with its status', async () => {
    const r = await run('nowhere.Ping', { Ping: 'x' });
    expect(r.meta.status).toBe(404);
  });

  it('names a missing secret', async () => {
    variant('orders', 'noSecret', { auth: { type: 'basic', username: 'x', password: '${env:NOT_SET_ANYWHERE}' } });
    await expect(run('noSecret.Ping', { Ping: 'x' })).rejects.toMatchObject({ code: 'MISSING_SECRET' });
  });

  it('reports an unknown operation with the ones the port has', async () => {
    const c = project.connectors.find((x) => x.name === 'orders11')!;
    project.connectors.push({ ...c, name: 'badop', transactions: [{ name: 'nope', type: 'soap', operation: 'Nope', variables: [] } as any] });
    await expect(run('badop.nope')).rejects.toThrow(/no operation "Nope".*GetOrder, FindOrders, Ping/);
  });
});
