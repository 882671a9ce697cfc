import { z } from 'zod';
import { anyValue } from './props.js';
import type { StepKind } from './step-kind.js';
import { jsonToXml } from './xml.js';

const props = z
  .strictObject({
    value: anyValue().describe('The JSON to write as XML: keys are elements, `@name` keys attributes, `#text` text'),
    root: z.string().optional().describe('Root element name (needed unless the value has a single top-level key)'),
    pretty: z.boolean().default(false).describe('Indent the XML'),
  })
  .describe('JSON to XML');
type Props = z.output<typeof props>;

export const jsonToXmlStep: StepKind<Props> = {
  kind: 'jsonToXml',
  title: 'JSON to XML',
  category: 'data',
  icon: 'xml',
  description: 'Turns JSON into an XML document (text): keys become elements, arrays repeat them, `@name` keys are attributes and `#text` the text. For SOAP or XML outputs.',
  props,
  container: false,
  async run(step, ctx) {
    const v = ctx.value(step.props.value);
    return jsonToXml(v ?? null, step.props.root, step.props.pretty);
  },
  outputSchema: () => ({ type: 'string', description: 'an XML document' }),
};
