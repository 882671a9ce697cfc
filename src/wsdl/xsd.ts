import type { XmlDoc } from './load.js';
import type { WsdlModel } from './model.js';
import { NS, documentation, isSoapEncoding, localOf, xsdChildren } from './names.js';
import type { WsdlWarning } from './types.js';

/**
 * The XML Schema side of the import, flattened to what the mapping needs: an element's content is its child
 * elements (with their occurrence ranges multiplied through sequences, choices and groups), its attributes,
 * and the simple type of its text. Named types are looked up in the model; references that do not resolve
 * are reported once each and read as "anything".
 */

export interface Ctx {
  doc: XmlDoc;
  tns: string;
  qualified: boolean;
}

export type TypeRef =
  | { kind: 'builtin'; name: string }
  | { kind: 'named'; key: string; el: Element; ctx: Ctx }
  | { kind: 'inline'; el: Element; ctx: Ctx; owner: string }
  | { kind: 'any' };

export interface ElementDecl {
  /** local name */
  name: string;
  /** namespace of the element on the wire (qualified elements), else undefined */
  ns?: string;
  type: TypeRef;
  nillable: boolean;
  default?: string;
  doc?: string;
  /** key of the top-level element it is (or refers to) */
  key?: string;
  el: Element;
  ctx: Ctx;
}

export interface Particle {
  decl: ElementDecl;
  min: number;
  max: number;
  /** inside a choice: never required */
  choice: boolean;
}

export interface AttributeDecl {
  name: string;
  type: TypeRef;
  required: boolean;
  default?: string;
  doc?: string;
}

export interface Content {
  particles: Particle[];
  attributes: AttributeDecl[];
  /** the simple type of the text of simple content */
  text?: TypeRef;
  mixed: boolean;
  /** an xsd:any wildcard: elements not listed may appear */
  any: boolean;
  /** a SOAP-encoded array without element particles: the item type from wsdl:arrayType */
  soapArray?: TypeRef;
}

export interface SimpleInfo {
  /** the XML Schema built-in at the end of the restriction chain */
  base: string;
  enum?: string[];
  list?: boolean;
  doc?: string;
}

const MAX_DEPTH = 40;

export class Xsd {
  private readonly reported = new Set<string>();
  private readonly contents = new Map<string, Content>();

  constructor(
    readonly model: WsdlModel,
    private readonly warn: (w: WsdlWarning) => void,
  ) {}

  private unresolved(what: string, key: string, el: Element, ctx: Ctx): void {
    if (this.reported.has(`${what}:${key}`)) return;
    this.reported.add(`${what}:${key}`);
    this.warn(this.model.warning('schema-ref-unresolved', { el, doc: ctx.doc }, `${what} ${key} is not defined in the WSDL or the schemas it imports; read as any content`));
  }

  /** The top-level element `key` (`{ns}local`), as an element declaration. */
  topElement(key: string): ElementDecl | undefined {
    const node = this.model.get('element', key);
    return node ? this.declOf(node.el, { doc: node.doc, tns: node.tns, qualified: node.qualified }, true, key) : undefined;
  }

  typeRef(el: Element, value: string, ctx: Ctx): TypeRef {
    const found = this.model.ref(el, value, 'type', ctx.tns);
    if (found?.builtin) return { kind: 'builtin', name: found.builtin };
    if (found?.node) return { kind: 'named', key: found.key, el: found.node.el, ctx: { doc: found.node.doc, tns: found.node.tns, qualified: found.node.qualified } };
    const key = found?.key ?? value;
    if (isSoapEncoding(el.lookupNamespaceURI(value.includes(':') ? value.split(':')[0]! : null))) return { kind: 'builtin', name: localOf(key) === 'Array' ? 'anyType' : localOf(key) };
    this.unresolved('type', key, el, ctx);
    return { kind: 'any' };
  }

  /** An xsd:element (a declaration, or a `ref` to a top-level one). */
  element(el: Element, ctx: Ctx): ElementDecl | undefined {
    const ref = el.getAttribute('ref');
    if (ref) {
      const found = this.model.ref(el, ref, 'element', ctx.tns);
      if (found?.node) return this.declOf(found.node.el, { doc: found.node.doc, tns: found.node.tns, qualified: found.node.qualified }, true, found.key);
      this.unresolved('element', found?.key ?? ref, el, ctx);
      return { name: localOf(ref), type: { kind: 'any' }, nillable: false, el, ctx };
    }
    return this.declOf(el, ctx, false);
  }

  private declOf(el: Element, ctx: Ctx, top: boolean, key?: string): ElementDecl | undefined {
    const name = el.getAttribute('name');
    if (!name) return undefined;
    const form = el.getAttribute('form');
    const qualified = top || form === 'qualified' || (form !== 'unqualified' && ctx.qualified);
    const typeAttr = el.getAttribute('type');
    const inline = xsdChildren(el).find((c) => c.localName === 'complexType' || c.localName === 'simpleType');
    const type: TypeRef = typeAttr ? this.typeRef(el, typeAttr, ctx) : inline ? { kind: 'inline', el: inline, ctx, owner: name } : { kind: 'any' };
    const decl: ElementDecl = { name, type, nillable: el.getAttribute('nillable') === 'true', el, ctx };
    if (qualified && ctx.tns) decl.ns = ctx.tns;
    const def = el.getAttribute('default') ?? el.getAttribute('fixed');
    if (def !== null) decl.default = def;
    const doc = documentation(el);
    if (doc) decl.doc = doc;
    if (key) decl.key = key;
    return decl;
  }

