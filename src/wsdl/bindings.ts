import type { Node, WsdlModel } from './model.js';
import { NS, childElements, documentation, lineOf } from './names.js';
import type { WsdlWarning } from './types.js';

/**
 * Bindings, their operations and the service ports that use them, read from the model. A binding's kind is
 * told by its extension element: soap:binding (SOAP 1.1), soap12:binding (SOAP 1.2), http:binding (plain
 * HTTP, not imported). Operations are keyed by their port type and name, so one operation bound over both
 * SOAP versions is one operation.
 */

export type SoapVersion = 'soap11' | 'soap12';

export interface BodyInfo {
  use: 'literal' | 'encoded';
  /** soap:body parts="...": the message parts in the body; undefined means all but the header parts */
  parts?: string[];
}

export interface HeaderInfo {
  message: string;
  part: string;
  el: Element;
}

export interface MessageBinding {
  body?: BodyInfo;
  headers: HeaderInfo[];
}

export interface BindingOperation {
  name: string;
  node: Node;
  style: 'document' | 'rpc';
  soapAction?: string;
  input: MessageBinding;
  output: MessageBinding;
}

export interface BindingInfo {
  key: string;
  node: Node;
  kind: SoapVersion | 'http' | 'other';
  /** soap:binding transport */
  transport?: string;
  portTypeKey: string;
  portType?: Node;
  operations: BindingOperation[];
}

export interface PortInfo {
  service: string;
  port: string;
  node: Node;
  binding: BindingInfo;
  address?: string;
}

export interface PortTypeOperation {
  /** `{portType}#name` */
  key: string;
  name: string;
  node: Node;
  portTypeKey: string;
  description?: string;
}

function soapNs(version: SoapVersion): string {
  return version === 'soap11' ? NS.SOAP11 : NS.SOAP12;
}

function kindOf(binding: Element): BindingInfo['kind'] {
  for (const c of childElements(binding, undefined, 'binding')) {
    if (c.namespaceURI === NS.SOAP11) return 'soap11';
    if (c.namespaceURI === NS.SOAP12) return 'soap12';
    if (c.namespaceURI === NS.HTTP) return 'http';
  }
  return 'other';
}

function messageBinding(el: Element | undefined, version: SoapVersion): MessageBinding {
  if (!el) return { headers: [] };
  const ns = soapNs(version);
  const body = childElements(el, ns, 'body')[0];
  const headers = childElements(el, ns, 'header').map((h) => ({ message: h.getAttribute('message') ?? '', part: h.getAttribute('part') ?? '', el: h }));
  if (!body) return { headers };
  const parts = body.getAttribute('parts');
  return { body: { use: body.getAttribute('use') === 'encoded' ? 'encoded' : 'literal', ...(parts !== null ? { parts: parts.split(/\s+/).filter(Boolean) } : {}) }, headers };
}

export function readBindings(model: WsdlModel): BindingInfo[] {
  const out: BindingInfo[] = [];
  for (const [key, node] of model.bindings) {
    const kind = kindOf(node.el);
    const typeAttr = node.el.getAttribute('type') ?? '';
    const pt = model.wsdlRef(node.el, typeAttr, model.portTypes);
    const info: BindingInfo = { key, node, kind, portTypeKey: pt.key, portType: pt.node, operations: [] };
    if (kind === 'soap11' || kind === 'soap12') {
      const ns = soapNs(kind);
      const soapBinding = childElements(node.el, ns, 'binding')[0];
      const defaultStyle = soapBinding?.getAttribute('style') === 'rpc' ? 'rpc' : 'document';
      info.transport = soapBinding?.getAttribute('transport') ?? '';
      for (const op of childElements(node.el, NS.WSDL, 'operation')) {
        const soapOp = childElements(op, ns, 'operation')[0];
        const style = soapOp?.getAttribute('style');
        info.operations.push({
          name: op.getAttribute('name') ?? '',
          node: { el: op, doc: node.doc },
          style: style === 'rpc' || style === 'document' ? style : defaultStyle,
          soapAction: soapOp?.getAttribute('soapAction') ?? undefined,
          input: messageBinding(childElements(op, NS.WSDL, 'input')[0], kind),
          output: messageBinding(childElements(op, NS.WSDL, 'output')[0], kind),
        });
      }
    }
    out.push(info);
  }
  return out;
}

export function readPorts(model: WsdlModel, bindings: BindingInfo[], warn: (w: WsdlWarning) => void): PortInfo[] {
  const byKey = new Map(bindings.map((b) => [b.key, b]));
  const out: PortInfo[] = [];
  for (const service of model.services) {
    const serviceName = service.el.getAttribute('name') ?? '';
    for (const port of childElements(service.el, NS.WSDL, 'port')) {
      const node = { el: port, doc: service.doc };
      const ref = model.wsdlRef(port, port.getAttribute('binding') ?? '', model.bindings);
      const binding = byKey.get(ref.key);
      if (!binding) {
        warn(model.warning('binding-missing', node, `port ${port.getAttribute('name')} uses binding ${ref.key}, which is not defined; the port is ignored`));
        continue;
      }
      const address = childElements(port, undefined, 'address')
        .map((a) => a.getAttribute('location'))
        .find((l) => l);
      out.push({ service: serviceName, port: port.getAttribute('name') ?? '', node, binding, ...(address ? { address } : {}) });
    }
  }
  return out;
}

/** The operations of a port type, keyed `{portType}#name` (`#name#input` for a second operation of the same name). */
export function portTypeOperations(model: WsdlModel, portTypeKey: string): PortTypeOperation[] {
  const node = model.portTypes.get(portTypeKey);
  if (!node) return [];
  const seen = new Set<string>();
  return childElements(node.el, NS.WSDL, 'operation').map((el) => {
    const name = el.getAttribute('name') ?? '';
    let key = `${portTypeKey}#${name}`;
    if (seen.has(key)) key = `${key}#${childElements(el, NS.WSDL, 'input')[0]?.getAttribute('name') ?? lineOf(el)}`;
    seen.add(key);
    const description = documentation(el);
    return { key, name, node: { el, doc: node.doc }, portTypeKey, ...(description ? { description } : {}) };
  });
}
