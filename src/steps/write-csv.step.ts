import { stat } from 'node:fs/promises';
import { z } from 'zod';
import type { Json } from '../model/index.js';
import { columnsOf, csvText } from './csv.js';
import { fileProp, pathValue, writeMode } from './file-props.js';
import { appendWhole, exclusive, fileError, resolveFile, writeTextAtomic } from './files.js';
import { anyValue } from './props.js';
import type { StepKind } from './step-kind.js';

const props = z
  .strictObject({
    file: fileProp('The CSV file to write'),
    value: anyValue().describe('The rows: an array of objects (columns from their keys) or of arrays'),
    delimiter: z.string().length(1, 'the delimiter is one character').default(',').describe('Field separator'),
    header: z.boolean().default(true).describe('Write a header row of column names (when appending: only into a new or empty file)'),
    columns: z.array(z.string().min(1)).optional().describe('Columns and their order (default: the keys of the rows, first seen first)'),
    mode: writeMode(),
  })
  .describe('Write CSV');
type Props = z.output<typeof props>;

/** Write CSV: RFC 4180 text (quotes where needed, CRLF), overwritten atomically or appended in one write. */
export const writeCsvStep: StepKind<Props> = {
  kind: 'writeCsv',
  title: 'Write CSV',
  category: 'file',
  icon: 'file-csv',
  description: 'Writes rows as CSV into files/: overwrite replaces the file atomically, append adds the rows at its end (the header only goes into a new file). Its output is {file, rows, bytes}.',
  props,
  container: false,
  async run(step, ctx) {
    const p = step.props;
    const file = await resolveFile(ctx, pathValue(ctx, p.file, 'file'));
    const v = ctx.value(p.value);
    const rows: Json[] = v === undefined || v === null ? [] : Array.isArray(v) ? v : [v];
    const columns = columnsOf(rows, p.columns);
    return exclusive(file.abs, async () => {
      try {
        let text: string;
        if (p.mode === 'append') {
          const size = await stat(file.abs).then((s) => s.size, (e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? 0 : Promise.reject(e)));
          text = csvText(rows, columns, p.delimiter, p.header && size === 0);
          await appendWhole(file.abs, text);
        } else {
          text = csvText(rows, columns, p.delimiter, p.header);
          await writeTextAtomic(file.abs, text);
        }
        return { file: file.rel, rows: rows.length, bytes: Buffer.byteLength(text) };
      } catch (e) {
        throw fileError(e, file, 'write');
      }
    });
  },
  outputSchema: () => ({ type: 'object', properties: { file: { type: 'string' }, rows: { type: 'integer' }, bytes: { type: 'integer' } }, required: ['file', 'rows', 'bytes'] }),
};
