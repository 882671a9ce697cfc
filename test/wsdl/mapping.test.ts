import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readWsdl } from '../../src/wsdl/import.js';

const ORDERS = resolve(import.meta.dirname, 'fixtures/orders.wsdl');

describe('WSDL mapping (test/wsdl/fixtures/orders.wsdl)', () => {
  it('one transaction per port type operation, though two bindings (SOAP 1.1 and 1.2) offer them', async () => {
    const plan = await readWsdl(ORDERS);
    expect(plan.connector).toMatchObject({ name: 'orders', kind: 'soap', config: { service: 'Orders', port: 'OrdersSoap', binding: 'soap11' } });
    expect(plan.connector.transactions.map((t) => t.name)).toEqual(['GetOrder', 'FindOrders', 'Ping']);
    expect(plan.operations.map((o) => o.bindings)).toEqual([['soap11', 'soap12'], ['soap11', 'soap12'], ['soap11', 'soap12']]);
    expect(plan.warnings.map((w) => w.code)).toEqual(['binding-choice']);
    const soap12 = await readWsdl(ORDERS, { binding: 'soap12', connectorName: 'o12' });
    expect(soap12.connector.config).toMatchObject({ port: 'OrdersSoap12', binding: 'soap12' });
    expect(Object.keys(soap12.schemas)).toEqual(['o12.GetOrder', 'o12.FindOrders', 'o12.Ping']);
  });

  it('variables: typed simple elements, multivalued repeats, json for complex types, SOAP headers', async () => {
    const plan = await readWsdl(ORDERS);
    const [get, find, ping] = plan.connector.transactions as Array<Record<string, any>>;
    expect(get!.description).toBe('One order, with its items.');
    expect(get!.variables).toEqual([
      { name: 'AuthHeader', type: 'json', in: 'header', wireName: '{urn:trellis:orders}AuthHeader' },
      { name: 'orderId', type: 'integer', required: true, description: 'The order number.' },
      { name: 'includeItems', type: 'boolean', default: true },
    ]);
    expect(get!.inputSchemas.AuthHeader).toEqual({ type: 'object', properties: { user: { type: 'string' }, tenant: { type: 'string' } }, required: ['user', 'tenant'] });
    expect(find!.variables).toEqual([
      { name: 'status', type: 'string', required: true, multivalued: true, enum: ['OPEN', 'SHIPPED', 'CANCELLED'] },
      { name: 'customer', type: 'json' },
    ]);
    expect(ping!.variables).toEqual([{ name: 'Ping', type: 'string', required: true }]);
  });

  it('output schemas follow the XML → JSON mapping: strings, @attributes, arrays for repeating elements', async () => {
    const plan = await readWsdl(ORDERS);
    const get = plan.schemas['orders.GetOrder'] as Record<string, any>;
    expect(get.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    const order = get.properties.GetOrderResponse.properties.order;
    expect(order.required).toEqual(['id', 'status', 'customer']);
    expect(order.properties.id).toEqual({ type: 'string' });
    expect(order.properties.status).toEqual({ type: 'string', enum: ['OPEN', 'SHIPPED', 'CANCELLED'] });
    expect(order.properties['@currency']).toEqual({ type: 'string' });
    expect(order.properties.item.type).toBe('array');
    expect(order.properties.item.items.properties['@lineNo']).toEqual({ type: 'string' });
    expect((plan.connector.transactions[0] as { arrays?: string[] }).arrays).toEqual(['item']);
    // FindOrdersResponse/order repeats: `order` is an array in every result of that transaction
    const find = plan.schemas['orders.FindOrders'] as Record<string, any>;
    expect(find.properties.FindOrdersResponse.properties.order.type).toBe('array');
    expect((plan.connector.transactions[1] as { arrays?: string[] }).arrays).toEqual(['item', 'order']);
    expect(plan.schemas['orders.Ping']).toMatchObject({ properties: { Pong: { type: 'string' } }, required: ['Pong'] });
  });

  it('an unknown --service is an error listing the services', async () => {
    await expect(readWsdl(ORDERS, { service: 'Nope' })).rejects.toThrow(/no service "Nope" with a SOAP port \(services: Orders\)/);
  });
});

describe('WSDL mapping: a .NET-style service (one port type per protocol)', () => {
  it('counts each operation once and does not report its HTTP GET twin as skipped', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'trellis-asmx-'));
    const path = join(dir, 'calc.asmx.wsdl');
    await writeFile(
      path,
      `<?xml version="1.0" encoding="utf-8"?>
<wsdl:definitions xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:soap12="http://schemas.xmlsoap.org/wsdl/soap12/" xmlns:http="http://schemas.xmlsoap.org/wsdl/http/"
  xmlns:s="http://www.w3.org/2001/XMLSchema" xmlns:tns="http://tempuri.org/" xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" targetNamespace="http://tempuri.org/">
  <wsdl:types><s:schema elementFormDefault="qualified" targetNamespace="http://tempuri.org/">
    <s:element name="Add"><s:complexType><s:sequence><s:element minOccurs="1" maxOccurs="1" name="a" type="s:int"/><s:element minOccurs="1" maxOccurs="1" name="b" type="s:int"/></s:sequence></s:complexType></s:element>
    <s:element name="AddResponse"><s:complexType><s:sequence><s:element minOccurs="1" maxOccurs="1" name="AddResult" type="s:int"/></s:sequence></s:complexType></s:element>
    <s:element name="int" type="s:int"/>
  </s:schema></wsdl:types>
  <wsdl:message name="AddSoapIn"><wsdl:part name="parameters" element="tns:Add"/></wsdl:message>
  <wsdl:message name="AddSoapOut"><wsdl:part name="parameters" element="tns:AddResponse"/></wsdl:message>
  <wsdl:message name="AddHttpGetIn"><wsdl:part name="a" type="s:string"/><wsdl:part name="b" type="s:string"/></wsdl:message>
  <wsdl:message name="AddHttpGetOut"><wsdl:part name="Body" element="tns:int"/></wsdl:message>
  <wsdl:portType name="CalcSoap"><wsdl:operation name="Add"><wsdl:input message="tns:AddSoapIn"/><wsdl:output message="tns:AddSoapOut"/></wsdl:operation></wsdl:portType>
  <wsdl:portType name="CalcHttpGet"><wsdl:operation name="Add"><wsdl:input message="tns:AddHttpGetIn"/><wsdl:output message="tns:AddHttpGetOut"/></wsdl:operation></wsdl:portType>
  <wsdl:binding name="CalcSoap" type="tns:CalcSoap"><soap:binding transport="http://schemas.xmlsoap.org/soap/http"/>
    <wsdl:operation name="Add"><soap:operation soapAction="http://tempuri.org/Add" style="document"/><wsdl:input><soap:body use="literal"/></wsdl:input><wsdl:output><soap:body use="literal"/></wsdl:output></wsdl:operation></wsdl:binding>
  <wsdl:binding name="CalcSoap12" type="tns:CalcSoap"><soap12:binding transport="http://schemas.xmlsoap.org/soap/http"/>
    <wsdl:operation name="Add"><soap12:operation soapAction="http://tempuri.org/Add" style="document"/><wsdl:input><soap12:body use="literal"/></wsdl:input><wsdl:output><soap12:body use="literal"/></wsdl:output></wsdl:operation></wsdl:binding>
  <wsdl:binding name="CalcHttpGet" type="tns:CalcHttpGet"><http:binding verb="GET"/>
    <wsdl:operation name="Add"><http:operation location="/Add"/><wsdl:input><http:urlEncoded/></wsdl:input><wsdl:output><mime:mimeXml xmlns:mime="http://schemas.xmlsoap.org/wsdl/mime/" part="Body"/></wsdl:output></wsdl:operation></wsdl:binding>
  <wsdl:service name="Calc">
    <wsdl:port name="CalcSoap" binding="tns:CalcSoap"><soap:address location="http://calc.example.com/calc.asmx"/></wsdl:port>
    <wsdl:port name="CalcSoap12" binding="tns:CalcSoap12"><soap12:address location="http://calc.example.com/calc.asmx"/></wsdl:port>
    <wsdl:port name="CalcHttpGet" binding="tns:CalcHttpGet"><http:address location="http://calc.example.com/calc.asmx"/></wsdl:port>
  </wsdl:service>
</wsdl:definitions>`,
    );
    try {
      const plan = await readWsdl(path);
      expect(plan.connector.transactions.map((t) => t.name)).toEqual(['Add']);
      expect(plan.skipped).toEqual([]);
      expect(plan.connector.transactions[0]!.variables).toEqual([
        { name: 'a', type: 'integer', required: true },
        { name: 'b', type: 'integer', required: true },
      ]);
      expect(plan.connector).toMatchObject({ name: 'calc', config: { service: 'Calc', port: 'CalcSoap', binding: 'soap11' } });
      expect(plan.warnings.map((w) => w.code)).toEqual(['binding-choice']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
