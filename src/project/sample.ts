import { existsSync } from 'node:fs';
import { cp, mkdir, rename, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { TrellisError } from '../engine/errors.js';
import { PROJECT_FILE } from './paths.js';

/**
 * The sample project (resources/sample, the Chinook music store) that `npm start` opens when given no folder. It is
 * never opened in place: the first start copies it to the user's workspace ($TRELLIS_HOME, else ~/Trellis) as
 * `chinook/`, and later starts open that copy with the user's edits.
 */

export const SAMPLE_NAME = 'chinook';

/** Where per-user projects live: $TRELLIS_HOME, else ~/Trellis. */
export function trellisHome(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.TRELLIS_HOME || join(homedir(), 'Trellis'));
}

/** resources/sample in the source tree (src/project) and in the desktop build (out/main): both sit two levels down. */
export function sampleSource(): string {
  const candidates = [resolve(import.meta.dirname, '../../resources/sample'), resolve(process.cwd(), 'resources/sample')];
  const found = candidates.find((dir) => existsSync(join(dir, PROJECT_FILE)));
  if (!found) throw new TrellisError('NOT_FOUND', `the sample project is missing (looked in ${candidates.join(', ')})`);
  return found;
}

/** data/ holds what runs build (the database made from files/Chinook_Sqlite.sql): not part of the sample. */
function copied(source: string, path: string): boolean {
  return path.slice(source.length + 1).split(/[\\/]/)[0] !== 'data';
}

/**
 * The folder of the user's copy of the sample, made on first use: copied into a temporary folder beside it and
 * renamed into place, so an interrupted first start never leaves half a project that later starts would open.
 */
export async function ensureSampleProject(options: { home?: string; source?: string } = {}): Promise<string> {
  const home = options.home ?? trellisHome();
  const target = join(home, SAMPLE_NAME);
  if (existsSync(join(target, PROJECT_FILE))) return target;
  if (existsSync(target)) throw new TrellisError('INVALID_PROJECT', `${target} exists but is not a Trellis project (no ${PROJECT_FILE}): move it away to get the sample project again`, { path: target });
  const source = options.source ?? sampleSource();
  await mkdir(home, { recursive: true });
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.${Date.now()}.tmp`);
  try {
    await cp(source, temp, { recursive: true, filter: (path) => path === source || copied(source, path) });
    try {
      await rename(temp, target);
    } catch (e) {
      // another start made it meanwhile: use that one
      if (!existsSync(join(target, PROJECT_FILE))) throw e;
    }
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
  return target;
}
