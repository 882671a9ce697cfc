import type { LoadedWsdl, XmlDoc } from './load.js';
import { NS, childElements, clark, isXsd, lineOf, pointerOf, xsdChildren } from './names.js';
import type { WsdlWarning } from './types.js';

/**
 * Every named component of a loaded WSDL and its schemas, keyed by `{namespace}local`: messages, port types,
 * bindings and services of all WSDL documents (wsdl:import included), and the top-level elements, types,
 * groups and attributes of every schema (inline in wsdl:types or in imported .xsd files). QName references
 * resolve with the prefixes in scope where they are written, leniently (see `ref`).
 */

export interface Node {
  el: Element;
  doc: XmlDoc;
}

export interface SchemaNode extends Node {
  tns: string;
  /** elementFormDefault="qualified" */
  qualified: boolean;
}

export type SchemaKind = 'element' | 'type' | 'group' | 'attributeGroup' | 'attribute';

export class WsdlModel {
  readonly messages = new Map<string, Node>();
  readonly portTypes = new Map<string, Node>();
  readonly bindings = new Map<string, Node>();
  readonly services: Node[] = [];
  private readonly schema: Record<SchemaKind, Map<string, SchemaNode>> = {
    element: new Map(),
    type: new Map(),
    group: new Map(),
    attributeGroup: new Map(),
    attribute: new Map(),
  };
  private readonly byLocal = new Map<string, SchemaNode[]>();
  readonly entry: XmlDoc;

  constructor(
    loaded: LoadedWsdl,
    private readonly warn: (w: WsdlWarning) => void,
  ) {
    this.entry = loaded.entry;
    for (const doc of loaded.docs) {
      if (doc.kind === 'xsd') this.addSchema(doc.root, doc);
      else this.addDefinitions(doc);
    }
  }

  where(n: Node): string {
    return `${n.doc.name}:${lineOf(n.el) ?? '?'}`;
  }

  warning(code: string, n: Node, message: string, extra: Partial<WsdlWarning> = {}): WsdlWarning {
    return { code, message: `${this.where(n)}: ${message}`, file: n.doc.name, line: lineOf(n.el), pointer: pointerOf(n.el), ...extra };
  }

  private addDefinitions(doc: XmlDoc): void {
    const tns = doc.root.getAttribute('targetNamespace') ?? '';
    for (const el of childElements(doc.root, NS.WSDL)) {
      const name = el.getAttribute('name');
      const key = clark(tns, name ?? '');
      const node = { el, doc };
      if (el.localName === 'types') {
        for (const s of xsdChildren(el, 'schema')) this.addSchema(s, doc);
      } else if (el.localName === 'service') this.services.push(node);
      else if (name && (el.localName === 'message' || el.localName === 'portType' || el.localName === 'binding')) {
        const map = el.localName === 'message' ? this.messages : el.localName === 'portType' ? this.portTypes : this.bindings;
        if (!map.has(key)) map.set(key, node);
        else if (map.get(key)!.el !== el) this.warn(this.warning('duplicate-name', node, `a second ${el.localName} named "${name}"; the first one is used`));
      }
    }
  }

  private addSchema(el: Element, doc: XmlDoc): void {
    const tns = el.getAttribute('targetNamespace') || doc.chameleon || '';
    const qualified = el.getAttribute('elementFormDefault') === 'qualified';
    for (const c of xsdChildren(el)) {
      const kind: SchemaKind | undefined =
        c.localName === 'element' ? 'element'
        : c.localName === 'complexType' || c.localName === 'simpleType' ? 'type'
        : c.localName === 'group' ? 'group'
        : c.localName === 'attributeGroup' ? 'attributeGroup'
        : c.localName === 'attribute' ? 'attribute'
        : undefined;
      if (c.localName === 'redefine') {
        for (const r of xsdChildren(c)) {
          const name = r.getAttribute('name');
          const k: SchemaKind | undefined =
            r.localName === 'group' ? 'group' : r.localName === 'attributeGroup' ? 'attributeGroup' : r.localName === 'complexType' || r.localName === 'simpleType' ? 'type' : undefined;
          if (name && k) this.schema[k].set(clark(tns, name), { el: r, doc, tns, qualified });
        }
      }
      const name = c.getAttribute('name');
      if (!kind || !name) continue;
      const key = clark(tns, name);
      if (this.schema[kind].has(key)) continue;
      const node = { el: c, doc, tns, qualified };
      this.schema[kind].set(key, node);
      if (kind === 'element' || kind === 'type') this.byLocal.set(`${kind}:${name}`, [...(this.byLocal.get(`${kind}:${name}`) ?? []), node]);
    }
  }

