import { z } from 'zod';
import type { Json } from '../model/index.js';
import { anyValue, dyn } from './props.js';
import type { StepContext, StepKind } from './step-kind.js';
import { checkXmlName, serializeNode, textOf, type XmlNode } from './xml.js';

// The element its XML Element / XML Attribute children write into, per branch context (a Parallel gets a new one).
const frames = new WeakMap<StepContext, XmlNode | undefined>();

export function currentElement(ctx: StepContext): XmlNode | undefined {
  return frames.get(ctx);
}

const props = z
  .strictObject({
    name: dyn(z.string().min(1), 'an element name').describe('The element name (prefix:name allowed)'),
    text: anyValue().optional().describe('Text content, written before the child elements'),
    attributes: z.record(z.string(), anyValue()).optional().describe('Attributes by name (XML Attribute steps inside add more)'),
  })
  .describe('XML Element');
type Props = z.output<typeof props>;

/**
 * XML Element: builds an element from its props and the XML Element / XML Attribute steps inside it
 * (through Ifs and loops). Inside another XML Element it is appended to it; its output is its XML text.
 */
export const xmlElementStep: StepKind<Props> = {
  kind: 'xmlElement',
  title: 'XML Element',
  category: 'data',
  icon: 'xml',
  description:
    'Builds an XML element: name, text and attributes from its props, child elements from the XML Element steps inside it (through Ifs and Iterates), more attributes from XML Attribute steps. Nested in another XML Element it becomes its child; its output is the element as XML text.',
  props,
  container: true,
  async run(step, ctx) {
    const p = step.props;
    const name = checkXmlName(textOf(ctx.value(p.name)), 'the element name');
    const node: XmlNode = { name, attributes: {}, children: [] };
    const attributes = (ctx.value(p.attributes) ?? {}) as Record<string, Json>; // a constant object holding sources resolves as a whole
    for (const [k, v] of Object.entries(attributes)) node.attributes[checkXmlName(k, 'the attribute name')] = textOf(v);
    if (p.text !== undefined) {
      const t = textOf(ctx.value(p.text));
      if (t) node.children.push(t);
    }
    const parent = frames.get(ctx);
    frames.set(ctx, node);
    try {
      await ctx.runSteps(step.children);
    } finally {
      frames.set(ctx, parent);
    }
    parent?.children.push(node);
    return serializeNode(node) as Json;
  },
  check(step) {
    return step.children.some((c) => c.kind.concurrent) ? ['an XML Element cannot hold a Parallel step: its children are written in order'] : [];
  },
  outputSchema: () => ({ type: 'string', description: 'the element as XML text' }),
};
