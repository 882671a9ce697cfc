import { TrellisError } from '../engine/errors.js';
import { nameSchema, toName, uniqueName, type Connector, type Transaction } from '../model/index.js';
import { portTypeOperations, readBindings, readPorts, type BindingInfo, type BindingOperation, type PortInfo, type PortTypeOperation, type SoapVersion } from './bindings.js';
import type { LoadedWsdl } from './load.js';
import { mapOperation, SkipOperation } from './messages.js';
import { WsdlModel } from './model.js';
import { localOf } from './names.js';
import type { JsonSchema, SkippedOperation, WsdlImportPlan, WsdlOperationInfo, WsdlReadOptions, WsdlWarning } from './types.js';
import { Xsd } from './xsd.js';

/**
 * A loaded WSDL → one SOAP connector (docs/wsdl-import.md): the connector uses one service and one port (the
 * service exposing the most operations; the port of the chosen SOAP version); each distinct port type
 * operation exposed by some SOAP binding becomes one transaction, whichever binding (1.1 or 1.2) and port
 * offer it. An operation reachable only through another port or service names it on the transaction.
 */

interface Bound {
  op: PortTypeOperation;
  /** SOAP bindings offering it, in document order */
  via: Array<{ binding: BindingInfo; bop: BindingOperation }>;
}

const yieldToLoop = (): Promise<void> => new Promise((r) => setImmediate(r));

/** "Stock Quote_Service" → stockQuoteService. */
export function connectorNameFrom(text: string | undefined): string {
  const words = (text ?? '').normalize('NFKD').split(/[^A-Za-z0-9]+/).filter(Boolean);
  if (!words.length) return 'soap';
  const parts = words.map((w, i) => {
    const lower = w === w.toUpperCase() ? w.toLowerCase() : w;
    return i === 0 ? lower[0]!.toLowerCase() + lower.slice(1) : lower[0]!.toUpperCase() + lower.slice(1);
  });
  return toName(parts.join('').slice(0, 64), 'soap');
}

function boundOperations(model: WsdlModel, bindings: BindingInfo[], warn: (w: WsdlWarning) => void, skipped: SkippedOperation[]): Bound[] {
  const byKey = new Map<string, Bound>();
  const known = new Map<string, PortTypeOperation[]>();
  for (const b of bindings) {
    if (b.kind !== 'soap11' && b.kind !== 'soap12') continue;
    if (!b.portType) {
      if (b.operations.length) warn(model.warning('porttype-missing', b.node, `binding ${localOf(b.key)} is for port type ${b.portTypeKey}, which is not defined; its operations are not imported`));
      continue;
    }
    const ops = known.get(b.portTypeKey) ?? portTypeOperations(model, b.portTypeKey);
    known.set(b.portTypeKey, ops);
    for (const bop of b.operations) {
      const op = ops.find((o) => o.name === bop.name);
      if (!op) {
        warn(model.warning('operation-missing', bop.node, `binding ${localOf(b.key)} binds operation ${bop.name}, which port type ${localOf(b.portTypeKey)} does not declare; ignored`, { operation: bop.name }));
        continue;
      }
      const entry = byKey.get(op.key) ?? { op, via: [] };
      entry.via.push({ binding: b, bop });
      byKey.set(op.key, entry);
    }
  }
  // operations no SOAP binding covers are skipped, unless an imported operation of the same name stands for
  // them (.NET services declare one port type per protocol: XSoap, XHttpGet, XHttpPost)
  const imported = new Set([...byKey.values()].map((b) => b.op.name));
  for (const pt of model.portTypes.keys()) {
    const soapBound = bindings.some((b) => b.portTypeKey === pt && (b.kind === 'soap11' || b.kind === 'soap12'));
    for (const op of known.get(pt) ?? portTypeOperations(model, pt)) {
      if (byKey.has(op.key) || (!soapBound && imported.has(op.name))) continue;
      const reason = soapBound ? 'no SOAP binding binds it' : bindings.some((b) => b.portTypeKey === pt) ? 'it is bound only over plain HTTP, not SOAP' : 'no binding binds its port type';
      skipped.push({ operation: op.name, reason });
      warn(model.warning('operation-skipped', op.node, `operation ${op.name} is not imported: ${reason}`, { operation: op.name }));
    }
  }
  return [...byKey.values()];
}

