import { z } from 'zod';
import { fileProp, pathValue } from './file-props.js';
import { exclusive, fileError, resolveFile, writeTextAtomic } from './files.js';
import { anyValue } from './props.js';
import type { StepKind } from './step-kind.js';
import { jsonToXml, xmlToJson } from './xml.js';

const props = z
  .strictObject({
    file: fileProp('The XML file to write'),
    value: anyValue().describe('An XML text (from XML Element or JSON to XML steps), or JSON turned into XML (`@name` keys are attributes)'),
    root: z.string().optional().describe('Root element name for a JSON value (needed unless the value has a single top-level key)'),
    pretty: z.boolean().default(true).describe('Indent the XML'),
  })
  .describe('Write XML');
type Props = z.output<typeof props>;

/** Write XML: an XML text (checked to be well formed) or JSON made XML, written atomically into files/. */
export const writeXmlStep: StepKind<Props> = {
  kind: 'writeXml',
  title: 'Write XML',
  category: 'file',
  icon: 'file-xml',
  description: 'Writes XML into files/, atomically: an XML text as it is (checked to be well formed), or a JSON value made XML under `root`. Its output is {file, bytes}.',
  props,
  container: false,
  async run(step, ctx) {
    const p = step.props;
    const file = await resolveFile(ctx, pathValue(ctx, p.file, 'file'));
    const v = ctx.value(p.value);
    let text: string;
    if (typeof v === 'string' && v.trimStart().startsWith('<')) {
      xmlToJson(v, 'the value'); // refuses a malformed text or one with a DTD before it reaches the disk
      text = v.endsWith('\n') ? v : `${v}\n`;
    } else text = `${jsonToXml(v ?? null, p.root, p.pretty)}\n`;
    return exclusive(file.abs, async () => {
      try {
        await writeTextAtomic(file.abs, text);
      } catch (e) {
        throw fileError(e, file, 'write');
      }
      return { file: file.rel, bytes: Buffer.byteLength(text) };
    });
  },
  outputSchema: () => ({ type: 'object', properties: { file: { type: 'string' }, bytes: { type: 'integer' } }, required: ['file', 'bytes'] }),
};
