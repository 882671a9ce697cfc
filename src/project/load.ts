import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join, posix, resolve } from 'node:path';
import type { z } from 'zod';
import { TrellisError } from '../engine/errors.js';
import { parseDotEnv } from '../engine/env.js';
import {
  connectorSchema,
  FORMAT_VERSION,
  nameSchema,
  sequenceSchema,
  toName,
  type Connector,
  type Problem,
  type Project,
  type Sequence,
} from '../model/index.js';
import { connectorFindings, connectorKindFindings, sequenceFindings } from './checks.js';
import { issueFindings, toProblems, type Finding } from './issues.js';
import { migrate, type RawProject } from './migrations.js';
import { CONNECTORS_DIR, OBJECT_EXT, PROJECT_FILE, SEQUENCES_DIR, type ObjectFolder } from './paths.js';
import { readProjectFile } from './project-file.js';
import { parseYaml, positionOf, type ParsedYaml } from './yaml-io.js';

export interface LoadResult {
  project: Project;
  problems: Problem[];
}

/**
 * Reads a project folder. A malformed file becomes a Problem (file, line, column, what was
 * expected) and only the object it holds is left out, so the rest of the project still opens.
 * Reading never writes: migrations happen in memory, and temporary files of an interrupted save
 * (hidden `.*.tmp`) are not objects and are skipped.
 */
export interface LoadOptions {
  /** check each connector against its kind's schemas too (default true); off where only the file format matters */
  checkKinds?: boolean;
}

export async function loadProject(dir: string, options: LoadOptions = {}): Promise<LoadResult> {
  const root = resolve(dir);
  const text = await readProjectText(root);
  const problems: Problem[] = [];
  const head = readProjectFile(parseYaml(PROJECT_FILE, text, 'a map with name and formatVersion'), toName(basename(root), 'project'));
  problems.push(...head.problems);
  const project: Project = { dir: root, ...head.fields, connectors: [], sequences: [] };
  if (head.version === undefined) return { project, problems: sortProblems(problems) };

  const connectorFiles = await readObjectFiles(root, CONNECTORS_DIR, 'a map with name, kind, config and transactions', problems);
  const sequenceFiles = await readObjectFiles(root, SEQUENCES_DIR, 'a map with name, exposed, variables and steps', problems);
  let raw: RawProject = {
    project: head.parsed.value,
    connectors: connectorFiles.map((f) => f.parsed.value),
    sequences: sequenceFiles.map((f) => f.parsed.value),
  };
  if (head.version < FORMAT_VERSION) {
    try {
      raw = migrate(raw, head.version);
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      problems.push({ file: PROJECT_FILE, line: 0, col: 0, severity: 'error', message: `cannot migrate from formatVersion ${head.version}: ${reason}; the connectors and sequences were not read` });
      // Keeps the old version so that saving, which would write an empty project over it, is refused.
      return { project: { ...project, formatVersion: head.version }, problems: sortProblems(problems) };
    }
  }
  Object.assign(project, head.complete(raw.project, problems));

  project.connectors = validateAll<Connector>(connectorFiles, raw.connectors, connectorSchema, connectorFindings, problems, options.checkKinds === false ? undefined : connectorKindFindings);
  project.sequences = validateAll<Sequence>(sequenceFiles, raw.sequences, sequenceSchema, sequenceFindings, problems);
  return { project, problems: sortProblems(problems) };
}

