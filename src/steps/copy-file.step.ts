import { copyFile, stat } from 'node:fs/promises';
import { z } from 'zod';
import { fileProp, pathValue } from './file-props.js';
import { exclusive, fileError, replaceAtomic, resolveFile } from './files.js';
import type { StepKind } from './step-kind.js';

const props = z
  .strictObject({
    from: fileProp('The file to copy'),
    to: fileProp('The copy'),
    overwrite: z.boolean().default(false).describe('Replace `to` when it exists (otherwise the step fails)'),
  })
  .describe('Copy File');
type Props = z.output<typeof props>;

/** Copy File inside files/: the copy appears whole (temp file + rename), and never replaces a file unless asked. */
export const copyFileStep: StepKind<Props> = {
  kind: 'copyFile',
  title: 'Copy File',
  category: 'file',
  icon: 'file-copy',
  description: 'Copies a file of files/ to another path of files/ (folders are created). An existing target is kept unless overwrite is on. Its output is {from, to, bytes}.',
  props,
  container: false,
  async run(step, ctx) {
    const p = step.props;
    const from = await resolveFile(ctx, pathValue(ctx, p.from, 'from'), 'from');
    const to = await resolveFile(ctx, pathValue(ctx, p.to, 'to'), 'to');
    const info = await stat(from.abs).catch((e: unknown) => Promise.reject(fileError(e, from, 'copy')));
    if (info.isDirectory()) throw ctx.error('BAD_REQUEST', `cannot copy files/${from.rel}: it is a folder`);
    return exclusive(to.abs, async () => {
      if (!p.overwrite && (await stat(to.abs).then(() => true, () => false))) throw fileError(Object.assign(new Error(), { code: 'EEXIST' }), to, 'copy onto');
      try {
        await replaceAtomic(to.abs, (temp) => copyFile(from.abs, temp));
      } catch (e) {
        throw fileError(e, to, 'write');
      }
      return { from: from.rel, to: to.rel, bytes: info.size };
    });
  },
  outputSchema: () => ({ type: 'object', properties: { from: { type: 'string' }, to: { type: 'string' }, bytes: { type: 'integer' } }, required: ['from', 'to', 'bytes'] }),
};
