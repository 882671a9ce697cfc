import { lstat, rm } from 'node:fs/promises';
import { z } from 'zod';
import { fileProp, pathValue } from './file-props.js';
import { exclusive, fileError, resolveFile } from './files.js';
import type { StepKind } from './step-kind.js';

const props = z
  .strictObject({
    file: fileProp('The file to delete'),
    missingOk: z.boolean().default(false).describe('Succeed when the file does not exist (otherwise the step fails)'),
  })
  .describe('Delete File');
type Props = z.output<typeof props>;

/** Delete File: one file of files/ (never a folder). */
export const deleteFileStep: StepKind<Props> = {
  kind: 'deleteFile',
  title: 'Delete File',
  category: 'file',
  icon: 'file-delete',
  description: 'Deletes a file of files/ (not a folder). Its output is {file, deleted}: deleted is false when the file was missing and missingOk is on.',
  props,
  container: false,
  async run(step, ctx) {
    const p = step.props;
    const file = await resolveFile(ctx, pathValue(ctx, p.file, 'file'));
    return exclusive(file.abs, async () => {
      try {
        const info = await lstat(file.abs);
        if (info.isDirectory()) throw ctx.error('BAD_REQUEST', `cannot delete files/${file.rel}: it is a folder (Delete File removes files only)`);
        await rm(file.abs);
        return { file: file.rel, deleted: true };
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT' && p.missingOk) return { file: file.rel, deleted: false };
        throw fileError(e, file, 'delete');
      }
    });
  },
  outputSchema: () => ({ type: 'object', properties: { file: { type: 'string' }, deleted: { type: 'boolean' } }, required: ['file', 'deleted'] }),
};
