import { lstat, readdir, realpath } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { z } from 'zod';
import type { Json } from '../model/index.js';
import { pathValue } from './file-props.js';
import { fileError, resolveFile } from './files.js';
import { dyn } from './props.js';
import type { StepKind } from './step-kind.js';

const props = z
  .strictObject({
    folder: dyn(z.string().min(1), 'a folder relative to files/').default('.').describe("The folder to list, relative to files/ ('.' is files/ itself)"),
    pattern: z.string().optional().describe('Only names matching this pattern: * any characters, ? one character (e.g. *.csv)'),
    recursive: z.boolean().default(false).describe('Also list the files of sub-folders'),
  })
  .describe('List Files');
type Props = z.output<typeof props>;

function globRegex(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

const MAX_ENTRIES = 100_000;

/** List Files: the entries of a folder of files/, sorted by path; symbolic links leading out of files/ are left out. */
export const listFilesStep: StepKind<Props> = {
  kind: 'listFiles',
  title: 'List Files',
  category: 'file',
  icon: 'folder',
  description: 'Lists a folder of files/ (optionally recursively, filtered by a pattern like *.csv). Its output is an array of {path, name, folder, size, modified}, path relative to files/.',
  props,
  container: false,
  async run(step, ctx) {
    const p = step.props;
    const folder = await resolveFile(ctx, pathValue(ctx, p.folder, 'folder'), 'folder');
    const root = await realpath(ctx.filesDir());
    const match = p.pattern ? globRegex(p.pattern) : undefined;
    const out: Json[] = [];
    // real folders already walked: a symbolic link back to an ancestor would otherwise repeat the tree to no end
    const walked = new Set<string>();
    const walk = async (abs: string): Promise<void> => {
      const real = await realpath(abs).catch(() => abs);
      if (walked.has(real)) return;
      walked.add(real);
      let names: string[];
      try {
        names = await readdir(abs);
      } catch (e) {
        throw fileError(e, { rel: relative(root, abs) || '.', abs }, 'list');
      }
      for (const name of names.sort()) {
        if (out.length >= MAX_ENTRIES) throw ctx.error('TOO_LARGE', `more than ${MAX_ENTRIES} entries under files/${folder.rel}: narrow the folder or the pattern`);
        const child = join(abs, name);
        let info = await lstat(child);
        if (info.isSymbolicLink()) {
          const real = await realpath(child).catch(() => undefined);
          if (!real || relative(root, real).startsWith('..')) continue; // leads out of files/ (or nowhere)
          info = await lstat(real);
        }
        const path = relative(root, child).split('\\').join('/');
        if (!match || match.test(name)) out.push({ path, name, folder: info.isDirectory(), size: info.isDirectory() ? 0 : info.size, modified: info.mtime.toISOString() });
        if (p.recursive && info.isDirectory()) await walk(child);
      }
    };
    await walk(folder.abs);
    return out;
  },
  outputSchema: () => ({
    type: 'array',
    items: {
      type: 'object',
      properties: { path: { type: 'string' }, name: { type: 'string' }, folder: { type: 'boolean' }, size: { type: 'integer' }, modified: { type: 'string', format: 'date-time' } },
      required: ['path', 'name', 'folder', 'size', 'modified'],
    },
  }),
};
