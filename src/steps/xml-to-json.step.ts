import { z } from 'zod';
import { dyn } from './props.js';
import type { StepKind } from './step-kind.js';
import { xmlToJson } from './xml.js';

const props = z.strictObject({ xml: dyn(z.string(), 'an XML text').describe('The XML text to read') }).describe('XML to JSON');
type Props = z.output<typeof props>;

export const xmlToJsonStep: StepKind<Props> = {
  kind: 'xmlToJson',
  title: 'XML to JSON',
  category: 'data',
  icon: 'braces',
  description: 'Reads an XML text as JSON: elements become keys (repeated ones arrays), attributes `@name`, text beside them `#text`. A DOCTYPE is refused (no external entities).',
  props,
  container: false,
  async run(step, ctx) {
    const v = ctx.value(step.props.xml);
    if (typeof v !== 'string') throw ctx.error('BAD_VARIABLE', `xml must be an XML text, got ${v === null ? 'null' : typeof v}`);
    return xmlToJson(v, 'xml');
  },
};
