import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { listen } from 'soap';

/**
 * Real SOAP servers for the tests, built with the `soap` package's `listen` on 127.0.0.1:
 * - the Orders service (test/wsdl/fixtures/orders.wsdl, document/literal) on /orders/soap11 (SOAP 1.1) and
 *   /orders/soap12 (SOAP 1.2), /secure/soap11 (HTTP basic) and /wss/soap11 (WS-Security UsernameToken);
 * - the corpus StockQuote (document/literal SOAP 1.1) on /stockquote, and on /wss/stockquote behind WS-Security;
 * - the corpus RpcExample (rpc SOAP 1.2) on /rpc;
 * - /slow answers after 2 s, for timeouts.
 */

export const CORPUS = resolve(import.meta.dirname, '../../../../shared/corpus/wsdl');
export const ORDERS_WSDL = resolve(import.meta.dirname, '../../wsdl/fixtures/orders.wsdl');
export const STOCKQUOTE_WSDL = `${CORPUS}/stockquote/stockquote.wsdl`;
export const RPC_WSDL = `${CORPUS}/rpcexample-soap12/rpcexample.wsdl`;

export const BASIC = { user: 'ada', password: 's3cret' };
export const WSS = { user: 'grace', password: 'c0bol' };

export interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface SoapPeer {
  url: (path: string) => string;
  received: Received[];
  /** SOAP headers the Orders operations saw, per call */
  soapHeaders: unknown[];
  close: () => Promise<void>;
}

type Loose = Record<string, any>;

function order(id: number, items: number): Loose {
  const item = Array.from({ length: items }, (_, i) => ({ attributes: { lineNo: i + 1 }, sku: `SKU-${i + 1}`, qty: i + 2, price: '9.90' }));
  return { attributes: { currency: 'EUR' }, id, status: 'OPEN', customer: { name: 'Ada Lovelace', email: 'ada@example.com' }, ...(items ? { item } : {}) };
}

function ordersService(peer: SoapPeer, soap12: boolean): Loose {
  const fault = (orderId: number) =>
    soap12
      ? { Fault: { Code: { Value: 'soap:Sender', Subcode: { Value: 'tns:NotFound' } }, Reason: { Text: `no order ${orderId}` }, Detail: { OrderFault: { code: 404, reason: 'missing' } }, statusCode: 500 } }
      : { Fault: { faultcode: 'soap:Client', faultstring: `no order ${orderId}`, detail: { OrderFault: { code: 404, reason: 'missing' } }, statusCode: 500 } };
  const ops = {
    GetOrder(args: Loose, _cb: unknown, headers: unknown) {
      peer.soapHeaders.push(headers);
      const id = Number(args.orderId);
      if (id === 404) throw fault(id);
      return { order: order(id, String(args.includeItems) === 'false' ? 0 : id === 1 ? 1 : 3) };
    },
    FindOrders(args: Loose) {
      const statuses = ([] as unknown[]).concat(args.status ?? []);
      return { order: statuses.map((s, i) => ({ ...order(100 + i, 1), status: s, customer: args.customer ?? { name: 'anyone' } })) };
    },
    Ping(args: unknown) {
      return `pong: ${typeof args === 'object' ? JSON.stringify(args) : String(args)}`;
    },
  };
  return { Orders: { OrdersSoap: ops, OrdersSoap12: ops } };
}

const digest = (nonce: string, created: string, password: string): string =>
  createHash('sha1').update(Buffer.concat([Buffer.from(nonce, 'base64'), Buffer.from(created), Buffer.from(password)])).digest('base64');

/** Checks a UsernameToken, PasswordText or PasswordDigest. */
function checkToken(security: Loose | undefined): boolean {
  const token = security?.UsernameToken;
  if (!token || token.Username !== WSS.user) return false;
  const password = token.Password;
  const type = String(password?.attributes?.Type ?? '');
  const value = typeof password === 'string' ? password : password?.$value;
  if (type.endsWith('#PasswordDigest')) {
    const nonce = typeof token.Nonce === 'string' ? token.Nonce : token.Nonce?.$value;
    return value === digest(String(nonce), String(token.Created), WSS.password);
  }
  return value === WSS.password;
}