  /** The simple type behind a type reference: built-in base, enumeration, list. */
  simple(type: TypeRef, depth = 0): SimpleInfo {
    if (type.kind === 'builtin') return { base: type.name };
    if (type.kind === 'any' || depth > MAX_DEPTH) return { base: 'anyType' };
    const el = type.el;
    if (el.localName === 'complexType') {
      const text = this.content(type).text;
      return text ? this.simple(text, depth + 1) : { base: 'anyType' };
    }
    const doc = documentation(el);
    const restriction = xsdChildren(el, 'restriction')[0];
    if (restriction) {
      const base = restriction.getAttribute('base');
      const inner = xsdChildren(restriction, 'simpleType')[0];
      const info = base ? this.simple(this.typeRef(restriction, base, type.ctx), depth + 1) : inner ? this.simple({ kind: 'inline', el: inner, ctx: type.ctx, owner: '' }, depth + 1) : { base: 'string' };
      const values = xsdChildren(restriction, 'enumeration').map((e) => e.getAttribute('value') ?? '');
      return { ...info, ...(values.length ? { enum: values } : {}), ...(doc ? { doc } : {}) };
    }
    if (xsdChildren(el, 'list').length) return { base: 'string', list: true, ...(doc ? { doc } : {}) };
    return { base: 'string', ...(doc ? { doc } : {}) };
  }

  /** Whether a type has element or attribute content (a complex type that is not just simple text). */
  isComplex(type: TypeRef): boolean {
    if (type.kind === 'any') return true;
    if (type.kind === 'builtin') return type.name === 'anyType';
    if (type.el.localName !== 'complexType') return false;
    const c = this.content(type);
    return !(c.text && !c.attributes.length && !c.particles.length);
  }

  content(type: TypeRef, depth = 0): Content {
    const empty: Content = { particles: [], attributes: [], mixed: false, any: type.kind === 'any' || (type.kind === 'builtin' && type.name === 'anyType') };
    if (type.kind === 'builtin' || type.kind === 'any') return type.kind === 'builtin' && type.name !== 'anyType' ? { ...empty, text: type } : empty;
    if (type.el.localName === 'simpleType') return { ...empty, text: type };
    const cacheKey = type.kind === 'named' ? type.key : undefined;
    const cached = cacheKey ? this.contents.get(cacheKey) : undefined;
    if (cached) return cached;
    if (depth > MAX_DEPTH) return empty;
    const out: Content = { ...empty, mixed: type.el.getAttribute('mixed') === 'true' };
    this.readComplex(type.el, type.ctx, out, depth);
    if (cacheKey) this.contents.set(cacheKey, out);
    return out;
  }

  private readComplex(el: Element, ctx: Ctx, out: Content, depth: number): void {
    for (const c of xsdChildren(el)) {
      if (c.localName === 'simpleContent' || c.localName === 'complexContent') {
        if (c.getAttribute('mixed') === 'true') out.mixed = true;
        const derivation = xsdChildren(c).find((d) => d.localName === 'extension' || d.localName === 'restriction');
        if (!derivation) continue;
        const baseName = derivation.getAttribute('base');
        const base = baseName ? this.typeRef(derivation, baseName, ctx) : undefined;
        if (c.localName === 'simpleContent') {
          if (base) {
            const inherited = this.content(base, depth + 1);
            out.text = inherited.text ?? base;
            out.attributes.push(...inherited.attributes);
          }
        } else if (base && baseName && isSoapEncoding(derivation.lookupNamespaceURI(baseName.includes(':') ? baseName.split(':')[0]! : null)) && localOf(baseName) === 'Array') {
          out.soapArray = this.arrayItem(derivation, ctx);
        } else if (base && derivation.localName === 'extension') {
          const inherited = this.content(base, depth + 1);
          out.particles.push(...inherited.particles);
          out.attributes.push(...inherited.attributes);
          out.any ||= inherited.any;
          out.text ??= inherited.text;
        } else if (base) out.attributes.push(...this.content(base, depth + 1).attributes);
        this.readComplex(derivation, ctx, out, depth + 1);
      } else if (['sequence', 'all', 'choice', 'group', 'any', 'element'].includes(c.localName ?? '')) {
        this.particles(c, ctx, out, 1, 1, false, depth);
      } else if (c.localName === 'attribute' || c.localName === 'attributeGroup' || c.localName === 'anyAttribute') {
        this.attributes(c, ctx, out, depth);
      }
    }
    if (out.soapArray && out.particles.length) delete out.soapArray;
  }

