import { readdir, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve, sep } from 'node:path';
import type { FsListing } from '../contract/index.js';
import { TrellisError } from '../engine/errors.js';

const PROJECT_FILE = 'trellis.yaml';

async function isDir(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

async function isProject(path: string): Promise<boolean> {
  try {
    return (await stat(join(path, PROJECT_FILE))).isFile();
  } catch {
    return false;
  }
}

/** `~`, `~/x` and relative paths are read from the home folder: the picker's text field accepts them. */
export function expandDir(dir: string | undefined, home = homedir()): string {
  if (!dir || dir === '~') return home;
  if (dir.startsWith('~/') || dir.startsWith(`~${sep}`)) return join(home, dir.slice(2));
  return isAbsolute(dir) ? resolve(dir) : resolve(home, dir);
}

/**
 * The folder picker's view of the disk (a browser cannot see it): sub-folders only, projects marked,
 * hidden folders left out since a project is rarely there and they crowd the list.
 */
export async function listFolder(requested: string | undefined): Promise<FsListing> {
  const home = homedir();
  const dir = expandDir(requested, home);
  let dirents;
  try {
    dirents = await readdir(dir, { withFileTypes: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'ENOTDIR' ? 'is not a folder' : code === 'EACCES' || code === 'EPERM' ? 'cannot be read (permission denied)' : `cannot be read (${(e as Error).message})`;
    throw new TrellisError('NOT_FOUND', `folder ${dir} ${why}`, { path: dir });
  }
  const candidates = dirents.filter((d) => !d.name.startsWith('.') && (d.isDirectory() || d.isSymbolicLink()));
  const entries = (
    await Promise.all(
      candidates.map(async (d) => {
        const path = join(dir, d.name);
        if (d.isSymbolicLink() && !(await isDir(path))) return undefined;
        return { name: d.name, path, isDir: true, isProject: await isProject(path) };
      }),
    )
  ).filter((e) => e !== undefined);
  entries.sort((a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base', numeric: true }));
  const parent = dirname(dir);
  return { dir, parent: parent === dir ? null : parent, home, separator: sep, isProject: await isProject(dir), entries };
}
