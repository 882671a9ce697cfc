import { createHash } from 'node:crypto';
import { z } from 'zod';
import { nameSchema } from '../model/index.js';
import { TrellisError } from '../engine/errors.js';

/** The Trellis release that writes bundles (kept equal to package.json's version; a test checks it). */
export const TRELLIS_VERSION = '0.1.0';
/** The layout of the archive itself; a loader refuses formats newer than it knows. */
export const BUNDLE_FORMAT = 1;
export const MANIFEST_FILE = 'manifest.json';
export const BUNDLE_EXT = '.trellis';

/** Project files a bundle carries: these root files and everything (but dotfiles) under these folders. */
export const BUNDLE_ROOT_FILES = ['trellis.yaml', 'mappings.yaml', 'schedules.yaml'] as const;
export const BUNDLE_FOLDERS = ['connectors', 'sequences', 'schemas', 'tests', 'files'] as const;

/** A relative posix path with no `.`/`..` segments, no dotfiles, no backslashes or control characters. */
export function unsafePathReason(path: string): string | undefined {
  if (path.length === 0 || path.length > 512) return 'an empty or too long path';
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return 'an absolute path';
  if (path.includes('\\') || [...path].some((c) => c.charCodeAt(0) < 0x20)) return 'a backslash or a control character';
  for (const seg of path.split('/')) {
    if (seg === '..' || seg === '.') return 'a . or .. segment';
    if (seg === '') return 'an empty segment';
    if (seg.startsWith('.')) return 'a hidden file or folder (name starting with .)';
  }
  return undefined;
}

const SHA256 = /^[0-9a-f]{64}$/;

export const manifestSchema = z.object({
  bundleFormat: z.number().int().positive(),
  name: nameSchema,
  version: z.string().min(1).max(128),
  /** the project's formatVersion (trellis.yaml) */
  formatVersion: z.number().int().nonnegative(),
  /** every file of the bundle but the manifest: relative path → SHA-256 (hex) */
  files: z.record(z.string(), z.string().regex(SHA256, 'a SHA-256 in hex')),
  /** names the project references as ${env:NAME}: the deployment must set them */
  env: z.array(z.string()),
  createdAt: z.string(),
  trellis: z.string(),
});
export type Manifest = z.infer<typeof manifestSchema>;

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** A default version: the first 12 hex digits of a hash over the file hashes (the same content, the same version). */
export function contentVersion(files: Record<string, string>): string {
  return sha256(JSON.stringify(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))).slice(0, 12);
}

/** Parses manifest.json; anything else than a manifest this Trellis can read is refused with the reason. */
export function parseManifest(text: string, source: string): Manifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new TrellisError('INVALID_BUNDLE', `${source} is not a Trellis bundle: its manifest.json is not JSON (${(e as Error).message})`);
  }
  const result = manifestSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new TrellisError('INVALID_BUNDLE', `${source} is not a Trellis bundle: manifest.json ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const manifest = result.data;
  if (manifest.bundleFormat > BUNDLE_FORMAT)
    throw new TrellisError('INVALID_BUNDLE', `${source} was written in bundle format ${manifest.bundleFormat} by Trellis ${manifest.trellis}; this Trellis reads format ${BUNDLE_FORMAT}: update Trellis`);
  for (const path of Object.keys(manifest.files)) {
    const reason = path === MANIFEST_FILE ? 'the manifest itself' : unsafePathReason(path);
    if (reason) throw new TrellisError('INVALID_BUNDLE', `${source} is refused: manifest.json lists "${path}", ${reason}`);
  }
  return manifest;
}
