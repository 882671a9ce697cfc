import { readFile, realpath, stat } from 'node:fs/promises';
import { basename, isAbsolute, resolve, sep, win32 } from 'node:path';
import { TrellisError } from '../../engine/errors.js';

/**
 * Files a transaction sends (file variables: multipart file parts, a raw binary body). A file variable's value
 * is a path relative to the project's `files/` folder; a path that leaves that folder is refused, whether by
 * `..`, by being absolute, or through a symbolic link (the real path of the file must lie inside the real path
 * of `files/`). The file read is the real path that was checked.
 */

export const FILES_FOLDER = 'files';

export interface ProjectFile {
  /** the file's base name as given (the part's filename) */
  name: string;
  bytes: Buffer<ArrayBuffer>;
}

function refuse(tx: string, variable: string, message: string, cause?: unknown): TrellisError {
  return new TrellisError('BAD_VARIABLE', `transaction ${tx}: file variable ${variable}: ${message}`, {
    path: `transaction ${tx}`,
    details: [{ variable, message }],
    cause,
  });
}

function inside(root: string, path: string): boolean {
  return path.startsWith(root.endsWith(sep) ? root : root + sep);
}

/** Resolves a file variable's value to a file inside `<projectDir>/files/` and reads it. */
export async function readProjectFile(projectDir: string, tx: string, variable: string, value: unknown, signal?: AbortSignal): Promise<ProjectFile> {
  if (typeof value !== 'string' || value.trim() === '')
    throw refuse(tx, variable, `expected a path relative to the project's ${FILES_FOLDER}/ folder, got ${JSON.stringify(value) ?? String(value)}`);
  const given = JSON.stringify(value);
  if (value.includes('\0')) throw refuse(tx, variable, `${given} holds a NUL character`);
  if (isAbsolute(value) || win32.isAbsolute(value))
    throw refuse(tx, variable, `${given} is an absolute path; give a path relative to the project's ${FILES_FOLDER}/ folder`);
  const root = resolve(projectDir, FILES_FOLDER);
  const full = resolve(root, value);
  if (!inside(root, full)) throw refuse(tx, variable, `${given} leaves the project's ${FILES_FOLDER}/ folder; give a path inside it`);

  let real: string;
  try {
    real = await realpath(full);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR')
      throw refuse(tx, variable, `${given} does not exist in the project's ${FILES_FOLDER}/ folder (${full})`, e);
    throw refuse(tx, variable, `${given} cannot be read (${code ?? (e as Error).message})`, e);
  }
  const realRoot = await realpath(root).catch(() => root);
  if (!inside(realRoot, real))
    throw refuse(tx, variable, `${given} leads outside the project's ${FILES_FOLDER}/ folder through a symbolic link; copy the file into the folder instead`);

  try {
    const info = await stat(real);
    if (!info.isFile()) throw refuse(tx, variable, `${given} is not a file`);
    return { name: basename(full), bytes: await readFile(real, { signal }) };
  } catch (e) {
    if (e instanceof TrellisError) throw e;
    if ((e as Error).name === 'AbortError')
      throw new TrellisError('CANCELLED', `transaction ${tx}: cancelled while reading file variable ${variable}`, { path: `transaction ${tx}`, cause: e });
    throw refuse(tx, variable, `${given} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, e);
  }
}
