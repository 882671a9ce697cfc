import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { bundleFiles, BUNDLE_EXT, exportBundle } from '../bundle/index.js';
import { contentVersion, sha256 } from '../bundle/manifest.js';
import type { ParsedParams, Result } from '../contract/index.js';
import { TrellisError } from '../engine/errors.js';
import { expandDir } from './fs-browse.js';
import { uploadBundle } from './bundle-upload.js';
import type { TaskHandle, Tasks } from './tasks.js';
import type { OpenProject } from './workspace.js';

/**
 * The studio's Project > Export bundle… and Project > Deploy to server…: both bundle the project as it is
 * saved on disk (the bundle format hashes files, not the working copy), so unsaved edits are refused unless
 * the caller says to take the saved files. Deploy then uploads the bundle to a runtime's admin API.
 */

type Unsaved = ParsedParams<'bundle.export'>['unsaved'];

function checkUnsaved(entry: OpenProject, unsaved: Unsaved, action: string): void {
  if (entry.dirty && unsaved === 'refuse')
    throw new TrellisError('UNSAVED', `project ${entry.project.name} has unsaved edits: save it first (Ctrl+S), or ${action} the version saved on disk without them`, {
      path: entry.dir,
    });
}

/** The version a bundle of the files on disk gets: a hash of its content, as `trellis export` writes it. */
export async function diskVersion(dir: string): Promise<string> {
  const { files } = await bundleFiles(dir);
  const hashes: Record<string, string> = {};
  for (const rel of files) hashes[rel] = sha256(await readFile(join(dir, rel)));
  return contentVersion(hashes);
}

/** `<project>/../<name>-<version>.trellis` */
export function defaultBundleFile(dir: string, name: string, version: string): string {
  return join(dirname(dir), `${name}-${version}${BUNDLE_EXT}`);
}

export async function bundleInfo(entry: OpenProject): Promise<Result<'bundle.info'>> {
  const version = await diskVersion(entry.dir);
  return { name: entry.project.name, version, file: defaultBundleFile(entry.dir, entry.project.name, version), dirty: entry.dirty };
}

/** The output file: absolute, ending in .trellis, and outside the project (else the next export would carry it). */
function outputFile(entry: OpenProject, output: string | undefined, version: string): string {
  if (output === undefined) return defaultBundleFile(entry.dir, entry.project.name, version);
  const expanded = expandDir(output);
  const file = isAbsolute(expanded) ? resolve(expanded) : resolve(entry.dir, expanded);
  const inside = relative(entry.dir, file);
  if (!inside.startsWith(`..${sep}`) && inside !== '..' && !isAbsolute(inside))
    throw new TrellisError('INVALID_CONFIG', `${file} is inside the project folder: choose a folder outside ${entry.dir} for the bundle`, { path: file });
  return file.endsWith(BUNDLE_EXT) ? file : `${file}${BUNDLE_EXT}`;
}

async function writeBundle(entry: OpenProject, file: string, task: TaskHandle): Promise<Result<'bundle.export'>> {
  const result = await exportBundle(entry.dir, file, { signal: task.signal, onProgress: (p) => task.progress(p) });
  const bytes = await readFile(result.file);
  return {
    file: result.file,
    bytes: bytes.length,
    files: Object.keys(result.manifest.files).length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    name: result.manifest.name,
    version: result.manifest.version,
    env: result.manifest.env,
    skipped: result.skipped,
  };
}

export function exportProjectBundle(tasks: Tasks, entry: OpenProject, params: ParsedParams<'bundle.export'>): Promise<Result<'bundle.export'>> {
  checkUnsaved(entry, params.unsaved, 'export');
  return tasks.run(params.taskId, async (task) => {
    const version = params.output === undefined ? await diskVersion(entry.dir) : '';
    return writeBundle(entry, outputFile(entry, params.output, version), task);
  });
}

export function deployProjectBundle(tasks: Tasks, entry: OpenProject, params: ParsedParams<'bundle.deploy'>): Promise<Result<'bundle.deploy'>> {
  checkUnsaved(entry, params.unsaved, 'deploy');
  return tasks.run(params.taskId, async (task) => {
    // the bundle is a temporary file: a deploy leaves nothing beside the project
    const work = await mkdtemp(join(tmpdir(), 'trellis-deploy-'));
    try {
      const exported = await writeBundle(entry, join(work, `${entry.project.name}${BUNDLE_EXT}`), task);
      const bytes = await readFile(exported.file);
      return await uploadBundle({ url: params.url, token: params.token, bytes, signal: task.signal, onProgress: (p) => task.progress(p) });
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });
}
