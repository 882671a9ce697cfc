import type { ConnectorKind } from './connector-kind.js';
import { SoapHandle, type OpenOptions } from './soap/client.js';
import { SOAP_TRANSACTION_TYPES, soapConfigSchema, soapTransactionSchema, type SoapConfig, type SoapTransaction } from './soap/config.js';

export type { SoapConfig, SoapTransaction } from './soap/config.js';

/**
 * The `soap` connector kind: SOAP 1.1 and 1.2 services described by a WSDL, called through the `soap` package
 * (WSDL parsing, envelopes, WS-Security). Settings and transactions: soap/config.ts; how a call is sent:
 * soap/client.ts; how a response becomes data (shared XML → JSON mapping, faults): soap/response.ts.
 * `trellis import wsdl` (src/wsdl) writes these connectors; docs/wsdl-import.md describes both.
 */
export const soapConnector: ConnectorKind<SoapConfig, SoapTransaction> = {
  kind: 'soap',
  title: 'SOAP',
  description: 'Calls SOAP 1.1 / 1.2 web services described by a WSDL: one transaction per operation, faults as results, the raw XML kept.',
  config: soapConfigSchema,
  transaction: soapTransactionSchema,
  transactionTypes: SOAP_TRANSACTION_TYPES,

  open(config, env, options: OpenOptions) {
    return SoapHandle.open(config, env, options);
  },
};
