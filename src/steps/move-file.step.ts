import { rename, stat } from 'node:fs/promises';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { fileProp, pathValue } from './file-props.js';
import { exclusive, fileError, resolveFile } from './files.js';
import type { StepKind } from './step-kind.js';

const props = z
  .strictObject({
    from: fileProp('The file to move'),
    to: fileProp('Its new path'),
    overwrite: z.boolean().default(false).describe('Replace `to` when it exists (otherwise the step fails)'),
  })
  .describe('Move File');
type Props = z.output<typeof props>;

/** Move File inside files/: one rename (atomic), never onto an existing file unless asked. */
export const moveFileStep: StepKind<Props> = {
  kind: 'moveFile',
  title: 'Move File',
  category: 'file',
  icon: 'file-move',
  description: 'Moves or renames a file of files/ (folders are created). An existing target is kept unless overwrite is on. Its output is {from, to}.',
  props,
  container: false,
  async run(step, ctx) {
    const p = step.props;
    const from = await resolveFile(ctx, pathValue(ctx, p.from, 'from'), 'from');
    const to = await resolveFile(ctx, pathValue(ctx, p.to, 'to'), 'to');
    if (from.rel === '.' || to.rel === '.') throw ctx.error('BAD_REQUEST', 'the files/ folder itself cannot be moved');
    const info = await stat(from.abs).catch((e: unknown) => Promise.reject(fileError(e, from, 'move')));
    if (info.isDirectory()) throw ctx.error('BAD_REQUEST', `cannot move files/${from.rel}: it is a folder`);
    return exclusive(to.abs, async () => {
      if (!p.overwrite && (await stat(to.abs).then(() => true, () => false))) throw fileError(Object.assign(new Error(), { code: 'EEXIST' }), to, 'move onto');
      try {
        await mkdir(dirname(to.abs), { recursive: true });
        await rename(from.abs, to.abs);
      } catch (e) {
        throw fileError(e, from, 'move');
      }
      return { from: from.rel, to: to.rel };
    });
  },
  outputSchema: () => ({ type: 'object', properties: { from: { type: 'string' }, to: { type: 'string' } }, required: ['from', 'to'] }),
};
