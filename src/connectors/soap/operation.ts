import type { Client } from 'soap';
import { TrellisError } from '../../engine/errors.js';
import type { Variable } from '../../model/variable.js';
import type { SoapTransaction } from './config.js';
import { isHeader, splitClark, wireOf } from './values.js';

/**
 * A transaction's operation, looked up once in the `soap` package's parsed WSDL: the method to call, whether
 * its input element has a simple type, which header elements are qualified, and a fix for one limit of the
 * package: it takes a document-style message's first part as the body, even when the binding sends that
 * part as a soap:header. When the first part is one of the transaction's header variables, the body is
 * rewritten with the message's first non-header part (serialized by the package, in postProcess).
 */

type Loose = Record<string, any>;
type SoapMethod = (args: unknown, callback: (...a: unknown[]) => void, options: Loose, extraHeaders?: Record<string, string>) => void;

export interface ResolvedOperation {
  method: SoapMethod;
  location: string;
  service: string;
  port: string;
  oneWay: boolean;
  /** the input is one element of simple type: the one body variable is its value */
  simple: boolean;
  /** header wire name → children qualified (elementFormDefault of its schema) */
  qualified: Map<string, boolean>;
  /** when the package picked a header part as the body: builds the right body from the arguments */
  body?: (args: unknown) => string;
  /** an rpc operation whose input message has no parts: the package writes its (empty) call element only for null arguments */
  noInput: boolean;
}

export interface Target {
  where: string;
  service?: string;
  port?: string;
}

function names(o: object | undefined): string {
  const list = Object.keys(o ?? {});
  return list.length ? list.join(', ') : 'none';
}

export function resolveOperation(client: Client, tx: SoapTransaction, target: Target): ResolvedOperation {
  const defs = client.wsdl.definitions as unknown as Loose;
  const services: Loose = defs.services ?? {};
  const serviceName = tx.service ?? target.service ?? Object.keys(services)[0];
  const where = `${target.where}, transaction ${tx.name}`;
  const service = serviceName === undefined ? undefined : services[serviceName];
  if (!service || serviceName === undefined) throw new TrellisError('INVALID_CONFIG', `${where}: the WSDL has no service "${serviceName ?? ''}" (services: ${names(services)})`, { path: where });
  const ports: Loose = service.ports ?? {};
  const portName = tx.port ?? (tx.service === undefined ? target.port : undefined) ?? Object.keys(ports)[0];
  const port = portName === undefined ? undefined : ports[portName];
  if (!port || portName === undefined) throw new TrellisError('INVALID_CONFIG', `${where}: service ${serviceName} has no port "${portName ?? ''}" (ports: ${names(ports)})`, { path: where });
  const methods: Loose = port.binding?.methods ?? {};
  const def = methods[tx.operation];
  const method = (client as unknown as Loose)[serviceName]?.[portName]?.[tx.operation] as SoapMethod | undefined;
  if (!def || typeof method !== 'function')
    throw new TrellisError('NOT_FOUND', `${where}: port ${serviceName}/${portName} has no operation "${tx.operation}" (operations: ${names(methods)})`, { path: where });

  let simple = false;
  try {
    simple = typeof def.description(defs)?.input === 'string';
  } catch {}
  const headers = (tx.variables as Variable[]).filter(isHeader).map(wireOf);
  const qualified = new Map<string, boolean>();
  for (const wire of headers) {
    const { ns } = splitClark(wire);
    qualified.set(wire, ns !== undefined && defs.schemas?.[ns]?.$elementFormDefault === 'qualified');
  }
  const noInput = def.style === 'rpc' && !def.input?.parts && def.input?.name !== 'element';
  return { method, location: String(port.location ?? ''), service: serviceName, port: portName, oneWay: !def.output, simple, qualified, body: bodyFix(client, def, new Set(headers)), noInput };
}

function bodyFix(client: Client, def: Loose, headers: ReadonlySet<string>): ResolvedOperation['body'] {
  const input = def.input as Loose | undefined;
  if (!headers.size || !input?.$name || input.targetNamespace === undefined || def.style === 'rpc') return undefined;
  if (!headers.has(`{${input.targetNamespace}}${input.$name}`) && !headers.has(input.$name)) return undefined;
  const defs = client.wsdl.definitions as unknown as Loose;
  const message = Object.values(defs.messages ?? {}).find((m) => (m as Loose).element === input) as Loose | undefined;
  for (const part of (message?.children ?? []) as Loose[]) {
    if (part.name !== 'part' || typeof part.$element !== 'string') continue;
    const colon = part.$element.indexOf(':');
    const prefix: string = colon < 0 ? '' : part.$element.slice(0, colon);
    const local: string = part.$element.slice(colon + 1);
    const ns: string | undefined = part.definitionsXmlns?.[prefix] ?? defs.xmlns?.[prefix];
    if (ns === undefined || headers.has(`{${ns}}${local}`) || headers.has(local)) continue;
    return (args) => client.wsdl.objectToDocumentXML(local, args, prefix, ns, part.$element);
  }
  return undefined;
}

/**
 * Replaces the content of the envelope's Body (the package's `postProcess` hook receives the whole envelope,
 * written with its envelope key `soap`). The body is the envelope's last part, so the last Body tags are its.
 */
export function replaceBody(xml: string, body: string, key = 'soap'): string {
  const start = xml.lastIndexOf(`<${key}:Body`);
  const open = start < 0 ? -1 : xml.indexOf('>', start);
  const end = xml.lastIndexOf(`</${key}:Body>`);
  if (open < 0 || end < open) return xml;
  return xml.slice(0, open + 1) + body + xml.slice(end);
}
