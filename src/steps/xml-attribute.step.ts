import { z } from 'zod';
import { anyValue, dyn } from './props.js';
import type { StepKind } from './step-kind.js';
import { checkXmlName, textOf } from './xml.js';
import { currentElement } from './xml-element.step.js';

const props = z
  .strictObject({
    name: dyn(z.string().min(1), 'an attribute name').describe('The attribute name'),
    value: anyValue().describe('Its value (written as text)'),
  })
  .describe('XML Attribute');
type Props = z.output<typeof props>;

/** XML Attribute: sets an attribute of the enclosing XML Element. */
export const xmlAttributeStep: StepKind<Props> = {
  kind: 'xmlAttribute',
  title: 'XML Attribute',
  category: 'data',
  icon: 'xml-attribute',
  description: 'Sets an attribute of the enclosing XML Element (the value is written as text). Its output is the value.',
  props,
  container: false,
  async run(step, ctx) {
    const element = currentElement(ctx);
    if (!element) throw ctx.error('BAD_REQUEST', 'an XML Attribute must be inside an XML Element');
    const name = checkXmlName(textOf(ctx.value(step.props.name)), 'the attribute name');
    const value = textOf(ctx.value(step.props.value));
    element.attributes[name] = value;
    return value;
  },
  check(_step, ctx) {
    return ctx.ancestors.some((a) => a.kind.kind === 'xmlElement') ? [] : ['an XML Attribute must be inside an XML Element'];
  },
  outputSchema: () => ({ type: 'string' }),
};
