import { stat } from 'node:fs/promises';
import { z } from 'zod';
import type { Json } from '../model/index.js';
import type { JSONSchema } from '../schema/types.js';
import { rowSchema } from './csv.js';
import { CsvRows, firstRows, readAllRows, sampleShape, type CsvReadOptions } from './csv-read.js';
import { fileProp, pathValue, samplePath } from './file-props.js';
import { fileError, resolveFile } from './files.js';
import type { StepKind } from './step-kind.js';

/** Files larger than this are streamed (stream: auto). */
export const STREAM_ABOVE_BYTES = 16 * 1024 * 1024;
const PREVIEW_ROWS = 5;

const props = z
  .strictObject({
    file: fileProp('The CSV file'),
    delimiter: z.string().length(1, 'the delimiter is one character').default(',').describe('Field separator: , ; | or a tab'),
    header: z.boolean().default(true).describe('The first record names the columns (rows are objects); off: rows are arrays'),
    types: z
      .union([z.enum(['infer', 'text']), z.record(z.string(), z.enum(['string', 'integer', 'number', 'boolean']))])
      .default('infer')
      .describe('infer: numbers and booleans from the first 200 rows (empty fields become null); text: every value a string; or a type per column'),
    encoding: z.string().default('utf8').describe('Text encoding of the file: utf8, latin1, windows-1252, utf16le…'),
    stream: z
      .enum(['auto', 'always', 'never'])
      .default('auto')
      .describe('auto: files over 16 MB are streamed (only an Iterate can go through them, row by row); always / never force it'),
    sample: z.string().optional().describe('A sample file in files/ whose first rows give the output schema (default: `file` when it is a constant)'),
  })
  .describe('Read CSV');
type Props = z.output<typeof props>;

function optionsOf(p: Props): CsvReadOptions {
  return { delimiter: p.delimiter, header: p.header, types: p.types, encoding: p.encoding };
}

/**
 * Read CSV. Small files give the array of rows; large ones give a streamed value that an Iterate reads row
 * by row (memory stays that of one chunk), whose trace shows the first rows.
 */
export const readCsvStep: StepKind<Props> = {
  kind: 'readCsv',
  title: 'Read CSV',
  category: 'file',
  icon: 'file-csv',
  description:
    'Reads a CSV file of files/ (RFC 4180 quoting, any delimiter, header row, inferred types). Its output is the array of rows; a file over 16 MB is streamed: put this step as the `over` source of an Iterate to go through it row by row.',
  props,
  container: false,
  async run(step, ctx) {
    const p = step.props;
    const file = await resolveFile(ctx, pathValue(ctx, p.file, 'file'));
    const options = optionsOf(p);
    try {
      const info = await stat(file.abs);
      if (info.isDirectory()) throw Object.assign(new Error('a folder'), { code: 'EISDIR' });
      const streamed = p.stream === 'always' || (p.stream === 'auto' && info.size > STREAM_ABOVE_BYTES);
      if (!streamed) return await readAllRows(file.abs, options);
      return new CsvRows(file.rel, file.abs, info.size, options, await firstRows(file.abs, options, PREVIEW_ROWS)) as unknown as Json;
    } catch (e) {
      throw fileError(e, file, 'read');
    }
  },
  outputSchema(step, derive) {
    const raw = step.raw;
    const abs = samplePath(derive.project, raw.sample ?? raw.file);
    if (!abs) return { type: 'array', items: raw.header ? { type: 'object' } : { type: 'array' } };
    try {
      const shape = sampleShape(abs, optionsOf(raw));
      return { type: 'array', items: rowSchema(shape.columns, shape.types) as JSONSchema };
    } catch {
      return { type: 'array' };
    }
  },
};
