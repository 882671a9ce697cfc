import { randomBytes } from 'node:crypto';
import { open, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

const TEMP_SUFFIX = '.tmp';
// `.<file>.<pid>.<random>.tmp`: hidden, so loaders and editors skip it, and unique per writer.
const TEMP_NAME = /^\..+\.\d+\.[0-9a-f]{12}\.tmp$/;

export function isTempFileName(name: string): boolean {
  return TEMP_NAME.test(name);
}

/**
 * Replaces `path` with `data` so that a reader, or the next start after a crash or power loss, sees
 * either the old content or the new one, never a mix: the data goes to a temporary file in the
 * same folder (rename is only atomic within one file system), is flushed to disk, then renamed
 * over the target, and the folder entry itself is flushed.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`);
  const mode = await existingMode(path);
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(temp, 'wx', mode);
    await handle.writeFile(data);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await renameWithRetry(temp, path);
  } catch (e) {
    await handle?.close().catch(() => undefined);
    await rm(temp, { force: true }).catch(() => undefined);
    throw e;
  }
  await syncDir(dir);
}

/** Keeps permissions a user gave the file (e.g. 0600) across saves. */
async function existingMode(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).mode & 0o777;
  } catch {
    return undefined;
  }
}

// Windows refuses a rename while another process (an indexer, an antivirus) briefly holds the target.
async function renameWithRetry(from: string, to: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await rename(from, to);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (process.platform !== 'win32' || attempt >= 5 || (code !== 'EPERM' && code !== 'EACCES' && code !== 'EBUSY')) throw e;
      await new Promise((resolve) => setTimeout(resolve, 20 * (attempt + 1)));
    }
  }
}

/** Makes the rename durable; some platforms (Windows) cannot open or flush a folder, which is fine there. */
async function syncDir(dir: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EACCES' && code !== 'EINVAL' && code !== 'EBADF') throw e;
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/**
 * Removes temporary files a killed writer left in `dir`. Only old ones: a younger one may belong to
 * a save still running in another process (the CLI and the studio on the same project).
 */
export async function removeStaleTempFiles(dir: string, olderThanMs = 60_000): Promise<void> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  const limit = Date.now() - olderThanMs;
  for (const name of names.filter(isTempFileName)) {
    const path = join(dir, name);
    try {
      if ((await stat(path)).mtimeMs < limit) await rm(path, { force: true });
    } catch {}
  }
}
