import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { Json } from '../model/index.js';
import { fileProp, pathValue, writeMode } from './file-props.js';
import { exclusive, fileError, resolveFile, writeTextAtomic } from './files.js';
import { anyValue } from './props.js';
import type { StepKind } from './step-kind.js';

const props = z
  .strictObject({
    file: fileProp('The JSON file to write'),
    value: anyValue().describe('What to write'),
    mode: writeMode(),
    pretty: z.boolean().default(true).describe('Indent the JSON (two spaces)'),
  })
  .describe('Write JSON');
type Props = z.output<typeof props>;

/**
 * Write JSON. Overwrite replaces the file atomically (temp file + rename); append adds the value to the
 * array the file holds (a missing file starts one), writes of one file queued so none is lost.
 */
export const writeJsonStep: StepKind<Props> = {
  kind: 'writeJson',
  title: 'Write JSON',
  category: 'file',
  icon: 'file-json',
  description: 'Writes a value as JSON into files/. overwrite replaces the file atomically; append adds the value to the JSON array the file holds (created when missing). Its output is {file, bytes}.',
  props,
  container: false,
  async run(step, ctx) {
    const p = step.props;
    const file = await resolveFile(ctx, pathValue(ctx, p.file, 'file'));
    const v = ctx.value(p.value);
    const value: Json = v === undefined ? null : v;
    const text = (x: Json) => `${JSON.stringify(x, null, p.pretty ? 2 : undefined)}\n`;
    return exclusive(file.abs, async () => {
      let out = text(value);
      if (p.mode === 'append') {
        let existing: Json = [];
        try {
          const t = await readFile(file.abs, 'utf8');
          if (t.trim()) existing = JSON.parse(t) as Json;
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
            if (e instanceof SyntaxError) throw ctx.error('BAD_RESPONSE', `cannot append to files/${file.rel}: it is not valid JSON (${e.message})`);
            throw fileError(e, file, 'read');
          }
        }
        if (!Array.isArray(existing)) throw ctx.error('BAD_VARIABLE', `cannot append to files/${file.rel}: it holds ${typeof existing === 'object' ? 'an object' : 'a ' + typeof existing}, not a JSON array`);
        existing.push(value);
        out = text(existing);
      }
      try {
        await writeTextAtomic(file.abs, out);
      } catch (e) {
        throw fileError(e, file, 'write');
      }
      return { file: file.rel, bytes: Buffer.byteLength(out) };
    });
  },
  outputSchema: () => ({ type: 'object', properties: { file: { type: 'string' }, bytes: { type: 'integer' } }, required: ['file', 'bytes'] }),
};
