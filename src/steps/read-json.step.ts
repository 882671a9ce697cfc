import { readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Json } from '../model/index.js';
import { inferSchema } from '../schema/infer.js';
import { fileProp, pathValue, samplePath } from './file-props.js';
import { fileError, resolveFile } from './files.js';
import type { StepKind } from './step-kind.js';

const props = z.strictObject({ file: fileProp('The JSON file') }).describe('Read JSON');
type Props = z.output<typeof props>;

/** Read JSON: the parsed content of a file of files/; its output schema comes from the file when `file` is a constant. */
export const readJsonStep: StepKind<Props> = {
  kind: 'readJson',
  title: 'Read JSON',
  category: 'file',
  icon: 'file-json',
  description: 'Reads a JSON file of the project\'s files/ folder. Its output is the parsed value.',
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
    try {
      return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) as Json;
    } catch (e) {
      throw ctx.error('BAD_RESPONSE', `files/${file.rel} is not valid JSON: ${(e as Error).message}`);
    }
  },
  outputSchema(step, derive) {
    const abs = samplePath(derive.project, step.raw.file);
    if (!abs) return {};
    try {
      return inferSchema(JSON.parse(readFileSync(abs, 'utf8')) as Json);
    } catch {
      return {};
    }
  },
};
