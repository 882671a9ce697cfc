import { z } from 'zod';
import { realpathSync } from 'node:fs';
import { join, relative, isAbsolute } from 'node:path';
import type { Project } from '../model/index.js';
import { checkRelative } from './files.js';
import { dyn } from './props.js';
import type { StepContext } from './step-kind.js';

/** `file`: a path relative to the project's files/ folder (a constant, a source or an expression). */
export const fileProp = (what = 'The file') => dyn(z.string().min(1), 'a path relative to files/').describe(`${what}, relative to the project's files/ folder (it cannot leave it: no "..", no absolute path)`);

export const writeMode = () =>
  z.enum(['overwrite', 'append']).default('overwrite').describe('overwrite: replace the file (atomically); append: add to its end (a JSON file then holds an array)');

/** The path a step's path-like prop reads as, as a string (with a clear error otherwise). */
export function pathValue(ctx: StepContext, v: unknown, prop: string): string {
  const s = ctx.value(v);
  if (typeof s !== 'string' || !s) throw ctx.error('BAD_VARIABLE', `${prop} must be a path relative to files/, got ${JSON.stringify(s)}`);
  return s;
}

/** A sample file for schema derivation: a constant path inside files/ (symlinks included), else undefined. */
export function samplePath(project: Project, given: unknown): string | undefined {
  if (typeof given !== 'string') return undefined;
  try {
    const rel = checkRelative(given);
    const root = realpathSync(join(project.dir, 'files'));
    const real = realpathSync(join(root, ...rel.split('/')));
    const r = relative(root, real);
    return r.startsWith('..') || isAbsolute(r) ? undefined : real;
  } catch {
    return undefined;
  }
}
