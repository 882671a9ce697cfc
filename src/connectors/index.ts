import type { ConnectorKind } from './connector-kind.js';
import { httpConnector } from './http.connector.js';
import { soapConnector } from './soap.connector.js';
import { sqlConnector } from './sql.connector.js';
import { couchConnector } from './couch.connector.js';

// The only registry of connector kinds: adding a kind is one file plus one line here.
const kinds: ConnectorKind<any, any>[] = [httpConnector, sqlConnector, soapConnector, couchConnector];

const byKind = new Map(kinds.map((k) => [k.kind, k]));

export function connectorKind(kind: string): ConnectorKind<any, any> | undefined {
  return byKind.get(kind);
}

export function connectorKinds(): readonly ConnectorKind<any, any>[] {
  return kinds;
}

export type { ConnectorKind, ConnectorHandle, ExecContext, TxResult, TxMeta, Vars } from './connector-kind.js';
