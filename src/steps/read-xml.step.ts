import { readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { inferSchema } from '../schema/infer.js';
import { fileProp, pathValue, samplePath } from './file-props.js';
import { fileError, resolveFile } from './files.js';
import type { StepKind } from './step-kind.js';
import { xmlToJson } from './xml.js';

const props = z.strictObject({ file: fileProp('The XML file') }).describe('Read XML');
type Props = z.output<typeof props>;

/** Read XML: a file of files/ as JSON (attributes as `@name`, mixed text as `#text`); DTDs are refused. */
export const readXmlStep: StepKind<Props> = {
  kind: 'readXml',
  title: 'Read XML',
  category: 'file',
  icon: 'file-xml',
  description: 'Reads an XML file of the project\'s files/ folder as JSON: elements become keys, attributes `@name`, text beside them `#text`. Documents with a DOCTYPE are refused (no external entities).',
  props,
  container: false,
  async run(step, ctx) {
    const file = await resolveFile(ctx, pathValue(ctx, step.props.file, 'file'));
    let text: string;
    try {
      text = await readFile(file.abs, 'utf8');
    } catch (e) {
      throw fileError(e, file, 'read');
    }
    return xmlToJson(text, `files/${file.rel}`);
  },
  outputSchema(step, derive) {
    const abs = samplePath(derive.project, step.raw.file);
    if (!abs) return {};
    try {
      return inferSchema(xmlToJson(readFileSync(abs, 'utf8'), abs));
    } catch {
      return {};
    }
  },
};
