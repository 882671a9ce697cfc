import type { Json, Variable, VariableType } from '../model/index.js';
import { toName, uniqueName } from '../model/index.js';
import type { BindingOperation, PortTypeOperation } from './bindings.js';
import type { Node, WsdlModel } from './model.js';
import { NS, childElements, clark } from './names.js';
import type { JsonSchema, WsdlWarning } from './types.js';
import { jsonScalar, resultSchema, SchemaConverter } from './xsd-to-json-schema.js';
import type { ElementDecl, Particle, TypeRef, Xsd } from './xsd.js';

/**
 * One operation's messages → its variables and its output schema (docs/wsdl-import.md, "Variables"):
 * - document style: the body part's element; each child element is a variable (simple content: typed;
 *   complex: a json variable whose JSON Schema is kept in `inputSchemas`; repeating: multivalued), each
 *   attribute a variable with wire name `@name`; an element of simple type is one variable;
 * - rpc style: one variable per body part;
 * - soap:header parts: `in: header` variables whose wire name is the header element `{namespace}local`.
 */

export class SkipOperation extends Error {}

export interface MessagePart {
  name: string;
  node: Node;
  decl?: ElementDecl;
  type?: TypeRef;
}

export interface OperationMapping {
  variables: Variable[];
  inputSchemas: Record<string, JsonSchema>;
  schema?: JsonSchema;
  arrays: string[];
}

const FORMATS: Record<string, string> = { date: 'date', dateTime: 'date-time', time: 'time', base64Binary: 'byte', anyURI: 'uri', duration: 'duration' };

function scalarType(base: string): VariableType {
  return jsonScalar(base);
}

function typed(type: VariableType, text: string): Json {
  if (type === 'integer' || type === 'number') {
    const n = Number(text.trim());
    return Number.isFinite(n) && text.trim() !== '' ? n : text;
  }
  if (type === 'boolean') return text.trim() === 'true' || text.trim() === '1';
  return text;
}

export interface MessageContext {
  model: WsdlModel;
  xsd: Xsd;
  warn: (w: WsdlWarning) => void;
}

export function messageParts(ctx: MessageContext, message: Node): MessagePart[] {
  const tns = message.doc.root.getAttribute('targetNamespace') ?? '';
  const out: MessagePart[] = [];
  for (const part of childElements(message.el, NS.WSDL, 'part')) {
    const node = { el: part, doc: message.doc };
    const name = part.getAttribute('name') ?? '';
    const element = part.getAttribute('element');
    const type = part.getAttribute('type');
    const schemaCtx = { doc: message.doc, tns, qualified: false };
    if (element) {
      const found = ctx.model.ref(part, element, 'element', tns);
      const decl = found?.node ? ctx.xsd.topElement(found.key) : undefined;
      if (!decl) ctx.warn(ctx.model.warning('schema-ref-unresolved', node, `part ${name} names element ${found?.key ?? element}, which is not defined; read as any content`));
      out.push({ name, node, decl: decl ?? { name: element.slice(element.indexOf(':') + 1), type: { kind: 'any' }, nillable: false, el: part, ctx: schemaCtx } });
    } else out.push({ name, node, type: type ? ctx.xsd.typeRef(part, type, schemaCtx) : { kind: 'any' } });
  }
  return out;
}

class VariableBuilder {
  readonly variables: Variable[] = [];
  readonly inputSchemas: Record<string, JsonSchema> = {};
  private readonly taken = new Set<string>();

  constructor(private readonly ctx: MessageContext) {}

