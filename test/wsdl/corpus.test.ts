import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { soapConfigSchema, soapTransactionSchema } from '../../src/connectors/soap/config.js';
import { readWsdl } from '../../src/wsdl/import.js';

/**
 * Every WSDL of ../shared/corpus/wsdl, read in place. Expected operation counts come from the MANIFEST's
 * "portType ops" column: each port type operation there is bound by a SOAP binding (the marketplace one also
 * by plain HTTP, which does not count twice; the registration one lives in a wsdl:import'ed file while the
 * entry's own binding is empty), so `imported` equals that column and nothing is skipped.
 */

const CORPUS = resolve(import.meta.dirname, '../../../shared/corpus/wsdl');

const cases: Array<{ file: string; ops: number; binding: 'soap11' | 'soap12'; service: string; port: string }> = [
  { file: 'stockquote/stockquote.wsdl', ops: 3, binding: 'soap11', service: 'StockQuoteService', port: 'StockQuotePort' },
  { file: 'rpcexample-soap12/rpcexample.wsdl', ops: 13, binding: 'soap12', service: 'RpcExample', port: 'RpcExample' },
  { file: 'registration-multifile/registration.wsdl', ops: 1, binding: 'soap11', service: 'registrationCommon', port: 'registrationCommonHttpSoapPort' },
  { file: 'agresso-timesheet/timesheet.wsdl', ops: 17, binding: 'soap11', service: 'TimesheetV201511Mobile', port: 'TimesheetV201511MobileSoap' },
  { file: 'zeep-soap-header/soap_header.wsdl', ops: 1, binding: 'soap11', service: 'StockQuoteService', port: 'StockQuotePort' },
  { file: 'sap-pi-storedata/storedata.wsdl', ops: 2, binding: 'soap11', service: 'SI_O_SYSTEM_STOREDATAService', port: 'HTTP_Port' },
  { file: 'marketplace-search-http-soap/search.wsdl', ops: 1, binding: 'soap11', service: 'OperationServiceNextGen', port: 'OperationServiceNextGenSOAPPort' },
];

describe('WSDL corpus', () => {
  for (const c of cases) {
    it(`${c.file}: ${c.ops} operation(s), a valid SOAP connector`, async () => {
      const plan = await readWsdl(`${CORPUS}/${c.file}`);
      expect(plan.connector.transactions).toHaveLength(c.ops);
      expect(plan.skipped).toEqual([]);
      expect(new Set(plan.connector.transactions.map((t) => (t as { operation?: string }).operation)).size).toBe(c.ops);
      expect(plan.connector.config).toMatchObject({ service: c.service, port: c.port, binding: c.binding });
      expect(soapConfigSchema.safeParse(plan.connector.config).success).toBe(true);
      for (const tx of plan.connector.transactions) expect(soapTransactionSchema.safeParse(tx).success, tx.name).toBe(true);
      for (const w of plan.warnings) expect(w.message).toMatch(/^\S+:(\d+|\?): |^\S+: /);
    });
  }

  it('registration: the operation of the imported WSDL, its types from three imported schemas', async () => {
    const plan = await readWsdl(`${CORPUS}/registration-multifile/registration.wsdl`);
    expect(plan.wsdl.files).toBe(6);
    expect(String(plan.connector.config.wsdl)).toMatch(/registration-common\.wsdl$/);
    const tx = plan.connector.transactions[0]!;
    expect(tx.variables.find((v) => v.name === 'correspondenceLanguage')).toMatchObject({ type: 'string', required: true, enum: ['GER', 'ITA', 'FRE', 'ENG'] });
    expect(tx.variables.find((v) => v.name === 'dateOfBirth')).toMatchObject({ format: 'date' });
    // a choice: neither branch is required
    expect(tx.variables.find((v) => v.name === 'companyAddress')).toEqual({ name: 'companyAddress', type: 'json' });
    expect(plan.warnings.map((w) => w.code)).toEqual(expect.arrayContaining(['address-placeholder', 'message-missing']));
  });

  it('rpcexample: rpc parts become variables, SOAP-encoded arrays arrays', async () => {
    const plan = await readWsdl(`${CORPUS}/rpcexample-soap12/rpcexample.wsdl`);
    const list = plan.connector.transactions.find((t) => t.name === 'listFiles')!;
    expect(list.variables).toEqual([]);
    expect(plan.schemas['rpcExample.listFiles']).toMatchObject({ properties: { listFilesResponse: { properties: { result: { properties: { files: { type: 'array' } } } } } } });
    const pull = plan.connector.transactions.find((t) => t.name === 'pullFile') as { inputSchemas?: Record<string, any> };
    expect(pull.inputSchemas?.params.properties.fileMode).toEqual({ type: 'integer' });
  });

  it('zeep: soap:header parts become in: header variables', async () => {
    const plan = await readWsdl(`${CORPUS}/zeep-soap-header/soap_header.wsdl`);
    expect(plan.connector.transactions[0]!.variables.map((v) => [v.name, v.in ?? 'body'])).toEqual([
      ['Authentication', 'header'],
      ['Token', 'header'],
      ['tickerSymbol', 'body'],
    ]);
  });

  it('sap: two ports on one binding, item lists always arrays', async () => {
    const plan = await readWsdl(`${CORPUS}/sap-pi-storedata/storedata.wsdl`);
    expect(plan.ports.map((p) => p.port)).toEqual(['HTTP_Port', 'HTTPS_Port']);
    for (const tx of plan.connector.transactions) expect((tx as { arrays?: string[] }).arrays).toEqual(['item']);
  });

  it('marketplace: recursive types stay finite ($defs); the HTTP binding is not imported', async () => {
    const plan = await readWsdl(`${CORPUS}/marketplace-search-http-soap/search.wsdl`);
    const tx = plan.connector.transactions[0] as { inputSchemas?: Record<string, any>; variables: unknown[] };
    expect(tx.variables).toEqual([{ name: 'constraint', type: 'json', multivalued: true }]);
    expect(Object.keys(tx.inputSchemas?.constraint.$defs ?? {})).toEqual(expect.arrayContaining(['Expression']));
    expect(plan.schemas['operationServiceNextGen.operation']).toMatchObject({ properties: { operationResponse: { enum: ['Success', 'Failure', 'Warning', 'PartialFailure'] } } });
    expect(plan.ports).toHaveLength(1);
  });

  it('stockquote: XML Schema of the 2000/10 draft and unprefixed built-in types; a one-way operation has no output schema', async () => {
    const plan = await readWsdl(`${CORPUS}/stockquote/stockquote.wsdl`);
    expect(plan.connector.transactions.find((t) => t.name === 'SetTradePrice')!.variables).toEqual([
      { name: 'tickerSymbol', type: 'string', required: true },
      { name: 'price', type: 'number', required: true },
    ]);
    expect(Object.keys(plan.schemas).sort()).toEqual(['stockQuoteService.GetLastTradePrice', 'stockQuoteService.IsValidPrice']);
    expect(plan.warnings).toEqual([]);
  });
});
