import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { soapConnector } from '../../../src/connectors/soap.connector.js';
import type { ConnectorHandle, ExecContext } from '../../../src/connectors/index.js';
import { envFrom } from '../../../src/engine/env.js';
import { silentLogger } from '../../../src/engine/logger.js';
import { readWsdl } from '../../../src/wsdl/import.js';
import { CORPUS } from './server.js';

/**
 * The zeep WSDL puts its two header parts before the body part in one message, and the `soap` package takes
 * a message's first part as the body: the connector must still send TradePriceRequest in the body and the
 * headers as header blocks. A plain HTTP server records the envelope and answers a canned one (with
 * prefixes, namespace declarations, xsi:type and a response header the data should not show).
 */

const WSDL = `${CORPUS}/zeep-soap-header/soap_header.wsdl`;
let server: Server;
let url = '';
const bodies: string[] = [];
let handle: ConnectorHandle;

const ctx = (): ExecContext => ({ signal: new AbortController().signal, deadline: Date.now() + 5000, logger: silentLogger, env: envFrom({}), projectDir: '/', now: Date.now });

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      bodies.push(body);
      res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' });
      res.end(
        '<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
          '<s:Header><q:Trace xmlns:q="urn:trace">abc</q:Trace></s:Header>' +
          '<s:Body><ns1:TradePrice xmlns:ns1="http://example.com/stockquote.xsd"><ns1:price xsi:type="xsd:float">42.5</ns1:price><ns1:note xsi:nil="true"/></ns1:TradePrice></s:Body></s:Envelope>',
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/quotes`;
  handle = await soapConnector.open(soapConnector.config.parse({ wsdl: WSDL, endpoint: url }), envFrom({}), { projectDir: '/', logger: silentLogger });
});

afterAll(async () => {
  await handle?.close();
  server?.close();
});

describe('soap connector: SOAP headers as variables', () => {
  it('sends the header parts as header blocks and the body part in the body', async () => {
    const plan = await readWsdl(WSDL);
    const tx = plan.connector.transactions[0]!;
    expect(tx.variables.filter((v) => v.in === 'header').map((v) => v.wireName)).toEqual(['{http://example.com/stockquote.xsd}Authentication', '{http://example.com/stockquote.xsd}Token']);
    const r = await handle.execute(tx, { tickerSymbol: 'IBM', Authentication: { username: 'ada', password: 'x<y' }, Token: { value: 't-1' } }, ctx());
    const sent = bodies.at(-1)!;
    const header = sent.slice(sent.indexOf('<soap:Header>'), sent.indexOf('</soap:Header>'));
    const body = sent.slice(sent.indexOf('<soap:Body>'), sent.indexOf('</soap:Body>'));
    expect(header).toContain('<th:Authentication xmlns:th="http://example.com/stockquote.xsd"><username>ada</username><password>x&lt;y</password></th:Authentication>');
    expect(header).toContain('<value>t-1</value>');
    expect(body).toContain('TradePriceRequest');
    expect(body).toContain('<tickerSymbol>IBM</tickerSymbol>');
    expect(body).not.toContain('Authentication');
    // local names, no namespace declarations or xsi attributes; nil is null
    expect(r.data).toEqual({ TradePrice: { price: '42.5', note: null } });
  });
});
