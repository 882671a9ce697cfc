import type { Variable } from '../model/variable.js';
import type { ConnectorKind } from './connector-kind.js';
import { HttpClient, type OpenOptions } from './http/client.js';
import { HTTP_TRANSACTION_TYPES, httpConfigSchema, httpTransactionSchema, type HttpConfig, type HttpTransaction } from './http/config.js';
import { placeholderNames } from './http/template.js';

export type { HttpConfig, HttpTransaction } from './http/config.js';

/**
 * The `http` connector kind: REST and other HTTP backends. Settings and transactions are described by the zod
 * schemas in http/config.ts; how variables become the request is in http/request.ts, how responses become data
 * in http/response.ts (XML mapping: http/xml-to-json.ts), how failures become errors in http/errors.ts.
 */
export const httpConnector: ConnectorKind<HttpConfig, HttpTransaction> = {
  kind: 'http',
  title: 'HTTP / REST',
  description: 'Calls an HTTP server: REST/JSON APIs, XML over HTTP, text and binary resources.',
  config: httpConfigSchema,
  transaction: httpTransactionSchema,
  transactionTypes: HTTP_TRANSACTION_TYPES,

  impliedVariables(tx: HttpTransaction): Variable[] {
    const declared = new Set<string>();
    for (const v of (tx.variables ?? []) as Array<Variable & { wireName?: string }>) {
      declared.add(v.name);
      if (v.wireName) declared.add(v.wireName);
    }
    return placeholderNames(tx.path ?? '')
      .filter((name) => !declared.has(name))
      .map((name) => ({ name, type: 'string', required: true, in: 'path' }));
  },

  open(config, env, options: OpenOptions) {
    return HttpClient.open(config, env, options);
  },
};
