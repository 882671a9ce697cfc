import { access, mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { TrellisError } from '../engine/errors.js';
import { FORMAT_VERSION, nameSchema, type Project } from '../model/index.js';
import { writeFileAtomic } from './atomic-write.js';
import { CONNECTORS_DIR, FILES_DIR, PROJECT_FILE, SEQUENCES_DIR } from './paths.js';
import { saveProjectFile } from './save.js';

// Secrets live in .env and must never reach git; temporary files of an interrupted save neither.
const IGNORED = ['.env', '.*.tmp'];

/** Makes `dir` (created if needed) a new, empty project. */
export async function createProject(dir: string, opts: { name: string; description?: string }): Promise<Project> {
  const root = resolve(dir);
  const name = nameSchema.safeParse(opts.name);
  if (!name.success) throw new TrellisError('INVALID_PROJECT', `"${opts.name}" is not a valid project name: ${name.error.issues[0]?.message}`, { path: root });
  if (await exists(join(root, PROJECT_FILE)))
    throw new TrellisError('INVALID_PROJECT', `${root} already holds a Trellis project (${PROJECT_FILE}); open it instead`, { path: root });

  for (const folder of [CONNECTORS_DIR, SEQUENCES_DIR, FILES_DIR]) await mkdir(join(root, folder), { recursive: true });
  await addToGitignore(root);
  const project: Project = { dir: root, name: name.data, formatVersion: FORMAT_VERSION, connectors: [], sequences: [] };
  if (opts.description !== undefined) project.description = opts.description;
  // Last, so that a folder whose creation was interrupted is not yet taken for a project.
  await saveProjectFile(project);
  return project;
}

/** Keeps what the folder's .gitignore already says (it may be an existing repository) and adds what is missing. */
async function addToGitignore(root: string): Promise<void> {
  const path = join(root, '.gitignore');
  const current = await readFile(path, 'utf8').catch(() => '');
  const lines = new Set(current.split(/\r?\n/).map((l) => l.trim()));
  const missing = IGNORED.filter((entry) => !lines.has(entry));
  if (!missing.length) return;
  const prefix = current && !current.endsWith('\n') ? `${current}\n` : current;
  await writeFileAtomic(path, `${prefix}${missing.join('\n')}\n`);
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
