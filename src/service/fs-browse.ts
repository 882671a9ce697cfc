import { readdir, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve, sep } from 'node:path';
import type { FsListing } from '../contract/index.js';
import { TrellisError } from '../engine/errors.js';

const PROJECT_FILE = 'trellis.yaml';

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

export interface ListOptions {
  /** list the folder's files too (folders come first) */
  files?: boolean;
  /** with `files`: only the files whose name ends with one of these (case-insensitive), e.g. [".json", ".yaml"] */
  extensions?: string[];
}

function extensionFilter(extensions: string[] | undefined): (name: string) => boolean {
  const wanted = (extensions ?? []).map((e) => e.trim().toLowerCase()).filter(Boolean).map((e) => (e.startsWith('.') ? e : `.${e}`));
  if (wanted.length === 0) return () => true;
  return (name) => {
    const lower = name.toLowerCase();
    return wanted.some((e) => lower.endsWith(e));
  };
}

const byName = (a: { name: string }, b: { name: string }): number => a.name.localeCompare(b.name, undefined, { sensitivity: 'base', numeric: true });

/**
 * The folder picker's view of the disk (a browser cannot see it): sub-folders, projects marked, and
 * with `files` the files (filtered by extension) after them; hidden entries are left out since a
 * project or a spec is rarely there and they crowd the list.
 */
export async function listFolder(requested: string | undefined, options: ListOptions = {}): Promise<FsListing> {
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
  const wantFile = options.files ? extensionFilter(options.extensions) : () => false;
  const candidates = dirents.filter((d) => !d.name.startsWith('.') && (d.isDirectory() || d.isSymbolicLink() || (d.isFile() && wantFile(d.name))));
  const listed = await Promise.all(
    candidates.map(async (d) => {
      const path = join(dir, d.name);
      if (d.isDirectory()) return { name: d.name, path, isDir: true, isProject: await isProject(path) };
      let info;
      try {
        info = await stat(path);
      } catch {
        return undefined; // a broken link, or gone since readdir
      }
      if (info.isDirectory()) return { name: d.name, path, isDir: true, isProject: await isProject(path) };
      if (info.isFile() && wantFile(d.name)) return { name: d.name, path, isDir: false, isProject: false, size: info.size };
      return undefined;
    }),
  );
  const entries = listed.filter((e) => e !== undefined);
  const folders = entries.filter((e) => e.isDir).sort(byName);
  const files = entries.filter((e) => !e.isDir).sort(byName);
  const parent = dirname(dir);
  return { dir, parent: parent === dir ? null : parent, home, separator: sep, isProject: await isProject(dir), entries: [...folders, ...files] };
}