  get(kind: SchemaKind, key: string): SchemaNode | undefined {
    return this.schema[kind].get(key);
  }

  /**
   * The component a QName attribute value names, written on `el`: prefixes resolve in scope; a prefix-less
   * name uses the default namespace, then the schema's target namespace; XML Schema names (in any of its
   * namespaces, or unprefixed when nothing else matches, as old WSDLs write `type="string"`) are built-ins,
   * returned as `{http://www.w3.org/2001/XMLSchema}local`.
   */
  ref(el: Element, value: string, kind: SchemaKind, tns?: string): { key: string; node?: SchemaNode; builtin?: string } | undefined {
    const v = value.trim();
    const colon = v.indexOf(':');
    const prefix = colon < 0 ? null : v.slice(0, colon);
    const local = v.slice(colon + 1);
    const ns = el.lookupNamespaceURI(prefix);
    if (prefix !== null && ns === null) {
      const found = this.schema[kind].get(clark(tns, local)) ?? this.unique(kind, local);
      return found ? { key: clark(found.tns, local), node: found } : isXsdBuiltin(local) ? { key: clark(NS.XSD, local), builtin: local } : undefined;
    }
    if (isXsd(ns)) return { key: clark(NS.XSD, local), builtin: local };
    const key = clark(ns, local);
    const node = this.schema[kind].get(key);
    if (node) return { key, node };
    if (prefix === null) {
      const inTns = tns !== undefined ? this.schema[kind].get(clark(tns, local)) : undefined;
      if (inTns) return { key: clark(tns, local), node: inTns };
      if (kind === 'type' && isXsdBuiltin(local)) return { key: clark(NS.XSD, local), builtin: local };
    }
    return { key };
  }

  /** A WSDL component (message, portType, binding) named by a QName attribute value written on `el`. */
  wsdlRef(el: Element, value: string, map: Map<string, Node>): { key: string; node?: Node } {
    const v = value.trim();
    const colon = v.indexOf(':');
    const local = v.slice(colon + 1);
    const ns = el.lookupNamespaceURI(colon < 0 ? null : v.slice(0, colon));
    const key = clark(ns, local);
    const node = map.get(key);
    if (node) return { key, node };
    // lenient: a wrong or missing prefix still finds a component whose local name is unique
    const matches = [...map.entries()].filter(([k]) => k === local || k.endsWith(`}${local}`));
    return matches.length === 1 ? { key: matches[0]![0], node: matches[0]![1] } : { key };
  }

  private unique(kind: SchemaKind, local: string): SchemaNode | undefined {
    const list = kind === 'element' || kind === 'type' ? this.byLocal.get(`${kind}:${local}`) : undefined;
    return list?.length === 1 ? list[0] : undefined;
  }
}

const BUILTINS = new Set(
  (
    'string normalizedString token language Name NCName ID IDREF IDREFS ENTITY ENTITIES NMTOKEN NMTOKENS QName NOTATION anyURI ' +
    'boolean decimal float double integer nonPositiveInteger negativeInteger long int short byte nonNegativeInteger unsignedLong ' +
    'unsignedInt unsignedShort unsignedByte positiveInteger duration dateTime time date gYearMonth gYear gMonthDay gDay gMonth ' +
    'hexBinary base64Binary anyType anySimpleType anyAtomicType dateTimeStamp timeInstant'
  ).split(' '),
);

export function isXsdBuiltin(local: string): boolean {
  return BUILTINS.has(local);
}