  add(wire: string, decl: { type: TypeRef; doc?: string; default?: string; name?: string } | undefined, type: TypeRef, extra: Partial<Variable>, label = wire): Variable {
    const xsd = this.ctx.xsd;
    const name = uniqueName(toName(label.replace(/^[@#]/, ''), 'value'), this.taken);
    this.taken.add(name);
    const complex = xsd.isComplex(type);
    const info = complex ? undefined : xsd.simple(type);
    const v: Variable = { name, type: info ? scalarType(info.base) : 'json', ...extra };
    if (wire !== name) v.wireName = wire;
    if (info?.list) v.description = 'a space-separated list';
    if (info && FORMATS[info.base]) v.format = FORMATS[info.base];
    if (info?.enum?.length) v.enum = info.enum.map((e) => typed(v.type, e));
    if (decl?.default !== undefined) v.default = typed(v.type, decl.default);
    const doc = decl?.doc ?? info?.doc;
    if (doc) v.description = doc;
    if (complex) {
      const c = new SchemaConverter(xsd, new Set(), true);
      const { $schema: _dialect, ...schema } = c.document(decl && 'el' in decl ? c.element(decl as ElementDecl) : c.type(type));
      if (Object.keys(schema).length) this.inputSchemas[name] = schema;
    }
    this.variables.push(v);
    return v;
  }

  particle(p: Particle): void {
    this.add(p.decl.name, p.decl, p.decl.type, { ...(p.min >= 1 && !p.choice ? { required: true } : {}), ...(p.max > 1 ? { multivalued: true } : {}) });
  }
}

function bodyParts(parts: MessagePart[], names: string[] | undefined, headerParts: Set<string>): MessagePart[] {
  return names ? parts.filter((p) => names.includes(p.name)) : parts.filter((p) => !headerParts.has(p.name));
}

export function mapOperation(ctx: MessageContext, op: PortTypeOperation, bop: BindingOperation): OperationMapping {
  const { model, xsd, warn } = ctx;
  const ioMessage = (which: 'input' | 'output'): Node | undefined => {
    const io = childElements(op.node.el, NS.WSDL, which)[0];
    if (!io) return undefined;
    const ref = model.wsdlRef(io, io.getAttribute('message') ?? '', model.messages);
    if (!ref.node) {
      const what = `${which} message ${ref.key} of operation ${op.name} is not defined`;
      if (which === 'input') throw new SkipOperation(`its ${what}`);
      warn(model.warning('message-missing', { el: io, doc: op.node.doc }, `${what}; the transaction has no output schema`, { operation: op.name }));
    }
    return ref.node;
  };
  const input = ioMessage('input');
  const output = ioMessage('output');
  for (const f of childElements(op.node.el, NS.WSDL, 'fault')) {
    const ref = model.wsdlRef(f, f.getAttribute('message') ?? '', model.messages);
    if (!ref.node) warn(model.warning('message-missing', { el: f, doc: op.node.doc }, `fault ${f.getAttribute('name') ?? ''} of operation ${op.name} names message ${ref.key}, which is not defined; its faults still come back as results`, { operation: op.name }));
  }
  const builder = new VariableBuilder(ctx);

  const headerParts = new Set<string>();
  for (const h of bop.input.headers) {
    const msg = model.wsdlRef(h.el, h.message, model.messages);
    if (!msg.node) {
      warn(model.warning('message-missing', { el: h.el, doc: bop.node.doc }, `header message ${msg.key} is not defined; the header is not a variable`, { operation: op.name }));
      continue;
    }
    if (input && msg.node.el === input.el) headerParts.add(h.part);
    const part = messageParts(ctx, msg.node).find((p) => p.name === h.part);
    if (!part?.decl) continue;
    builder.add(clark(part.decl.ns, part.decl.name), part.decl, part.decl.type, { in: 'header' }, part.decl.name);
  }

  if (input) {
    const body = bodyParts(messageParts(ctx, input), bop.input.body?.parts, headerParts);
    if (bop.style === 'rpc' || body.some((p) => !p.decl)) {
      for (const p of body) builder.add(p.name, p.decl, p.decl?.type ?? p.type!, {});
    } else if (body.length) {
      if (body.length > 1) warn(model.warning('multiple-body-parts', input, `${body.length} parts go in the body of ${op.name}; the soap package sends the first one (${body[0]!.name}) only`, { operation: op.name }));
      const decl = body[0]!.decl!;
      if (!xsd.isComplex(decl.type)) builder.add(decl.name, decl, decl.type, { required: true });
      else {
        const content = xsd.content(decl.type);
        for (const p of content.particles) builder.particle(p);
        for (const a of content.attributes) builder.add(`@${a.name}`, a, a.type, a.required ? { required: true } : {}, a.name);
        if (content.text) builder.add('#text', undefined, content.text, {}, 'value');
        if (content.any) warn(model.warning('any-content', body[0]!.node, `the input of ${op.name} allows any element (xsd:any); only the declared elements are variables`, { operation: op.name }));
      }
    }
  }

  let schema: JsonSchema | undefined;
  let arrays: string[] = [];
  if (output) {
    const outHeaders = new Set(bop.output.headers.filter((h) => model.wsdlRef(h.el, h.message, model.messages).node?.el === output.el).map((h) => h.part));
    const body = bodyParts(messageParts(ctx, output), bop.output.body?.parts, outHeaders);
    const result = resultSchema(xsd, (c) => {
      const entries = body.map((p) => ({ name: p.decl && bop.style !== 'rpc' ? p.decl.name : p.name, schema: p.decl ? c.element(p.decl) : c.type(p.type!), required: true }));
      return bop.style === 'rpc' ? c.object([{ name: `${op.name}Response`, schema: c.object(entries), required: true }]) : c.object(entries);
    });
    schema = result.schema;
    arrays = result.arrays;
  }
  return { variables: builder.variables, inputSchemas: builder.inputSchemas, schema, arrays };
}