  private arrayItem(derivation: Element, ctx: Ctx): TypeRef {
    for (const a of [...xsdChildren(derivation, 'attribute'), ...derivation.getElementsByTagNameNS(NS.WSDL, 'arrayType') as unknown as Element[]]) {
      const t = a.getAttributeNS?.(NS.WSDL, 'arrayType');
      if (t) return this.typeRef(a, t.replace(/\[[\d,\s]*\]$/, ''), ctx);
    }
    return { kind: 'any' };
  }

  private particles(el: Element, ctx: Ctx, out: Content, min: number, max: number, choice: boolean, depth: number): void {
    if (depth > MAX_DEPTH) return;
    const own = occurs(el);
    const lo = min * own.min;
    const hi = max * own.max;
    switch (el.localName) {
      case 'element': {
        const decl = this.element(el, ctx);
        if (decl) out.particles.push({ decl, min: lo, max: hi, choice });
        return;
      }
      case 'any':
        out.any = true;
        return;
      case 'group': {
        const ref = el.getAttribute('ref');
        const found = ref ? this.model.ref(el, ref, 'group', ctx.tns) : undefined;
        if (ref && !found?.node) return this.unresolved('group', found?.key ?? ref, el, ctx);
        const node = found?.node;
        const body = node ? xsdChildren(node.el).find((c) => c.localName !== 'annotation') : xsdChildren(el).find((c) => c.localName !== 'annotation');
        if (body) this.particles(body, node ? { doc: node.doc, tns: node.tns, qualified: node.qualified } : ctx, out, lo, hi, choice, depth + 1);
        return;
      }
      default:
        for (const c of xsdChildren(el)) if (c.localName !== 'annotation') this.particles(c, ctx, out, lo, hi, choice || el.localName === 'choice', depth + 1);
    }
  }

  private attributes(el: Element, ctx: Ctx, out: Content, depth: number): void {
    if (el.localName === 'anyAttribute' || depth > MAX_DEPTH) return;
    const ref = el.getAttribute('ref');
    if (el.localName === 'attributeGroup') {
      const found = ref ? this.model.ref(el, ref, 'attributeGroup', ctx.tns) : undefined;
      if (!found?.node) return ref ? this.unresolved('attributeGroup', found?.key ?? ref, el, ctx) : undefined;
      const gctx = { doc: found.node.doc, tns: found.node.tns, qualified: found.node.qualified };
      for (const c of xsdChildren(found.node.el)) this.attributes(c, gctx, out, depth + 1);
      return;
    }
    if (el.localName !== 'attribute' || el.getAttribute('use') === 'prohibited') return;
    let decl = el;
    let dctx = ctx;
    if (ref) {
      // the SOAP encoding's own attributes (arrayType, offset) are not data
      if (isSoapEncoding(el.lookupNamespaceURI(ref.includes(':') ? ref.split(':')[0]! : null))) return;
      const found = this.model.ref(el, ref, 'attribute', ctx.tns);
      // xml:lang and other attributes of well-known namespaces are strings
      if (!found?.node) return void out.attributes.push({ name: attributeKey(el, ref), type: { kind: 'builtin', name: 'string' }, required: el.getAttribute('use') === 'required' });
      decl = found.node.el;
      dctx = { doc: found.node.doc, tns: found.node.tns, qualified: found.node.qualified };
    }
    const name = decl.getAttribute('name');
    if (!name) return;
    const typeAttr = decl.getAttribute('type');
    const inline = xsdChildren(decl, 'simpleType')[0];
    const type: TypeRef = typeAttr ? this.typeRef(decl, typeAttr, dctx) : inline ? { kind: 'inline', el: inline, ctx: dctx, owner: name } : { kind: 'builtin', name: 'string' };
    const attr: AttributeDecl = { name: ref ? attributeKey(el, ref) : name, type, required: el.getAttribute('use') === 'required' };
    const def = el.getAttribute('default') ?? decl.getAttribute('default');
    if (def !== null) attr.default = def;
    const doc = documentation(decl);
    if (doc) attr.doc = doc;
    out.attributes.push(attr);
  }
}

const XML_NS = 'http://www.w3.org/XML/1998/namespace';

/**
 * How a referenced (namespace-qualified) attribute appears in the mapped data: `xml:lang` for the XML
 * namespace, whose prefix is fixed; the local name otherwise, as the prefix a server writes cannot be known.
 */
function attributeKey(el: Element, ref: string): string {
  const colon = ref.indexOf(':');
  const prefix = colon < 0 ? null : ref.slice(0, colon);
  return prefix === 'xml' || (prefix !== null && el.lookupNamespaceURI(prefix) === XML_NS) ? `xml:${ref.slice(colon + 1)}` : ref.slice(colon + 1);
}

export function occurs(el: Element): { min: number; max: number } {
  const minAttr = el.getAttribute('minOccurs');
  const maxAttr = el.getAttribute('maxOccurs');
  const min = minAttr === null || minAttr === '' ? 1 : Number(minAttr);
  const max = maxAttr === 'unbounded' ? Infinity : maxAttr === null || maxAttr === '' ? 1 : Number(maxAttr);
  return { min: Number.isFinite(min) ? min : 1, max: Number.isNaN(max) ? 1 : max };
}
