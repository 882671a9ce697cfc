import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { soapConnector } from '../../src/connectors/soap.connector.js';
import { envFrom } from '../../src/engine/env.js';
import { silentLogger } from '../../src/engine/logger.js';
import { readWsdl } from '../../src/wsdl/import.js';

const CORPUS = resolve(import.meta.dirname, '../../../shared/corpus/wsdl');
let dir = '';
let server: Server;
let base = '';

const file = async (name: string, text: string): Promise<string> => {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
};

const secretFile = () => join(dir, 'secret.txt');
const SECRET = 'TOP-SECRET-VALUE-1234';

/** A WSDL whose DOCTYPE declares an external entity (XXE) and an entity bomb, used in an enumeration and an address. */
const xxe = () => `<?xml version="1.0"?>
<!DOCTYPE definitions [
  <!ENTITY xxe SYSTEM "file://${secretFile()}">
  <!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
]>
<definitions xmlns="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"
    xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:tns="urn:x" targetNamespace="urn:x" name="X">
  <documentation>&xxe; &lol2;</documentation>
  <types><xs:schema targetNamespace="urn:x">
    <xs:element name="in"><xs:simpleType><xs:restriction base="xs:string"><xs:enumeration value="&xxe;"/></xs:restriction></xs:simpleType></xs:element>
  </xs:schema></types>
  <message name="m"><part name="p" element="tns:in"/></message>
  <portType name="pt"><operation name="op"><documentation>&xxe;</documentation><input message="tns:m"/></operation></portType>
  <binding name="b" type="tns:pt"><soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
    <operation name="op"><soap:operation soapAction="op"/><input><soap:body use="literal"/></input></operation></binding>
  <service name="s"><port name="p" binding="tns:b"><soap:address location="http://127.0.0.1:9/&xxe;"/></port></service>
</definitions>`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trellis-wsdl-'));
  await writeFile(secretFile(), SECRET);
  // the registration WSDL and its five imports, served over http, plus a remote WSDL that points at a local file
  server = createServer(async (req, res) => {
    if (req.url === '/evil.wsdl') {
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end((await readFile(`${CORPUS}/stockquote/stockquote.wsdl`, 'utf8')).replace('<wsdl:types>', `<wsdl:import namespace="urn:e" location="file://${secretFile()}"/><wsdl:types>`));
      return;
    }
    try {
      const text = await readFile(join(CORPUS, 'registration-multifile', String(req.url).replace(/^\/reg\//, '')), 'utf8');
      res.writeHead(200, { 'content-type': 'text/xml' }).end(text);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('invalid WSDLs: one error naming file, line and reason', () => {
  it('malformed XML', async () => {
    const path = await file('broken.wsdl', '<definitions xmlns="http://schemas.xmlsoap.org/wsdl/">\n  <message name="a">\n</definitions>');
    await expect(readWsdl(path)).rejects.toMatchObject({ code: 'INVALID_SPEC', message: expect.stringMatching(/broken\.wsdl:\d+:\d+: malformed XML: Opening and ending tag mismatch: "message" != "definitions"$/) });
  });

  it('not a WSDL', async () => {
    const path = await file('pom.xml', '<project><name>x</name></project>');
    await expect(readWsdl(path)).rejects.toThrow(/pom\.xml:1: not a WSDL 1\.1 document: the root element is <project>/);
  });

  it('WSDL 2.0', async () => {
    const path = await file('two.wsdl', '<description xmlns="http://www.w3.org/ns/wsdl"/>');
    await expect(readWsdl(path)).rejects.toThrow(/two\.wsdl:1: a WSDL 2\.0 description/);
  });

  it('an empty file and a missing file', async () => {
    await expect(readWsdl(await file('empty.wsdl', ''))).rejects.toMatchObject({ code: 'INVALID_SPEC' });
    await expect(readWsdl(join(dir, 'nope.wsdl'))).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/nope\.wsdl: no such file/) });
  });

  it('lenient: a missing import, an undefined type and a binding of an undefined port type are warnings', async () => {
    const path = await file(
      'lenient.wsdl',
      `<definitions xmlns="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:tns="urn:l" targetNamespace="urn:l">
  <import namespace="urn:other" location="missing.wsdl"/>
  <types><xs:schema targetNamespace="urn:l"><xs:element name="in"><xs:complexType><xs:sequence><xs:element name="a" type="tns:Nowhere"/></xs:sequence></xs:complexType></xs:element></xs:schema></types>
  <message name="m"><part name="p" element="tns:in"/></message>
  <portType name="pt"><operation name="op"><input message="tns:m"/></operation><operation name="unbound"><input message="tns:m"/></operation></portType>
  <binding name="b" type="tns:pt"><soap:binding transport="http://schemas.xmlsoap.org/soap/http"/><operation name="op"><input><soap:body use="literal"/></input></operation></binding>
  <binding name="ghost" type="tns:nothing"><soap:binding transport="http://schemas.xmlsoap.org/soap/http"/><operation name="x"/></binding>
</definitions>`,
    );
    const plan = await readWsdl(path);
    expect(plan.connector.transactions.map((t) => t.name)).toEqual(['op']);
    expect(plan.connector.transactions[0]!.variables).toEqual([{ name: 'a', type: 'json', required: true }]);
    expect(plan.skipped).toEqual([{ operation: 'unbound', reason: 'no SOAP binding binds it' }]);
    expect(plan.warnings.map((w) => w.code).sort()).toEqual(['import-unreadable', 'no-service', 'operation-skipped', 'porttype-missing', 'schema-ref-unresolved']);
    expect(plan.warnings.find((w) => w.code === 'schema-ref-unresolved')).toMatchObject({ file: path, line: 3 });
  });
});

describe('XML safety', () => {
  it('never expands entities of a DOCTYPE when importing (no XXE, no entity bomb)', async () => {
    const plan = await readWsdl(await file('xxe.wsdl', xxe()));
    const text = JSON.stringify(plan);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain('lollol');
    expect(plan.warnings.map((w) => w.code)).toContain('dtd-ignored');
  });

  it('never expands them when the connector reads the WSDL either', async () => {
    const path = await file('xxe2.wsdl', xxe());
    const opened = soapConnector.open(soapConnector.config.parse({ wsdl: path }), envFrom({}), { projectDir: dir, logger: silentLogger });
    const outcome = await opened.then(
      async (h) => {
        await h.close();
        return 'opened';
      },
      (e: Error) => e.message,
    );
    expect(outcome).not.toContain(SECRET);
    // the soap package's strict parser refuses the undeclared entity rather than expanding it
    expect(outcome).toMatch(/^opened$|cannot be read by the soap package/);
  });

  it('a WSDL fetched over http may not read local files', async () => {
    const plan = await readWsdl(`${base}/evil.wsdl`);
    expect(JSON.stringify(plan)).not.toContain(SECRET);
    expect(plan.warnings.find((w) => w.code === 'import-refused')?.message).toMatch(/may not read the local file/);
    expect(plan.connector.transactions).toHaveLength(3);
  });
});

describe('imports across URLs', () => {
  it('follows wsdl:import and xsd:import/include over http', async () => {
    const plan = await readWsdl(`${base}/reg/registration.wsdl`);
    expect(plan.connector.transactions.map((t) => t.name)).toEqual(['registerUser']);
    expect(plan.wsdl.files).toBe(6);
    expect(plan.connector.config.wsdl).toBe(`${base}/reg/registration-common.wsdl`);
    expect(plan.connector.transactions[0]!.variables.length).toBeGreaterThan(5);
  });
});