/** The project's `.env` values; {} when the project has none. */
export async function readDotEnv(dir: string): Promise<Record<string, string>> {
  try {
    return parseDotEnv(await readFile(join(dir, '.env'), 'utf8'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw e;
  }
}

async function readProjectText(root: string): Promise<string> {
  const info = await stat(root).catch(() => undefined);
  if (!info?.isDirectory()) throw new TrellisError('NOT_FOUND', `${root}: no such project folder`, { path: root });
  try {
    return await readFile(join(root, PROJECT_FILE), 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new TrellisError('NOT_FOUND', `${root} is not a Trellis project: it has no ${PROJECT_FILE}`, { path: root });
    throw new TrellisError('INVALID_PROJECT', `${join(root, PROJECT_FILE)}: cannot be read (${code ?? String(e)})`, { path: root, cause: e });
  }
}

interface ObjectFile {
  /** the object's name: its file name without .yaml */
  name: string;
  parsed: ParsedYaml & { value: Record<string, unknown> };
}

async function readObjectFiles(root: string, folder: ObjectFolder, expected: string, problems: Problem[]): Promise<ObjectFile[]> {
  let names: string[];
  try {
    names = (await readdir(join(root, folder))).sort();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') problems.push({ file: folder, line: 0, col: 0, severity: 'error', message: `cannot list ${folder}/ (${code ?? String(e)}); expected a folder` });
    return [];
  }
  const files: ObjectFile[] = [];
  const lowerCase = new Map<string, string>();
  for (const entry of names) {
    const file = posix.join(folder, entry);
    if (entry.startsWith('.')) continue;
    if (entry.endsWith('.yml')) {
      problems.push({ file, line: 0, col: 0, severity: 'warning', message: `ignored: Trellis reads ${folder}/*${OBJECT_EXT}; rename the file to ${entry.slice(0, -4)}${OBJECT_EXT}` });
      continue;
    }
    if (!entry.endsWith(OBJECT_EXT)) continue;
    const name = entry.slice(0, -OBJECT_EXT.length);
    const valid = nameSchema.safeParse(name);
    if (!valid.success) {
      problems.push({ file, line: 0, col: 0, severity: 'error', message: `the file name "${name}" is not a valid name: ${valid.error.issues[0]?.message}; rename the file` });
      continue;
    }
    const twin = lowerCase.get(name.toLowerCase());
    if (twin !== undefined)
      problems.push({ file, line: 0, col: 0, severity: 'warning', message: `"${name}" differs from "${twin}" only by case: the two files collide on Windows and macOS` });
    lowerCase.set(name.toLowerCase(), name);
    let text: string;
    try {
      text = await readFile(join(root, file), 'utf8');
    } catch (e) {
      problems.push({ file, line: 0, col: 0, severity: 'error', message: `cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})` });
      continue;
    }
    const parsed = parseYaml(file, text, expected);
    problems.push(...parsed.problems);
    if (parsed.value) files.push({ name, parsed: parsed as ObjectFile['parsed'] });
  }
  return files;
}

function validateAll<T>(
  files: readonly ObjectFile[],
  raws: readonly unknown[],
  schema: z.ZodType<T>,
  rules: (value: T) => Finding[],
  problems: Problem[],
  /** checks whose problems are reported but keep the object in the model */
  keepRules?: (value: T) => Finding[],
): T[] {
  const out: T[] = [];
  files.forEach((file, i) => {
    const value = withFileName(file, raws[i], problems);
    const result = schema.safeParse(value);
    const findings = result.success ? rules(result.data) : issueFindings(result.error.issues, value, schema);
    problems.push(...toProblems(file.parsed, findings));
    if (result.success && !findings.some((f) => (f.severity ?? 'error') === 'error')) {
      if (keepRules) problems.push(...toProblems(file.parsed, keepRules(result.data)));
      out.push(result.data);
    }
  });
  return out;
}

/**
 * The file name is the object's identity: saving writes `<name>.yaml`, and a file renamed or copied
 * by hand most likely means a renamed or copied object. So a `name` key that disagrees with the file
 * name is a warning and the file name wins; the next save writes it back into the file.
 */
function withFileName(file: ObjectFile, raw: unknown, problems: Problem[]): unknown {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return raw;
  const value = raw as Record<string, unknown>;
  if (value.name === file.name) return value;
  const { parsed } = file;
  const message =
    value.name === undefined
      ? `missing key "name"; using the file name "${file.name}"`
      : `name: ${JSON.stringify(value.name)} differs from the file name; using "${file.name}" (rename the file to rename the object)`;
  const where = value.name === undefined ? positionOf(parsed, [], 'value') : positionOf(parsed, ['name']);
  problems.push({ file: parsed.file, ...where, severity: 'warning', message });
  return { ...value, name: file.name };
}

function sortProblems(problems: Problem[]): Problem[] {
  const fileOrder = new Map<string, number>();
  for (const p of problems) if (!fileOrder.has(p.file)) fileOrder.set(p.file, fileOrder.size);
  return problems
    .map((p, i) => ({ p, i }))
    .sort((a, b) => fileOrder.get(a.p.file)! - fileOrder.get(b.p.file)! || a.p.line - b.p.line || a.p.col - b.p.col || a.i - b.i)
    .map(({ p }) => p);
}
