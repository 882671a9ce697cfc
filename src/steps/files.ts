import { randomBytes } from 'node:crypto';
import { lstat, mkdir, open, realpath, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path';
import { TrellisError } from '../engine/errors.js';
import type { StepContext } from './step-kind.js';

/**
 * The one gate between file steps and the disk: every path a step names is relative to the project's
 * files/ folder and must stay inside it, symlinks included (DESIGN.md: steps cannot leave files/).
 */

export class FileAccessError extends TrellisError {
  constructor(message: string) {
    super('FILE_ACCESS', message);
  }
}

/** A path the steps may use: `rel` as written (posix), `abs` inside files/. */
export interface FilePath {
  rel: string;
  abs: string;
}

function refuse(given: string, why: string): FileAccessError {
  return new FileAccessError(`file "${given.replace(/\0/g, '\\0').slice(0, 200)}" ${why}`);
}

/** Checks the written form of a path (no disk access): relative, no `..`, no NUL. */
export function checkRelative(given: unknown, what = 'file'): string {
  if (typeof given !== 'string' || given.trim() === '') throw new FileAccessError(`${what} must be a path relative to files/, got ${JSON.stringify(given)}`);
  if (given.includes('\0')) throw refuse(given, 'contains a NUL byte');
  const posix = given.replace(/\\/g, '/');
  if (isAbsolute(given) || posix.startsWith('/') || /^[A-Za-z]:/.test(posix)) throw refuse(given, 'is absolute: write it relative to the project\'s files/ folder');
  const parts = posix.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) throw refuse(given, 'contains "..": paths cannot leave the project\'s files/ folder');
  return parts.join('/') || '.';
}

function inside(root: string, target: string): boolean {
  const r = relative(root, target);
  return r === '' || (!r.startsWith(`..${sep}`) && r !== '..' && !isAbsolute(r));
}

/** The real path of files/ (created when missing, so a new project's first write works). */
async function realRoot(filesDir: string): Promise<string> {
  await mkdir(filesDir, { recursive: true });
  return realpath(filesDir);
}

/** The nearest existing ancestor's real path must be inside the root: a symlinked folder cannot lead out. */
async function checkReal(root: string, abs: string, given: string): Promise<void> {
  let probe = abs;
  for (;;) {
    try {
      const real = await realpath(probe);
      if (!inside(root, real)) throw refuse(given, 'leads outside the project\'s files/ folder through a symbolic link');
      return;
    } catch (e) {
      if (e instanceof FileAccessError) throw e;
      const code = (e as NodeJS.ErrnoException).code;
      // the system's own message would name the server's absolute path
      if (code === 'ENAMETOOLONG') throw refuse(given, 'is too long for the file system');
      if (code === 'ELOOP') throw refuse(given, 'loops through symbolic links');
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw e;
      // a dangling symlink: where it points decides
      const link = await lstat(probe).catch(() => undefined);
      if (link?.isSymbolicLink()) throw refuse(given, 'is a symbolic link to a missing target');
      const up = dirname(probe);
      if (up === probe) return;
      probe = up;
    }
  }
}

/** Resolves a step's `file` prop to a path inside files/, refusing anything that leaves it. */
export async function resolveFile(ctx: StepContext, given: unknown, what = 'file'): Promise<FilePath> {
  const rel = checkRelative(given, what);
  const root = await realRoot(ctx.filesDir());
  const abs = rel === '.' ? root : join(root, ...rel.split('/'));
  if (!inside(root, abs)) throw refuse(String(given), 'is outside the project\'s files/ folder');
  await checkReal(root, abs, String(given));
  return { rel, abs };
}

/** A file's absence as a clear error naming it. */
export function fileError(e: unknown, file: FilePath, action: string): Error {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new TrellisError('NOT_FOUND', `cannot ${action} files/${file.rel}: it does not exist`);
  if (code === 'EISDIR') return new TrellisError('BAD_REQUEST', `cannot ${action} files/${file.rel}: it is a folder`);
  if (code === 'EEXIST') return new TrellisError('CONFLICT', `cannot ${action} files/${file.rel}: it already exists (set overwrite: true to replace it)`);
  // the system's own message would name the server's absolute path
  if (code === 'ENAMETOOLONG') return refuse(file.rel, 'is too long for the file system');
  if (code === 'ELOOP') return refuse(file.rel, 'loops through symbolic links');
  if (e instanceof TrellisError) return e;
  return new TrellisError('IO_ERROR', `cannot ${action} files/${file.rel}: ${(e as Error).message}`);
}

// Writers of one file queue behind each other (in this process): appends never interleave or lose data.
const queues = new Map<string, Promise<unknown>>();

export async function exclusive<T>(abs: string, work: () => Promise<T>): Promise<T> {
  const before = queues.get(abs) ?? Promise.resolve();
  const mine = before.then(work, work);
  const tail = mine.catch(() => undefined);
  queues.set(abs, tail);
  try {
    return await mine;
  } finally {
    if (queues.get(abs) === tail) queues.delete(abs);
  }
}

/** Makes `abs` through a temporary file in the same folder, flushed, then renamed: readers see the old or the new content. */
export async function replaceAtomic(abs: string, produce: (temp: string) => Promise<void>): Promise<void> {
  await mkdir(dirname(abs), { recursive: true });
  const temp = join(dirname(abs), `.${basename(abs)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await produce(temp);
    const handle = await open(temp, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, abs);
  } catch (e) {
    await rm(temp, { force: true });
    throw e;
  }
}

export function writeTextAtomic(abs: string, text: string): Promise<void> {
  return replaceAtomic(abs, (temp) => writeFile(temp, text, { flag: 'wx' }));
}

/** Appends one buffer in a single write on an O_APPEND handle, flushed: a reader never sees half of it. */
export async function appendWhole(abs: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(abs), { recursive: true });
  const handle = await open(abs, 'a');
  try {
    await handle.write(typeof data === 'string' ? Buffer.from(data) : data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}