function choosePort(ports: PortInfo[], bound: Bound[], opts: WsdlReadOptions): { port?: PortInfo; version: SoapVersion } {
  let soap = ports.filter((p) => p.binding.kind === 'soap11' || p.binding.kind === 'soap12');
  if (opts.service !== undefined) {
    const services = [...new Set(soap.map((p) => p.service))];
    if (!services.includes(opts.service)) throw new TrellisError('INVALID_CONFIG', `the WSDL has no service "${opts.service}" with a SOAP port (services: ${services.join(', ') || 'none'})`);
    soap = soap.filter((p) => p.service === opts.service);
  }
  const version: SoapVersion = opts.binding ?? (soap.some((p) => p.binding.kind === 'soap11') || !soap.length ? 'soap11' : 'soap12');
  const reach = (service: string): number => bound.filter((b) => b.via.some((v) => soap.some((p) => p.service === service && p.binding === v.binding))).length;
  let best: string | undefined;
  for (const p of soap) if (best === undefined || reach(p.service) > reach(best)) best = p.service;
  const candidates = soap.filter((p) => p.service === best);
  const port = candidates.find((p) => p.binding.kind === version) ?? candidates[0];
  return { port, version: (port?.binding.kind as SoapVersion | undefined) ?? version };
}

export async function mapWsdl(loaded: LoadedWsdl, opts: WsdlReadOptions = {}): Promise<WsdlImportPlan> {
  const warnings: WsdlWarning[] = [...loaded.warnings];
  const warn = (w: WsdlWarning): void => void warnings.push(w);
  const model = new WsdlModel(loaded, warn);
  const xsd = new Xsd(model, warn);
  const bindings = readBindings(model);
  const ports = readPorts(model, bindings, warn);
  const skipped: SkippedOperation[] = [];
  const bound = boundOperations(model, bindings, warn, skipped);
  const { port, version } = choosePort(ports, bound, opts);
  const entry = model.entry;
  if (opts.binding && port && port.binding.kind !== opts.binding)
    warn({ code: 'binding-unavailable', message: `${entry.name}: service ${port.service} has no ${opts.binding} port; the connector uses ${port.binding.kind} (port ${port.port})`, file: entry.name });

  const connectorName = opts.connectorName ?? connectorNameFrom(port?.service ?? entry.root.getAttribute('name') ?? undefined);
  if (!nameSchema.safeParse(connectorName).success) throw new TrellisError('INVALID_CONFIG', `connector name "${connectorName}" is not a valid name (letters, digits, _ . -; starting with a letter or _)`);

  if (!port) warn({ code: 'no-service', message: `${entry.name}: no service has a SOAP port; the transactions need one to be called (the soap package calls a service's port)`, file: entry.name });
  else {
    const other = ports.find((p) => p.service === port.service && p.binding.kind !== port.binding.kind && (p.binding.kind === 'soap11' || p.binding.kind === 'soap12'));
    if (other) warn({ code: 'binding-choice', message: `${entry.name}: service ${port.service} is offered over ${port.binding.kind} (port ${port.port}) and ${other.binding.kind} (port ${other.port}); the connector uses ${port.binding.kind} (import with --binding ${other.binding.kind}, or set binding and port, for the other)`, file: entry.name });
    if (!port.address) warn(model.warning('address-missing', port.node, `port ${port.port} has no address; set the connector's endpoint`));
    else if (/\{\{?[^}]*\}\}?|\$\{/.test(port.address) || !/^https?:\/\//i.test(port.address))
      warn(model.warning('address-placeholder', port.node, `port ${port.port} has the address ${port.address}, which is not a usable URL; set the connector's endpoint`));
  }
  if (port && port.node.doc !== entry)
    warn(model.warning('service-document', port.node, `service ${port.service} is defined in ${port.node.doc.name}, which ${entry.name} imports; the connector reads ${port.node.doc.name}`));
  const HTTP_TRANSPORTS = ['http://schemas.xmlsoap.org/soap/http', 'http://www.w3.org/2003/05/soap/bindings/HTTP/'];
  for (const b of bindings) {
    if ((b.kind === 'soap11' || b.kind === 'soap12') && b.operations.length && !HTTP_TRANSPORTS.includes(b.transport ?? ''))
      warn(model.warning('binding-transport', b.node, `binding ${localOf(b.key)} declares the transport "${b.transport}", not SOAP over HTTP; the soap package ignores such bindings, so its operations may not be callable`));
  }
  const encoded = bindings.find((b) => b.operations.some((o) => o.input.body?.use === 'encoded' || o.output.body?.use === 'encoded'));
  if (encoded) warn(model.warning('soap-encoding', encoded.node, `binding ${localOf(encoded.key)} uses SOAP encoding (use="encoded"): values are sent as plain XML with the encodingStyle attribute, and encoded arrays read as repeated elements`));

  const transactions: Transaction[] = [];
  const schemas: Record<string, JsonSchema> = {};
  const operations: WsdlOperationInfo[] = [];
  const taken = new Set<string>();
  for (let i = 0; i < bound.length; i++) {
    if (opts.signal?.aborted) throw new TrellisError('CANCELLED', 'the import was cancelled');
    if (i % 50 === 49) {
      opts.onProgress?.({ phase: 'map', done: i, total: bound.length });
      await yieldToLoop();
    }
    const { op, via } = bound[i]!;
    const here = via.find((v) => port && v.binding === port.binding) ?? via.find((v) => v.binding.kind === version) ?? via[0]!;
    let mapped;
    try {
      mapped = mapOperation({ model, xsd, warn }, op, here.bop);
    } catch (e) {
      if (!(e instanceof SkipOperation)) throw e;
      skipped.push({ operation: op.name, reason: e.message });
      warn(model.warning('operation-skipped', op.node, `operation ${op.name} is not imported: ${e.message}`, { operation: op.name }));
      continue;
    }
    const name = uniqueName(toName(op.name, 'operation'), taken);
    taken.add(name);
    const tx: Transaction = { name, type: 'soap', ...(op.description ? { description: op.description } : {}), operation: op.name, variables: mapped.variables };
    if (port && here.binding !== port.binding) {
      const elsewhere = ports.find((p) => p.binding === here.binding && p.service === port.service) ?? ports.find((p) => p.binding === here.binding);
      if (elsewhere) Object.assign(tx, elsewhere.service !== port.service ? { service: elsewhere.service, port: elsewhere.port } : { port: elsewhere.port });
      else warn(model.warning('operation-unreachable', op.node, `no service port uses binding ${localOf(here.binding.key)}, so ${op.name} has no address to be called at`, { operation: op.name }));
    }
    if (mapped.arrays.length) tx.arrays = mapped.arrays;
    if (Object.keys(mapped.inputSchemas).length) tx.inputSchemas = mapped.inputSchemas;
    transactions.push(tx);
    if (mapped.schema) schemas[`${connectorName}.${name}`] = mapped.schema;
    const versions = [...new Set(via.map((v) => v.binding.kind as SoapVersion))];
    operations.push({ name, operation: op.name, portType: op.portTypeKey, bindings: versions, style: here.bop.style, oneWay: !mapped.schema && !childOutput(op), ...(op.description ? { description: op.description } : {}) });
  }
  if (!transactions.length) warn({ code: 'no-operations', message: `${entry.name}: no operation is exposed by a SOAP binding; the connector has no transactions`, file: entry.name });

  const config: Record<string, unknown> = { wsdl: '' };
  if (port) Object.assign(config, { service: port.service, port: port.port });
  config.binding = version;
  const description = entry.root.getAttribute('name') ?? undefined;
  const connector: Connector = { name: connectorName, kind: 'soap', ...(description ? { description: `${description} (WSDL)` } : {}), config, transactions };
  return {
    connector,
    schemas,
    warnings,
    skipped,
    operations,
    ports: ports.filter((p) => p.binding.kind === 'soap11' || p.binding.kind === 'soap12').map((p) => ({ service: p.service, port: p.port, binding: p.binding.kind as SoapVersion, ...(p.address ? { address: p.address } : {}) })),
    wsdl: { ...(description ? { name: description } : {}), targetNamespace: entry.root.getAttribute('targetNamespace') ?? undefined, files: loaded.docs.length, document: (port?.node.doc ?? entry).url },
  };
}

function childOutput(op: PortTypeOperation): boolean {
  return op.node.el.getElementsByTagNameNS('http://schemas.xmlsoap.org/wsdl/', 'output').length > 0;
}
