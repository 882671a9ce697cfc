import { createReadStream } from 'node:fs';
import { mkdtemp, open, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { extract, type ReadEntry } from 'tar';
import { TrellisError } from '../engine/errors.js';
import { MANIFEST_FILE, parseManifest, sha256, unsafePathReason, type Manifest } from './manifest.js';

/** Unpacked size and entry count a bundle may reach (a guard against archive bombs). */
export const MAX_BUNDLE_BYTES = 512 * 1024 * 1024;
export const MAX_BUNDLE_ENTRIES = 20_000;

export interface OpenedBundle {
  /** the folder the project was unpacked into (temporary; dispose() removes it) */
  dir: string;
  manifest: Manifest;
  dispose(): Promise<void>;
}

const GZIP_MAGIC = [0x1f, 0x8b];

async function startsWithGzip(source: string | Buffer): Promise<boolean> {
  if (Buffer.isBuffer(source)) return source[0] === GZIP_MAGIC[0] && source[1] === GZIP_MAGIC[1];
  const handle = await open(source, 'r').catch((e: NodeJS.ErrnoException) => {
    throw new TrellisError(e.code === 'ENOENT' ? 'NOT_FOUND' : 'INVALID_BUNDLE', `${source}: cannot be read (${e.code ?? e.message})`);
  });
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1];
  } finally {
    await handle.close();
  }
}

/** Every regular file under `dir`, as relative posix paths. */
async function listFiles(dir: string, rel = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(join(dir, rel), { withFileTypes: true })) {
    const path = rel ? posix.join(rel, entry.name) : entry.name;
    if (entry.isDirectory()) out.push(...(await listFiles(dir, path)));
    else out.push(path);
  }
  return out;
}

/** Unpacks into `dir`, refusing (not skipping) any entry that could write outside it or is not a plain file or folder. */
async function unpack(source: string | Buffer, dir: string, label: string): Promise<void> {
  let refused: string | undefined;
  let bytes = 0;
  let entries = 0;
  const filter = (path: string, entry: unknown): boolean => {
    const e = entry as ReadEntry;
    if (refused) return false;
    const clean = path.replace(/\/+$/, '');
    const reason =
      e.type !== 'File' && e.type !== 'OldFile' && e.type !== 'Directory' ? `a ${e.type} entry (bundles hold regular files only)` : clean === MANIFEST_FILE ? undefined : unsafePathReason(clean);
    bytes += e.size ?? 0;
    if (++entries > MAX_BUNDLE_ENTRIES) refused = `it holds more than ${MAX_BUNDLE_ENTRIES} entries`;
    else if (bytes > MAX_BUNDLE_BYTES) refused = `it unpacks to more than ${MAX_BUNDLE_BYTES / 1048576} MB`;
    else if (reason) refused = `"${path}" is ${reason}`;
    return !refused;
  };
  const options = { cwd: dir, strict: true, filter, preservePaths: false, noChmod: true, preserveOwner: false } as const;
  try {
    if (Buffer.isBuffer(source)) await pipeline(Readable.from([source]), extract(options));
    else await pipeline(createReadStream(source), extract(options));
  } catch (e) {
    throw new TrellisError('INVALID_BUNDLE', `${label} is not a Trellis bundle (the archive cannot be read: ${(e as Error).message})`);
  }
  if (refused) throw new TrellisError('INVALID_BUNDLE', `${label} is refused: ${refused}`);
}

/** Checks the unpacked files against the manifest: the same list, the same SHA-256 for each. */
async function verify(dir: string, manifest: Manifest, label: string): Promise<void> {
  const present = new Set((await listFiles(dir)).filter((p) => p !== MANIFEST_FILE));
  for (const path of [...present].sort()) {
    if (!Object.hasOwn(manifest.files, path)) throw new TrellisError('INVALID_BUNDLE', `${label} is refused: ${path} is in the archive but not in manifest.json (the bundle was changed after export)`);
  }
  for (const [path, hash] of Object.entries(manifest.files).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (!present.has(path)) throw new TrellisError('INVALID_BUNDLE', `${label} is refused: ${path} is listed in manifest.json but missing from the archive`);
    if (sha256(await readFile(join(dir, path))) !== hash)
      throw new TrellisError('INVALID_BUNDLE', `${label} is refused: ${path} does not match its SHA-256 in manifest.json (the bundle was changed after export)`);
  }
  if (!present.has('trellis.yaml')) throw new TrellisError('INVALID_BUNDLE', `${label} is not a Trellis bundle: it holds no trellis.yaml`);
}

/**
 * Opens a bundle (a file path or its bytes): unpacks it into a fresh temporary folder with safe paths only,
 * then verifies every file against the manifest. Anything wrong removes the folder and throws INVALID_BUNDLE
 * with a message naming the file.
 */
export async function openBundle(source: string | Buffer, label = typeof source === 'string' ? source : 'the uploaded bundle'): Promise<OpenedBundle> {
  if (!(await startsWithGzip(source))) throw new TrellisError('INVALID_BUNDLE', `${label} is not a Trellis bundle (expected a .trellis archive: gzip-compressed tar)`);
  const dir = await mkdtemp(join(tmpdir(), 'trellis-bundle-'));
  // retries: after a failed unpack, writes of entries already started may still land in the folder
  const dispose = () => rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
  try {
    await unpack(source, dir, label);
    let text: string;
    try {
      text = await readFile(join(dir, MANIFEST_FILE), 'utf8');
    } catch {
      throw new TrellisError('INVALID_BUNDLE', `${label} is not a Trellis bundle: it has no ${MANIFEST_FILE}`);
    }
    const manifest = parseManifest(text, label);
    await verify(dir, manifest, label);
    return { dir, manifest, dispose };
  } catch (e) {
    await dispose().catch(() => undefined);
    throw e;
  }
}

/** True when the path names a bundle file rather than a project folder (by its first bytes). */
export async function isBundleFile(path: string): Promise<boolean> {
  try {
    return await startsWithGzip(path);
  } catch {
    return false;
  }
}
