import { randomBytes } from 'node:crypto';
import { copyFile, lstat, mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, posix, resolve } from 'node:path';
import { create } from 'tar';
import { envNames } from '../engine/env.js';
import { TrellisError } from '../engine/errors.js';
import { formatProblem } from '../model/index.js';
import { loadProject } from '../project/index.js';
import { readMappings, mappingTargetProblems } from '../project/mappings.js';
import { BUNDLE_FOLDERS, BUNDLE_FORMAT, BUNDLE_ROOT_FILES, contentVersion, MANIFEST_FILE, sha256, TRELLIS_VERSION, unsafePathReason, type Manifest } from './manifest.js';
import { literalSecrets } from './secrets.js';

export interface ExportOptions {
  /** the bundle's version; by default a hash of its content */
  version?: string;
  /** the creation time written in the manifest (tests pin it) */
  now?: Date;
  /** cancels the export before the archive replaces `out` */
  signal?: AbortSignal;
  /** phases check, copy (done/total files), archive: the studio's progress */
  onProgress?: (p: { phase: 'check' | 'copy' | 'archive'; done?: number; total?: number }) => void;
}

export interface ExportResult {
  file: string;
  manifest: Manifest;
  /** files left out, with the reason (symbolic links, special files) */
  skipped: Array<{ path: string; reason: string }>;
}

/** The project files a bundle carries, as sorted relative posix paths; never `.env` or any dotfile. */
export async function bundleFiles(dir: string): Promise<{ files: string[]; skipped: ExportResult['skipped'] }> {
  const files: string[] = [];
  const skipped: ExportResult['skipped'] = [];
  const visit = async (rel: string): Promise<void> => {
    const info = await lstat(join(dir, rel)).catch(() => undefined);
    if (!info) return;
    if (info.isSymbolicLink()) return void skipped.push({ path: rel, reason: 'a symbolic link (bundles hold regular files only)' });
    if (info.isDirectory()) {
      for (const name of (await readdir(join(dir, rel))).sort()) {
        const child = posix.join(rel, name);
        if (unsafePathReason(child)) continue; // dotfiles, .env, odd names
        await visit(child);
      }
    } else if (info.isFile()) files.push(rel);
    else skipped.push({ path: rel, reason: 'not a regular file' });
  };
  for (const name of BUNDLE_ROOT_FILES) await visit(name);
  for (const folder of BUNDLE_FOLDERS) await visit(folder);
  files.sort();
  return { files, skipped };
}

/** Refuses to export a project with errors or with secrets written as values. */
async function checkExportable(dir: string): Promise<{ name: string; formatVersion: number; env: string[] }> {
  const { project, problems } = await loadProject(dir);
  const mappings = await readMappings(dir);
  const errors = [...problems, ...mappings.problems].filter((p) => p.severity === 'error').map(formatProblem);
  if (mappings.mappings) errors.push(...mappingTargetProblems(project, mappings.mappings));
  if (errors.length)
    throw new TrellisError('INVALID_PROJECT', `cannot export ${project.name}: fix ${errors.length === 1 ? 'this problem' : `these ${errors.length} problems`} first: ${errors.slice(0, 5).join('; ')}${errors.length > 5 ? '; ...' : ''}`, { details: errors });
  const secrets = literalSecrets(project);
  if (secrets.length)
    throw new TrellisError('LITERAL_SECRET', `cannot export ${project.name}: bundles carry no secrets, and ${secrets.map((s) => s.message).join('; ')}`, { details: secrets });
  const env = envNames([project.connectors.map((c) => c.config), project.runtime ?? {}]);
  return { name: project.name, formatVersion: project.formatVersion, env: [...env].sort() };
}

/**
 * `trellis export`: copies the project files into a staging folder (a snapshot, so the hashes match the
 * archive even if a file changes meanwhile), hashes them, and writes manifest.json + files as one tar.gz,
 * atomically (a temporary file renamed over `out`).
 */
export async function exportBundle(dir: string, out: string, options: ExportOptions = {}): Promise<ExportResult> {
  const root = resolve(dir);
  const target = resolve(out);
  const progress = options.onProgress ?? (() => undefined);
  const cancelled = () => {
    if (options.signal?.aborted) throw new TrellisError('CANCELLED', `export of ${root} cancelled`);
  };
  progress({ phase: 'check' });
  const info = await checkExportable(root);
  const { files, skipped } = await bundleFiles(root);
  const staging = await mkdtemp(join(tmpdir(), 'trellis-export-'));
  try {
    const hashes: Record<string, string> = {};
    for (const [i, rel] of files.entries()) {
      cancelled();
      progress({ phase: 'copy', done: i, total: files.length });
      await mkdir(join(staging, dirname(rel)), { recursive: true });
      await copyFile(join(root, rel), join(staging, rel));
      hashes[rel] = sha256(await readFile(join(staging, rel)));
    }
    progress({ phase: 'copy', done: files.length, total: files.length });
    cancelled();
    progress({ phase: 'archive' });
    const now = options.now ?? new Date();
    const manifest: Manifest = {
      bundleFormat: BUNDLE_FORMAT,
      name: info.name,
      version: options.version ?? contentVersion(hashes),
      formatVersion: info.formatVersion,
      files: hashes,
      env: info.env,
      createdAt: now.toISOString(),
      trellis: TRELLIS_VERSION,
    };
    await writeFile(join(staging, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
    await mkdir(dirname(target), { recursive: true });
    const temp = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      await create({ gzip: true, file: temp, cwd: staging, portable: true, mtime: now }, [MANIFEST_FILE, ...files]);
      await rename(temp, target);
    } catch (e) {
      await rm(temp, { force: true });
      throw e;
    }
    return { file: target, manifest, skipped };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