export async function startSoapPeer(): Promise<SoapPeer> {
  const server: Server = createServer((req, res) => {
    if (req.url === '/slow') {
      setTimeout(() => res.writeHead(200, { 'content-type': 'text/xml' }).end('<x/>'), 2000);
      return;
    }
    res.writeHead(404, { 'content-type': 'text/html' }).end('<html><body>nothing here</body></html>');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const peer: SoapPeer = {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    received: [],
    soapHeaders: [],
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
  // each server installs its request listener once its WSDL is read
  const ready: Promise<void>[] = [];
  const whenReady = (): ((err: unknown) => void) => {
    let done!: (err: unknown) => void;
    ready.push(new Promise<void>((resolve, reject) => (done = (err) => (err ? reject(err) : resolve()))));
    return done;
  };
  const log = (path: string) => (type: string, data: unknown, req: IncomingMessage) => {
    if (type === 'received') peer.received.push({ path, headers: req.headers, body: String(data) });
  };
  // the WSDL's addresses decide which port answers a path: point them at the paths served here
  const orders = (path: string) => readFileSync(ORDERS_WSDL, 'utf8').replace(/http:\/\/127\.0\.0\.1:9\/orders\/soap(11|12)/g, (_, v) => `http://127.0.0.1:${port}${path.replace(/soap1[12]$/, '')}soap${v}`);
  for (const [path, soap12] of [['/orders/soap11', false], ['/orders/soap12', true], ['/secure/soap11', false], ['/wss/soap11', false]] as const) {
    const s = listen(server, { path, services: ordersService(peer, soap12), xml: orders(path), forceSoap12Headers: soap12, callback: whenReady() });
    s.log = log(path);
    if (path.startsWith('/secure')) {
      s.authorizeConnection = (req, res) => {
        if (!req.url?.startsWith('/secure')) return true;
        const expected = `Basic ${Buffer.from(`${BASIC.user}:${BASIC.password}`).toString('base64')}`;
        if (req.headers.authorization === expected) return true;
        if (res) {
          res.statusCode = 401;
          res.setHeader('www-authenticate', 'Basic realm="orders"');
        }
        return false;
      };
    }
    if (path.startsWith('/wss')) s.authenticate = (security) => checkToken(security);
  }
  const stockService = {
    StockQuoteService: {
      StockQuotePort: {
        GetLastTradePrice: (args: Loose) => {
          if (args.tickerSymbol === 'NONE') throw { Fault: { faultcode: 'soap:Client', faultstring: 'unknown ticker NONE', detail: { TickerFault: { symbol: 'NONE' } }, statusCode: 500 } };
          return { price: args.tickerSymbol === 'IBM' ? 139.5 : 1.25, tax: 0.2, other: 7 };
        },
        SetTradePrice: () => ({}),
        IsValidPrice: (args: Loose) => ({ valid: Number(args.price) > 0 }),
      },
    },
  };
  // the corpus StockQuote twice: open on /stockquote, behind a WS-Security UsernameToken on /wss/stockquote
  for (const path of ['/stockquote', '/wss/stockquote']) {
    const stock = listen(server, { path, callback: whenReady(), xml: readFileSync(STOCKQUOTE_WSDL, 'utf8'), services: stockService });
    stock.log = log(path);
    if (path.startsWith('/wss')) stock.authenticate = (security) => checkToken(security);
  }
  const rpc = listen(server, {
    path: '/rpc',
    callback: whenReady(),
    xml: readFileSync(RPC_WSDL, 'utf8').replace('http://127.0.0.1/', `http://127.0.0.1:${port}/rpc`),
    forceSoap12Headers: true,
    services: {
      RpcExample: {
        RpcExample: {
          getFile: (args: Loose) => {
            const name = String(args.params?.fileName ?? args.fileName);
            if (name === 'missing.txt') throw { Fault: { Code: { Value: 'soap:Sender' }, Reason: { Text: `no file ${name}` }, Detail: { FileFault: { fileName: name } }, statusCode: 500 } };
            return { base64EncodedBlobResult: Buffer.from(`content of ${name}`).toString('base64') };
          },
          setKey: () => ({ result: true }),
          listFiles: () => ({ result: { files: ['a.txt', 'b.txt'] } }),
        },
      },
    },
  });
  rpc.log = log('/rpc');
  await Promise.all(ready);
  return peer;
}
